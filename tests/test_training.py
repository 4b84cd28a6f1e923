"""Epochs of minibatch training: a step by hand, batching, weights, shuffling."""

import math

import numpy as np
import pytest

from sknn._network import Network, Objective
from sknn._optimizers import SGD
from sknn._training import MinibatchTrainer, StopRequest, minimize_lbfgs


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def make_trainer(
    X,
    y,
    s,
    hidden,
    theta,
    alpha,
    batch_size,
    shuffle=False,
    eta=0.5,
    beta=0.9,
    activation="relu",
    seed=0,
):
    net = Network((X.shape[1], *hidden, 1), activation, X.dtype)
    obj = Objective(net, alpha, batch_size, theta)
    opt = SGD(obj.theta, eta, beta)
    return MinibatchTrainer(
        obj, opt, X, y, s, batch_size, shuffle, np.random.RandomState(seed)
    )


def test_one_step_worked_by_hand():
    # Network 1 -> 1 (relu) -> 1 with W1 = 0.5, b1 = 0, W2 = -1, b2 = 0.25,
    # two samples x = 1, 2 with labels 0, 1 and weights 1, 3; alpha = 0.2,
    # eta = 0.5, beta = 0.9, one full batch.
    X = np.array([[1.0], [2.0]])
    y = np.array([0, 1])
    s = np.array([1.0, 3.0])
    W1, b1, W2, b2 = 0.5, 0.0, -1.0, 0.25
    alpha, eta, beta = 0.2, 0.5, 0.9
    # theta = [coefs..., intercepts...] = [W1, W2, b1, b2]
    trainer = make_trainer(
        X, y, s, (1,), np.array([W1, W2, b1, b2]), alpha, 2, eta=eta, beta=beta
    )

    # Forward: Z1 = x W1 + b1 = [0.5, 1.0]; A1 = relu(Z1) = [0.5, 1.0]
    A1 = [max(x * W1 + b1, 0.0) for x in (1.0, 2.0)]
    # Z2 = A1 W2 + b2 = [-0.25, -0.75]; p = sigmoid(Z2)
    Z2 = [a * W2 + b2 for a in A1]
    p = [sigmoid(z) for z in Z2]
    S = 1.0 + 3.0
    # J = (1/S) sum s_i l_i + alpha/(2S) (W1^2 + W2^2)
    losses = [-math.log(1 - p[0]), -math.log(p[1])]
    J = (1 * losses[0] + 3 * losses[1]) / S + alpha / (2 * S) * (W1**2 + W2**2)
    # Output delta D2 = s (p - y) / S
    D2 = [1 * (p[0] - 0) / S, 3 * (p[1] - 1) / S]
    gW2 = A1[0] * D2[0] + A1[1] * D2[1] + alpha / S * W2
    gb2 = D2[0] + D2[1]
    # D1 = (D2 W2) * relu'(Z1), and Z1 > 0 for both samples
    D1 = [d * W2 * 1.0 for d in D2]
    gW1 = 1.0 * D1[0] + 2.0 * D1[1] + alpha / S * W1
    gb1 = D1[0] + D1[1]
    # First step from V = 0: V = (1 - beta) g; theta <- theta - eta V
    grad = np.array([gW1, gW2, gb1, gb2])
    expected_theta = np.array([W1, W2, b1, b2]) - eta * (1 - beta) * grad

    # The objective gives J and the gradient by hand ...
    obj = trainer.objective
    sign = (1 - 2 * y).astype(float).reshape(-1, 1)
    assert obj.loss_grad(X, sign, s.reshape(-1, 1), S) == pytest.approx(J, rel=1e-14)
    np.testing.assert_allclose(obj.grad, grad, rtol=1e-14)
    # ... and one epoch (one full batch) makes the step by hand.
    assert trainer.run_epoch() == pytest.approx(J, rel=1e-14)
    np.testing.assert_allclose(
        trainer.optimizer.velocity, (1 - beta) * grad, rtol=1e-14
    )
    np.testing.assert_allclose(obj.theta, expected_theta, rtol=1e-14)


def data(n=10, d=3, seed=0):
    rng = np.random.RandomState(seed)
    return rng.normal(size=(n, d)), rng.randint(0, 2, n), rng.uniform(0.5, 2, n)


def test_epoch_loss_is_batch_losses_weighted_by_batch_weight_sums():
    X, y, s = data(n=10)
    net = Network((3, 4, 1), "tanh", np.float64)
    theta = net.initialize("glorot", np.random.RandomState(0))
    trainer = make_trainer(X, y, s, (4,), theta, 0.01, batch_size=4, activation="tanh")
    # Replay the epoch batch by batch with a fresh copy of the same state.
    replay = make_trainer(X, y, s, (4,), theta, 0.01, batch_size=4, activation="tanh")
    total, weight = 0.0, 0.0
    for start in (0, 4, 8):
        sl = slice(start, start + 4)
        S = s[sl].sum()
        J = replay.objective.loss_grad(
            X[sl], (1 - 2 * y[sl]).reshape(-1, 1).astype(float), s[sl].reshape(-1, 1), S
        )
        replay.optimizer.step(replay.objective.theta, replay.objective.grad)
        total += S * J
        weight += S
    assert trainer.run_epoch() == pytest.approx(total / weight, rel=1e-14)
    np.testing.assert_allclose(
        trainer.objective.theta, replay.objective.theta, rtol=1e-14, atol=1e-16
    )


def test_batch_with_zero_total_weight_is_skipped_without_division_by_zero():
    X, y, s = data(n=6)
    s[2:4] = 0.0  # the middle batch of size 2 has no weight
    theta = Network((3, 1), "relu", np.float64).initialize(
        "normal", np.random.RandomState(0)
    )
    trainer = make_trainer(X, y, s, (), theta, 0.1, batch_size=2)
    with np.errstate(all="raise"):
        loss = trainer.run_epoch()
    assert math.isfinite(loss)
    assert trainer.optimizer.n_steps == 2


def test_batch_size_is_clipped_to_the_number_of_samples():
    X, y, s = data(n=5)
    theta = Network((3, 1), "relu", np.float64).initialize(
        "normal", np.random.RandomState(0)
    )
    trainer = make_trainer(X, y, s, (), theta, 0.0, batch_size=50)
    assert trainer.batch_size == 5
    trainer.run_epoch()
    assert trainer.optimizer.n_steps == 1


def test_full_batch_epoch_does_not_depend_on_the_shuffle():
    X, y, s = data(n=30)
    theta = Network((3, 5, 1), "tanh", np.float64).initialize(
        "glorot", np.random.RandomState(0)
    )
    plain = make_trainer(X, y, s, (5,), theta, 0.1, 30, activation="tanh")
    shuffled = make_trainer(
        X, y, s, (5,), theta, 0.1, 30, shuffle=True, activation="tanh"
    )
    for _ in range(3):
        assert shuffled.run_epoch() == pytest.approx(plain.run_epoch(), rel=1e-12)
    np.testing.assert_allclose(
        shuffled.objective.theta, plain.objective.theta, rtol=1e-11
    )


def test_shuffled_minibatches_are_reproducible_and_differ_from_unshuffled():
    X, y, s = data(n=40)
    theta = Network((3, 5, 1), "relu", np.float64).initialize(
        "he", np.random.RandomState(0)
    )
    runs = [
        make_trainer(X, y, s, (5,), theta, 0.0, 8, shuffle=shuffle, seed=seed)
        for shuffle, seed in [(True, 1), (True, 1), (False, 1)]
    ]
    for trainer in runs:
        trainer.run_epoch()
        trainer.run_epoch()
    np.testing.assert_array_equal(runs[0].objective.theta, runs[1].objective.theta)
    assert not np.allclose(runs[0].objective.theta, runs[2].objective.theta)


def test_non_finite_batch_loss_stops_the_epoch_before_updating():
    X, y, s = data(n=8)
    theta = Network((3, 1), "relu", np.float64).initialize(
        "normal", np.random.RandomState(0)
    )
    trainer = make_trainer(X, y, s, (), theta, 0.0, 4)
    trainer.objective.theta[0] = np.inf
    before = trainer.objective.theta.copy()
    with np.errstate(all="ignore"):
        assert not math.isfinite(trainer.run_epoch())
    assert trainer.optimizer.n_steps == 0
    np.testing.assert_array_equal(trainer.objective.theta, before)
    assert not np.isfinite(trainer.objective.theta).all()


def test_gathering_per_epoch_or_per_batch_gives_the_same_model(monkeypatch):
    import sknn._training

    X, y, s = data(n=50, d=4)
    theta = Network((4, 6, 1), "relu", np.float64).initialize(
        "he", np.random.RandomState(0)
    )
    per_epoch = make_trainer(X, y, s, (6,), theta, 0.01, 8, shuffle=True, seed=3)
    monkeypatch.setattr(sknn._training, "EPOCH_GATHER_MAX_BYTES", 0)
    per_batch = make_trainer(X, y, s, (6,), theta, 0.01, 8, shuffle=True, seed=3)
    assert (per_epoch.gather, per_batch.gather) == ("epoch", "batch")
    for _ in range(3):
        assert per_epoch.run_epoch() == per_batch.run_epoch()
    np.testing.assert_array_equal(per_epoch.objective.theta, per_batch.objective.theta)


def test_stop_request_ends_the_epoch_after_the_current_step():
    X, y, s = data(n=40)
    theta = Network((3, 4, 1), "relu", np.float64).initialize(
        "he", np.random.RandomState(0)
    )
    trainer = make_trainer(X, y, s, (4,), theta, 0.0, 8)
    step = trainer.optimizer.step

    def step_then_request(params, grad):
        step(params, grad)
        if trainer.optimizer.n_steps == 2:
            trainer.stop_request.requested = True

    trainer.optimizer.step = step_then_request
    loss = trainer.run_epoch()
    assert trainer.optimizer.n_steps == 2  # of 5 batches
    assert math.isfinite(loss)


def test_lbfgs_reaches_the_logistic_regression_optimum():
    from sklearn.linear_model import LogisticRegression

    X, y, s = data(n=60, d=3, seed=1)
    alpha = 2.0
    net = Network((3, 1), "identity", np.float64)
    obj = Objective(net, alpha, 60, np.zeros(net.n_params))
    seen = []
    result = minimize_lbfgs(
        obj,
        X,
        y,
        s,
        max_iter=500,
        max_fun=5000,
        tol=1e-10,
        chunk_rows=7,
        on_iteration=lambda theta, J: seen.append(J),
    )
    # J = sum s l / S + alpha/(2S)||w||^2, i.e. LogisticRegression with
    # C = 1/alpha and the same sample weights.
    lr = LogisticRegression(C=1 / alpha, tol=1e-12, max_iter=10_000)
    lr.fit(X, y, sample_weight=s)
    assert result.status == "converged"
    np.testing.assert_allclose(obj.theta[:3], lr.coef_[0], atol=1e-6)
    np.testing.assert_allclose(obj.theta[3], lr.intercept_[0], atol=1e-6)
    assert result.n_iter == len(seen)
    assert seen[-1] == pytest.approx(result.loss)
    assert all(b <= a + 1e-12 for a, b in zip(seen, seen[1:]))  # monotone


@pytest.mark.parametrize("how", ["callback", "request"])
def test_lbfgs_can_be_stopped_after_an_iteration(how):
    X, y, s = data(n=50)
    net = Network((3, 5, 1), "tanh", np.float64)
    obj = Objective(net, 0.1, 50, net.initialize("glorot", np.random.RandomState(0)))
    request = StopRequest()
    iterates = []

    def on_iteration(theta, J):
        iterates.append(theta.copy())
        if len(iterates) == 3:
            if how == "request":
                request.requested = True
            return how == "callback"
        return False

    result = minimize_lbfgs(
        obj,
        X,
        y,
        s,
        max_iter=100,
        max_fun=1000,
        tol=1e-12,
        chunk_rows=50,
        on_iteration=on_iteration,
        stop_request=request,
    )
    assert result.status == ("stopped" if how == "callback" else "interrupted")
    assert result.n_iter == 3
    np.testing.assert_array_equal(obj.theta, iterates[-1])


def test_lbfgs_keyboard_interrupt_keeps_the_last_iterate():
    X, y, s = data(n=50)
    net = Network((3, 5, 1), "tanh", np.float64)
    obj = Objective(net, 0.1, 50, net.initialize("glorot", np.random.RandomState(0)))
    iterates = []
    full = obj.full_loss_grad

    def interrupting(*args):
        if len(iterates) == 2:
            raise KeyboardInterrupt
        return full(*args)

    obj.full_loss_grad = interrupting
    result = minimize_lbfgs(
        obj,
        X,
        y,
        s,
        max_iter=100,
        max_fun=1000,
        tol=1e-12,
        chunk_rows=50,
        on_iteration=lambda theta, J: iterates.append(theta.copy()),
    )
    assert result.status == "interrupted"
    assert result.n_iter == 2
    np.testing.assert_array_equal(obj.theta, iterates[-1])
