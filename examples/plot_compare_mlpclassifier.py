"""
Comparison with scikit-learn's MLPClassifier
============================================

Compare the cross-validated accuracy of :class:`sknn.MLPBinaryClassifier` and
scikit-learn's :class:`~sklearn.neural_network.MLPClassifier`, each with its
default hyperparameters, on three binary problems; then check that from the
same weights the two follow the same training trajectory.

This example measures no time: one run of a script is no benchmark.  For
speed, see :doc:`../performance`, whose figures come from the benchmark
scripts in ``benchmarks/``.
"""

# %%
# Three binary problems
# ---------------------
# The breast cancer data, the digits split into odd and even (``y % 2``), and
# two noisy moons.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from sknn import MLPBinaryClassifier

X_digits, y_digits = load_digits(return_X_y=True)
datasets = {
    "breast cancer": load_breast_cancer(return_X_y=True),
    "digits (odd vs even)": (X_digits, y_digits % 2),
    "moons": make_moons(n_samples=1000, noise=0.3, random_state=0),
}

# %%
# Cross-validate both estimators
# ------------------------------
# Both estimators keep their defaults, with ``random_state=0``, behind a
# :class:`~sklearn.preprocessing.StandardScaler`, and are scored on the same
# five stratified folds, so that their scores can be compared fold by fold.
# With their defaults both may use up the epochs they are allowed before
# their stopping rule ends training, and warn; the ``ConvergenceWarning`` is
# silenced here.
#
# These networks are small: their matrix products gain nothing from several
# BLAS threads, which on a busy machine mostly wait for each other, so the
# products run on one thread (:func:`threadpoolctl.threadpool_limits`).
estimators = {
    "sknn MLPBinaryClassifier": MLPBinaryClassifier(random_state=0),
    "sklearn MLPClassifier": MLPClassifier(random_state=0),
}
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)

scores = {name: {} for name in estimators}
with warnings.catch_warnings(), threadpool_limits(limits=1, user_api="blas"):
    warnings.simplefilter("ignore", ConvergenceWarning)
    for data_name, (X, y) in datasets.items():
        for name, estimator in estimators.items():
            model = make_pipeline(StandardScaler(), estimator)
            scores[name][data_name] = cross_val_score(model, X, y, cv=cv)

print(f"{'mean accuracy +- std':22s} {'sknn':17s} MLPClassifier")
for data_name in datasets:
    cells = [
        f"{fold_scores.mean():.4f} +- {fold_scores.std():.4f}"
        for fold_scores in (scores[name][data_name] for name in estimators)
    ]
    print(f"{data_name:22s}", *cells)

# %%
# Plot the accuracies and their differences
# -----------------------------------------
# Left: the mean accuracy over the five folds, on an axis from 0 to 1, with
# the standard deviation over the folds as error bars.  Right, on a finer
# scale: the difference between the two estimators' accuracies on each fold
# (sknn minus ``MLPClassifier``; one dot per fold), and the mean of the five
# differences with their standard deviation as error bar.
names = list(estimators)
positions = np.arange(len(datasets))
fig, (ax_score, ax_diff) = plt.subplots(
    1, 2, figsize=(11, 4.5), width_ratios=[1.2, 1], layout="constrained"
)
width = 0.4
for i, name in enumerate(names):
    means = [scores[name][data_name].mean() for data_name in datasets]
    stds = [scores[name][data_name].std() for data_name in datasets]
    ax_score.bar(
        positions + (i - 0.5) * width,
        means,
        width,
        yerr=stds,
        capsize=3,
        color=f"C{i}",
        label=name,
    )
ax_score.set_xticks(positions, labels=list(datasets))
ax_score.set_ylim(0, 1)
ax_score.set_xlabel("data set")
ax_score.set_ylabel("accuracy (mean over 5 folds)")
ax_score.set_title("Accuracy")
fig.legend(loc="outside upper left", ncols=len(names))

for position, data_name in zip(positions, datasets):
    differences = scores[names[0]][data_name] - scores[names[1]][data_name]
    ax_diff.scatter(
        np.full(differences.shape, position - 0.1),
        differences,
        color="gray",
        alpha=0.7,
        s=20,
        label="one fold" if position == 0 else None,
    )
    ax_diff.errorbar(
        position + 0.1,
        differences.mean(),
        yerr=differences.std(),
        fmt="o",
        color="k",
        capsize=4,
        label="mean +- std" if position == 0 else None,
    )
ax_diff.axhline(0, color="k", linewidth=0.8)
largest = max(np.abs(scores[names[0]][d] - scores[names[1]][d]).max() for d in datasets)
ax_diff.set_ylim(-max(1.3 * largest, 0.02), max(1.3 * largest, 0.02))
ax_diff.set_xticks(positions, labels=list(datasets))
ax_diff.set_xlim(-0.5, len(datasets) - 0.5)
ax_diff.set_xlabel("data set")
ax_diff.set_ylabel("accuracy of sknn - accuracy of MLPClassifier")
ax_diff.set_title("Difference per fold")
ax_diff.legend(loc="lower right", fontsize=8)

# %%
# Compare each mean difference with the spread of the accuracies over the
# folds (the error bars on the left): on these problems the two estimators
# are about as accurate, and five folds of a few hundred samples each cannot
# tell them apart reliably.  :doc:`../accuracy` compares the defaults on more
# problems and seeds.

# %%
# The same trajectory from the same weights
# -----------------------------------------
# sknn's momentum averages the gradients, :math:`V \leftarrow \beta V +
# (1 - \beta)\, \partial J / \partial \theta`, where scikit-learn's classical
# momentum sums them.  So ``MLPBinaryClassifier(solver='sgd', momentum=b,
# learning_rate_init=eta)`` takes the steps of ``MLPClassifier(solver='sgd',
# nesterovs_momentum=False, momentum=b, learning_rate_init=eta * (1 - b))``.
#
# ``MLPClassifier`` cannot be given initial weights, so let it draw its own and
# train one epoch, hand those weights to sknn (with ``warm_start=True``, ``fit``
# starts from the ``coefs_`` and ``intercepts_`` it finds), and train both for
# 20 more epochs without shuffling.
X = StandardScaler().fit_transform(datasets["breast cancer"][0])
y = datasets["breast cancer"][1]
beta, eta, n_epochs = 0.7, 0.5, 20
common = dict(
    solver="sgd",
    hidden_layer_sizes=(16,),
    alpha=0.1,
    batch_size=64,
    shuffle=False,
    tol=0,
    n_iter_no_change=n_epochs,
    warm_start=True,
)
theirs = MLPClassifier(
    momentum=beta,
    nesterovs_momentum=False,
    learning_rate_init=eta * (1 - beta),
    max_iter=1,
    random_state=0,
    **common,
)
ours = MLPBinaryClassifier(
    momentum=beta, learning_rate_init=eta, max_iter=n_epochs, **common
)
# Short runs on purpose: silence the warnings that they did not converge.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    theirs.fit(X, y)
    ours.coefs_ = [W.copy() for W in theirs.coefs_]
    ours.intercepts_ = [b.copy() for b in theirs.intercepts_]
    theirs.set_params(max_iter=n_epochs)
    theirs.fit(X, y)
    ours.fit(X, y)

weight_difference = max(
    np.abs(a - b).max()
    for a, b in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_)
)
loss_difference = np.abs(np.subtract(ours.loss_curve_, theirs.loss_curve_[1:])).max()
print(f"largest difference between the weights: {weight_difference:.1e}")
print(f"largest difference between the epoch losses: {loss_difference:.1e}")

# %%
# The weights and the loss curves agree to rounding error: the two estimators
# compute the same updates, and from the same weights they train the same
# network.
plt.show()
