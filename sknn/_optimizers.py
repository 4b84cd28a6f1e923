"""Gradient-descent optimizers on a flat parameter vector.  NumPy/SciPy only.

An optimizer owns its state (velocities, step count) and updates the
parameter vector ``theta`` in place from a gradient ``grad`` of the same
shape.  All gradients of a step are computed before :meth:`step` is called,
so every parameter of a step is updated from the same point.
"""

import numpy as np

__all__ = ["SGD"]


class SGD:
    """Minibatch gradient descent with the lecture notes' momentum.

    For every parameter theta with velocity V (zeros at creation)::

        V     <- momentum * V + (1 - momentum) * dJ/dtheta
        theta <- theta - learning_rate * V

    The velocity is an exponential moving average of the gradients, so
    ``momentum=0`` is plain gradient descent.  (scikit-learn's classical
    momentum ``v <- mu v - lr g; theta <- theta + v`` is the same trajectory
    with ``lr = learning_rate * (1 - momentum)``.)

    Parameters
    ----------
    params : ndarray of shape (n_params,)
        The parameter vector (only its shape and dtype are used here).
    learning_rate : float
        The step size, the notes' alpha.
    momentum : float
        The notes' beta, in [0, 1).

    Attributes
    ----------
    velocity : ndarray of shape (n_params,)
        The moving average V.
    n_steps : int
        Number of updates made.
    """

    def __init__(self, params, learning_rate, momentum):
        self.learning_rate = float(learning_rate)
        self.momentum = float(momentum)
        self.velocity = np.zeros_like(params)
        self.n_steps = 0
        self._scratch = np.empty_like(params)

    def step(self, params, grad):
        """Update ``params`` in place from the gradient ``grad``."""
        V, scratch = self.velocity, self._scratch
        beta = self.momentum
        # V <- beta V + (1 - beta) grad
        V *= beta
        V += np.multiply(grad, 1.0 - beta, out=scratch)
        # theta <- theta - eta V
        params -= np.multiply(V, self.learning_rate, out=scratch)
        self.n_steps += 1
