"""MLPBinaryClassifier: equivalence with scikit-learn, API, errors, persistence."""

import importlib.util
import io
import pickle
import re
import warnings
from contextlib import redirect_stdout
from pathlib import Path

import joblib
import numpy as np
import pytest
from scipy.special import expit
from sklearn import config_context
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, make_classification, make_moons
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import has_fit_parameter

from sknn import MLPBinaryClassifier
from sknn.exceptions import InvalidParameterError, TrainingDivergedError

ACTIVATIONS = ["relu", "tanh", "logistic", "identity"]


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=120, n_features=6, n_informative=4, random_state=0
    )
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def moons():
    return make_moons(n_samples=300, noise=0.2, random_state=0)


def initial_weights(n_features, hidden, seed=1):
    """Starting weights shared by sknn and scikit-learn in the oracle tests."""
    est = MLPBinaryClassifier(hidden, init="normal", random_state=seed, max_iter=1)
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(4, n_features))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X, [0, 1, 0, 1])
    return [W.copy() for W in est.coefs_], [b.copy() for b in est.intercepts_]


def sknn_from(coefs, intercepts, **params):
    est = MLPBinaryClassifier(warm_start=True, **params)
    est.coefs_ = [W.copy() for W in coefs]
    est.intercepts_ = [b.copy() for b in intercepts]
    return est


def sklearn_from(coefs, intercepts, X, y, eta, beta, sample_weight=None, **params):
    """MLPClassifier on the oracle's trajectory, started from given weights."""
    mlp = MLPClassifier(
        solver="sgd",
        nesterovs_momentum=False,
        momentum=beta,
        learning_rate_init=eta * (1 - beta),
        learning_rate="constant",
        max_iter=1,
        **params,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)  # creates the attributes; the weights are replaced below
    mlp.coefs_ = [W.copy() for W in coefs]
    mlp.intercepts_ = [b.copy() for b in intercepts]
    mlp.loss_curve_, mlp.best_loss_, mlp._no_improvement_count, mlp.t_ = (
        [],
        np.inf,
        0,
        0,
    )
    mlp.set_params(warm_start=True)
    return mlp


# -- the equivalence oracle (SPEC section 2) ----------------------------------
@pytest.mark.parametrize("batch_size", [1, 7, 32, 120])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_same_trajectory_as_sklearn_mlpclassifier(data, activation, batch_size):
    X, y = data
    eta, beta, epochs = 0.05, 0.9, 6
    coefs, intercepts = initial_weights(X.shape[1], (7, 5))
    common = dict(
        batch_size=batch_size,
        shuffle=False,
        tol=0.0,
        alpha=1e-3,
        activation=activation,
        hidden_layer_sizes=(7, 5),
    )
    ours = sknn_from(
        coefs,
        intercepts,
        learning_rate_init=eta,
        momentum=beta,
        max_iter=epochs,
        **common,
    )
    theirs = sklearn_from(coefs, intercepts, X, y, eta, beta, **common)
    theirs.set_params(max_iter=epochs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours.fit(X, y)
        theirs.fit(X, y)
    for a, b in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-10)
    assert ours.n_iter_ == theirs.n_iter_ == epochs
    assert ours.t_ == theirs.t_
    np.testing.assert_allclose(
        ours.predict_proba(X), theirs.predict_proba(X), atol=1e-10
    )


@pytest.mark.parametrize(("hidden", "beta"), [((), 0.9), ((4,), 0.0), ((3, 3, 3), 0.5)])
def test_same_trajectory_for_other_depths_and_momenta(data, hidden, beta):
    X, y = data
    eta = 0.1
    coefs, intercepts = initial_weights(X.shape[1], hidden)
    common = dict(
        batch_size=16, shuffle=False, tol=0.0, alpha=1e-2, hidden_layer_sizes=hidden
    )
    ours = sknn_from(
        coefs, intercepts, learning_rate_init=eta, momentum=beta, max_iter=5, **common
    )
    theirs = sklearn_from(coefs, intercepts, X, y, eta, beta, **common)
    theirs.set_params(max_iter=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours.fit(X, y)
        theirs.fit(X, y)
    for a, b in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)


@pytest.mark.skipif(
    not has_fit_parameter(MLPClassifier(), "sample_weight"),
    reason="MLPClassifier takes sample_weight from scikit-learn 1.7",
)
def test_same_trajectory_as_sklearn_with_sample_weight(data):
    X, y = data
    sw = np.random.RandomState(0).uniform(0.1, 3.0, size=len(y))
    eta, beta = 0.05, 0.8
    coefs, intercepts = initial_weights(X.shape[1], (6,))
    common = dict(
        batch_size=20,
        shuffle=False,
        tol=0.0,
        alpha=1e-2,
        hidden_layer_sizes=(6,),
        activation="tanh",
    )
    ours = sknn_from(
        coefs, intercepts, learning_rate_init=eta, momentum=beta, max_iter=4, **common
    )
    theirs = sklearn_from(coefs, intercepts, X, y, eta, beta, **common)
    theirs.set_params(max_iter=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours.fit(X, y, sample_weight=sw)
        theirs.fit(X, y, sample_weight=sw)
    for a, b in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)


def test_stopping_rule_is_sklearns(data):
    # With a huge tol no epoch counts as progress: both stop once the count of
    # epochs without improvement exceeds n_iter_no_change.
    X, y = data
    coefs, intercepts = initial_weights(X.shape[1], (5,))
    common = dict(
        batch_size=30,
        shuffle=False,
        tol=10.0,
        n_iter_no_change=3,
        alpha=1e-4,
        hidden_layer_sizes=(5,),
    )
    ours = sknn_from(
        coefs, intercepts, learning_rate_init=0.1, momentum=0.9, max_iter=100, **common
    ).fit(X, y)
    theirs = sklearn_from(coefs, intercepts, X, y, 0.1, 0.9, **common)
    theirs.set_params(max_iter=100)
    theirs.fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_ == 3 + 2


def test_stopping_rule_with_realistic_tol_matches_sklearn(data):
    X, y = data
    coefs, intercepts = initial_weights(X.shape[1], (8,))
    common = dict(
        batch_size=40,
        shuffle=False,
        tol=1e-3,
        n_iter_no_change=4,
        alpha=1e-4,
        hidden_layer_sizes=(8,),
    )
    ours = sknn_from(
        coefs, intercepts, learning_rate_init=0.2, momentum=0.9, max_iter=500, **common
    ).fit(X, y)
    theirs = sklearn_from(coefs, intercepts, X, y, 0.2, 0.9, **common)
    theirs.set_params(max_iter=500)
    theirs.fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_ < 500


# -- fitted model -----------------------------------------------------------
def test_fitted_attributes(moons):
    X, y = moons
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPBinaryClassifier((5, 3), max_iter=20, random_state=0).fit(X, y)
    assert [W.shape for W in clf.coefs_] == [(2, 5), (5, 3), (3, 1)]
    assert [b.shape for b in clf.intercepts_] == [(5,), (3,), (1,)]
    assert clf.n_layers_ == 4
    assert clf.n_outputs_ == 1
    assert clf.out_activation_ == "logistic"
    assert clf.n_features_in_ == 2
    np.testing.assert_array_equal(clf.classes_, [0, 1])
    assert len(clf.loss_curve_) == clf.n_iter_
    assert clf.loss_ == clf.loss_curve_[-1]
    assert clf.best_loss_ == min(clf.loss_curve_)
    assert clf.t_ == clf.n_iter_ * len(X)
    assert clf.validation_scores_ is None
    assert clf.best_validation_score_ is None


def test_prediction_methods_agree(moons):
    X, y = moons
    clf = MLPBinaryClassifier((10,), random_state=0).fit(X, y)
    z = clf.decision_function(X)
    proba = clf.predict_proba(X)
    assert z.shape == (len(X),)
    np.testing.assert_allclose(proba[:, 1], expit(z), rtol=1e-15)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(clf.predict_log_proba(X), np.log(proba), rtol=1e-12)
    np.testing.assert_array_equal(
        clf.predict(X), clf.classes_[(proba[:, 1] >= 0.5).astype(int)]
    )
    assert clf.score(X, y) == np.mean(clf.predict(X) == y) > 0.85


def test_decision_function_is_the_network_output(moons):
    X, y = moons
    clf = MLPBinaryClassifier((4, 3), activation="tanh", random_state=0, max_iter=30)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    W, b = clf.coefs_, clf.intercepts_
    expected = np.tanh(np.tanh(X @ W[0] + b[0]) @ W[1] + b[1]) @ W[2] + b[2]
    np.testing.assert_allclose(clf.decision_function(X), expected[:, 0], rtol=1e-13)


def test_extreme_logits_give_exact_probabilities_without_warnings():
    clf = MLPBinaryClassifier((), max_iter=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit([[0.0], [1.0]], [0, 1])
    clf.coefs_ = [np.array([[1.0]])]
    clf.intercepts_ = [np.array([0.0])]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        proba = clf.predict_proba([[-1000.0], [1000.0]])
        log_proba = clf.predict_log_proba([[-1000.0], [1000.0]])
    np.testing.assert_array_equal(proba, [[1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_array_equal(log_proba, [[0.0, -1000.0], [-1000.0, 0.0]])


@pytest.mark.parametrize(
    "labels",
    [["no", "yes"], [-1, 1], [False, True], [0.0, 1.0], [3, 7]],
    ids=["strings", "signs", "bools", "floats", "ints"],
)
def test_any_two_labels(moons, labels):
    X, y01 = moons
    y = np.asarray(labels)[y01]
    clf = MLPBinaryClassifier((8,), random_state=0).fit(X, y)
    np.testing.assert_array_equal(clf.classes_, np.unique(y))
    pred = clf.predict(X)
    assert pred.dtype == clf.classes_.dtype
    assert set(pred) <= set(np.unique(y))
    reference = MLPBinaryClassifier((8,), random_state=0).fit(X, y01)
    np.testing.assert_array_equal(clf.coefs_[0], reference.coefs_[0])


def test_positive_class_is_the_larger_label(moons):
    X, y = moons
    labels = np.where(y == 1, "no", "yes")  # "yes" (sorted last) is where y == 0
    clf = MLPBinaryClassifier((8,), random_state=0).fit(X, labels)
    same = MLPBinaryClassifier((8,), random_state=0).fit(X, 1 - y)
    np.testing.assert_array_equal(clf.classes_, ["no", "yes"])
    np.testing.assert_array_equal(clf.predict_proba(X), same.predict_proba(X))
    np.testing.assert_array_equal(clf.predict(X) == "yes", same.predict(X) == 1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.float16])
def test_dtypes(moons, dtype):
    X, y = moons
    X = (X * 4).astype(dtype)
    clf = MLPBinaryClassifier((8,), random_state=0, max_iter=20)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    expected = np.float32 if dtype == np.float32 else np.float64
    assert all(W.dtype == expected for W in clf.coefs_ + clf.intercepts_)
    assert clf.predict_proba(X).dtype == expected
    assert clf.decision_function(X).dtype == expected


def test_float32_training_follows_float64(moons):
    X, y = moons
    params = dict(hidden_layer_sizes=(8,), random_state=0, max_iter=10, tol=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        c32 = MLPBinaryClassifier(**params).fit(X.astype(np.float32), y)
        c64 = MLPBinaryClassifier(**params).fit(X, y)
    for a, b in zip(c32.coefs_, c64.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-4)


def test_no_hidden_layer_is_logistic_regression():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    alpha = 1.0
    # Full-batch gradient descent on mean log-loss + alpha/(2n) ||w||^2, whose
    # minimiser is LogisticRegression(C=1/alpha).
    clf = MLPBinaryClassifier(
        (),
        alpha=alpha,
        batch_size=len(X),
        learning_rate_init=1.0,
        momentum=0.9,
        max_iter=10_000,
        n_iter_no_change=10_000,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    lr = LogisticRegression(C=1 / alpha, tol=1e-12, max_iter=10000).fit(X, y)
    np.testing.assert_allclose(clf.coefs_[0][:, 0], lr.coef_[0], atol=1e-5)
    np.testing.assert_allclose(clf.intercepts_[0], lr.intercept_, atol=1e-5)


def test_sample_weight_two_equals_a_duplicated_row_in_full_batch(moons):
    X, y = moons
    X, y = X[:60], y[:60]
    sw = np.random.RandomState(0).randint(0, 3, size=60)
    params = dict(hidden_layer_sizes=(6,), batch_size=1000, random_state=0, max_iter=40)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        weighted = MLPBinaryClassifier(**params).fit(X, y, sample_weight=sw)
        repeated = MLPBinaryClassifier(**params).fit(
            np.repeat(X, sw, axis=0), np.repeat(y, sw)
        )
    for a, b in zip(weighted.coefs_, repeated.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_chunked_prediction_is_identical(moons):
    X, y = moons
    clf = MLPBinaryClassifier((50,), random_state=0).fit(X, y)
    expected = clf.predict_proba(X)
    with config_context(working_memory=0.001):  # ~1 KiB: a few rows per chunk
        chunked = clf.predict_proba(X)
    # Equal up to the rounding of BLAS kernels chosen for other row counts.
    np.testing.assert_allclose(chunked, expected, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("working_memory", [1, 1024])
def test_prediction_memory_is_bounded_by_chunks(working_memory):
    import tracemalloc

    rng = np.random.RandomState(0)
    clf = MLPBinaryClassifier((256,), max_iter=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(rng.normal(size=(50, 10)), np.arange(50) % 2)
    X = rng.normal(size=(200_000, 10))
    # All hidden activations at once would take 200_000 * 257 * 8 B = 392 MiB.
    with config_context(working_memory=working_memory):
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        proba = clf.predict_proba(X)
        peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
    chunk = min(working_memory, 8) * 2**20  # working_memory, at most 8 MiB
    result = proba.nbytes + X.shape[0] * 8  # the output and the logits
    assert peak <= chunk + result + 2**20


def _accuracy_suite():
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "accuracy_suite.py"
    spec = importlib.util.spec_from_file_location("accuracy_suite", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SUITE = _accuracy_suite()


@pytest.mark.parametrize("name", list(SUITE.datasets()))
def test_defaults_match_or_beat_mlpclassifier_on_the_accuracy_suite(name):
    X, y = SUITE.datasets()[name]
    ours = SUITE.cv_accuracy(MLPBinaryClassifier(random_state=0), X, y)
    theirs = SUITE.cv_accuracy(MLPClassifier(random_state=0), X, y)
    assert ours >= theirs


# -- reproducibility, warm start, convergence --------------------------------
def test_same_random_state_gives_identical_models(moons):
    X, y = moons
    a = MLPBinaryClassifier((10, 5), random_state=42).fit(X, y)
    b = MLPBinaryClassifier((10, 5), random_state=42).fit(X, y)
    c = MLPBinaryClassifier((10, 5), random_state=43).fit(X, y)
    for Wa, Wb in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        np.testing.assert_array_equal(Wa, Wb)
    assert a.loss_curve_ == b.loss_curve_
    assert not np.array_equal(a.coefs_[0], c.coefs_[0])


def test_random_state_instance_is_accepted(moons):
    X, y = moons
    a = MLPBinaryClassifier((5,), random_state=np.random.RandomState(3)).fit(X, y)
    b = MLPBinaryClassifier((5,), random_state=3).fit(X, y)
    np.testing.assert_array_equal(a.coefs_[0], b.coefs_[0])


def test_warm_start_continues_from_the_previous_weights(moons):
    X, y = moons
    params = dict(
        hidden_layer_sizes=(8,), random_state=0, max_iter=5, shuffle=False, tol=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPBinaryClassifier(warm_start=True, **params).fit(X, y)
        first = [W.copy() for W in clf.coefs_], [b.copy() for b in clf.intercepts_]
        clf.fit(X, y)
        # A fresh optimizer from the first fit's weights: the same second fit.
        by_hand = sknn_from(*first, **params).fit(X, y)
        cold = MLPBinaryClassifier(**params).fit(X, y)
    assert len(clf.loss_curve_) == 10
    assert clf.n_iter_ == 5
    assert clf.t_ == 10 * len(X)
    assert clf.loss_curve_[5] < cold.loss_curve_[0]
    for a, b in zip(clf.coefs_ + clf.intercepts_, by_hand.coefs_ + by_hand.intercepts_):
        np.testing.assert_array_equal(a, b)
    assert clf.loss_curve_[5:] == by_hand.loss_curve_


def test_warm_start_uses_weights_assigned_by_hand(moons):
    X, y = moons
    coefs, intercepts = initial_weights(2, (4,))
    params = dict(hidden_layer_sizes=(4,), max_iter=3, shuffle=False, tol=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        a = sknn_from(coefs, intercepts, **params).fit(X, y)
        b = sknn_from(coefs, intercepts, **params).fit(X, y)
        c = MLPBinaryClassifier(**params, random_state=0).fit(X, y)
    np.testing.assert_array_equal(a.coefs_[0], b.coefs_[0])
    assert not np.allclose(a.coefs_[0], c.coefs_[0])


def test_warm_start_with_new_layer_sizes_is_a_clear_error(moons):
    X, y = moons
    clf = MLPBinaryClassifier((8,), warm_start=True, random_state=0).fit(X, y)
    clf.set_params(hidden_layer_sizes=(4,))
    with pytest.raises(
        ValueError, match=r"hidden_layer_sizes=\(4,\) differs .* \(8,\)"
    ):
        clf.fit(X, y)
    assert clf.coefs_[0].shape == (2, 8)


def test_warm_start_with_other_classes_is_a_clear_error(moons):
    X, y = moons
    clf = MLPBinaryClassifier((8,), warm_start=True, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="same classes|classes of the previous fit"):
        clf.fit(X, y + 1)


def test_warm_start_false_reinitializes(moons):
    X, y = moons
    clf = MLPBinaryClassifier((8,), random_state=0).fit(X, y)
    first = clf.coefs_[0].copy()
    clf.fit(X, y)
    np.testing.assert_array_equal(clf.coefs_[0], first)


def test_convergence_warning_when_max_iter_ends_training(moons):
    X, y = moons
    with pytest.warns(ConvergenceWarning, match="max_iter=3"):
        MLPBinaryClassifier((8,), max_iter=3, random_state=0).fit(X, y)


def test_no_convergence_warning_when_the_stopping_rule_ends_training(moons):
    X, y = moons
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf = MLPBinaryClassifier((8,), tol=1.0, n_iter_no_change=2, random_state=0)
        clf.fit(X, y)
    assert clf.n_iter_ == 4


def test_verbose_prints_one_line_per_epoch(moons):
    X, y = moons
    out = io.StringIO()
    with redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        MLPBinaryClassifier((4,), max_iter=3, verbose=True, random_state=0).fit(X, y)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert re.fullmatch(r"Epoch 1, loss = \d+\.\d{8}, \d+\.\d\ds", lines[0])


# -- scikit-learn integration and persistence --------------------------------
def test_pipeline_grid_search_and_cross_val_score():
    X, y = load_breast_cancer(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), MLPBinaryClassifier((16,), random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        scores = cross_val_score(pipe, X, y, cv=3)
        search = GridSearchCV(
            pipe,
            {
                "mlpbinaryclassifier__alpha": [1e-4, 1e-1],
                "mlpbinaryclassifier__learning_rate_init": [0.05, 0.2],
            },
            cv=3,
            n_jobs=2,
        ).fit(X, y)
    assert scores.mean() > 0.95
    assert search.best_score_ > 0.95
    assert len(search.cv_results_["params"]) == 4
    assert search.predict(X).shape == (len(X),)


@pytest.mark.parametrize("how", ["joblib", "pickle"])
def test_persistence_gives_identical_predictions(tmp_path, moons, how):
    X, y = moons
    clf = make_pipeline(StandardScaler(), MLPBinaryClassifier((16, 8), random_state=0))
    clf.fit(X, y)
    if how == "joblib":
        joblib.dump(clf, tmp_path / "model.joblib")
        loaded = joblib.load(tmp_path / "model.joblib")
    else:
        loaded = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))


def test_clone_gives_an_unfitted_copy(moons):
    X, y = moons
    clf = MLPBinaryClassifier((5,), random_state=0).fit(X, y)
    copy = clone(clf)
    assert copy.get_params() == clf.get_params()
    with pytest.raises(NotFittedError):
        copy.predict(X)


# -- errors --------------------------------------------------------------------
BAD_PARAMS = [
    ("hidden_layer_sizes", 0),
    ("hidden_layer_sizes", (10, 0)),
    ("hidden_layer_sizes", (10, 2.5)),
    ("hidden_layer_sizes", "100"),
    ("hidden_layer_sizes", True),
    ("activation", "softmax"),
    ("activation", None),
    ("solver", "newton"),
    ("alpha", -1e-3),
    ("alpha", float("nan")),
    ("alpha", "0.1"),
    ("batch_size", 0),
    ("batch_size", 2.5),
    ("batch_size", "full"),
    ("learning_rate_init", 0.0),
    ("learning_rate_init", -0.1),
    ("learning_rate_init", float("inf")),
    ("momentum", 1.0),
    ("momentum", -0.1),
    ("max_iter", 0),
    ("max_iter", 10.5),
    ("shuffle", "yes"),
    ("shuffle", 1),
    ("random_state", -1),
    ("random_state", "seed"),
    ("tol", -1.0),
    ("n_iter_no_change", 0),
    ("warm_start", None),
    ("init", "xavier"),
    ("verbose", -1),
    ("verbose", "loud"),
]


@pytest.mark.parametrize(("name", "value"), BAD_PARAMS)
def test_invalid_hyperparameter_is_named(moons, name, value):
    X, y = moons
    clf = MLPBinaryClassifier(**{name: value})  # __init__ only stores
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter") as info:
        clf.fit(X, y)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, TypeError)
    assert not hasattr(clf, "coefs_")


def test_every_constructor_parameter_is_validated():
    assert {name for name, _ in BAD_PARAMS} == set(MLPBinaryClassifier().get_params())


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("hidden_layer_sizes", ()),
        ("hidden_layer_sizes", 3),
        ("hidden_layer_sizes", [4, 2]),
        ("hidden_layer_sizes", np.array([3])),
        ("activation", "sigmoid"),
        ("batch_size", 10**6),
        ("momentum", 0.0),
        ("alpha", 0),
        ("verbose", 0),
        ("random_state", np.int64(5)),
        ("learning_rate_init", np.float32(0.05)),
    ],
)
def test_valid_edge_hyperparameters(moons, name, value):
    X, y = moons
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        MLPBinaryClassifier(max_iter=3, **{name: value}).fit(X, y)


def test_more_than_two_classes():
    X, y = make_classification(
        n_samples=60, n_classes=3, n_informative=3, random_state=0
    )
    with pytest.raises(
        ValueError, match=re.escape("Only binary classification is supported.")
    ):
        MLPBinaryClassifier().fit(X, y)


def test_one_class():
    with pytest.raises(ValueError, match="only 1 class"):
        MLPBinaryClassifier().fit([[0.0], [1.0], [2.0]], ["a", "a", "a"])


def test_continuous_target():
    with pytest.raises(ValueError, match="Unknown label type"):
        MLPBinaryClassifier().fit([[0.0], [1.0], [2.0]], [0.5, 1.5, 2.7])


@pytest.mark.parametrize(
    ("X", "y", "match"),
    [
        ([[0.0, np.nan], [1.0, 2.0]], [0, 1], "NaN"),
        ([[0.0, np.inf], [1.0, 2.0]], [0, 1], "infinity"),
        (np.empty((0, 3)), [], "0 sample"),
        ([0.0, 1.0, 2.0], [0, 1, 0], "Expected 2D array"),
        ([[0.0], [1.0], [2.0]], [0, 1], "inconsistent numbers of samples"),
        ([[0.0], [1.0]], [0, np.nan], "NaN"),
    ],
    ids=["nan", "inf", "empty", "1d", "lengths", "nan-y"],
)
def test_bad_training_input(X, y, match):
    with pytest.raises(ValueError, match=match):
        MLPBinaryClassifier().fit(X, y)


@pytest.mark.parametrize(
    ("sample_weight", "match"),
    [
        ([1.0, -1.0, 1.0, 1.0], "negative"),
        ([1.0, np.nan, 1.0, 1.0], "NaN"),
        ([1.0, 1.0], "2 entries but X has 4 samples"),
        ([[1.0, 1.0]] * 4, "1-D"),
        ([0.0, 0.0, 0.0, 0.0], "all weights are zero"),
        ([1.0, 0.0, 1.0, 0.0], "class 1"),
        (["a", "b", "c", "d"], "numbers"),
    ],
    ids=["negative", "nan", "length", "2d", "all-zero", "one-class", "strings"],
)
def test_bad_sample_weight(sample_weight, match):
    X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1]
    with pytest.raises(ValueError, match=match):
        MLPBinaryClassifier().fit(X, y, sample_weight=sample_weight)


def test_wrong_feature_count_at_predict(moons):
    X, y = moons
    clf = MLPBinaryClassifier((4,), random_state=0).fit(X, y)
    for method in (
        "predict",
        "predict_proba",
        "decision_function",
        "predict_log_proba",
    ):
        with pytest.raises(ValueError, match="3 features"):
            getattr(clf, method)(np.ones((2, 3)))


def test_predict_before_fit():
    with pytest.raises(NotFittedError):
        MLPBinaryClassifier().predict([[0.0]])


def test_sparse_input_is_rejected_with_a_clear_error(moons):
    import scipy.sparse as sp

    X, y = moons
    with pytest.raises(TypeError, match="[Ss]parse"):
        MLPBinaryClassifier().fit(sp.csr_matrix(X), y)


def test_divergence_raises_with_epoch_and_advice():
    X, y = load_breast_cancer(return_X_y=True)  # unscaled: features up to ~4000
    clf = MLPBinaryClassifier(
        (5,), activation="identity", learning_rate_init=1e3, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a clear error, not numpy overflow warnings
        with pytest.raises(
            TrainingDivergedError,
            match=r"epoch \d+.*learning_rate_init.*StandardScaler",
        ):
            clf.fit(X * 1e3, y)
    assert not hasattr(clf, "coefs_")


def test_failed_fit_leaves_the_fitted_model_unchanged(moons):
    X, y = moons
    clf = MLPBinaryClassifier((8,), activation="identity", random_state=0).fit(X, y)
    before = {k: v for k, v in vars(clf).items() if k.endswith("_")}
    proba = clf.predict_proba(X)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        clf.fit(np.c_[X, X], y[:-1])
    clf.set_params(learning_rate_init=1e6)
    with pytest.raises(TrainingDivergedError):
        clf.fit(X * 1e6, y)
    after = {k: v for k, v in vars(clf).items() if k.endswith("_")}
    assert after.keys() == before.keys()
    for key in before:
        assert after[key] is before[key]
    np.testing.assert_array_equal(clf.predict_proba(X), proba)
