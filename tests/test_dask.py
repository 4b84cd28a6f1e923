"""Scale-out on Dask: a search through joblib's dask backend, out-of-core training."""

import warnings

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from sknn import MLPBinaryClassifier

distributed = pytest.importorskip("distributed")
da = pytest.importorskip("dask.array")


@pytest.fixture(scope="module")
def client():
    # Loopback only, no dashboard; shut down at the end of the module.
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    )
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


def test_grid_search_on_a_dask_cluster_equals_a_local_one(client):
    X, y = make_classification(300, 6, random_state=0)
    search = GridSearchCV(
        MLPBinaryClassifier((8,), max_iter=20, random_state=0),
        {"alpha": [1e-3, 1e-1], "learning_rate_init": [0.1, 0.5]},
        cv=3,
        n_jobs=-1,
    )
    local = clone(search).set_params(n_jobs=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with joblib.parallel_backend("dask"):
            search.fit(X, y)
        local.fit(X, y)
    np.testing.assert_array_equal(
        search.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
    )
    assert search.best_params_ == local.best_params_


def test_out_of_core_training_with_dask_ml_incremental(client):
    wrappers = pytest.importorskip("dask_ml.wrappers")
    X_np, y_np = make_classification(2000, 5, random_state=0)
    X = da.from_array(X_np, chunks=(500, 5))
    y = da.from_array(y_np, chunks=500)
    # Four epochs in all (one per block): a larger step than the default.
    params = dict(
        solver="adam",
        alpha=1e-3,
        batch_size=50,
        learning_rate_init=0.02,
        random_state=0,
    )
    incremental = wrappers.Incremental(
        MLPBinaryClassifier((8,), **params),
        scoring="accuracy",
        shuffle_blocks=False,
    )
    incremental.fit(X, y, classes=[0, 1])
    # The same as partial_fit on the blocks in order: one epoch per block.
    by_hand = MLPBinaryClassifier((8,), **params)
    for start in range(0, 2000, 500):
        by_hand.partial_fit(
            X_np[start : start + 500], y_np[start : start + 500], classes=[0, 1]
        )
    fitted = incremental.estimator_
    assert fitted.n_iter_ == 4
    assert fitted.t_ == 2000
    for a, b in zip(fitted.coefs_, by_hand.coefs_):
        np.testing.assert_array_equal(a, b)
    assert incremental.score(X, y) > 0.85
