"""
Grid search on a Dask cluster
=============================

A hyperparameter search runs its fits on a Dask cluster through joblib's
``dask`` backend: nothing changes in the search itself.  Here the "cluster" is
a local one with two workers on the loopback interface; pass the address of a
real scheduler to :class:`distributed.Client` to use one.  The search gives
the same scores as running it locally.  Needs the ``dask`` extra (from a
checkout: ``pip install ".[dask]"``).
"""

# %%
# Search on a local cluster, then locally
# ---------------------------------------
# ``processes=False`` keeps the workers in this process (threads), which
# starts quickly; TCP on ``host="127.0.0.1"`` keeps the cluster on the
# loopback interface, and ``dashboard_address=None`` starts no dashboard.
# The ``with`` blocks close the client and the cluster when the search ends.
import warnings

import joblib
import matplotlib.pyplot as plt
import numpy as np
from distributed import Client, LocalCluster
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknn import MLPBinaryClassifier

X, y = load_breast_cancer(return_X_y=True)
sizes = [(16,), (64,)]
alphas = [1e-3, 1e-1, 1.0]
grid = {
    "mlpbinaryclassifier__hidden_layer_sizes": sizes,
    "mlpbinaryclassifier__alpha": alphas,
}
model = make_pipeline(
    StandardScaler(), MLPBinaryClassifier(max_iter=50, random_state=0)
)
# max_iter=50 keeps the example quick; silence the warnings about it.
warnings.simplefilter("ignore", ConvergenceWarning)

with (
    LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster,
    Client(cluster),
    joblib.parallel_backend("dask"),
):
    on_dask = GridSearchCV(model, grid, cv=3, n_jobs=-1).fit(X, y)

local = GridSearchCV(model, grid, cv=3, n_jobs=1).fit(X, y)
same = np.array_equal(
    on_dask.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
)
print(f"same scores as the local search: {same}")
print(f"best parameters: {on_dask.best_params_}")

# %%
# The scores
# ----------
# One cell per candidate: its mean accuracy over the three folds and, below,
# the standard deviation over the folds.  The colour scale runs from 0.5 (a
# coin flip) to 1, so that only differences well beyond the spread over the
# folds show as different colours: here, all candidates do about equally well.
means = np.empty((len(sizes), len(alphas)))
stds = np.empty_like(means)
for params, mean, std in zip(
    on_dask.cv_results_["params"],
    on_dask.cv_results_["mean_test_score"],
    on_dask.cv_results_["std_test_score"],
):
    row = sizes.index(params["mlpbinaryclassifier__hidden_layer_sizes"])
    column = alphas.index(params["mlpbinaryclassifier__alpha"])
    means[row, column], stds[row, column] = mean, std

cmap = plt.get_cmap("viridis")
norm = plt.Normalize(vmin=0.5, vmax=1.0)
fig, ax = plt.subplots(figsize=(5.5, 3.5), layout="constrained")
image = ax.imshow(means, cmap=cmap, norm=norm)
ax.set_xticks(range(len(alphas)), labels=[f"{a:g}" for a in alphas])
ax.set_yticks(range(len(sizes)), labels=[str(s) for s in sizes])
ax.set_xlabel("alpha")
ax.set_ylabel("hidden_layer_sizes")
for (row, column), mean in np.ndenumerate(means):
    # Dark text on light cells, white text on dark ones.
    red, green, blue, _ = cmap(norm(mean))
    luminance = 0.299 * red + 0.587 * green + 0.114 * blue
    ax.text(
        column,
        row,
        f"{mean:.3f}\n± {stds[row, column]:.3f}",
        ha="center",
        va="center",
        color="black" if luminance > 0.5 else "white",
    )
fig.colorbar(image, label="mean CV accuracy")
ax.set_title("Grid search run on Dask")
plt.show()
