"""The notes' momentum: V <- beta V + (1 - beta) g; theta <- theta - eta V."""

import numpy as np
import pytest

from sknn._optimizers import SGD, Adam


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_momentum_is_an_exponential_moving_average(beta, dtype):
    rng = np.random.RandomState(0)
    eta = 0.3
    theta0 = rng.normal(size=5).astype(dtype)
    grads = [rng.normal(size=5).astype(dtype) for _ in range(6)]

    theta = theta0.copy()
    opt = SGD(theta, learning_rate=eta, momentum=beta)
    for g in grads:
        opt.step(theta, g.copy())

    # Closed form: V_t = (1 - beta) sum_{i<=t} beta^(t-i) g_i and
    # theta_T = theta_0 - eta sum_t V_t.
    V = [
        sum((1 - beta) * beta ** (t - i) * grads[i].astype(float) for i in range(t + 1))
        for t in range(len(grads))
    ]
    tol = 1e-6 if dtype == np.float32 else 1e-14
    np.testing.assert_allclose(opt.velocity, V[-1], rtol=tol, atol=tol)
    np.testing.assert_allclose(theta, theta0 - eta * sum(V), rtol=tol, atol=tol)
    assert opt.n_steps == len(grads)
    assert theta.dtype == dtype


def test_first_step_by_hand():
    theta = np.array([1.0, -2.0])
    opt = SGD(theta, learning_rate=0.5, momentum=0.9)
    opt.step(theta, np.array([0.4, -1.0]))
    # V = 0.9 * 0 + 0.1 * [0.4, -1.0] = [0.04, -0.1]
    np.testing.assert_allclose(opt.velocity, [0.04, -0.1], rtol=1e-15)
    # theta = [1, -2] - 0.5 * [0.04, -0.1] = [0.98, -1.95]
    np.testing.assert_allclose(theta, [0.98, -1.95], rtol=1e-15)
    opt.step(theta, np.array([0.0, 1.0]))
    # V = 0.9 * [0.04, -0.1] + 0.1 * [0, 1] = [0.036, 0.01]
    np.testing.assert_allclose(opt.velocity, [0.036, 0.01], rtol=1e-14)
    # theta = [0.98, -1.95] - 0.5 * [0.036, 0.01] = [0.962, -1.955]
    np.testing.assert_allclose(theta, [0.962, -1.955], rtol=1e-14)


def test_zero_momentum_is_plain_gradient_descent():
    theta = np.array([3.0])
    opt = SGD(theta, learning_rate=0.1, momentum=0.0)
    for g in [2.0, -4.0, 1.0]:
        before = theta.copy()
        opt.step(theta, np.array([g]))
        np.testing.assert_allclose(theta, before - 0.1 * g, rtol=1e-15)


def test_changing_the_learning_rate_keeps_the_velocity():
    theta = np.zeros(2)
    opt = SGD(theta, learning_rate=0.5, momentum=0.9)
    opt.step(theta, np.array([1.0, -2.0]))
    V = opt.velocity.copy()
    opt.learning_rate = 0.1
    np.testing.assert_allclose(opt.velocity, V, rtol=1e-15)
    before = theta.copy()
    opt.step(theta, np.array([0.0, 0.0]))
    # V <- 0.9 V; theta <- theta - 0.1 V
    np.testing.assert_allclose(theta, before - 0.1 * 0.9 * V, rtol=1e-14)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_adam_matches_its_formula(dtype):
    rng = np.random.RandomState(1)
    eta, b1, b2, eps = 0.01, 0.8, 0.99, 1e-8
    theta0 = rng.normal(size=6).astype(dtype)
    grads = [rng.normal(size=6).astype(dtype) for _ in range(5)]
    theta = theta0.copy()
    opt = Adam(theta, eta, b1, b2, eps)
    for g in grads:
        opt.step(theta, g.copy())

    expected = theta0.astype(float)
    m = np.zeros(6)
    v = np.zeros(6)
    for t, g in enumerate(grads, start=1):
        g = g.astype(float)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        eta_t = eta * np.sqrt(1 - b2**t) / (1 - b1**t)
        expected = expected - eta_t * m / (np.sqrt(v) + eps)
    tol = 1e-5 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(theta, expected, rtol=tol, atol=tol)
    np.testing.assert_allclose(opt.m, m, rtol=tol, atol=tol)
    np.testing.assert_allclose(opt.v, v, rtol=tol, atol=tol)
    assert opt.n_steps == 5
    assert theta.dtype == dtype


def test_adam_first_step_moves_each_parameter_by_about_eta():
    # With t = 1, m = (1 - b1) g and v = (1 - b2) g^2, so the bias-corrected
    # step is eta * g / (|g| + eps / sqrt(1 - b2)): eta against the sign of g,
    # up to eps / (sqrt(1 - b2) |g|) = 3.2e-8 relative for g = 1e-3.
    theta = np.zeros(3)
    Adam(theta, 0.1, 0.9, 0.999, 1e-12).step(theta, np.array([3.0, -0.5, 1e-3]))
    np.testing.assert_allclose(theta, [-0.1, 0.1, -0.1], rtol=4e-8)
