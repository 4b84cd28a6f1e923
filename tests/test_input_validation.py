"""Input validation: one table of (X, y, sample_weight) and the exact outcome.

Every row is either accepted -- then the fitted model's classes, feature count,
feature names, parameter dtype and predictions are checked -- or rejected with
a given exception type and message fragment.  A second table does the same for
the inputs of the prediction methods of a fitted model.  Expected messages and
warnings for feature names are scikit-learn's (``validate_data``): the
estimator must behave like scikit-learn's own classifiers there.
"""

import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning, DataConversionWarning
from sklearn.linear_model import LogisticRegression

from sknn import MLPBinaryClassifier
from sknn.exceptions import UnscaledFeaturesWarning

PREDICT_METHODS = ["predict", "predict_proba", "decision_function", "predict_log_proba"]


def small_model():
    """A small, fast model: the table is about validation, not accuracy.

    Its configuration is explicit: a fit of the sparse input and one of its
    dense twin must be the same run, whatever the defaults become.
    """
    return MLPBinaryClassifier(
        (4,),
        solver="adam",
        alpha=1e-3,
        batch_size=32,
        learning_rate_init=0.01,
        max_iter=5,
        random_state=0,
    )


# -- data ---------------------------------------------------------------------
_rng = np.random.RandomState(0)
X = _rng.normal(size=(12, 3))  # float64, finite, all rows distinct
Y = np.array([0, 1] * 6)
N, D = X.shape
COLUMNS = ["a", "b", "c"]
DF = pd.DataFrame(X, columns=COLUMNS)


def with_value(value, where=(0, 1)):
    """X with one entry replaced (NaN, inf, ...)."""
    out = X.copy()
    out[where] = value
    return out


# -- expected outcomes --------------------------------------------------------
@dataclass(frozen=True)
class Fits:
    """``fit`` succeeds; what the fitted model must look like."""

    classes: tuple = (0, 1)
    n_features: int = D
    dtype: type = np.float64  # of coefs_ and intercepts_
    feature_names: tuple | None = None
    warns: tuple | None = None  # (category, message regex) fit must emit
    dense: np.ndarray | None = None  # sparse input: must match a dense fit


@dataclass(frozen=True)
class Raises:
    """``fit`` raises ``exc`` with a message matching ``match``."""

    exc: type
    match: str


ONE_CLASS = "only 1 class"
FIT_CASES = [
    # -- X: containers and dtypes that are accepted --------------------------
    pytest.param(X.tolist(), Y, None, Fits(), id="X-list-of-lists"),
    pytest.param(
        tuple(map(tuple, X.tolist())), Y, None, Fits(), id="X-tuple-of-tuples"
    ),
    pytest.param(DF, Y, None, Fits(feature_names=tuple(COLUMNS)), id="X-dataframe"),
    pytest.param(
        DF.astype(np.float32),
        Y,
        None,
        Fits(dtype=np.float32, feature_names=tuple(COLUMNS)),
        id="X-dataframe-float32",
    ),
    pytest.param(pd.DataFrame(X), Y, None, Fits(), id="X-dataframe-int-column-names"),
    # Integer features in the hundreds: fitted, with the warning to scale them.
    pytest.param(
        np.round(X * 100).astype(np.int64),
        Y,
        None,
        Fits(warns=(UnscaledFeaturesWarning, "far from unit scale")),
        id="X-int64",
    ),
    pytest.param(
        (X * 10).astype(np.uint8),
        Y,
        None,
        Fits(warns=(UnscaledFeaturesWarning, "far from unit scale")),
        id="X-uint8",
    ),
    pytest.param(X > 0, Y, None, Fits(), id="X-bool"),
    pytest.param(X.astype(np.float16), Y, None, Fits(), id="X-float16"),
    pytest.param(X.astype(np.float32), Y, None, Fits(dtype=np.float32), id="X-float32"),
    pytest.param(X, Y, None, Fits(), id="X-float64"),
    pytest.param(np.asfortranarray(X), Y, None, Fits(), id="X-fortran-order"),
    pytest.param(X.astype(object), Y, None, Fits(), id="X-object-numbers"),
    pytest.param(X[:, :1], Y, None, Fits(n_features=1), id="X-one-column"),
    pytest.param(sp.csr_matrix(X), Y, None, Fits(dense=X), id="X-csr"),
    pytest.param(sp.csc_matrix(X), Y, None, Fits(dense=X), id="X-csc"),
    pytest.param(sp.csr_array(X), Y, None, Fits(dense=X), id="X-csr-array"),
    pytest.param(
        sp.csr_matrix(X.astype(np.float32)),
        Y,
        None,
        Fits(dtype=np.float32, dense=X.astype(np.float32)),
        id="X-csr-float32",
    ),
    # -- X: rejected ----------------------------------------------------------
    pytest.param(
        np.array([["u", "v", "w"]] * N, dtype=object),
        Y,
        None,
        Raises(ValueError, "could not convert string to float"),
        id="X-object-strings",
    ),
    pytest.param(X + 1j, Y, None, Raises(ValueError, "Complex data"), id="X-complex"),
    pytest.param(with_value(np.nan), Y, None, Raises(ValueError, "NaN"), id="X-nan"),
    pytest.param(
        with_value(np.inf), Y, None, Raises(ValueError, "infinity"), id="X-inf"
    ),
    pytest.param(
        with_value(-np.inf), Y, None, Raises(ValueError, "infinity"), id="X-minus-inf"
    ),
    pytest.param(
        np.where(X > 1, None, X).astype(object),
        Y,
        None,
        Raises(ValueError, "NaN"),
        id="X-object-with-None",
    ),
    pytest.param(
        sp.csr_matrix(with_value(np.nan)),
        Y,
        None,
        Raises(ValueError, "NaN"),
        id="X-csr-nan",
    ),
    pytest.param(
        np.empty((0, D)),
        np.array([], dtype=int),
        None,
        Raises(ValueError, "0 sample"),
        id="X-empty-0-rows",
    ),
    pytest.param(
        np.empty((N, 0)), Y, None, Raises(ValueError, "0 feature"), id="X-empty-0-cols"
    ),
    pytest.param(X[:1], Y[:1], None, Raises(ValueError, ONE_CLASS), id="X-one-row"),
    pytest.param(X.reshape(N, D, 1), Y, None, Raises(ValueError, "dim 3"), id="X-3d"),
    pytest.param(X[:, 0], Y, None, Raises(ValueError, "Expected 2D array"), id="X-1d"),
    pytest.param(
        X[:5],
        Y,
        None,
        Raises(ValueError, "inconsistent numbers of samples"),
        id="X-y-lengths-differ",
    ),
    pytest.param(
        pd.DataFrame(X, columns=["a", 1, "c"]),
        Y,
        None,
        Raises(TypeError, "Feature names are only supported if all input features"),
        id="X-dataframe-mixed-column-name-types",
    ),
    # -- y --------------------------------------------------------------------
    pytest.param(X, Y.tolist(), None, Fits(), id="y-list"),
    pytest.param(X, Y * 2 - 1, None, Fits(classes=(-1, 1)), id="y-ints-signs"),
    pytest.param(X, Y.astype(float), None, Fits(classes=(0.0, 1.0)), id="y-floats-01"),
    pytest.param(
        X, np.where(Y, "yes", "no"), None, Fits(classes=("no", "yes")), id="y-strings"
    ),
    pytest.param(X, Y.astype(bool), None, Fits(classes=(False, True)), id="y-bools"),
    pytest.param(X, pd.Series(Y), None, Fits(), id="y-series"),
    pytest.param(
        X,
        pd.Series(np.where(Y, "b", "a")),
        None,
        Fits(classes=("a", "b")),
        id="y-series-strings",
    ),
    pytest.param(
        X,
        pd.Categorical(np.where(Y, "b", "a")),
        None,
        Fits(classes=("a", "b")),
        id="y-categorical",
    ),
    pytest.param(
        X,
        np.zeros(N, dtype=int),
        None,
        Raises(ValueError, "1 class"),
        id="y-one-class",
    ),
    pytest.param(
        X,
        np.arange(N) % 3,
        None,
        Raises(ValueError, re.escape("Only binary classification is supported.")),
        id="y-three-classes",
    ),
    pytest.param(
        X,
        np.r_[np.nan, Y[1:]].astype(float),
        None,
        Raises(ValueError, "NaN"),
        id="y-nan",
    ),
    pytest.param(
        X,
        np.linspace(0.1, 2.3, N),
        None,
        Raises(ValueError, "Unknown label type"),
        id="y-continuous",
    ),
    pytest.param(
        X,
        Y.reshape(-1, 1),
        None,
        Fits(warns=(DataConversionWarning, "column-vector y")),
        id="y-column-vector",
    ),
    pytest.param(
        X,
        np.c_[Y, Y],
        None,
        Raises(ValueError, "1d array"),
        id="y-two-columns",
    ),
    # -- sample_weight ----------------------------------------------------------
    pytest.param(X, Y, np.ones(N), Fits(), id="sw-ones"),
    pytest.param(X, Y, [2.0] * N, Fits(), id="sw-list"),
    pytest.param(X, Y, 2.0, Fits(), id="sw-scalar"),
    pytest.param(X, Y, pd.Series(np.ones(N)), Fits(), id="sw-series"),
    pytest.param(X, Y, np.r_[0.0, np.ones(N - 1)], Fits(), id="sw-some-zero"),
    pytest.param(
        X,
        Y,
        np.r_[-1.0, np.ones(N - 1)],
        Raises(ValueError, "negative values"),
        id="sw-negative",
    ),
    pytest.param(
        X,
        Y,
        np.r_[np.nan, np.ones(N - 1)],
        Raises(ValueError, "NaN or infinity"),
        id="sw-nan",
    ),
    pytest.param(
        X,
        Y,
        np.r_[np.inf, np.ones(N - 1)],
        Raises(ValueError, "NaN or infinity"),
        id="sw-inf",
    ),
    pytest.param(
        X,
        Y,
        np.ones(N - 1),
        Raises(ValueError, f"has {N - 1} entries but X has {N} samples"),
        id="sw-wrong-length",
    ),
    pytest.param(
        X,
        Y,
        np.zeros(N),
        Raises(ValueError, "all weights are zero"),
        id="sw-all-zero",
    ),
    pytest.param(
        X,
        Y,
        np.where(Y == 1, 0.0, 1.0),
        Raises(ValueError, "Every sample of class 1 has zero weight"),
        id="sw-zero-for-one-class",
    ),
    pytest.param(X, Y, np.ones((N, 1)), Raises(ValueError, "must be 1-D"), id="sw-2d"),
    pytest.param(
        X, Y, ["w"] * N, Raises(ValueError, "array of numbers"), id="sw-strings"
    ),
    # Complex weights must be refused like complex X, not cast to their real
    # part with a ComplexWarning.
    pytest.param(
        X, Y, np.ones(N) + 1j, Raises(ValueError, "sample_weight"), id="sw-complex"
    ),
    pytest.param(
        X, Y, [1 + 1j] * N, Raises(ValueError, "sample_weight"), id="sw-complex-list"
    ),
    pytest.param(
        X, Y, 1 + 1j, Raises(ValueError, "sample_weight"), id="sw-complex-scalar"
    ),
]


def _assert_fitted_as(est, X_fit, expected):
    assert est.classes_.tolist() == list(expected.classes)
    assert est.n_features_in_ == expected.n_features
    if expected.feature_names is None:
        assert not hasattr(est, "feature_names_in_")
    else:
        assert est.feature_names_in_.tolist() == list(expected.feature_names)
    for array in est.coefs_ + est.intercepts_:
        assert array.dtype == expected.dtype
        assert np.isfinite(array).all()
    # The fitted model predicts on its own training input.
    pred = est.predict(X_fit)
    assert pred.shape == (len(est.decision_function(X_fit)),)
    assert pred.dtype == est.classes_.dtype
    assert set(pred.tolist()) <= set(expected.classes)
    proba = est.predict_proba(X_fit)
    assert proba.shape == (pred.shape[0], 2)
    assert proba.dtype == expected.dtype
    np.testing.assert_array_equal(pred, est.classes_[(proba[:, 1] >= 0.5).astype(int)])


@pytest.mark.parametrize(("X", "y", "sample_weight", "expected"), FIT_CASES)
def test_fit_input(X, y, sample_weight, expected, monkeypatch):
    # Sparse input always trains on the NumPy path: so does the dense twin it
    # is compared with (the compiled fast path rounds sums differently).
    monkeypatch.setenv("SKNN_FAST_PATH", "0")
    est = small_model()
    with warnings.catch_warnings():
        # Every warning other than the one expected is an error.
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", ConvergenceWarning)
        if isinstance(expected, Raises):
            with pytest.raises(expected.exc, match=expected.match):
                est.fit(X, y, sample_weight=sample_weight)
            assert not hasattr(est, "coefs_")
            return
        if expected.warns is not None:
            with pytest.warns(expected.warns[0], match=expected.warns[1]):
                est.fit(X, y, sample_weight=sample_weight)
        else:
            est.fit(X, y, sample_weight=sample_weight)
        _assert_fitted_as(est, X, expected)
        if expected.dense is not None:
            dense = small_model().fit(expected.dense, y, sample_weight=sample_weight)
            # Sparse and dense products sum in other orders: the same model
            # to rounding (a few ulps of float32 in float32).
            atol = 1e-10 if expected.dtype == np.float64 else 1e-6
            np.testing.assert_allclose(
                est.predict_proba(X), dense.predict_proba(expected.dense), atol=atol
            )
            np.testing.assert_array_equal(est.predict(X), dense.predict(expected.dense))


def test_one_row_prediction_on_a_fitted_model():
    """One row cannot be fitted (one class), but can be predicted."""
    est = _fitted("array")
    for method in PREDICT_METHODS:
        out = getattr(est, method)(X[:1])
        assert out.shape[0] == 1
        # Same values as in a batch, up to BLAS summation order (gemv vs gemm).
        full = getattr(est, method)(X)
        if method == "predict":
            np.testing.assert_array_equal(out, full[:1])
        else:
            np.testing.assert_allclose(out, full[:1], rtol=1e-12, atol=1e-15)


# -- prediction inputs --------------------------------------------------------
_FITTED = {}


def _fitted(on):
    """A model fitted on the ndarray X ('array') or the DataFrame ('frame')."""
    if on not in _FITTED:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            _FITTED[on] = small_model().fit(X if on == "array" else DF, Y)
    return _FITTED[on]


@dataclass(frozen=True)
class Predicts:
    """The prediction method succeeds; output row count, optional warning."""

    n_rows: int = N
    warns: tuple | None = None
    same_as: object = None  # an input that must give the same output


PREDICT_CASES = [
    pytest.param("array", X, Predicts(), id="array"),
    pytest.param("array", X.tolist(), Predicts(same_as=X), id="list"),
    pytest.param("array", X[:1], Predicts(n_rows=1), id="one-row"),
    pytest.param("array", X.astype(np.float32), Predicts(), id="float32"),
    pytest.param("array", sp.csr_matrix(X), Predicts(same_as=X), id="csr"),
    pytest.param("array", sp.csc_matrix(X), Predicts(same_as=X), id="csc"),
    pytest.param(
        "array",
        X[:, :2],
        Raises(ValueError, "X has 2 features, but MLPBinaryClassifier is expecting 3"),
        id="too-few-features",
    ),
    pytest.param(
        "array",
        np.c_[X, X[:, :1]],
        Raises(ValueError, "X has 4 features, but MLPBinaryClassifier is expecting 3"),
        id="too-many-features",
    ),
    pytest.param("array", with_value(np.nan), Raises(ValueError, "NaN"), id="nan"),
    pytest.param("array", with_value(np.inf), Raises(ValueError, "infinity"), id="inf"),
    pytest.param("array", X[0], Raises(ValueError, "Expected 2D array"), id="1d"),
    pytest.param("array", X.reshape(N, D, 1), Raises(ValueError, "dim 3"), id="3d"),
    pytest.param("array", np.empty((0, D)), Raises(ValueError, "0 sample"), id="empty"),
    pytest.param(
        "array",
        np.array([["u", "v", "w"]]),
        Raises(ValueError, "could not convert string to float"),
        id="strings",
    ),
    pytest.param("array", X + 0j, Raises(ValueError, "Complex data"), id="complex"),
    # Feature names, as scikit-learn's validate_data handles them.
    pytest.param("frame", DF, Predicts(), id="frame-same-names"),
    pytest.param(
        "frame",
        X,
        Predicts(
            warns=(UserWarning, "X does not have valid feature names"), same_as=DF
        ),
        id="frame-fitted-array-given",
    ),
    pytest.param(
        "array",
        DF,
        Predicts(warns=(UserWarning, "X has feature names"), same_as=X),
        id="array-fitted-frame-given",
    ),
    pytest.param(
        "frame",
        pd.DataFrame(X, columns=["x", "y", "z"]),
        Raises(ValueError, "The feature names should match those that were passed"),
        id="frame-other-names",
    ),
    pytest.param(
        "frame",
        DF[["b", "a", "c"]],
        Raises(ValueError, "Feature names must be in the same order"),
        id="frame-reordered-names",
    ),
]


@pytest.mark.parametrize("method", PREDICT_METHODS)
@pytest.mark.parametrize(("fitted_on", "X_new", "expected"), PREDICT_CASES)
def test_prediction_input(fitted_on, X_new, expected, method):
    est = _fitted(fitted_on)
    predict = getattr(est, method)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if isinstance(expected, Raises):
            with pytest.raises(expected.exc, match=expected.match):
                predict(X_new)
            return
        if expected.warns is not None:
            with pytest.warns(expected.warns[0], match=expected.warns[1]):
                out = predict(X_new)
        else:
            out = predict(X_new)
    assert out.shape[0] == expected.n_rows
    if method == "predict":
        assert out.dtype == est.classes_.dtype
        assert set(out.tolist()) <= set(est.classes_.tolist())
    else:
        assert np.isfinite(out).all() or method == "predict_log_proba"
        assert out.dtype == est.coefs_[0].dtype
    if expected.same_as is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            reference = predict(expected.same_as)
        np.testing.assert_allclose(out, reference, rtol=0, atol=1e-10)


# The feature-name rows above state scikit-learn's current behaviour; check it
# against scikit-learn's own classifier so the table cannot drift from it.
@pytest.mark.parametrize(
    ("fitted_on", "X_new"),
    [
        pytest.param("frame", X, id="frame-fitted-array-given"),
        pytest.param("array", DF, id="array-fitted-frame-given"),
        pytest.param("frame", pd.DataFrame(X, columns=["x", "y", "z"]), id="other"),
        pytest.param("frame", DF[["b", "a", "c"]], id="reordered"),
    ],
)
def test_feature_name_handling_is_scikit_learns(fitted_on, X_new):
    def outcome(est):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                est.predict(X_new)
            except Exception as exc:  # compared below
                error = (type(exc), str(exc).splitlines()[0])
            else:
                error = None
        return error, [(w.category, str(w.message).split(",")[0]) for w in caught]

    reference = LogisticRegression().fit(X if fitted_on == "array" else DF, Y)
    assert outcome(_fitted(fitted_on)) == outcome(reference)
