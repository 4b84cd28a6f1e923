"""
Tuning the step size and the L2 penalty with a grid search
==========================================================

Search a grid of ``learning_rate_init`` and ``alpha`` values with
:class:`~sklearn.model_selection.GridSearchCV` on the breast cancer data, and
show the cross-validated accuracy of every pair as a heat map.
"""

# %%
# The pipeline and the grid
# -------------------------
# The network sits behind a :class:`~sklearn.preprocessing.StandardScaler`, so
# the scaling is fitted on the training folds only.  The grid spans four
# orders of magnitude of the step size ``learning_rate_init`` (of Adam, the
# default solver) and six of the L2 strength ``alpha``; everything else keeps
# its default.  A quarter of the
# data is held out to test the chosen model.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknn import MLPBinaryClassifier

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

model = make_pipeline(StandardScaler(), MLPBinaryClassifier(random_state=0))
alphas = [1e-4, 1e-2, 1.0, 100.0]
step_sizes = [0.0001, 0.001, 0.01, 0.1]
grid = {
    "mlpbinaryclassifier__alpha": alphas,
    "mlpbinaryclassifier__learning_rate_init": step_sizes,
}

# %%
# Run the search
# --------------
# 16 candidates times 3 folds: 48 fits, run on two cores.  The smallest step
# sizes may not converge within ``max_iter`` epochs; that is part of what the
# search measures, so their ``ConvergenceWarning`` is silenced.
search = GridSearchCV(model, grid, cv=3, n_jobs=2)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    search.fit(X_train, y_train)

best = search.best_params_
print(
    f"best: alpha={best['mlpbinaryclassifier__alpha']}, "
    f"learning_rate_init={best['mlpbinaryclassifier__learning_rate_init']}, "
    f"CV accuracy {search.best_score_:.4f}"
)
print(f"test accuracy of the refitted best model: {search.score(X_test, y_test):.4f}")

# %%
# The heat map
# ------------
# ``cv_results_`` lists the candidates with their mean accuracy over the
# folds; arrange them as a table with one row per ``alpha`` and one column per
# step size.
scores = np.empty((len(alphas), len(step_sizes)))
for params, score in zip(
    search.cv_results_["params"], search.cv_results_["mean_test_score"]
):
    row = alphas.index(params["mlpbinaryclassifier__alpha"])
    column = step_sizes.index(params["mlpbinaryclassifier__learning_rate_init"])
    scores[row, column] = score

# The colour scale is fixed from 0.5 (a coin flip) to 1, so that colours
# differ only where accuracies differ by more than a few hundredths, which is
# about how much they vary from one fold to another.  Each cell gives the mean
# accuracy over the folds; the best one is framed.
cmap = plt.get_cmap("viridis")
norm = plt.Normalize(vmin=0.5, vmax=1.0)
fig, ax = plt.subplots(figsize=(6, 5), layout="constrained")
image = ax.imshow(scores, cmap=cmap, norm=norm, origin="lower")
fig.colorbar(image, ax=ax, label="mean CV accuracy")
ax.set_xticks(range(len(step_sizes)), labels=[f"{s:g}" for s in step_sizes])
ax.set_yticks(range(len(alphas)), labels=[f"{a:g}" for a in alphas])
ax.set_xlabel("learning_rate_init")
ax.set_ylabel("alpha")
for (row, column), score in np.ndenumerate(scores):
    # Dark text on light cells, white text on dark ones.
    red, green, blue, _ = cmap(norm(score))
    luminance = 0.299 * red + 0.587 * green + 0.114 * blue
    ax.text(
        column,
        row,
        f"{score:.3f}",
        ha="center",
        va="center",
        color="black" if luminance > 0.5 else "white",
    )
best_row = alphas.index(best["mlpbinaryclassifier__alpha"])
best_column = step_sizes.index(best["mlpbinaryclassifier__learning_rate_init"])
ax.add_patch(
    plt.Rectangle(
        (best_column - 0.5, best_row - 0.5), 1, 1, fill=False, edgecolor="red", lw=2
    )
)
ax.set_title("Breast cancer, 3-fold CV accuracy")

# %%
# Look for two regions that score poorly.  With the smallest step size, the
# epochs allowed may be too few to train the network, whatever the penalty.
# With the largest ``alpha`` the penalty dominates the loss and shrinks the
# weights until the network underfits.  Between them lies a broad plateau of
# settings whose accuracies differ by about as much as they vary from one
# fold to another (``cv_results_["std_test_score"]``): any of them is a
# reasonable choice, and the search's "best" among them owes much to chance.
plt.show()
