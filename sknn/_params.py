"""Validation of hyperparameters, table-driven.

Each estimator declares, per parameter, the constraints a value may satisfy.
:func:`validate_params` checks every parameter and raises
:class:`~sknn.exceptions.InvalidParameterError` naming the first parameter
that satisfies none of its constraints, with what it accepts.
"""

import math
import numbers

import numpy as np

from ._activations import ACTIVATIONS
from ._network import INITS
from .exceptions import InvalidParameterError

__all__ = [
    "PARAMETER_CONSTRAINTS",
    "Interval",
    "Options",
    "Infinity",
    "InstanceOf",
    "HiddenLayerSizes",
    "ClassWeight",
    "validate_params",
    "normalize_hidden_layer_sizes",
]


def _is_bool(value):
    return isinstance(value, (bool, np.bool_))


class Interval:
    """Integers or reals in an interval.

    Parameters
    ----------
    kind : {'int', 'real'}
        Integers (Python or NumPy, bools excluded) or real numbers (any of
        those, or floats); NaN is never accepted.
    low, high : float or None
        Bounds; None for unbounded.
    closed : {'both', 'left', 'right', 'neither'}
        Which bounds are included.
    """

    def __init__(self, kind, low=None, high=None, closed="both"):
        self.kind, self.low, self.high, self.closed = kind, low, high, closed

    def is_satisfied_by(self, value):
        types = numbers.Integral if self.kind == "int" else numbers.Real
        if _is_bool(value) or not isinstance(value, types):
            return False
        if math.isnan(value):
            return False
        if self.low is not None:
            if value < self.low or (
                value == self.low and self.closed in ("right", "neither")
            ):
                return False
        if self.high is not None:
            if value > self.high or (
                value == self.high and self.closed in ("left", "neither")
            ):
                return False
        return True

    def __str__(self):
        noun = "an int" if self.kind == "int" else "a float"
        # Infinite bounds read as no bound (an open one excludes inf anyway).
        low = None if self.low in (None, -math.inf) else self.low
        high = None if self.high in (None, math.inf) else self.high
        if low is not None and high is not None:
            left = "[" if self.closed in ("both", "left") else "("
            right = "]" if self.closed in ("both", "right") else ")"
            return f"{noun} in the range {left}{low}, {high}{right}"
        if low is not None:
            op = ">=" if self.closed in ("both", "left") else ">"
            return f"{noun} {op} {low}"
        if high is not None:
            op = "<=" if self.closed in ("both", "right") else "<"
            return f"{noun} {op} {high}"
        return noun


class Options:
    """One of a fixed set of values (strings, or True/False)."""

    def __init__(self, *values):
        self.values = values

    def is_satisfied_by(self, value):
        if _is_bool(value) and all(isinstance(v, bool) for v in self.values):
            return bool(value) in self.values
        if not isinstance(value, str):
            return value is None and None in self.values
        return value in self.values

    def __str__(self):
        if self.values == (False, True) or self.values == (True, False):
            return "a bool"
        if len(self.values) == 1:
            return repr(self.values[0])
        return "one of " + ", ".join(repr(v) for v in self.values)


class Infinity:
    """``math.inf`` (or ``numpy.inf``): no limit."""

    def is_satisfied_by(self, value):
        return (
            isinstance(value, numbers.Real)
            and not _is_bool(value)
            and value == math.inf
        )

    def __str__(self):
        return "numpy.inf (no limit)"


class InstanceOf:
    """An instance of a type."""

    def __init__(self, type_, description):
        self.type, self.description = type_, description

    def is_satisfied_by(self, value):
        return isinstance(value, self.type)

    def __str__(self):
        return self.description


class HiddenLayerSizes:
    """An int in [1, 2**31 - 1], or a sequence (possibly empty) of them."""

    # Far beyond any trainable layer, and the size NumPy can still index.
    _int = Interval("int", 1, 2**31 - 1)

    def is_satisfied_by(self, value):
        if self._int.is_satisfied_by(value):
            return True
        if isinstance(value, np.ndarray):
            if value.ndim != 1:
                return False
            value = value.tolist()
        if not isinstance(value, (tuple, list, range)):
            return False
        return all(self._int.is_satisfied_by(v) for v in value)

    def __str__(self):
        return (
            "an int in the range [1, 2147483647] or a tuple of such ints "
            "(possibly empty)"
        )


class ClassWeight:
    """None, 'balanced', or a dict of label -> finite weight >= 0."""

    _weight = Interval("real", 0, math.inf, closed="left")

    def is_satisfied_by(self, value):
        if value is None or (isinstance(value, str) and value == "balanced"):
            return True
        if not isinstance(value, dict):
            return False
        return all(
            self._weight.is_satisfied_by(w) and math.isfinite(w) for w in value.values()
        )

    def __str__(self):
        return "None, 'balanced' or a dict of label: weight (finite, >= 0)"


def validate_params(owner, params, constraints):
    """Check ``params`` against ``constraints``; raise on the first failure.

    Parameters
    ----------
    owner : str
        Name used in messages (the estimator class).
    params : dict
        Parameter name to value.
    constraints : dict
        Parameter name to a list of constraints; a value is valid when it
        satisfies at least one.

    Raises
    ------
    InvalidParameterError
        Naming the parameter, what it accepts and the value received.
    """
    for name, value in params.items():
        options = constraints[name]
        if any(c.is_satisfied_by(value) for c in options):
            continue
        accepted = [str(c) for c in options]
        if len(accepted) > 1:
            accepted = ", ".join(accepted[:-1]) + " or " + accepted[-1]
        else:
            accepted = accepted[0]
        raise InvalidParameterError(
            f"The {name!r} parameter of {owner} must be {accepted}. "
            f"Got {value!r} instead."
        )


def normalize_hidden_layer_sizes(value):
    """Return ``hidden_layer_sizes`` (already validated) as a tuple of ints."""
    if isinstance(value, numbers.Integral):
        return (int(value),)
    return tuple(int(v) for v in value)


# What each hyperparameter of MLPBinaryClassifier accepts.
PARAMETER_CONSTRAINTS = {
    "hidden_layer_sizes": [HiddenLayerSizes()],
    "activation": [Options(*sorted(ACTIVATIONS))],
    "solver": [Options("adam", "sgd", "lbfgs")],
    "alpha": [Options("auto"), Interval("real", 0, math.inf, closed="left")],
    "batch_size": [Options("auto"), Interval("int", 1)],
    "learning_rate": [Options("constant", "invscaling", "adaptive")],
    "learning_rate_init": [
        Options("auto"),
        Interval("real", 0, math.inf, closed="neither"),
    ],
    "power_t": [Interval("real", 0, math.inf, closed="left")],
    "max_iter": [Interval("int", 1)],
    "shuffle": [Options(False, True)],
    "random_state": [
        Options(None),
        Interval("int", 0, 2**32 - 1),
        InstanceOf(np.random.RandomState, "a numpy.random.RandomState"),
    ],
    "tol": [Interval("real", 0, math.inf, closed="left")],
    "verbose": [Options(False, True), Interval("int", 0)],
    "warm_start": [Options(False, True)],
    "momentum": [Interval("real", 0, 1, closed="left")],
    "early_stopping": [Options(False, True)],
    "validation_fraction": [Interval("real", 0, 1, closed="neither")],
    "beta_1": [Interval("real", 0, 1, closed="left")],
    "beta_2": [Interval("real", 0, 1, closed="left")],
    "epsilon": [Interval("real", 0, math.inf, closed="neither")],
    "n_iter_no_change": [Interval("int", 1), Infinity()],
    "max_fun": [Interval("int", 1)],
    "class_weight": [ClassWeight()],
    "init": [Options(*INITS)],
}
