"""The hyperparameter constraint table."""

import math

import numpy as np
import pytest

from sknn._params import (
    HiddenLayerSizes,
    InstanceOf,
    Interval,
    Options,
    normalize_hidden_layer_sizes,
    validate_params,
)
from sknn.exceptions import InvalidParameterError


@pytest.mark.parametrize(
    ("constraint", "good", "bad"),
    [
        (Interval("int", 1), [1, 7, np.int32(3)], [0, -1, 2.0, True, "3", None]),
        (
            Interval("real", 0, 1, closed="left"),
            [0, 0.5, np.float32(0.9)],
            [1, 1.0, -0.1, math.nan, False, "0.5"],
        ),
        (
            Interval("real", 0, math.inf, closed="neither"),
            [1e-12, 3],
            [0, math.inf, math.nan],
        ),
        (Options("auto", "sgd"), ["auto", "sgd"], ["AUTO", None, 1]),
        (Options(False, True), [True, False, np.bool_(True)], [0, 1, "True", None]),
        (Options(None), [None], [0, "None"]),
        (
            InstanceOf(np.random.RandomState, "a RandomState"),
            [np.random.RandomState(0)],
            [0, np.random.default_rng(0)],
        ),
        (
            HiddenLayerSizes(),
            [(), 5, (3, 4), [2], range(1, 3), np.array([4, 2])],
            [0, (3, 0), (2.5,), "10", True, (True,), np.array([[3]]), None],
        ),
    ],
)
def test_constraints(constraint, good, bad):
    for value in good:
        assert constraint.is_satisfied_by(value), value
    for value in bad:
        assert not constraint.is_satisfied_by(value), value


@pytest.mark.parametrize(
    ("constraint", "text"),
    [
        (Interval("int", 1), "an int >= 1"),
        (Interval("real", 0, 1, closed="left"), "a float in the range [0, 1)"),
        (Interval("real", 0, math.inf, closed="neither"), "a float > 0"),
        (Interval("real", 0, math.inf, closed="left"), "a float >= 0"),
        (Options("a", "b"), "one of 'a', 'b'"),
        (Options(False, True), "a bool"),
    ],
)
def test_constraint_descriptions(constraint, text):
    assert str(constraint) == text


def test_validate_params_names_the_parameter_and_what_it_accepts():
    constraints = {
        "alpha": [Interval("real", 0, math.inf, closed="left")],
        "batch_size": [Options("auto"), Interval("int", 1)],
    }
    validate_params("Est", {"alpha": 0.1, "batch_size": "auto"}, constraints)
    with pytest.raises(InvalidParameterError) as info:
        validate_params("Est", {"alpha": 0.1, "batch_size": 0}, constraints)
    assert str(info.value) == (
        "The 'batch_size' parameter of Est must be 'auto' or an int >= 1. "
        "Got 0 instead."
    )


def test_normalize_hidden_layer_sizes():
    assert normalize_hidden_layer_sizes(5) == (5,)
    assert normalize_hidden_layer_sizes(()) == ()
    assert normalize_hidden_layer_sizes(np.array([3, 2])) == (3, 2)
    assert all(type(n) is int for n in normalize_hidden_layer_sizes(np.array([3, 2])))
