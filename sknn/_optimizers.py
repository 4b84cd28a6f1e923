"""Gradient-descent optimizers on a flat parameter vector.  NumPy only.

An optimizer owns its state (velocities, step count) and updates the
parameter vector ``theta`` in place from a gradient ``grad`` of the same
shape.  All gradients of a step are computed before :meth:`step` is called,
so every parameter of a step is updated from the same point.
"""

import numpy as np

__all__ = ["SGD", "Adam"]


class SGD:
    """Minibatch gradient descent with momentum as a moving average of gradients.

    For every parameter theta with velocity V (zeros at creation)::

        V     <- momentum * V + (1 - momentum) * dJ/dtheta
        theta <- theta - learning_rate * V

    The velocity is an exponential moving average of the gradients, so
    ``momentum=0`` is plain gradient descent.  (scikit-learn's classical
    momentum ``v <- mu v - lr g; theta <- theta + v`` is the same trajectory
    with ``lr = learning_rate * (1 - momentum)``.)

    The optimizer stores the step ``U = learning_rate * V`` rather than V,
    which gives the same trajectory with one pass less over the parameters::

        U     <- momentum * U + learning_rate * (1 - momentum) * dJ/dtheta
        theta <- theta - U

    Parameters
    ----------
    params : ndarray of shape (n_params,)
        The parameter vector (only its shape and dtype are used here).
    learning_rate : float
        The step size eta.
    momentum : float
        The momentum beta, in [0, 1).

    Attributes
    ----------
    velocity : ndarray of shape (n_params,)
        The moving average V (computed from the stored step U).
    learning_rate : float
        The step size; setting it keeps V unchanged.
    n_steps : int
        Number of updates made.
    """

    def __init__(self, params, learning_rate, momentum):
        self._learning_rate = float(learning_rate)
        self.momentum = float(momentum)
        self._step = np.zeros_like(params)  # U = learning_rate * V
        self.n_params = params.shape[0]
        self.n_steps = 0

    @property
    def velocity(self):
        return self._step / self._learning_rate

    @property
    def learning_rate(self):
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        # V is the state; U = learning_rate * V follows the new step size.
        self._step *= float(value) / self._learning_rate
        self._learning_rate = float(value)

    def step(self, params, grad):
        """Update ``params`` in place from the gradient ``grad``.

        ``grad`` is used as scratch space (it is scaled in place), so that a
        step reads and writes only three arrays; it holds no gradient after.
        """
        U, beta = self._step, self.momentum
        # U <- beta U + eta (1 - beta) grad, i.e. V <- beta V + (1 - beta) grad
        U *= beta
        grad *= self._learning_rate * (1.0 - beta)
        U += grad
        # theta <- theta - U, i.e. theta <- theta - eta V
        params -= U
        self.n_steps += 1


class Adam:
    """Adam (Kingma and Ba, 2014), with scikit-learn's MLP formulation.

    For every parameter theta, with moments m and v (zeros at creation) and the
    step count t::

        t     <- t + 1
        m     <- beta_1 * m + (1 - beta_1) * g
        v     <- beta_2 * v + (1 - beta_2) * g**2
        eta_t  = learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t)
        theta <- theta - eta_t * m / (sqrt(v) + epsilon)

    where g is dJ/dtheta.

    Parameters
    ----------
    params : ndarray of shape (n_params,)
        The parameter vector (only its shape and dtype are used here).
    learning_rate : float
        The step size.
    beta_1, beta_2 : float
        Decay rates of the first and second moment estimates, in [0, 1).
    epsilon : float
        Added to sqrt(v) for numerical stability.

    Attributes
    ----------
    m, v : ndarray of shape (n_params,)
        First and second moment estimates.
    n_steps : int
        The step count t.
    """

    def __init__(self, params, learning_rate, beta_1, beta_2, epsilon):
        self.learning_rate = float(learning_rate)
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)
        self.epsilon = float(epsilon)
        self.m = np.zeros_like(params)
        self.v = np.zeros_like(params)
        self._scratch = np.empty_like(params)
        self.n_params = params.shape[0]
        self.n_steps = 0

    def step(self, params, grad):
        """Update ``params`` in place from ``grad`` (which is used as scratch)."""
        b1, b2, scratch = self.beta_1, self.beta_2, self._scratch
        self.n_steps += 1
        t = self.n_steps
        # v <- beta_2 v + (1 - beta_2) g^2
        self.v *= b2
        self.v += np.multiply(np.square(grad, out=scratch), 1.0 - b2, out=scratch)
        # m <- beta_1 m + (1 - beta_1) g
        self.m *= b1
        self.m += np.multiply(grad, 1.0 - b1, out=grad)
        # theta <- theta - eta_t m / (sqrt(v) + epsilon)
        eta_t = self.learning_rate * np.sqrt(1.0 - b2**t) / (1.0 - b1**t)
        np.sqrt(self.v, out=scratch)
        scratch += self.epsilon
        np.divide(self.m, scratch, out=scratch)
        scratch *= eta_t
        params -= scratch
