"""
Out-of-core training with Dask
==============================

When the data does not fit in memory, dask-ml's ``Incremental`` wrapper
trains the network block by block: it calls
:meth:`~sknn.MLPBinaryClassifier.partial_fit` on each block of a Dask array,
so only one block is in memory at a time.  The optimizer's state carries over
from block to block, exactly as if the blocks were passed to ``partial_fit``
by hand.  Needs the ``dask`` extra (from a checkout:
``pip install ".[dask]"``).
"""

# %%
# A data set in blocks
# --------------------
# A Dask array of 40,000 rows in blocks of 4,000.  Here it is generated in
# memory; in practice it would be read lazily from files
# (``dask.array.from_zarr``, ``dask.dataframe.read_parquet(...).to_dask_array``).
import dask.array as da
import matplotlib.pyplot as plt
from dask_ml.wrappers import Incremental
from distributed import Client, LocalCluster
from sklearn.datasets import make_classification

from sknn import MLPBinaryClassifier

X_np, y_np = make_classification(
    n_samples=44_000, n_features=20, n_informative=10, random_state=0
)
X = da.from_array(X_np[:40_000], chunks=(4_000, 20))
y = da.from_array(y_np[:40_000], chunks=4_000)
X_test, y_test = X_np[40_000:], y_np[40_000:]
print(f"{X.numblocks[0]} blocks of {X.chunks[0][0]} rows")

# %%
# Train block by block
# --------------------
# The blocks are computed on a local Dask cluster: one worker thread in this
# process, listening on the loopback interface only, with no dashboard; the
# ``with`` block closes it at the end.  Each call of
# ``Incremental.partial_fit`` is one pass over the blocks, in a shuffled
# order.  The test accuracy is recorded after every pass.
model = Incremental(
    MLPBinaryClassifier((32,), batch_size=100, random_state=0),
    scoring="accuracy",
    shuffle_blocks=True,
    random_state=0,
)
accuracies = []
with (
    LocalCluster(
        n_workers=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster,
    Client(cluster),
):
    for _ in range(5):
        model.partial_fit(X, y, classes=[0, 1])
        accuracies.append(model.estimator_.score(X_test, y_test))
        print(
            f"after {model.estimator_.n_iter_:2d} blocks: "
            f"test accuracy {accuracies[-1]:.4f}"
        )

# %%
# The learning curve
# ------------------
fig, ax = plt.subplots(figsize=(5, 3), layout="constrained")
ax.plot(range(1, len(accuracies) + 1), accuracies, marker="o")
ax.set_xticks(range(1, len(accuracies) + 1))
ax.set_ylim(0.5, 1)  # from chance level
ax.set_xlabel("passes over the blocks")
ax.set_ylabel("test accuracy")
ax.set_title("Training out of core with dask-ml's Incremental")
plt.show()
