"""Epochs of minibatch training: a step by hand, batching, weights, shuffling."""

import math
import os
import signal
import threading

import numpy as np
import pytest

from sknn._monitor import TrainingMonitor
from sknn._network import Network, Objective
from sknn._optimizers import SGD
from sknn._training import (
    MinibatchTrainer,
    StopRequest,
    TrainingConfig,
    invscaling,
    make_optimizer,
    minimize_lbfgs,
    other_blas_single_threaded,
    stop_on_sigint,
    train,
)
from sknn.exceptions import TrainingDivergedError


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


def test_sigint_sets_the_stop_request_and_the_handler_is_restored():
    before = signal.getsignal(signal.SIGINT)
    request = StopRequest()
    with stop_on_sigint(request):
        os.kill(os.getpid(), signal.SIGINT)
        assert request.requested
        with pytest.raises(KeyboardInterrupt):  # a second Ctrl-C interrupts
            os.kill(os.getpid(), signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is before


def test_sigint_handler_is_not_installed_outside_the_main_thread():
    seen = []

    def work():
        with stop_on_sigint(StopRequest()):
            seen.append(signal.getsignal(signal.SIGINT))

    before = signal.getsignal(signal.SIGINT)
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [before]


# -- the drivers: train() with a plain configuration, no estimator -------------
def new_monitor(net, **kwargs):
    options = dict(
        unit="epoch", tol=1e-4, n_iter_no_change=None, validation=None, verbose=False
    )
    options.update(kwargs)
    return TrainingMonitor(net, loss_curve=[], **options)


def test_train_runs_the_epochs_of_a_hand_driven_trainer():
    X, y, s = data(n=37, d=3)
    net = Network((3, 5, 1), "tanh", np.float64)
    theta = net.initialize("glorot", np.random.RandomState(0))
    config = TrainingConfig(
        solver="sgd",
        alpha=0.1,
        batch_size=8,
        learning_rate_init=0.3,
        momentum=0.5,
        max_iter=4,
    )
    monitor = new_monitor(net)
    result = train(config, net, theta, X, y, s, monitor, np.random.RandomState(2))
    # The same four epochs by hand.
    obj = Objective(net, 0.1, 8, theta)
    trainer = MinibatchTrainer(
        obj, SGD(obj.theta, 0.3, 0.5), X, y, s, 8, True, np.random.RandomState(2)
    )
    losses = [trainer.run_epoch() for _ in range(4)]
    np.testing.assert_array_equal(result.theta, obj.theta)
    assert monitor.loss_curve == losses
    assert (result.status, result.t, result.loss) == ("max_iter", 4 * 37, None)
    assert isinstance(result.optimizer, SGD)
    assert result.optimizer.n_steps == 4 * 5
    np.testing.assert_array_equal(
        theta, net.initialize("glorot", np.random.RandomState(0))
    )


def test_train_continues_a_given_optimizer_and_counts_samples_from_t():
    X, y, s = data(n=30, d=3)
    net = Network((3, 4, 1), "relu", np.float64)
    theta = net.initialize("he", np.random.RandomState(0))
    config = TrainingConfig(solver="adam", batch_size=10, learning_rate_init=0.01)
    rng = np.random.RandomState(5)
    first = train(config, net, theta, X, y, s, new_monitor(net), rng, n_epochs=1, t=7)
    second = train(
        config,
        net,
        first.theta,
        X,
        y,
        s,
        new_monitor(net),
        rng,
        optimizer=first.optimizer,
        n_epochs=1,
        t=first.t,
    )
    both = train(
        config,
        net,
        theta,
        X,
        y,
        s,
        new_monitor(net),
        np.random.RandomState(5),
        n_epochs=2,
    )
    np.testing.assert_array_equal(second.theta, both.theta)
    assert (first.t, second.t) == (37, 67)
    assert second.optimizer is first.optimizer
    assert second.optimizer.n_steps == 6


def test_train_stops_when_the_monitor_says_so():
    X, y, s = data(n=20)
    net = Network((3, 1), "relu", np.float64)
    config = TrainingConfig(batch_size=20, learning_rate_init=1e-12, max_iter=100)
    monitor = new_monitor(net, n_iter_no_change=2, tol=1.0)
    result = train(
        config, net, np.zeros(net.n_params), X, y, s, monitor, np.random.RandomState(0)
    )
    # Epoch 1 sets the best loss; epochs 2, 3, 4 fail to improve by tol: stop.
    assert (result.status, monitor.n_iter) == ("no_improvement", 4)


def test_invscaling_schedule_sets_the_step_size_after_every_epoch():
    X, y, s = data(n=25)
    net = Network((3, 1), "relu", np.float64)
    config = TrainingConfig(
        batch_size=5,
        learning_rate_init=0.4,
        learning_rate="invscaling",
        power_t=0.25,
        max_iter=3,
    )
    result = train(
        config,
        net,
        np.zeros(net.n_params),
        X,
        y,
        s,
        new_monitor(net),
        np.random.RandomState(0),
    )
    assert result.optimizer.learning_rate == pytest.approx(
        0.4 / (3 * 25 + 1) ** 0.25, rel=1e-15
    )
    assert invscaling(0.4, 75, 0.25) == pytest.approx(0.4 / 76**0.25, rel=1e-15)
    assert invscaling(1.0, 10**6, 200) == np.finfo(np.float64).tiny  # no underflow


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_adaptive_schedule_divides_the_step_size_by_five_on_each_plateau(solver):
    X, y, s = data(n=20)
    net = Network((3, 1), "relu", np.float64)
    config = TrainingConfig(
        solver=solver,
        batch_size=20,
        learning_rate_init=0.1,
        learning_rate="adaptive",
        max_iter=1000,
    )
    # tol = 10: no epoch ever improves enough, so with n_iter_no_change = 1
    # the rule fires at epochs 3, 5, 7, ...; each time 'sgd' divides the step
    # size by 5 and goes on, until it is below 1e-6: 0.1 / 5**8 is the first
    # such value, and the ninth firing (epoch 19) stops.  Adam has no schedule.
    monitor = new_monitor(net, n_iter_no_change=1, tol=10.0)
    result = train(
        config,
        net,
        np.zeros(net.n_params),
        X,
        y,
        s,
        monitor,
        np.random.RandomState(0),
    )
    assert result.status == "no_improvement"
    if solver == "sgd":
        assert monitor.n_iter == 19
        assert result.optimizer.learning_rate == pytest.approx(0.1 / 5**8)
    else:
        assert monitor.n_iter == 3
        assert result.optimizer.learning_rate == 0.1


def test_ctrl_c_during_a_step_ends_training_after_that_step():
    X, y, s = data(n=40)
    net = Network((3, 4, 1), "relu", np.float64)
    theta = net.initialize("he", np.random.RandomState(0))

    class Interrupting(SGD):
        def step(self, params, grad):
            super().step(params, grad)
            if self.n_steps == 7:  # in the second epoch of 5 batches
                os.kill(os.getpid(), signal.SIGINT)

    obj = Objective(net, 0.0, 8, theta)
    optimizer = Interrupting(obj.theta, 0.1, 0.9)
    monitor = new_monitor(net)
    before = signal.getsignal(signal.SIGINT)
    result = train(
        TrainingConfig(batch_size=8, learning_rate_init=0.1, momentum=0.9, max_iter=10),
        net,
        theta,
        X,
        y,
        s,
        monitor,
        np.random.RandomState(0),
        optimizer=optimizer,
    )
    assert signal.getsignal(signal.SIGINT) is before
    assert (result.status, monitor.n_iter, optimizer.n_steps) == ("interrupted", 1, 7)
    assert result.t == 40  # the interrupted epoch does not count


def test_train_with_lbfgs_reports_its_status_and_final_loss():
    X, y, s = data(n=60, d=3, seed=1)
    net = Network((3, 1), "identity", np.float64)
    monitor = new_monitor(net, unit="iteration")
    config = TrainingConfig(
        solver="lbfgs", alpha=2.0, max_iter=500, tol=1e-10, chunk_rows=7
    )
    result = train(config, net, np.zeros(net.n_params), X, y, s, monitor, None, t=3)
    assert (result.status, result.optimizer) == ("converged", None)
    assert result.loss == pytest.approx(monitor.loss_curve[-1])
    assert result.t == 3 + monitor.n_iter * 60
    limited = train(
        TrainingConfig(solver="lbfgs", alpha=2.0, max_iter=2, tol=1e-10),
        net,
        np.zeros(net.n_params),
        X,
        y,
        s,
        new_monitor(net, unit="iteration"),
        None,
    )
    assert limited.status == "limit"
    assert "ITERATIONS" in limited.message.upper()


def test_make_optimizer_follows_the_configuration():
    theta = np.zeros(4)
    sgd = make_optimizer(TrainingConfig(learning_rate_init=0.2, momentum=0.3), theta)
    assert (type(sgd), sgd.learning_rate, sgd.momentum) == (SGD, 0.2, 0.3)
    adam = make_optimizer(
        TrainingConfig(
            solver="adam", learning_rate_init=0.01, beta_1=0.5, beta_2=0.6, epsilon=1e-3
        ),
        theta,
    )
    assert (adam.learning_rate, adam.beta_1, adam.beta_2, adam.epsilon) == (
        0.01,
        0.5,
        0.6,
        1e-3,
    )


def test_other_blas_libraries_run_single_threaded_inside_the_guard(blas_threads):
    from threadpoolctl import threadpool_info

    def others():
        return {
            lib["filepath"]: lib["num_threads"]
            for lib in threadpool_info()
            if lib["user_api"] == "blas" and "numpy" not in lib["filepath"]
        }

    before = others()
    with other_blas_single_threaded():
        inside = others()
        blas = [lib for lib in threadpool_info() if lib["user_api"] == "blas"]
        if len(blas) >= 2:
            assert all(n == 1 for n in inside.values())
    assert others() == before


def test_training_layer_and_core_import_nothing_from_scikit_learn():
    import subprocess
    import sys
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "sknn"
    # Load the modules without the package's __init__ (which imports the
    # estimator), with scikit-learn made unimportable.
    code = f"""
import sys, types
sys.modules["sklearn"] = None
pkg = types.ModuleType("sknn")
pkg.__path__ = [{str(package)!r}]
sys.modules["sknn"] = pkg
import importlib
for name in ("_activations", "_loss", "_network", "_optimizers", "_monitor",
             "_training", "_inputs", "_state", "_params"):
    importlib.import_module("sknn." + name)
assert not any(m.startswith("sklearn.") for m in sys.modules), "sklearn imported"
print("ok")
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "ok", result.stderr


@pytest.mark.parametrize("layout", ["fortran", "strided"])
def test_rows_of_a_non_c_ordered_X_are_gathered_from_one_c_ordered_copy(
    layout, monkeypatch
):
    import sknn._training

    # Gathering the rows of a Fortran-ordered (every DataFrame) or strided X
    # batch by batch reads the whole array for every batch: the trainer
    # works on one C-ordered copy instead, with the same results.
    X, y, s = data(n=60, d=8)
    X_other = (
        np.asfortranarray(X) if layout == "fortran" else np.repeat(X, 2, 1)[:, ::2]
    )
    assert not X_other.flags.c_contiguous
    np.testing.assert_array_equal(X_other, X)
    theta = Network((8, 5, 1), "relu", np.float64).initialize(
        "he", np.random.RandomState(0)
    )
    monkeypatch.setattr(sknn._training, "EPOCH_GATHER_MAX_BYTES", 0)  # per batch
    runs = [
        make_trainer(X_, y, s, (5,), theta, 0.01, 8, shuffle=True, seed=3)
        for X_ in (X, X_other)
    ]
    assert runs[1].X.flags.c_contiguous
    assert runs[1].gather == "batch"
    for _ in range(2):
        assert runs[0].run_epoch() == runs[1].run_epoch()
    np.testing.assert_array_equal(runs[0].objective.theta, runs[1].objective.theta)


def test_a_network_whose_output_ignores_its_input_is_reported():
    # Every hidden unit's pre-activation negative on all rows: relu is 0
    # everywhere, the output is the output bias alone.
    X, y, s = data(n=40)
    net = Network((3, 4, 1), "relu", np.float64)
    theta = net.initialize("he", np.random.RandomState(0))
    coefs, intercepts = net.unpack(theta)
    intercepts[0][:] = -100.0
    config = TrainingConfig(batch_size=8, learning_rate_init=1e-3, max_iter=2)
    result = train(
        config, net, theta, X, y, s, new_monitor(net), np.random.RandomState(0)
    )
    assert [kind for kind, _ in result.warnings] == ["constant"]
    assert "StandardScaler" in result.warnings[0][1]
    # A live network, and a sample whose rows are all equal, are not reported.
    intercepts[0][:] = 0.0
    live = train(
        config, net, theta, X, y, s, new_monitor(net), np.random.RandomState(0)
    )
    assert live.warnings == ()
    same_rows = np.repeat(X[:1], 40, axis=0)
    intercepts[0][:] = -100.0
    flat = train(
        config, net, theta, same_rows, y, s, new_monitor(net), np.random.RandomState(0)
    )
    assert flat.warnings == ()


def test_make_config_resolves_the_auto_values():
    # About the defaults: the estimator's default parameters and how their
    # 'auto' values resolve today.
    from sknn import MLPBinaryClassifier
    from sknn._training import AUTO_ALPHA, AUTO_LEARNING_RATE, make_config

    X = np.random.RandomState(0).normal(scale=0.5, size=(130, 4))
    params = MLPBinaryClassifier().get_params()
    adam = make_config(params, X, chunk_rows=50)
    # alpha='auto' is AUTO_ALPHA / n_batches: 130 rows in batches of 64 -> 3.
    assert adam.alpha == AUTO_ALPHA / 3
    assert adam.batch_size == 64
    assert adam.learning_rate_init == AUTO_LEARNING_RATE["adam"]
    assert adam.chunk_rows == 50
    lbfgs = make_config({**params, "solver": "lbfgs"}, X, 50)
    assert lbfgs.alpha == AUTO_ALPHA  # one batch: the whole set
    auto_batch = make_config({**params, "batch_size": "auto"}, X, 50)
    assert (auto_batch.batch_size, auto_batch.alpha) == (200, AUTO_ALPHA / 1)
    # SGD's step is divided by the features' mean square when above 1.
    sgd = make_config({**params, "solver": "sgd"}, X, 50)
    assert sgd.learning_rate_init == AUTO_LEARNING_RATE["sgd"]  # mean square 1/4
    scaled = make_config({**params, "solver": "sgd"}, X * 10 + 3, 50)
    mean_square = np.mean(np.mean((X * 10 + 3) ** 2, axis=0))
    assert scaled.learning_rate_init == pytest.approx(
        AUTO_LEARNING_RATE["sgd"] / mean_square
    )
    # Numbers are kept as they are.
    given = make_config({**params, "alpha": 0.3, "learning_rate_init": 0.07}, X, 50)
    assert (given.alpha, given.learning_rate_init) == (0.3, 0.07)


# -- the divergence checks' scale, and a second Ctrl-C --------------------------
def logistic_objective(theta, X, y, s, alpha, S):
    """J of logistic regression by hand: weighted mean cross-entropy + L2 / S."""
    z = X @ theta[:-1] + theta[-1]
    losses = np.logaddexp(0, np.where(y == 1, -z, z))
    return np.dot(s, losses) / s.sum() + alpha / (2 * S) * np.dot(
        theta[:-1], theta[:-1]
    )


@pytest.mark.parametrize("zero_rows", [slice(0, 0), slice(0, 8), slice(0, 20)])
def test_the_starting_scale_is_measured_on_the_rows_that_weigh_something(zero_rows):
    # Issue 17: with a first batch of zero weight there used to be no scale,
    # and both divergence checks were off.  The scale is J of an average
    # batch (S = total weight / batches) on the rows of positive weight.
    X, y, s = data(n=40)
    s[zero_rows] = 0.0
    net = Network((3, 1), "relu", np.float64)
    theta = np.array([0.3, -0.2, 0.5, 0.1])
    monitor = new_monitor(net)
    config = TrainingConfig(
        solver="sgd", alpha=0.4, batch_size=8, learning_rate_init=1e-3, max_iter=1
    )
    train(config, net, theta, X, y, s, monitor, np.random.RandomState(0))
    kept = s > 0
    expected = logistic_objective(
        theta, X[kept], y[kept], s[kept], alpha=0.4, S=s.sum() / 5
    )
    assert monitor.start_loss == pytest.approx(expected, rel=1e-12)


def test_the_starting_scale_samples_rows_spread_over_the_data():
    # Data sorted by class: the first rows alone would all be of class 0.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(1000, 3))
    y = np.repeat([0, 1], 500)
    s = np.ones(1000)
    net = Network((3, 1), "relu", np.float64)
    theta = np.array([0.0, 0.0, 0.0, -3.0])  # predicts class 0 for every row
    monitor = new_monitor(net)
    config = TrainingConfig(
        solver="sgd", alpha=0.0, batch_size=64, learning_rate_init=1e-9, max_iter=1
    )
    train(config, net, theta, X, y, s, monitor, np.random.RandomState(0))
    # Half the sample is of class 1: the mean of log(1 + e^-3) and log(1 + e^3).
    assert monitor.start_loss == pytest.approx(
        (np.logaddexp(0, -3.0) + np.logaddexp(0, 3.0)) / 2, rel=1e-12
    )


def test_the_final_check_measures_the_model_kept_not_the_epoch_mean():
    # One full-batch step: the epoch's loss is J before the step (log 2 from
    # zero weights), while the model kept, after a huge step, is far worse.
    X, y, s = data(n=50)
    net = Network((3, 1), "relu", np.float64)
    config = TrainingConfig(
        solver="sgd",
        alpha=0.0,
        batch_size=50,
        momentum=0.0,
        learning_rate_init=1e3,
        max_iter=1,
    )
    monitor = new_monitor(net)
    with pytest.raises(TrainingDivergedError, match="model kept has a training loss"):
        train(
            config,
            net,
            np.zeros(net.n_params),
            X,
            y,
            s,
            monitor,
            np.random.RandomState(0),
        )
    assert monitor.loss_curve == [pytest.approx(math.log(2))]


def test_lbfgs_measures_its_start_on_the_full_objective():
    X, y, s = data(n=60, d=3, seed=1)
    net = Network((3, 1), "identity", np.float64)
    theta = np.array([0.5, -0.5, 0.2, 0.1])
    monitor = new_monitor(net, unit="iteration")
    config = TrainingConfig(solver="lbfgs", alpha=2.0, max_iter=5, tol=1e-10)
    train(config, net, theta, X, y, s, monitor, None)
    expected = logistic_objective(theta, X, y, s, alpha=2.0, S=s.sum())
    assert monitor.start_loss == pytest.approx(expected, rel=1e-12)


def sigint_twice():
    os.kill(os.getpid(), signal.SIGINT)  # stop after this step...
    os.kill(os.getpid(), signal.SIGINT)  # ...no: stop now


def test_a_second_ctrl_c_during_a_step_abandons_training():
    X, y, s = data(n=40)
    net = Network((3, 4, 1), "relu", np.float64)
    theta = net.initialize("he", np.random.RandomState(0))

    class Interrupting(SGD):
        def step(self, params, grad):
            super().step(params, grad)
            if self.n_steps == 7:
                sigint_twice()

    obj = Objective(net, 0.0, 8, theta)
    optimizer = Interrupting(obj.theta, 0.1, 0.9)
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        train(
            TrainingConfig(batch_size=8, learning_rate_init=0.1, max_iter=10),
            net,
            theta,
            X,
            y,
            s,
            new_monitor(net),
            np.random.RandomState(0),
            optimizer=optimizer,
        )
    assert signal.getsignal(signal.SIGINT) is before
    assert optimizer.n_steps == 7


def test_a_second_ctrl_c_during_lbfgs_abandons_training(monkeypatch):
    from sknn import _network

    X, y, s = data(n=50)
    net = Network((3, 5, 1), "tanh", np.float64)
    theta = net.initialize("glorot", np.random.RandomState(0))
    evaluations = {"n": 0}
    full = _network.Objective.full_loss_grad

    def patched(self, *args):
        evaluations["n"] += 1
        if evaluations["n"] == 4:
            sigint_twice()
        return full(self, *args)

    monkeypatch.setattr(_network.Objective, "full_loss_grad", patched)
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        train(
            TrainingConfig(solver="lbfgs", alpha=0.1, max_iter=100),
            net,
            theta,
            X,
            y,
            s,
            new_monitor(net, unit="iteration"),
            None,
        )
    assert signal.getsignal(signal.SIGINT) is before
    assert evaluations["n"] == 4
