"""
Grid search on a Dask cluster
=============================

A hyperparameter search runs its fits on a Dask cluster through joblib's
``dask`` backend: nothing changes in the search itself.  Here the "cluster" is
a local one with two workers on the loopback interface; pass the address of a
real scheduler to :class:`distributed.Client` to use one.  The search gives
the same scores as running it locally.  Needs the ``dask`` extra
(``pip install "sknn-mlp[dask]"``).
"""

# %%
# Start a local cluster
# ---------------------
# ``processes=False`` keeps the workers in this process (threads), which
# starts quickly; TCP on ``host="127.0.0.1"`` keeps the cluster on the
# loopback interface.
import time
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

cluster = LocalCluster(
    n_workers=2,
    threads_per_worker=1,
    processes=False,
    protocol="tcp",
    host="127.0.0.1",
    dashboard_address=None,
)
client = Client(cluster)

# %%
# Search on the cluster, then locally
# -----------------------------------
X, y = load_breast_cancer(return_X_y=True)
grid = {
    "mlpbinaryclassifier__hidden_layer_sizes": [(16,), (64,)],
    "mlpbinaryclassifier__alpha": [1e-3, 1e-1, 1.0],
}
model = make_pipeline(
    StandardScaler(), MLPBinaryClassifier(max_iter=50, random_state=0)
)
# max_iter=50 keeps the example quick; silence the warnings about it.
warnings.simplefilter("ignore", ConvergenceWarning)

start = time.perf_counter()
with joblib.parallel_backend("dask"):
    on_dask = GridSearchCV(model, grid, cv=3, n_jobs=-1).fit(X, y)
print(f"on the Dask cluster: {time.perf_counter() - start:.1f}s")

local = GridSearchCV(model, grid, cv=3, n_jobs=1).fit(X, y)
same = np.array_equal(
    on_dask.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
)
print(f"same scores as the local search: {same}")
print(f"best parameters: {on_dask.best_params_}")

client.close()
cluster.close()

# %%
# The scores
# ----------
scores = on_dask.cv_results_["mean_test_score"].reshape(2, 3)
fig, ax = plt.subplots(figsize=(5, 3), layout="constrained")
image = ax.imshow(scores, cmap="viridis")
ax.set_xticks(range(3), labels=[str(a) for a in grid["mlpbinaryclassifier__alpha"]])
ax.set_yticks(
    range(2), labels=[str(h) for h in grid["mlpbinaryclassifier__hidden_layer_sizes"]]
)
ax.set_xlabel("alpha")
ax.set_ylabel("hidden_layer_sizes")
for (row, col), score in np.ndenumerate(scores):
    ax.text(col, row, f"{score:.3f}", ha="center", va="center", color="white")
fig.colorbar(image, label="mean CV accuracy")
ax.set_title("Grid search run on Dask")
plt.show()
