"""Fuzzing of every constructor parameter of MLPBinaryClassifier.

The bad values are derived from what each parameter means (the class
docstring), not copied from the validation table: each parameter has a
*kind* (a count >= 1, a real >= 0, a fraction in [0, 1), one of some strings,
a flag, ...) and every kind generates its wrong types and out-of-range values.
``fit`` must reject each of them with a ValueError or TypeError whose message
names the parameter -- never an IndexError, ZeroDivisionError,
AttributeError, OverflowError, or a fitted model holding NaN.  ``__init__``,
``set_params`` and ``clone`` only store values.  The parameters come from
``get_params()``, so a new parameter without fuzz values fails the suite.
"""

import math
import numbers
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

from sknn import MLPBinaryClassifier
from sknn.exceptions import TrainingDivergedError

PARAMS = sorted(MLPBinaryClassifier().get_params())

_rng = np.random.RandomState(0)
X = _rng.normal(size=(40, 3))
Y = (X[:, 0] + 0.5 * _rng.normal(size=40) > 0).astype(int)


class Opaque:
    """An object of no relevant type."""

    def __repr__(self):
        return "Opaque()"


# Values of the wrong type for every parameter (no parameter takes them).
FOREIGN = [Opaque(), 1 + 2j, b"x", {1, 2}]

# -- kinds of parameters and their bad values ---------------------------------


def bad_counts():
    """For a number of things (epochs, evaluations, rows): an int >= 1."""
    return [
        0,
        -1,
        -(2**70),
        np.int64(0),
        1.5,
        3.0,  # a float where an int is expected, even if integral
        np.float64(3.0),
        math.nan,
        math.inf,
        -math.inf,
        True,  # bools are not counts
        np.bool_(True),
        "10",
        None,
        [3],
        (3,),
        {"a": 1},
    ]


def bad_reals(low, high=None, *, low_open=False, high_open=True, text="0.1"):
    """For a real in [low, high) (or (low, high), ...); always finite."""
    values = [
        math.nan,
        np.float64(math.nan),
        np.float32(math.nan),
        math.inf,
        -math.inf,
        True,  # bools where numbers are expected
        False,
        np.bool_(False),
        text,
        None,
        [0.5],
        {"a": 0.5},
        low - 1e-9,
        low - 1,
        np.float32(low - 1),
    ]
    if low_open:
        values += [low, float(low), -0.0 if low == 0 else low]
    if high is not None:
        values += [high + 1e-9, high + 1, 10**30]
        if high_open:
            values += [high, float(high)]
    return values


def bad_choices(*options):
    """For one of a few strings: other strings, case variants, other types."""
    first = options[0]
    return [
        first.upper(),
        first.capitalize() if first.capitalize() != first else first + "_",
        f" {first}",
        f"{first} ",
        "",
        "unknown",
        None,
        0,
        1,
        True,
        1.5,
        [first],
        (first,),
        {first: 1},
        first.encode(),
        np.array([first]),
    ]


def bad_flags():
    """For a bool: ints, strings, None, containers."""
    return [None, 0, 1, 2, 0.5, math.nan, "True", "False", "yes", "", [True], {}]


SPEC = {
    # int or tuple of ints: the number of units of each hidden layer.
    "hidden_layer_sizes": [
        0,
        -1,
        2.5,
        3.0,
        math.nan,
        math.inf,
        True,
        np.bool_(True),
        "10",
        "",
        None,
        {"a": 1},
        {3: 4},
        (0,),
        (3, 0),
        (-1,),
        (2.5,),
        (3.0,),
        (True,),
        ("3",),
        (None,),
        ((3,),),
        [[3]],
        np.array([[3]]),
        np.array([2.5]),
        np.array([0]),
        # Beyond any machine size: still a clear error naming the parameter.
        2**64,
        (2**64,),
        (3, 10**30),
    ],
    "activation": bad_choices("relu", "tanh", "logistic", "sigmoid", "identity")
    + ["softmax", "linear"],
    "solver": bad_choices("sgd", "adam", "lbfgs") + ["newton-cg", "SGD"],
    "alpha": bad_reals(0),  # L2 strength >= 0
    "batch_size": bad_counts() + ["AUTO", "all", "full"],
    "learning_rate": bad_choices("constant", "invscaling", "adaptive") + ["optimal"],
    "learning_rate_init": bad_reals(0, low_open=True, text="fast")
    + ["AUTO", "Auto", "0.1"],
    "power_t": bad_reals(0),  # exponent of 1/(t+1), >= 0
    "max_iter": bad_counts(),
    "shuffle": bad_flags(),
    # None, an int seed in [0, 2**32 - 1] or a RandomState.
    "random_state": [
        -1,
        2**32,
        2**64,
        -(2**70),
        1.5,
        0.0,
        math.nan,
        True,
        "0",
        "seed",
        [0],
        (0,),
        {"seed": 0},
        np.random.default_rng(0),
    ],
    "tol": bad_reals(0),  # minimum decrease, >= 0
    "verbose": [-1, -(2**70), 1.5, math.nan, math.inf, "yes", "", None, [1], {}],
    "warm_start": bad_flags(),
    "momentum": bad_reals(0, 1),  # beta in [0, 1)
    "early_stopping": bad_flags(),
    # A fraction held out: strictly between 0 and 1.
    "validation_fraction": bad_reals(0, 1, low_open=True, high_open=True),
    "beta_1": bad_reals(0, 1, text="0.9"),
    "beta_2": bad_reals(0, 1, text="0.999"),
    "epsilon": bad_reals(0, low_open=True, text="1e-8"),  # > 0
    # An int >= 1, or infinity (as MLPClassifier: the rule never fires).
    "n_iter_no_change": [v for v in bad_counts() if v != math.inf],
    "max_fun": bad_counts(),
    # None, 'balanced' or {label: finite weight >= 0}.
    "class_weight": [
        "auto",
        "Balanced",
        "",
        1,
        1.5,
        True,
        [1.0, 2.0],
        (1.0, 2.0),
        np.array([1.0, 2.0]),
        pd.Series([1.0, 2.0]),
        {0: -1.0},
        {0: -math.inf},
        {0: math.nan},
        {1: math.inf},
        {0: "1"},
        {0: None},
        {0: True},
        {0: [1.0]},
        {0: 1 + 0j},
        {0: 1.0, 1: -(10**30)},
    ],
    "init": bad_choices("auto", "uniform", "normal", "glorot", "he")
    + ["xavier", "lecun"],
}

# Where each parameter takes effect: its bad values are also tried there, so a
# library that validated lazily would still be caught.
WHERE_USED = {
    "beta_1": {"solver": "adam"},
    "beta_2": {"solver": "adam"},
    "epsilon": {"solver": "adam"},
    "max_fun": {"solver": "lbfgs"},
    "power_t": {"solver": "sgd", "learning_rate": "invscaling"},
    "learning_rate": {"solver": "sgd"},
    "momentum": {"solver": "sgd"},
    "validation_fraction": {"early_stopping": True},
    "n_iter_no_change": {"tol": 1e9},
}


def fuzz_values(name):
    """The bad values of a parameter; empty if the table has none."""
    values = SPEC.get(name)
    return [] if not values else values + FOREIGN


def _id(value):
    if isinstance(value, (np.ndarray, pd.Series)):
        text = f"{type(value).__name__}({value.tolist()})"
    else:
        text = repr(value)
    return text.replace(" ", "")[:40]


def _cases():
    for name in PARAMS:
        values = fuzz_values(name)
        if not values:
            # A parameter without fuzz values: the case fails (no silent skip).
            yield pytest.param(name, None, id=f"{name}-HAS-NO-FUZZ-VALUES")
        for value in values:
            yield pytest.param(name, value, id=f"{name}={_id(value)}")


CASES = list(_cases())


def small_model(**params):
    return MLPBinaryClassifier(**{"hidden_layer_sizes": (3,), "max_iter": 3, **params})


def test_every_parameter_has_fuzz_values():
    missing = [name for name in PARAMS if not SPEC.get(name)]
    assert not missing, f"parameters without fuzz values: {missing}"
    stale = sorted(set(SPEC) - set(PARAMS))
    assert not stale, f"fuzz values for parameters that do not exist: {stale}"


def _assert_fit_rejects(est, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with pytest.raises(Exception) as info:  # noqa: PT011 - checked below
            est.fit(X, Y)
    exc = info.value
    assert isinstance(exc, (ValueError, TypeError)), (
        f"{type(exc).__name__} instead of a ValueError/TypeError: {exc}"
    )
    assert not isinstance(exc, TrainingDivergedError), str(exc)
    assert f"'{name}' parameter" in str(exc), str(exc)
    assert not hasattr(est, "coefs_")


@pytest.mark.parametrize("where", ["defaults", "where-used"])
@pytest.mark.parametrize(("name", "value"), CASES)
def test_fit_rejects_bad_value_naming_the_parameter(name, value, where):
    assert name in SPEC, f"no fuzz values for the parameter {name!r}"
    context = WHERE_USED.get(name, {}) if where == "where-used" else {}
    est = small_model(random_state=0, **context)
    est.set_params(**{name: value})
    _assert_fit_rejects(est, name)


@pytest.mark.parametrize(("name", "value"), CASES)
def test_init_set_params_and_clone_only_store(name, value):
    """Validation happens in fit: storing a bad value never raises."""
    est = MLPBinaryClassifier(**{name: value})
    assert est.get_params()[name] is value
    est = MLPBinaryClassifier().set_params(**{name: value})
    assert est.get_params()[name] is value
    # clone deep-copies parameters: the copy is stored as it is.
    assert type(clone(est).get_params()[name]) is type(value)


def test_a_bad_value_does_not_damage_a_fitted_model():
    est = small_model(random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X, Y)
    before = est.predict_proba(X)
    est.set_params(alpha=-1.0)
    with pytest.raises(ValueError, match="'alpha' parameter"):
        est.fit(X, Y)
    np.testing.assert_array_equal(est.predict_proba(X), before)


# -- hypothesis: arbitrary values for the numeric parameters ------------------
def _real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _int(value):
    return isinstance(value, numbers.Integral) and not isinstance(
        value, (bool, np.bool_)
    )


def _in(low, high=math.inf, *, low_open=False, high_open=True):
    def check(value):
        if not _real(value) or not math.isfinite(value):
            return False
        above = value > low if low_open else value >= low
        below = value < high if high_open else value <= high
        return above and below

    return check


# Which values are valid, from the docstring, independently of the library.
IS_VALID = {
    "alpha": lambda v: (isinstance(v, str) and v == "auto") or _in(0)(v),
    "power_t": _in(0),
    "tol": _in(0),
    "learning_rate_init": lambda v: v == "auto" or _in(0, low_open=True)(v),
    "epsilon": _in(0, low_open=True),
    "momentum": _in(0, 1),
    "beta_1": _in(0, 1),
    "beta_2": _in(0, 1),
    "validation_fraction": _in(0, 1, low_open=True),
    "max_iter": lambda v: _int(v) and v >= 1,
    "n_iter_no_change": lambda v: (
        (_int(v) and v >= 1)
        or (
            isinstance(v, (int, float, np.floating))
            and not isinstance(v, bool)
            and v == math.inf
        )
    ),
    "max_fun": lambda v: _int(v) and v >= 1,
    "batch_size": lambda v: v == "auto" or (_int(v) and v >= 1),
    "random_state": lambda v: v is None or (_int(v) and 0 <= v <= 2**32 - 1),
    "verbose": lambda v: isinstance(v, (bool, np.bool_)) or (_int(v) and v >= 0),
}

ANY_SCALAR = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-2.0, max_value=2.0),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=-3, max_value=300),
    st.booleans(),
    st.none(),
    st.sampled_from(["auto", "0.1", "", "nan"]),
    st.complex_numbers(max_magnitude=2.0, allow_nan=False),
    st.builds(np.float32, st.floats(width=32)),
    st.builds(np.int64, st.integers(min_value=-5, max_value=5)),
)


@pytest.mark.parametrize("name", sorted(IS_VALID))
def test_arbitrary_scalars(name):
    """Invalid values are named errors; valid ones fit to finite parameters.

    Counts are capped (for time) only when valid: a huge max_iter is run with
    a stopping rule that ends training after two epochs.
    """

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(value=ANY_SCALAR)
    def check(value):
        context = dict(WHERE_USED.get(name, {}))
        if name == "max_iter":
            context.update(tol=1e9, n_iter_no_change=1)
        est = small_model(random_state=0, **context)
        if name != "random_state":
            est.set_params(random_state=0)
        est.set_params(**{name: value})
        if not IS_VALID[name](value):
            _assert_fit_rejects(est, name)
            return
        if name == "power_t" and value > 50:
            # Steep schedules are test_valid_edge_values_...[power_t=...]: today
            # a huge int power_t computes an exact big-int power and can hang.
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            if name in ("learning_rate_init", "alpha"):
                # A huge step or penalty may leave every ReLU inactive: the
                # warning that says so is right.
                warnings.filterwarnings(
                    "ignore", "The trained network gives", UserWarning
                )
            warnings.simplefilter("error", RuntimeWarning)
            error = None
            try:
                est.fit(X, Y)
            except ValueError as exc:
                error = exc
        if error is not None:
            # A clear error for a valid but extreme value: divergence, or one
            # naming the parameter (validation_fraction=0.9999 on 40 rows
            # leaves nothing to train on).
            assert isinstance(error, TrainingDivergedError) or name in str(error)
            return
        assert all(np.isfinite(a).all() for a in est.coefs_ + est.intercepts_)
        assert np.isfinite(est.loss_)

    check()


# -- valid edge values --------------------------------------------------------
_rng_big = np.random.RandomState(1)
X_BIG = _rng_big.normal(size=(400, 3))
Y_BIG = (X_BIG[:, 0] + 0.5 * _rng_big.normal(size=400) > 0).astype(int)


@pytest.mark.parametrize(
    "params",
    [
        {"momentum": 0.0, "solver": "sgd"},
        {"momentum": 0.999, "solver": "sgd"},
        {"alpha": 0},
        {"alpha": 0.0},
        {"alpha": 1e3},
        {"batch_size": 1},
        {"batch_size": 10**9},
        {"batch_size": 2**64},
        {"hidden_layer_sizes": ()},
        {"hidden_layer_sizes": []},
        {"hidden_layer_sizes": 1},
        {"hidden_layer_sizes": (1, 1, 1)},
        {"hidden_layer_sizes": np.array([2, 3])},
        {"hidden_layer_sizes": range(1, 3)},
        {"early_stopping": True, "validation_fraction": 1e-6},
        {"early_stopping": True, "validation_fraction": 0.95},
        {"early_stopping": True, "validation_fraction": 0.5, "solver": "lbfgs"},
        {"tol": 0},
        {"tol": 0.0, "solver": "lbfgs"},
        {"tol": 1e9},
        {"n_iter_no_change": 1},
        {"n_iter_no_change": 2**64},
        {"max_iter": 1},
        {"max_iter": 1, "solver": "lbfgs"},
        {"max_iter": 1, "solver": "adam"},
        {"max_iter": 2**64, "tol": 1e9, "n_iter_no_change": 1},
        {"max_fun": 1, "solver": "lbfgs"},
        {"max_fun": 2**64, "solver": "lbfgs"},
        {"learning_rate_init": 1e-12},
        {"learning_rate_init": np.float32(0.05)},
        # The schedules are SGD's (Adam ignores them).
        {"learning_rate": "adaptive", "tol": 1e9, "max_iter": 30, "solver": "sgd"},
        {"learning_rate": "invscaling", "power_t": 0, "solver": "sgd"},
        {"learning_rate": "invscaling", "power_t": 2.0, "solver": "sgd"},
        # A steep (but valid) schedule: the step size underflows to 0, it
        # must not overflow into an exception.
        {"learning_rate": "invscaling", "power_t": 1000.0, "solver": "sgd"},
        {"learning_rate": "invscaling", "power_t": 10**4, "solver": "sgd"},
        {"solver": "adam", "beta_1": 0, "beta_2": 0},
        {"solver": "adam", "beta_1": 0.999999, "beta_2": 0.999999},
        {"solver": "adam", "epsilon": 1e-300},
        {"solver": "adam", "epsilon": 1e3},
        {"random_state": 2**32 - 1},
        {"random_state": np.int64(7)},
        {"random_state": np.random.RandomState(0)},
        {"random_state": None},
        {"verbose": 0},
        {"verbose": np.bool_(False)},
        {"shuffle": False},
        {"shuffle": np.bool_(True)},
        {"warm_start": True},
        {"class_weight": {}},
        {"class_weight": {0: 0.5}},
        {"class_weight": {0: 1e-3, 1: 1e3}},
        {"class_weight": "balanced"},
        {"activation": "sigmoid"},
        {"activation": "identity", "init": "normal"},
        {"init": "he", "activation": "tanh"},
    ],
    ids=lambda params: ",".join(f"{k}={_id(v)}" for k, v in params.items()),
)
def test_valid_edge_values_fit_to_finite_parameters(params):
    base = {
        "hidden_layer_sizes": (4,),
        "solver": "adam",
        "alpha": 1e-3,
        "batch_size": 64,
        "learning_rate_init": 0.005,
        "max_iter": 3,
        "random_state": 0,
    }
    est = MLPBinaryClassifier(**{**base, **params})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("error", RuntimeWarning)
        est.fit(X_BIG, Y_BIG)
    for array in est.coefs_ + est.intercepts_:
        assert np.isfinite(array).all()
    assert np.isfinite(est.loss_)
    proba = est.predict_proba(X_BIG)
    assert np.isfinite(proba).all()
    assert est.n_iter_ >= 1


def test_verbose_true_prints_and_fits(capsys):
    est = small_model(verbose=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X, Y)
    assert "loss" in capsys.readouterr().out
    assert all(np.isfinite(a).all() for a in est.coefs_)
