"""
Comparison with scikit-learn's MLPClassifier
============================================

Compare the cross-validated accuracy and the fit time of
:class:`sknn.MLPBinaryClassifier` and scikit-learn's
:class:`~sklearn.neural_network.MLPClassifier`, each with its default
hyperparameters, on three binary problems; then check that from the same
weights the two follow the same training trajectory.
"""

# %%
# Three binary problems
# ---------------------
# The breast cancer data, the digits split into odd and even (``y % 2``), and
# two noisy moons.
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

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
# five stratified folds.  The fits run one at a time so that their times are
# comparable.  With their defaults both usually use up the 200 epochs they
# are allowed without meeting their stopping rule, and warn; the
# ``ConvergenceWarning`` is silenced here.
estimators = {
    "sknn MLPBinaryClassifier": MLPBinaryClassifier(random_state=0),
    "sklearn MLPClassifier": MLPClassifier(random_state=0),
}
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)

results = {name: {} for name in estimators}
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    for data_name, (X, y) in datasets.items():
        for name, estimator in estimators.items():
            model = make_pipeline(StandardScaler(), estimator)
            results[name][data_name] = cross_validate(model, X, y, cv=cv)

for data_name in datasets:
    for name in estimators:
        scores = results[name][data_name]
        print(
            f"{data_name:22s} {name:25s} accuracy "
            f"{scores['test_score'].mean():.4f} +- {scores['test_score'].std():.4f}, "
            f"fit {scores['fit_time'].mean():.3f} s"
        )

# %%
# Plot accuracy and fit time
# --------------------------
# Bars are means over the five folds, with their standard deviation as error
# bars; the number above a bar is its mean.
fig, (ax_score, ax_time) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
panels = {ax_score: ("test_score", "{:.3f}"), ax_time: ("fit_time", "{:.2f}")}
positions = np.arange(len(datasets))
width = 0.4
for i, name in enumerate(estimators):
    x = positions + (i - 0.5) * width
    for ax, (key, fmt) in panels.items():
        values = [results[name][data_name][key] for data_name in datasets]
        means = np.array([v.mean() for v in values])
        stds = np.array([v.std() for v in values])
        ax.bar(x, means, width, yerr=stds, capsize=3, color=f"C{i}", label=name)
        for xi, top, mean in zip(x, means + stds, means):
            ax.annotate(
                fmt.format(mean),
                (xi, top),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8,
            )
for ax in panels:
    ax.set_xticks(positions, labels=list(datasets))
ax_score.set_ylim(0.8, 1.02)
ax_score.set_ylabel("accuracy (5-fold CV)")
ax_score.set_title("Accuracy")
ax_time.set_ylabel("fit time per fold (s)")
ax_time.set_title("Fit time")
ax_time.margins(y=0.3)  # room for the legend
ax_time.legend(loc="upper left")

# %%
# The two estimators are about as accurate on all three problems; the
# differences are well within the spread over the folds.  sknn fits faster,
# but the fit times compare two default configurations, not two
# implementations of the same arithmetic: sknn runs minibatch gradient
# descent with momentum where ``MLPClassifier`` runs Adam, and on the digits
# ``MLPClassifier`` stops after about 125 epochs where sknn runs all 200.

# %%
# The same trajectory from the same weights
# -----------------------------------------
# The notes' momentum averages the gradients, :math:`V \leftarrow \beta V +
# (1 - \beta)\, \partial J / \partial \theta`, where scikit-learn's classical
# momentum sums them.  So ``MLPBinaryClassifier(momentum=b,
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
    hidden_layer_sizes=(16,),
    alpha=0.1,
    batch_size=64,
    shuffle=False,
    tol=0,
    n_iter_no_change=n_epochs,
    warm_start=True,
)
theirs = MLPClassifier(
    solver="sgd",
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
    start = time.perf_counter()
    theirs.fit(X, y)
    their_seconds = time.perf_counter() - start
    start = time.perf_counter()
    ours.fit(X, y)
    our_seconds = time.perf_counter() - start

weight_difference = max(
    np.abs(a - b).max()
    for a, b in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_)
)
loss_difference = np.abs(np.subtract(ours.loss_curve_, theirs.loss_curve_[1:])).max()
print(f"largest difference between the weights: {weight_difference:.1e}")
print(f"largest difference between the epoch losses: {loss_difference:.1e}")
print(f"fit time: sknn {our_seconds:.4f} s, MLPClassifier {their_seconds:.4f} s")

# %%
# The weights and the loss curves agree to rounding error: the two estimators
# compute the same updates, and from the same weights they train the same
# network.
plt.show()
