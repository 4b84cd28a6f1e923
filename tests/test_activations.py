"""g(z) and g'(z) of every hidden activation."""

import numpy as np
import pytest

from sknn._activations import ACTIVATIONS, get_activation

Z = np.linspace(-6, 6, 97)
REFERENCE = {
    "identity": lambda z: z,
    "relu": lambda z: np.maximum(z, 0),
    "tanh": np.tanh,
    "logistic": lambda z: 1 / (1 + np.exp(-z)),
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_forward_matches_formula(name):
    out = np.empty_like(Z)
    np.testing.assert_allclose(
        ACTIVATIONS[name].forward(Z, out), REFERENCE[name](Z), rtol=1e-15, atol=0
    )


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_forward_works_in_place(name):
    Z2 = Z.copy()
    result = ACTIVATIONS[name].forward(Z2, Z2)
    assert result is Z2
    np.testing.assert_allclose(Z2, REFERENCE[name](Z), rtol=1e-15)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_derivative_from_output_matches_finite_difference(name):
    # Points away from relu's kink at 0, where the derivative is defined as 0.
    z = Z[np.abs(Z) > 1e-3]
    h = 1e-6
    numeric = (REFERENCE[name](z + h) - REFERENCE[name](z - h)) / (2 * h)
    act = ACTIVATIONS[name]
    analytic = act.derivative(act.forward(z, np.empty_like(z)), np.empty_like(z))
    np.testing.assert_allclose(analytic, numeric, rtol=1e-7, atol=1e-9)


def test_relu_derivative_is_zero_at_and_below_zero():
    z = np.array([-2.0, -1e-300, 0.0, 1e-300, 3.0])
    act = ACTIVATIONS["relu"]
    a = act.forward(z, np.empty_like(z))
    np.testing.assert_array_equal(act.derivative(a, np.empty_like(z)), [0, 0, 0, 1, 1])


def test_logistic_is_stable_for_large_inputs():
    z = np.array([-1000.0, 1000.0])
    with np.errstate(all="raise"):
        out = ACTIVATIONS["logistic"].forward(z, np.empty_like(z))
    np.testing.assert_array_equal(out, [0.0, 1.0])


def test_sigmoid_is_an_alias_of_logistic():
    assert get_activation("sigmoid") is get_activation("logistic")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_dtype_is_preserved(name, dtype):
    z = Z.astype(dtype)
    act = ACTIVATIONS[name]
    a = act.forward(z, np.empty_like(z))
    assert a.dtype == dtype
    assert act.derivative(a, np.empty_like(z)).dtype == dtype


def test_unknown_activation_is_named():
    with pytest.raises(ValueError, match="'softmax'"):
        get_activation("softmax")
