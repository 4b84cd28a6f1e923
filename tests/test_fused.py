"""The fast path (compiled kernel, numba) against the NumPy core.

Both paths start from the same parameters and optimizer state and train on
the same batches; their trajectories -- epoch losses, parameters and the
optimizer's state -- must agree to 1e-12 in float64 (rounding of sums
only) and to float32's precision in float32.  Skipped without numba, except
the tests of the SKNN_FAST_PATH switch (``without_numba``).
"""

import logging
import math
import os
import pickle
import subprocess
import sys
import time
import warnings

import numpy as np
import pytest
import scipy.sparse
from sklearn.exceptions import ConvergenceWarning

import sknn._fused as fused
from sknn import MLPBinaryClassifier
from sknn._monitor import TrainingMonitor
from sknn._network import Network, Objective
from sknn._optimizers import SGD, Adam
from sknn._training import MinibatchTrainer, TrainingConfig, train

TOL = {np.float64: 1e-12, np.float32: 2e-5}


def without_numba(test):
    """Mark a test that runs without numba too (the others are skipped)."""
    test.runs_without_numba = True
    return test


@pytest.fixture(autouse=True)
def _skip_without_numba(request):
    if not fused.available() and not getattr(
        request.function, "runs_without_numba", False
    ):
        pytest.skip("numba (the fast extra) is not installed")


@pytest.fixture
def fresh_kernels(monkeypatch):
    """A process with no kernel variant loaded yet, as after a new start."""
    kernels = fused._Kernels()
    monkeypatch.setattr(fused, "_KERNELS", kernels)
    return kernels


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
    for value in ("0", "always"):
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
    for value in ("0", "always"):
        monkeypatch.setenv(fused.ENV_SWITCH, value)
        clf = MLPBinaryClassifier(
            (5,),
            solver="adam",
            learning_rate_init=0.01,
            alpha=1e-3,
            batch_size=16,
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


def test_a_short_default_fit_never_imports_numba(tmp_path):
    # The first fit of a fresh process with an empty cache: the kernel would
    # take seconds to compile, the fit takes milliseconds on the NumPy path.
    code = (
        "import sys, numpy as np, sknn\n"
        "X = np.random.RandomState(0).normal(size=(200, 5))\n"
        "sknn.MLPBinaryClassifier((8,), solver='adam', learning_rate_init=0.01,\n"
        "    alpha=1e-3, batch_size=32, max_iter=20, tol=0.0,\n"
        "    random_state=0).fit(X, X[:, 0] > 0)\n"
        "assert 'numba' not in sys.modules, 'numba was imported'\n"
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    env.pop(fused.ENV_SWITCH, None)
    subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], check=True, env=env, timeout=600
    )
    assert not list(tmp_path.rglob("*.nbi"))


def test_a_long_default_run_compiles_in_the_background_and_switches(tmp_path):
    # A fresh process with an empty numba cache (NUMBA_CACHE_DIR): the
    # background process compiles into it while the run goes on on the NumPy
    # path (this process never compiles); then the kernel takes over between
    # two epochs.
    code = """
import sys
import numpy as np
import sknn._fused as fused
from sknn._network import Network, Objective
from sknn._optimizers import Adam
from sknn._training import MinibatchTrainer

fused.BACKGROUND_AFTER_SECONDS = 0.0  # as if the run had lasted long enough
rng = np.random.RandomState(0)
X = rng.normal(size=(64, 5))
y = (X[:, 0] > 0).astype(int)
net = Network((5, 6, 1), "relu", np.float64)
obj = Objective(net, 0.01, 16, net.initialize("auto", np.random.RandomState(1)))
opt = Adam(obj.theta, 0.01, 0.9, 0.999, 1e-8)
trainer = MinibatchTrainer(obj, opt, X, y, np.ones(64), 16, True, rng)
paths = []
run_epoch = trainer.fused.run_epoch
def counted(*args):
    paths[-1] = "kernel"
    return run_epoch(*args)
trainer.fused.run_epoch = counted
for epoch in range(2):
    paths.append("numpy")
    trainer.run_epoch()
    assert "numba" not in sys.modules, "numba imported by this process"
assert fused._KERNELS.states == {trainer.fused.variant: "compiling"}
process = fused._KERNELS.processes[trainer.fused.variant]
assert process.wait(timeout=900) == 0, "the background compilation failed"
for epoch in range(2):
    paths.append("numpy")
    trainer.run_epoch()
assert paths == ["numpy"] * 2 + ["kernel"] * 2, paths
assert fused._KERNELS.states == {trainer.fused.variant: "ready"}
from sknn._fused._kernels import run_batches
assert not run_batches.stats.cache_misses, "compiled in this process"
"""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    env.pop(fused.ENV_SWITCH, None)
    subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], check=True, env=env, timeout=1200
    )
    assert list(tmp_path.rglob("*.nbi")), "no numba cache index written"
    # The next process finds the kernel in the cache: it loads it without a
    # background process, and the epoch that reaches the threshold runs in it.
    setup = code[: code.index("for epoch in range(2):")]
    code = setup + (
        "paths.append('numpy')\n"
        "trainer.run_epoch()\n"
        "assert paths == ['kernel'], paths\n"
        "assert fused._KERNELS.processes == {}\n"
        "from sknn._fused._kernels import run_batches\n"
        "assert not run_batches.stats.cache_misses, 'compiled in this process'\n"
    )
    subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], check=True, env=env, timeout=1200
    )


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
    monkeypatch.setenv(fused.ENV_SWITCH, "always")
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


@without_numba
@pytest.mark.parametrize(
    ("value", "setting"),
    [
        (None, "on"),
        ("", "on"),
        ("1", "on"),
        ("true", "on"),
        (" Yes ", "on"),
        ("ON", "on"),
        ("0", "off"),
        ("False", "off"),
        ("no", "off"),
        ("Off ", "off"),
        ("always", "always"),
        ("ALWAYS", "always"),
    ],
)
def test_the_switch_accepts_these_values_in_any_case(value, setting, monkeypatch):
    if value is None:
        monkeypatch.delenv(fused.ENV_SWITCH, raising=False)
    else:
        monkeypatch.setenv(fused.ENV_SWITCH, value)
    assert fused.switch() == setting


@without_numba
@pytest.mark.parametrize("value", ["banana", "none", "-1", "2", "offf", "on off"])
def test_an_unknown_switch_value_fails_the_fit_naming_the_variable(value, monkeypatch):
    X, y, _ = data(n=40)
    monkeypatch.setenv(fused.ENV_SWITCH, "0")
    params = dict(solver="sgd", learning_rate_init=0.1, momentum=0.9, alpha=1e-3)
    clf = MLPBinaryClassifier((3,), batch_size=8, max_iter=2, random_state=0, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    before = [a.copy() for a in clf.coefs_ + clf.intercepts_]
    monkeypatch.setenv(fused.ENV_SWITCH, value)
    with pytest.raises(ValueError, match=f"SKNN_FAST_PATH='{value}'") as info:
        clf.fit(X[:30], y[:30])
    for accepted in ("1, true, yes or on", "0, false, no or off", "always"):
        assert accepted in str(info.value)
    for a, b in zip(before, clf.coefs_ + clf.intercepts_):
        np.testing.assert_array_equal(b, a)  # the fitted model is unchanged
    with pytest.raises(ValueError, match="SKNN_FAST_PATH"):
        fused.enabled()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_switching_paths_between_epochs_continues_the_trajectory(solver, dtype):
    # Both paths update the same parameters and optimizer state: a run that
    # changes path between epochs follows the NumPy path's trajectory.
    X, y, s = data(n=45, dtype=dtype)
    ref, mixed = trainer_pair(X, y, s, (6,), solver=solver, batch_size=8, shuffle=True)
    plan = [False, True, True, False, True, False, False, True]
    readiness = iter(plan)
    mixed.fused.ready = lambda: next(readiness)
    kernel_epochs = []
    run_epoch = mixed.fused.run_epoch

    def counted(*args):
        kernel_epochs.append(mixed.optimizer.n_steps // 6)  # 6 batches an epoch
        return run_epoch(*args)

    mixed.fused.run_epoch = counted
    assert_same_trajectory(ref, mixed, len(plan), TOL[dtype])
    assert kernel_epochs == [i for i, kernel in enumerate(plan) if kernel]


def test_the_kernel_runs_with_arguments_of_the_loaded_types(fresh_kernels):
    # Whatever the epoch passes (shuffled or not, rows gathered per batch,
    # read-only X), the kernel needs no compilation beyond the variant that
    # FusedTrainer.load prepared: a default fit never compiles in the
    # foreground.
    import sknn._fused._kernels as kernels
    import sknn._training

    X, y, s = data(n=40)
    X.flags.writeable = False  # a read-only array, as a memory map
    for shuffle, gather_max in [(False, None), (True, None), (True, 0)]:
        if gather_max is not None:
            sknn._training.EPOCH_GATHER_MAX_BYTES, saved = (
                gather_max,
                sknn._training.EPOCH_GATHER_MAX_BYTES,
            )
        try:
            _, fast = trainer_pair(X, y, s, (6,), solver="adam", shuffle=shuffle)
        finally:
            if gather_max is not None:
                sknn._training.EPOCH_GATHER_MAX_BYTES = saved
        fast.fused.load()
        compiled = set(kernels.run_batches.overloads)
        fast.run_epoch()
        assert set(kernels.run_batches.overloads) == compiled


def test_a_default_fit_takes_the_kernel_once_it_is_loaded(fresh_kernels, monkeypatch):
    # The process's first default fits stay on NumPy; once the kernel variant
    # is loaded (as the background compilation ends), fits take it.
    monkeypatch.delenv(fused.ENV_SWITCH, raising=False)
    monkeypatch.setattr(fused, "BACKGROUND_AFTER_SECONDS", math.inf)
    calls = []
    run_epoch = fused.FusedTrainer.run_epoch

    def counted(self, *args):
        calls.append(self.variant)
        return run_epoch(self, *args)

    monkeypatch.setattr(fused.FusedTrainer, "run_epoch", counted)
    X, y, s = data(n=80, d=4)
    params = dict(solver="adam", learning_rate_init=0.01, alpha=1e-3, tol=0.0)

    def fit():
        clf = MLPBinaryClassifier((5,), batch_size=16, max_iter=3, **params)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return clf.fit(X, y, sample_weight=s)

    fit()
    assert calls == []
    net = Network((4, 5, 1), "relu", np.float64)
    obj = Objective(net, 0.0, 16, net.initialize("he", np.random.RandomState(0)))
    fused.FusedTrainer(obj, Adam(obj.theta, 0.01, 0.9, 0.999, 1e-8), 16).load()
    assert fused.enabled()  # numba installed and not switched off
    fit()
    assert len(calls) == 3
    assert fresh_kernels.processes == {}  # nothing compiled in the background


def test_a_failed_background_compilation_is_said_once(
    fresh_kernels, monkeypatch, caplog
):
    monkeypatch.setattr(fused, "BACKGROUND_AFTER_SECONDS", 0.0)
    monkeypatch.setattr(fused, "_load_from_cache", lambda trainer: False)
    monkeypatch.setattr(fused, "_CHILD_CODE", "import sys; sys.exit(3)")
    X, y, s = data()
    ref, fast = trainer_pair(X, y, s, (6,), batch_size=8)
    fast.fused.wait = False  # a default run
    with caplog.at_level(logging.INFO, logger="sknn"):
        fast.run_epoch()  # starts the background process
        assert fast.fused.variant in fresh_kernels.processes
        fresh_kernels.processes[fast.fused.variant].wait(timeout=600)
        for _ in range(3):
            fast.run_epoch()
    warned = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1
    assert "NUMBA_CACHE_DIR" in warned[0].getMessage()
    assert "stays on the NumPy path" in warned[0].getMessage()
    assert fresh_kernels.states == {fast.fused.variant: "failed"}
    for _ in range(4):
        ref.run_epoch()
    np.testing.assert_array_equal(fast.objective.theta, ref.objective.theta)


def test_waiting_for_the_kernel_longer_than_a_second_is_said_once(monkeypatch, caplog):
    monkeypatch.setattr(fused, "SLOW_NOTICE_SECONDS", 0.0)
    with caplog.at_level(logging.WARNING, logger="sknn"):
        with fused._notice_if_slow("float32"):
            for _ in range(60 * 100):  # until the notice arrives
                if caplog.records:
                    break
                time.sleep(0.01)
    assert len(caplog.records) == 1
    assert "compiling or loading its training kernel for float32" in caplog.text
    monkeypatch.setattr(fused, "SLOW_NOTICE_SECONDS", 600.0)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="sknn"):
        with fused._notice_if_slow("float64"):
            pass
    assert not caplog.records


def test_a_forked_process_forgets_its_parents_background_compilations():
    kernels = fused._Kernels()
    kernels.loaded(("float64", True))
    kernels.states[("float32", True)] = "compiling"
    kernels.processes[("float32", True)] = object()  # the parent's child
    kernels.forget_processes()
    assert kernels.processes == {}
    assert kernels.states == {("float64", True): "ready"}
    assert kernels.loaded_variants == {("float64", True)}


def test_the_kernel_is_looked_for_in_numbas_cache_without_numba(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    assert not fused._cache_may_have_kernel()
    # Ask numba where its index goes, then put one there.
    code = (
        "import sknn._fused, sknn._fused._kernels as k, numba.core.caching as c\n"
        "locator = c.UserProvidedCacheLocator(k.run_batches.py_func, k.__file__)\n"
        "print(locator.get_cache_path())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        timeout=300,
        capture_output=True,
        text=True,
    )
    place = out.stdout.strip().splitlines()[-1]  # where numba puts the index
    os.makedirs(place, exist_ok=True)
    version = f"py{sys.version_info[0]}{sys.version_info[1]}"
    open(os.path.join(place, f"_kernels.run_batches-318.{version}.nbi"), "w").close()
    assert fused._cache_may_have_kernel()


@pytest.mark.skipif(sys.platform == "win32", reason="no fcntl: the lock is a no-op")
def test_the_kernel_cache_lock_lets_one_holder_in_at_a_time():
    # Two processes saving different kernel variants at once can corrupt
    # numba's cache index; every load or compile holds this lock, and the
    # quick load from the cache gives up (NumPy path) while another has it.
    import sknn._fused as fused_module

    with fused_module._cache_lock() as first:
        assert first
        with fused_module._cache_lock(wait=False) as second:
            assert not second
    with fused_module._cache_lock(wait=False) as again:
        assert again
