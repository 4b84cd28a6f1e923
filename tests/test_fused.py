"""The fast path (compiled kernel, numba) against the NumPy core.

Both paths start from the same parameters and optimizer state and train on
the same batches; their trajectories -- epoch losses, parameters and the
optimizer's state -- must agree to 1e-12 in float64 (rounding of sums
only) and to float32's precision in float32.  Skipped without numba.
"""

import math
import pickle
import subprocess
import sys
import warnings

import numpy as np
import pytest
import scipy.sparse
from sklearn.exceptions import ConvergenceWarning

pytest.importorskip("numba")

import sknn._fused as fused  # noqa: E402
from sknn import MLPBinaryClassifier  # noqa: E402
from sknn._monitor import TrainingMonitor  # noqa: E402
from sknn._network import Network, Objective  # noqa: E402
from sknn._optimizers import SGD, Adam  # noqa: E402
from sknn._training import MinibatchTrainer, TrainingConfig, train  # noqa: E402

TOL = {np.float64: 1e-12, np.float32: 2e-5}


def data(n=37, d=5, dtype=np.float64, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, d)).astype(dtype)
    return X, rng.randint(0, 2, n), rng.uniform(0.5, 2.0, n)


def trainer_pair(
    X,
    y,
    s,
    hidden=(6,),
    activation="relu",
    solver="sgd",
    batch_size=8,
    shuffle=False,
    alpha=0.01,
):
    """Two trainers, NumPy and fused, from the same parameters and seed."""
    net = Network((X.shape[1], *hidden, 1), activation, X.dtype)
    theta = net.initialize("auto", np.random.RandomState(1))
    trainers = []
    for fast in (False, True):
        obj = Objective(net, alpha, batch_size, theta)
        if solver == "sgd":
            opt = SGD(obj.theta, 0.05, 0.9)
        else:
            opt = Adam(obj.theta, 0.01, 0.9, 0.999, 1e-8)
        trainers.append(
            MinibatchTrainer(
                obj,
                opt,
                X,
                y,
                s,
                batch_size,
                shuffle,
                np.random.RandomState(2),
                fast_path=fast,
            )
        )
    assert trainers[0].fused is None
    assert trainers[1].fused is not None
    return trainers


def optimizer_state(opt):
    if isinstance(opt, Adam):
        return [opt.m, opt.v]
    return [opt._step]


def assert_same_trajectory(ref, fast, epochs, tol):
    for _ in range(epochs):
        expected, got = ref.run_epoch(), fast.run_epoch()
        assert got == pytest.approx(expected, rel=tol, abs=tol)
        scale = np.abs(ref.objective.theta).max()
        np.testing.assert_allclose(
            fast.objective.theta, ref.objective.theta, rtol=0, atol=tol * scale
        )
    assert fast.optimizer.n_steps == ref.optimizer.n_steps
    for a, b in zip(optimizer_state(ref.optimizer), optimizer_state(fast.optimizer)):
        np.testing.assert_allclose(b, a, rtol=tol * 10, atol=tol * np.abs(a).max())


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
@pytest.mark.parametrize("hidden", [(), (6,), (7, 4), (5, 4, 3)])
def test_kernel_follows_the_numpy_trajectory(hidden, activation, solver, dtype):
    X, y, s = data(dtype=dtype)
    ref, fast = trainer_pair(X, y, s, hidden, activation, solver, batch_size=8)
    assert_same_trajectory(ref, fast, 4, TOL[dtype])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("batch_size", [1, 9, 10, 37, 100])  # n = 37 rows
def test_every_batch_size_and_shuffle_follow_the_numpy_trajectory(
    batch_size, shuffle, dtype
):
    X, y, s = data(dtype=dtype)
    ref, fast = trainer_pair(
        X, y, s, (6,), "tanh", batch_size=batch_size, shuffle=shuffle
    )
    assert_same_trajectory(ref, fast, 3, TOL[dtype])


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_zero_weight_batches_are_skipped_on_both_paths(solver):
    X, y, s = data(n=40)
    s[8:16] = 0.0  # the second batch of 8 has no weight
    ref, fast = trainer_pair(X, y, s, (5,), solver=solver, batch_size=8)
    assert_same_trajectory(ref, fast, 2, 1e-12)
    assert fast.optimizer.n_steps == 8  # 4 of 5 batches per epoch


def test_without_l2_and_with_unit_weights():
    X, y, _ = data()
    ref, fast = trainer_pair(X, y, np.ones(len(y)), (6,), alpha=0.0)
    assert_same_trajectory(ref, fast, 3, 1e-12)


@pytest.mark.parametrize("blas", ["numpy", "np.dot"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_products_through_blas_follow_the_numpy_trajectory(
    solver, dtype, blas, monkeypatch
):
    monkeypatch.setattr(fused, "BLAS_MIN_FLOPS", 0)  # every layer through BLAS
    if blas == "np.dot":  # as where NumPy's cblas_?gemm cannot be found
        monkeypatch.setattr(fused, "numpy_gemm", lambda dtype: None)
    X, y, s = data(dtype=dtype)
    ref, fast = trainer_pair(X, y, s, (7, 4), "relu", solver)
    assert fast.fused.blas.all()
    assert (fast.fused.gemm is None) == (blas == "np.dot")
    assert_same_trajectory(ref, fast, 3, TOL[dtype])


def test_rows_gathered_batch_by_batch_follow_the_numpy_trajectory(monkeypatch):
    import sknn._training

    monkeypatch.setattr(sknn._training, "EPOCH_GATHER_MAX_BYTES", 0)
    X, y, s = data()
    ref, fast = trainer_pair(X, y, s, (6,), shuffle=True)
    assert fast.gather == "batch"
    assert_same_trajectory(ref, fast, 3, 1e-12)


def test_a_non_finite_batch_loss_stops_the_epoch_before_its_update():
    X, y, s = data(n=32)
    ref, fast = trainer_pair(X, y, s, (4,), batch_size=8)
    for trainer in (ref, fast):
        trainer.run_epoch()  # one good epoch, then poison the parameters
        trainer.objective.theta[0] = np.inf
    before = fast.objective.theta.copy()
    with np.errstate(all="ignore"):
        expected, got = ref.run_epoch(), fast.run_epoch()
    assert not math.isfinite(got)
    assert not math.isfinite(expected)
    assert fast.optimizer.n_steps == ref.optimizer.n_steps == 4
    np.testing.assert_array_equal(fast.objective.theta, before)


@pytest.mark.parametrize("chunk", [1, 2])
def test_a_stop_request_ends_the_epoch_after_the_chunk_in_progress(chunk):
    X, y, s = data(n=40)
    _, fast = trainer_pair(X, y, s, (4,), batch_size=8)
    fast.fused.chunk = chunk
    fast.stop_request.requested = True
    loss = fast.run_epoch()
    assert fast.optimizer.n_steps == chunk  # of 5 batches
    # The same as a whole epoch over the rows of those batches.
    rows = slice(0, 8 * chunk)
    ref, _ = trainer_pair(X[rows], y[rows], s[rows], (4,), batch_size=8)
    assert loss == pytest.approx(ref.run_epoch(), rel=1e-12)
    np.testing.assert_allclose(
        fast.objective.theta, ref.objective.theta, rtol=0, atol=1e-12
    )


def test_sparse_input_and_custom_optimizers_stay_on_numpy():
    X, y, s = data()
    net = Network((5, 3, 1), "relu", np.float64)
    obj = Objective(net, 0.0, 8, net.initialize("he", np.random.RandomState(0)))
    rng = np.random.RandomState(0)
    sparse = MinibatchTrainer(
        obj, SGD(obj.theta, 0.1, 0.9), scipy.sparse.csr_matrix(X), y, s, 8, True,
        rng, fast_path=True,
    )  # fmt: skip
    assert sparse.fused is None

    class MySGD(SGD):
        def step(self, params, grad):
            super().step(params, grad)

    custom = MinibatchTrainer(
        obj, MySGD(obj.theta, 0.1, 0.9), X, y, s, 8, True, rng, fast_path=True
    )
    assert custom.fused is None
    patched = SGD(obj.theta, 0.1, 0.9)
    patched.step = lambda params, grad: None
    assert MinibatchTrainer(obj, patched, X, y, s, 8, True, rng).fused is None


@pytest.mark.parametrize("value", ["0", "false", "OFF", "no"])
def test_the_environment_switch_turns_the_fast_path_off(value, monkeypatch):
    X, y, s = data()
    net = Network((5, 3, 1), "relu", np.float64)
    obj = Objective(net, 0.0, 8, net.initialize("he", np.random.RandomState(0)))
    rng = np.random.RandomState(0)
    monkeypatch.delenv(fused.ENV_SWITCH, raising=False)
    on = MinibatchTrainer(obj, SGD(obj.theta, 0.1, 0.9), X, y, s, 8, True, rng)
    assert on.fused is not None
    monkeypatch.setenv(fused.ENV_SWITCH, value)
    off = MinibatchTrainer(obj, SGD(obj.theta, 0.1, 0.9), X, y, s, 8, True, rng)
    assert off.fused is None


def new_monitor(net):
    return TrainingMonitor(
        net,
        loss_curve=[],
        unit="epoch",
        tol=0.0,
        n_iter_no_change=None,
        validation=None,
        verbose=False,
    )


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_train_with_schedules_gives_the_same_run_on_both_paths(solver, monkeypatch):
    X, y, s = data(n=60)
    net = Network((5, 6, 1), "relu", np.float64)
    theta = net.initialize("he", np.random.RandomState(0))
    config = TrainingConfig(
        solver=solver,
        batch_size=16,
        learning_rate_init=0.05,
        learning_rate="invscaling",
        power_t=0.3,
        max_iter=4,
        alpha=0.001,
    )
    results = []
    for value in ("0", "1"):
        monkeypatch.setenv(fused.ENV_SWITCH, value)
        monitor = new_monitor(net)
        result = train(config, net, theta, X, y, s, monitor, np.random.RandomState(3))
        results.append((result, monitor.loss_curve))
    (a, curve_a), (b, curve_b) = results
    np.testing.assert_allclose(curve_b, curve_a, rtol=1e-12)
    np.testing.assert_allclose(b.theta, a.theta, rtol=0, atol=1e-12)
    assert b.optimizer.n_steps == a.optimizer.n_steps
    assert b.optimizer.learning_rate == a.optimizer.learning_rate


def test_estimator_fits_and_partial_fits_the_same_model_on_both_paths(monkeypatch):
    X, y, s = data(n=80, d=4)
    models = []
    for value in ("0", "1"):
        monkeypatch.setenv(fused.ENV_SWITCH, value)
        clf = MLPBinaryClassifier(
            (5,),
            solver="adam",
            alpha=1e-3,
            batch_size=16,
            learning_rate_init=0.01,
            max_iter=3,
            random_state=0,
            tol=0.0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X, y, sample_weight=s)
        clf = pickle.loads(pickle.dumps(clf))  # the optimizer state travels
        clf.partial_fit(X, y, sample_weight=s)
        models.append(clf)
    a, b = models
    np.testing.assert_allclose(b.loss_curve_, a.loss_curve_, rtol=1e-12)
    for p, q in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        np.testing.assert_allclose(q, p, rtol=0, atol=1e-12)


def test_importing_sknn_does_not_import_numba():
    code = "import sys, sknn; assert 'numba' not in sys.modules, 'numba imported'"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_numba_cache_dir_is_respected(tmp_path):
    # A fresh process with its own cache directory compiles into it.
    code = (
        "import numpy as np, sknn\n"
        "X = np.random.RandomState(0).normal(size=(20, 3))\n"
        "sknn.MLPBinaryClassifier((4,), solver='adam', max_iter=1)"
        ".fit(X, X[:, 0] > 0)\n"
    )
    env = {**__import__("os").environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    env.pop(fused.ENV_SWITCH, None)
    subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], check=True, env=env, timeout=600
    )
    assert list(tmp_path.rglob("*.nbi")), "no numba cache index written"


def test_show_versions_says_whether_the_fast_path_is_on(monkeypatch):
    import io

    from sknn import show_versions

    out = io.StringIO()
    monkeypatch.delenv(fused.ENV_SWITCH, raising=False)
    show_versions(file=out)
    assert f"fast path: on (numba {fused.numba_version()}" in out.getvalue()
    monkeypatch.setenv(fused.ENV_SWITCH, "0")
    out = io.StringIO()
    show_versions(file=out)
    assert "fast path: off (SKNN_FAST_PATH=0" in out.getvalue()


def test_without_numpy_blas_large_networks_stay_on_numpy_unless_forced(monkeypatch):
    X, y, s = data()
    net = Network((5, 3, 1), "relu", np.float64)
    obj = Objective(net, 0.0, 8, net.initialize("he", np.random.RandomState(0)))
    rng = np.random.RandomState(0)
    monkeypatch.delenv(fused.ENV_SWITCH, raising=False)
    flops = fused.batch_flops(net, 8)
    assert flops == 2 * 8 * (2 * (5 * 3 + 3 * 1) + 3 * 1)
    monkeypatch.setattr(fused, "KERNEL_MAX_FLOPS", flops - 1)
    # With NumPy's BLAS at hand the kernel takes every network ...
    if fused.numpy_gemm(np.float64) is not None:
        auto = MinibatchTrainer(obj, SGD(obj.theta, 0.1, 0.9), X, y, s, 8, True, rng)
        assert auto.fused is not None
    # ... without, large ones stay on NumPy.
    monkeypatch.setattr(fused, "numpy_gemm", lambda dtype: None)
    auto = MinibatchTrainer(obj, SGD(obj.theta, 0.1, 0.9), X, y, s, 8, True, rng)
    assert auto.fused is None
    forced = MinibatchTrainer(
        obj, SGD(obj.theta, 0.1, 0.9), X, y, s, 8, True, rng, fast_path=True
    )
    assert forced.fused is not None
    monkeypatch.setenv(fused.ENV_SWITCH, "always")
    always = MinibatchTrainer(obj, SGD(obj.theta, 0.1, 0.9), X, y, s, 8, True, rng)
    assert always.fused is not None


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_numpy_gemm_multiplies_like_numpy(dtype):
    gemm = fused.numpy_gemm(dtype)
    if gemm is None:
        pytest.skip("NumPy's cblas_?gemm not found; the kernel uses np.dot")
    rng = np.random.RandomState(0)
    A, B = rng.rand(5, 3).astype(dtype), rng.rand(3, 4).astype(dtype)
    C = np.empty((5, 4), dtype)
    # row-major, no transposes: C = A @ B
    gemm(101, 111, 111, 5, 4, 3, 1.0, A.ctypes.data, 3, B.ctypes.data, 4, 0.0,
         C.ctypes.data, 4)  # fmt: skip
    np.testing.assert_allclose(C, A @ B, rtol=1e-6)


def test_ctrl_c_stops_a_fast_path_run_between_chunks(monkeypatch):
    import os
    import signal
    import threading

    X, y, s = data(n=64)
    net = Network((5, 6, 1), "relu", np.float64)
    theta = net.initialize("he", np.random.RandomState(0))
    config = TrainingConfig(batch_size=8, learning_rate_init=0.01, max_iter=10**7)
    monkeypatch.setenv(fused.ENV_SWITCH, "1")
    monitor = new_monitor(net)
    # Ctrl-C once training runs (the first epoch compiles or loads the kernel).
    started = threading.Event()
    end = monitor.end

    def end_and_signal(loss, theta):
        started.set()
        return end(loss, theta)

    monitor.end = end_and_signal
    timer = threading.Thread(
        target=lambda: started.wait(600) and os.kill(os.getpid(), signal.SIGINT)
    )
    timer.start()
    result = train(config, net, theta, X, y, s, monitor, np.random.RandomState(0))
    timer.join()
    assert result.status == "interrupted"
    assert 1 <= monitor.n_iter < 10**7
    assert np.isfinite(result.theta).all()
    # Here one chunk is a whole epoch of 8 batches: the interrupted epoch
    # ran to the end of its chunk and is not counted.
    assert result.optimizer.n_steps == 8 * (monitor.n_iter + 1)
