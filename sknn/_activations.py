"""Hidden-unit activations g(z) and their derivatives g'(z).

Each activation is a pair of plain functions written side by side:

* ``g(Z, out)`` applies the activation elementwise and writes the result to
  ``out`` (which may be ``Z`` itself, so the forward pass can work in place);
* ``g_prime(A, out)`` returns the derivative g'(Z) *expressed through the
  activation's output* ``A = g(Z)``.  Backpropagation only needs g'(Z) for
  the hidden layers, and for every activation here it is a cheap function of
  A, so the forward pass never has to keep Z.

During training the forward pass computes g'(Z) right after g(Z)
(:meth:`Activation.forward_with_derivative`), while the values are in cache;
relu gets both from a single comparison.

The output unit is always the sigmoid; it is handled with the loss in
:mod:`sknn._loss`, not here.
"""

import numpy as np
from scipy.special import expit

__all__ = ["ACTIVATIONS", "Activation", "get_activation"]


def identity(Z, out):
    """g(z) = z."""
    if out is not Z:
        np.copyto(out, Z)
    return out


def identity_prime(A, out):
    """g'(z) = 1."""
    out.fill(1)
    return out


def relu(Z, out):
    """g(z) = max(z, 0)."""
    return np.maximum(Z, 0, out=out)


def relu_prime(A, out):
    """g'(z) = 1 if z > 0 else 0, and z > 0 exactly when a = max(z, 0) > 0."""
    return np.greater(A, 0, out=out, casting="unsafe")


def relu_with_prime(Z, out, out_prime):
    """g'(z) = [z > 0] first, then g(z) = z * g'(z) = max(z, 0)."""
    np.greater(Z, 0, out=out_prime, casting="unsafe")
    return np.multiply(Z, out_prime, out=out)


def tanh(Z, out):
    """g(z) = tanh(z)."""
    return np.tanh(Z, out=out)


def tanh_prime(A, out):
    """g'(z) = 1 - tanh(z)**2 = 1 - a**2."""
    np.multiply(A, A, out=out)
    return np.subtract(1, out, out=out)


def logistic(Z, out):
    """g(z) = 1 / (1 + exp(-z)), computed without overflow."""
    return expit(Z, out=out)


def logistic_prime(A, out):
    """g'(z) = sigma(z) * (1 - sigma(z)) = a * (1 - a)."""
    np.subtract(1, A, out=out)
    return np.multiply(out, A, out=out)


class Activation:
    """A named activation: the function and its derivative from the output.

    Parameters
    ----------
    name : str
        The activation's name.
    forward : callable
        ``forward(Z, out)`` writes g(Z) to ``out`` and returns it.
    derivative : callable
        ``derivative(A, out)`` writes g'(Z) to ``out``, given ``A = g(Z)``.
    with_derivative : callable, default=None
        ``with_derivative(Z, out, out_prime)``: g(Z) into ``out`` and g'(Z)
        into ``out_prime`` at once, when that is cheaper than the two steps.
    """

    __slots__ = ("name", "forward", "derivative", "is_linear", "_with_derivative")

    def __init__(self, name, forward, derivative, with_derivative=None):
        self.name = name
        self.forward = forward
        self.derivative = derivative
        # g'(Z) = 1: backpropagation needs no product with it.
        self.is_linear = name == "identity"
        self._with_derivative = with_derivative

    def forward_with_derivative(self, Z, out, out_prime):
        """Write g(Z) to ``out`` (may be ``Z``) and g'(Z) to ``out_prime``."""
        if self._with_derivative is not None:
            return self._with_derivative(Z, out, out_prime)
        A = self.forward(Z, out)
        self.derivative(A, out_prime)
        return A

    def __repr__(self):
        return f"Activation({self.name!r})"


ACTIVATIONS = {
    "identity": Activation("identity", identity, identity_prime),
    "relu": Activation("relu", relu, relu_prime, relu_with_prime),
    "tanh": Activation("tanh", tanh, tanh_prime),
    "logistic": Activation("logistic", logistic, logistic_prime),
}
# The logistic function is often called "sigmoid"; accept both names.
ACTIVATIONS["sigmoid"] = ACTIVATIONS["logistic"]


def get_activation(name):
    """Return the :class:`Activation` registered under ``name``."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"Unknown activation {name!r}; expected one of {sorted(ACTIVATIONS)}."
        ) from None
