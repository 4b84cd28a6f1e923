"""The fast path: one compiled kernel per run of batches (optional, numba).

The NumPy core makes about 25 NumPy calls per batch, which cost 0.5-1 us
each whatever the size of the arrays: for a small network (10 inputs, 16
hidden units, 32 rows) that fixed cost is nearly all of a batch's time.
When numba is installed (the ``fast`` extra), the stochastic
solvers instead run :func:`sknn._fused._kernels.run_batches`, which does the
forward pass, the loss, backpropagation and the optimizer step of many
batches without returning to Python.  Its arithmetic is the NumPy core's
(same formulas, same order of the optimizer's operations), so the two paths
give the same trajectory up to the rounding of sums.

The kernel calls NumPy's own BLAS (``cblas_dgemm``/``cblas_sgemm``, found
through threadpoolctl) for the products of large layers.  Where that BLAS
cannot be found, it uses ``np.dot``, which numba sends to SciPy's BLAS, and
networks whose products take more than :data:`KERNEL_MAX_FLOPS` operations
per batch then stay on the NumPy path (see :func:`kernel_by_default`).

The kernel runs a *chunk* of batches at a time (about
:data:`CHUNK_FLOPS` floating-point operations, at least one batch) and
returns to Python between chunks, where a Ctrl-C is noticed: on this path
training stops after the chunk in progress rather than after the batch.

Per weight layer, the kernel computes the matrix products either with loops
or through BLAS: BLAS when a product of that layer has at least
:data:`BLAS_MIN_FLOPS` operations, the crossover measured on the project's
machine (``docs/performance.rst``).  In practice only the output layer of small
networks runs as loops; what the kernel saves is the Python and NumPy call
overhead around the products, and the passes over memory of the elementwise
work, which it fuses (the bias with the activation, the L2 gradient with the
optimizer step, and the L2 term's sum of squares with the update).

Nothing here imports numba: a default fit starts on the NumPy path, and the
kernel takes over between two epochs once it is ready.  Compiling it takes
5-10 s per dtype, far longer than most fits, so a default fit never waits
for it (see :class:`FusedTrainer`): once the process has spent
:data:`BACKGROUND_AFTER_SECONDS` training on the NumPy path, it loads the
kernel variant the run needs from numba's cache (a fraction of a second),
or, where the cache does not have it (its index file is looked for before
numba is imported), a background process (at low priority) compiles it
into the cache and this process then loads it; later epochs, and later
fits, run in the kernel.  The two
paths update the same parameters and optimizer state, so the switch
continues the same trajectory.

The switch: the environment variable ``SKNN_FAST_PATH`` (case and spaces
ignored) is ``1``, ``true``, ``yes`` or ``on`` (the default, also when it
is unset or empty): the kernel as above; ``0``, ``false``, ``no`` or ``off``:
the NumPy path only; ``always``: the kernel from the first batch for every
network, whatever the size of its products, compiled in this process if
need be (for benchmarks).  Any other value raises a ValueError.  It is
read when a training run starts, not at import, so it also reaches joblib's
worker processes that inherit the environment.
"""

import ctypes
import glob
import hashlib
import importlib.util
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from importlib import metadata

import numpy as np

__all__ = [
    "ACCEPTED_SWITCH_VALUES",
    "BACKGROUND_AFTER_SECONDS",
    "BLAS_MIN_FLOPS",
    "CHUNK_FLOPS",
    "ENV_SWITCH",
    "KERNEL_MAX_FLOPS",
    "FusedTrainer",
    "available",
    "batch_flops",
    "enabled",
    "kernel_by_default",
    "make_fused_trainer",
    "numba_version",
    "numpy_gemm",
    "switch",
]

ENV_SWITCH = "SKNN_FAST_PATH"
_SWITCH_VALUES = {
    "on": ("1", "true", "yes", "on"),
    "off": ("0", "false", "no", "off"),
    "always": ("always",),
}
ACCEPTED_SWITCH_VALUES = tuple(v for values in _SWITCH_VALUES.values() for v in values)

# A default fit runs on the NumPy path until the kernel is ready.  The
# kernel's compilation starts, in a background process, once the process
# has spent this long in NumPy-path epochs that the kernel could run: the
# run is then long enough that the kernel will likely pay for itself, and
# short fits never import numba.  Each pause between two epochs counts for
# at most _MAX_EPOCH_SECONDS, so time spent outside training (between
# fits) hardly counts.
BACKGROUND_AFTER_SECONDS = 1.0
_MAX_EPOCH_SECONDS = 0.25
# Whatever makes a fit wait for the kernel longer than this says so, once.
SLOW_NOTICE_SECONDS = 1.0

_logger = logging.getLogger("sknn")

# A product with at least this many floating-point operations (2 m n_in n_out
# for m rows) goes to BLAS; smaller ones run as loops in the kernel.  Measured
# (docs/performance.rst): called from the kernel, BLAS is 1.1-3.6x faster
# than the loops from 10^4 operations up (a 32 x 10 by 10 x 16 product), and
# the two tie below about 6 x 10^3 (the output layer of small networks).
BLAS_MIN_FLOPS = 8192
# Work per chunk of batches between two returns to Python (a few ms).
CHUNK_FLOPS = 50_000_000
# Where the kernel cannot call NumPy's BLAS (numpy_gemm is None), networks
# whose matrix products take more operations per batch stay on the NumPy
# path (unless the fast path is forced): their time is the products', which
# the kernel then runs through SciPy's BLAS, a second thread pool beside
# NumPy's.  Measured (docs/performance.rst): alone, the kernel is 10-20%
# faster on such networks; within ~0.1 s of NumPy's BLAS having run (the
# validation set, a preceding step of a pipeline) the two pools share the
# two cores and the kernel is up to 40% slower.  Below, the kernel's saving
# of call overhead is 1.5x (a 50-100-1 network, batch 200) and more.
KERNEL_MAX_FLOPS = 30_000_000


def numba_version():
    """numba's installed version, or None."""
    try:
        return metadata.version("numba")
    except metadata.PackageNotFoundError:
        return None


def available():
    """Whether numba can be imported (checked without importing it)."""
    return importlib.util.find_spec("numba") is not None


def switch():
    """The setting of ``SKNN_FAST_PATH``: 'on' (also when unset), 'off' or 'always'.

    Raises
    ------
    ValueError
        When the variable holds anything else, naming it and the accepted
        values.
    """
    raw = os.environ.get(ENV_SWITCH)
    value = "" if raw is None else raw.strip().lower()
    if not value:
        return "on"
    for setting, values in _SWITCH_VALUES.items():
        if value in values:
            return setting
    raise ValueError(
        f"The environment variable {ENV_SWITCH}={raw!r} is not understood: use "
        "1, true, yes or on (the default: the compiled kernel where numba is "
        "installed), 0, false, no or off (the NumPy path only), or always (the "
        "kernel for every run), in any case."
    )


def enabled():
    """Whether training takes the fast path: numba is there and not switched off.

    Raises ValueError when ``SKNN_FAST_PATH`` holds an unknown value.
    """
    return switch() != "off" and available()


def _native_optimizer(optimizer):
    """Whether ``optimizer`` is a plain SGD or Adam, whose step the kernel repeats.

    A subclass, or an optimizer whose ``step`` was replaced, runs through the
    NumPy path so that its own ``step`` is called.
    """
    from .._optimizers import SGD, Adam

    kind = type(optimizer)
    return (
        kind in (SGD, Adam)
        and kind.step is _NATIVE_STEPS[kind]
        and "step" not in vars(optimizer)
    )


def _native_steps():
    from .._optimizers import SGD, Adam

    return {SGD: SGD.step, Adam: Adam.step}


_NATIVE_STEPS = _native_steps()


def make_fused_trainer(objective, optimizer, X, batch_size, fast_path=None):
    """A :class:`FusedTrainer` for this training run, or None for the NumPy path.

    Parameters
    ----------
    objective : sknn._network.Objective
        The parameters and the network.
    optimizer : SGD or Adam
        The optimizer whose state the kernel updates.
    X : ndarray or sparse matrix
        The training inputs (sparse ones stay on the NumPy path).
    batch_size : int
        Rows per batch.
    fast_path : bool or None, default=None
        None: the fast path when :func:`enabled` and
        :func:`kernel_by_default`, once the kernel is ready (see
        :class:`FusedTrainer`), or from the first batch when
        ``SKNN_FAST_PATH=always``; False: never; True: from the first batch
        whenever the run is supported (numba installed, dense X, a plain
        optimizer), whatever the network's size.

    Raises
    ------
    ValueError
        When ``SKNN_FAST_PATH`` holds an unknown value (read even where the
        run could not take the kernel, so that a typo never goes unseen).
    """
    setting = switch()
    if fast_path is None and setting == "always":
        fast_path = True
    if fast_path is False or (fast_path is None and setting == "off"):
        return None
    if not available() or not isinstance(X, np.ndarray):
        return None
    if not _native_optimizer(optimizer):
        return None
    if fast_path is None and not kernel_by_default(objective.network, batch_size):
        return None
    return FusedTrainer(objective, optimizer, batch_size, wait=bool(fast_path))


def kernel_by_default(network, batch_size):
    """Whether a default fit of this network takes the kernel.

    Always where the kernel calls NumPy's own BLAS (:func:`numpy_gemm`);
    otherwise only when a batch's products take at most
    :data:`KERNEL_MAX_FLOPS` operations.
    """
    if batch_flops(network, batch_size) <= KERNEL_MAX_FLOPS:
        return True
    return numpy_gemm(network.dtype) is not None


def batch_flops(network, batch_size):
    """Operations of the matrix products of one batch: about ``6 m n_coef``.

    ``Z = A W`` and ``dW = A.T D`` for every layer, and ``D W.T`` for all but
    the first.
    """
    products = [a * b for a, b in network.coef_shapes]
    return 2 * int(batch_size) * (2 * sum(products) + sum(products[1:]))


_ACTIVATION_CODES = {"identity": 0, "relu": 1, "tanh": 2, "logistic": 3}

# cblas_?gemm in NumPy's BLAS, by dtype (filled on first use).
_GEMM = {}
# Names of cblas_dgemm in the BLAS libraries NumPy ships with, and the C type
# of their integer arguments: NumPy's wheels bundle an ILP64 OpenBLAS whose
# symbols carry a prefix and a "64_" suffix.
_GEMM_NAMES = (
    ("scipy_cblas_{}gemm64_", ctypes.c_int64),
    ("cblas_{}gemm64_", ctypes.c_int64),
)


def numpy_gemm(dtype):
    """``cblas_dgemm`` or ``cblas_sgemm`` of the BLAS NumPy uses, or None.

    Calling NumPy's own BLAS from the kernel keeps one BLAS thread pool in
    the process: numba's ``np.dot`` goes to SciPy's BLAS, a second pool, and
    two pools on the same cores slow each other down (docs/performance.rst).
    None when NumPy's BLAS cannot be told apart from SciPy's or exports none
    of the known names; the kernel then uses ``np.dot``.
    """
    dtype = np.dtype(dtype)
    if dtype not in _GEMM:
        _GEMM[dtype] = _find_gemm("d" if dtype == np.float64 else "s")
    return _GEMM[dtype]


def _find_gemm(kind):
    try:
        from threadpoolctl import threadpool_info

        paths = [
            info["filepath"]
            for info in threadpool_info()
            if info.get("user_api") == "blas" and "numpy" in info["filepath"]
        ]
        if len(paths) != 1:
            return None
        library = ctypes.CDLL(paths[0])
    except (ImportError, OSError, KeyError):  # pragma: no cover
        return None
    real = ctypes.c_double if kind == "d" else ctypes.c_float
    for name, integer in _GEMM_NAMES:
        function = getattr(library, name.format(kind), None)
        if function is None:
            continue
        i, p = ctypes.c_int, ctypes.c_void_p
        function.restype = None
        # order, transa, transb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc
        function.argtypes = [i, i, i, integer, integer, integer, real, p, integer]
        function.argtypes += [p, integer, real, p, integer]
        return function
    return None


class FusedTrainer:
    """Runs the epochs of a :class:`~sknn._training.MinibatchTrainer` in the kernel.

    Parameters
    ----------
    objective : sknn._network.Objective
        Holds ``theta`` and ``grad``, which the kernel updates in place.
    optimizer : SGD or Adam
        Its state (``_step``, or ``m`` and ``v``, and ``n_steps``) is updated
        in place, exactly as its own ``step`` would.
    batch_size : int
        Rows per batch.
    wait : bool, default=False
        False: :meth:`ready` says whether the kernel variant this run needs
        (its dtype, and whether it calls NumPy's BLAS) is loaded in this
        process, and gets it ready in the background meanwhile (see the
        module docstring); the trainer runs NumPy-path epochs until then.
        True: the kernel from the first epoch, compiled or loaded in this
        process at its first call.

    Attributes
    ----------
    blas : ndarray of bool
        Per weight layer, whether its products go through BLAS.
    chunk : int
        Batches per call of the kernel (between two checks for Ctrl-C).
    """

    def __init__(self, objective, optimizer, batch_size, wait=False):
        net = objective.network
        self.objective = objective
        self.optimizer = optimizer
        self.batch_size = int(batch_size)
        self.wait = bool(wait)
        self.sizes = np.asarray(net.layer_sizes, dtype=np.int64)
        m = self.batch_size
        self.blas = np.array(
            [2 * m * a * b >= BLAS_MIN_FLOPS for a, b in net.coef_shapes], dtype=bool
        )
        self.act = _ACTIVATION_CODES[net.activation.name]
        self.chunk = max(1, CHUNK_FLOPS // max(batch_flops(net, m), 1))
        dtype = net.dtype
        hidden = int(np.sum(self.sizes[1:]))
        self._buf_a = np.zeros(m * hidden, dtype)
        self._buf_d = np.zeros(m * hidden, dtype)
        self._buf_g = np.zeros(m * hidden, dtype)
        self._buf_x = np.zeros(m * int(self.sizes[0]), dtype)
        self._no_order = np.empty(0, dtype=np.int64)
        self.gemm = numpy_gemm(dtype) if self.blas.any() else None
        self._result = np.zeros(4)
        # The compiled variant this run needs: run_batches is compiled once
        # per dtype and type of ``gemm`` (a ctypes function, or None).
        self.variant = (np.dtype(dtype).name, self.gemm is not None)

    def applies(self, optimizer):
        """Whether the kernel still stands for ``optimizer.step``.

        False once the trainer's optimizer, or its ``step``, was replaced
        after this object was made: the NumPy loop then calls that step.
        """
        return optimizer is self.optimizer and _native_optimizer(optimizer)

    def ready(self):
        """Whether the next epoch runs in the kernel; called before every epoch.

        With ``wait=True``, always.  Otherwise when the kernel variant is
        loaded in this process; until then every call counts the time since
        the previous one (a NumPy-path epoch) towards
        :data:`BACKGROUND_AFTER_SECONDS`; once that is reached, it loads the
        kernel from numba's cache, or, where the cache does not have it,
        starts the background compilation and loads the kernel once that is
        done.  Never blocks for longer than importing numba and a load.
        """
        if self.wait:
            return True
        return _KERNELS.ready(self)

    def load(self, notice=True):
        """Compile or load this trainer's kernel variant in this process.

        One call of the kernel on an empty run of batches, with arguments of
        the types :meth:`run_epoch` passes.  With ``notice``, a call that
        takes longer than :data:`SLOW_NOTICE_SECONDS` says so, once.
        """
        from . import _kernels

        args = self._load_arguments(_kernels)
        with _cache_lock():
            if notice:
                with _notice_if_slow(self.variant[0]):
                    _kernels.run_batches(*args)
            else:
                _kernels.run_batches(*args)
        _KERNELS.loaded(self.variant)

    def _load_arguments(self, _kernels):
        """Arguments of ``run_batches`` for no batches, of :meth:`run_epoch`'s types."""
        X = np.zeros((1, int(self.sizes[0])), self.objective.network.dtype)
        column = np.ones((1, 1), X.dtype)
        return self._arguments(X, None, column, column, [0], [1.0], _kernels)

    def _arguments(self, X, order, sign, weight, starts, weight_sums, _kernels):
        """The arguments of ``run_batches`` for an epoch (batches 0 to 0)."""
        opt, obj = self.optimizer, self.objective
        dtype = obj.theta.dtype
        if type(opt).__name__ == "Adam":
            solver = _kernels.ADAM
            state_a, state_b = opt.m, opt.v
            beta_1, beta_2 = opt.beta_1, opt.beta_2
            hp = np.array(
                [beta_1, 1.0 - beta_1, beta_2, 1.0 - beta_2, opt.epsilon], dtype=dtype
            )
        else:
            solver = _kernels.SGD
            state_a = state_b = opt._step
            beta = opt.momentum
            hp = np.array([beta, opt.learning_rate * (1.0 - beta)], dtype=dtype)
            beta_1 = beta_2 = 0.0
        order = self._no_order if order is None else order.astype(np.int64, copy=False)
        # The kernel only reads X: a read-only view gives one compiled variant
        # for writable and read-only inputs (a memory map, say).
        X = X.view()
        X.flags.writeable = False
        return [
            X,
            order,
            np.ascontiguousarray(sign.reshape(-1)),
            np.ascontiguousarray(weight.reshape(-1)),
            np.asarray(starts, dtype=np.int64),
            np.asarray(weight_sums, dtype=np.float64),
            0,
            0,
            self.batch_size,
            obj.theta,
            obj.grad,
            state_a,
            state_b,
            self.sizes,
            self.blas,
            self._buf_a,
            self._buf_d,
            self._buf_g,
            self._buf_x,
            self.act,
            solver,
            float(obj.alpha),
            float(opt.learning_rate),
            float(beta_1),
            float(beta_2),
            hp,
            int(opt.n_steps),
            self._result,
            self.gemm,
        ]

    def run_epoch(self, X, order, sign, weight, starts, weight_sums, stop_request):
        """One epoch; the arguments and the result are those of ``run_epoch``.

        ``X`` holds the epoch's rows in batch order, or, when ``order`` is
        not None, the training set whose rows ``order`` lists.  ``sign`` and
        ``weight`` are the epoch's ``(n, 1)`` columns and ``weight_sums`` the
        ``S`` of every batch starting at ``starts``.
        """
        from . import _kernels

        if self.variant not in _KERNELS.loaded_variants:
            self.load()  # wait=True: compiles, or loads from numba's cache
        opt = self.optimizer
        args = self._arguments(X, order, sign, weight, starts, weight_sums, _kernels)
        result = self._result
        n_batches = len(starts)
        total, total_weight = 0.0, 0.0
        first = 0
        while first < n_batches:
            last = min(first + self.chunk, n_batches)
            args[6], args[7], args[26] = first, last, opt.n_steps
            nxt = _kernels.run_batches(*args)
            opt.n_steps += int(result[2])
            total += result[0]
            total_weight += result[1]
            if nxt < 0:
                return float(result[3])
            first = last
            if stop_request.requested and total_weight > 0:
                break
        return total / total_weight


@contextmanager
def _notice_if_slow(dtype):
    """Say once, after :data:`SLOW_NOTICE_SECONDS`, that the kernel is compiling."""
    message = (
        f"sknn is compiling or loading its training kernel for {dtype} (numba, "
        "the 'fast' extra); a first compilation takes a few seconds, and numba "
        f"caches it for later processes. {ENV_SWITCH}=0 turns the fast path off."
    )
    timer = threading.Timer(SLOW_NOTICE_SECONDS, _logger.warning, (message,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


# The background process: sknn's own __init__ imports scikit-learn, which the
# kernel does not need; a bare package module in its place saves that time.
_CHILD_CODE = """\
import os, signal, sys, types
signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the fit
if sys.path and sys.path[0] == "":
    del sys.path[0]
try:
    os.nice(10)
except (AttributeError, OSError):
    pass
package = types.ModuleType("sknn")
package.__path__ = [sys.argv[1]]
sys.modules["sknn"] = package
from sknn._fused import _compile_variant
sys.exit(_compile_variant(sys.argv[2], sys.argv[3] == "gemm"))
"""
# Exit codes of the background process besides 0 (compiled or found in the
# cache).
_NO_CACHE, _NO_GEMM = 3, 4


def _compile_variant(dtype, gemm):
    """Compile a kernel variant into numba's cache: the background process's job.

    Returns the process's exit code.
    """
    from .._network import Network, Objective
    from .._optimizers import SGD
    from . import _kernels

    if not _kernels._JIT["cache"]:
        return _NO_CACHE
    network = Network((1, 1), "identity", np.dtype(dtype))
    objective = Objective(network, 0.0, 1, np.zeros(network.n_params, dtype))
    trainer = FusedTrainer(objective, SGD(objective.theta, 0.1, 0.0), 1)
    trainer.gemm = numpy_gemm(dtype) if gemm else None
    if gemm and trainer.gemm is None:
        return _NO_GEMM
    trainer.variant = (np.dtype(dtype).name, gemm)
    trainer.load(notice=False)
    return 0


def _cache_may_have_kernel():
    """Whether numba's cache seems to hold a compiled kernel; numba not imported.

    Looks for the kernel's index file where numba's cache locators put it:
    under ``NUMBA_CACHE_DIR`` when that is set, else next to the module or in
    the user-wide cache.  A guess that saves importing numba (about 0.5 s)
    in a process that would only find the cache empty: a wrong "no" leaves
    the kernel to the background process, a wrong "yes" costs that import.
    """
    source_dir = os.path.dirname(os.path.abspath(__file__))
    digest = hashlib.sha1(source_dir.encode()).hexdigest()
    subpath = f"{os.path.basename(source_dir)}_{digest}"
    if os.environ.get("NUMBA_CACHE_DIR"):
        places = [os.path.join(os.environ["NUMBA_CACHE_DIR"], subpath)]
    else:
        user = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
        places = [
            os.path.join(source_dir, "__pycache__"),
            os.path.join(user, "numba", subpath),
        ]
    version = f"py{sys.version_info[0]}{sys.version_info[1]}"
    pattern = f"_kernels.run_batches-*.{version}*.nbi"
    return any(glob.glob(os.path.join(glob.escape(p), pattern)) for p in places)


@contextmanager
def _cache_lock(wait=True):
    """Hold an exclusive lock on numba's cache of the kernel, across processes.

    numba numbers the compiled variants in its cache index as it saves them,
    so two processes saving different variants at once can leave an index
    entry that points at the other variant's code; loading it then fails on
    the first call.  Every load or compile of the kernel holds this lock (a
    file lock in the temporary directory, one per installed copy).  Yields
    whether it holds it: without ``wait`` it gives up at once when another
    process has it.  Where ``fcntl`` is missing (Windows) it is a no-op.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield True
        return
    source_dir = os.path.dirname(os.path.abspath(__file__))
    digest = hashlib.sha1(source_dir.encode()).hexdigest()[:16]
    path = os.path.join(tempfile.gettempdir(), f"sknn-kernel-{digest}.lock")
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _load_from_cache(trainer):
    """Load the trainer's kernel variant if numba's cache has it; never compile.

    Importing numba and loading the cached code take a fraction of a second,
    so where the kernel is in the cache no background process is needed.
    This is what numba's ``Dispatcher.compile`` does before compiling, and
    relies on its internals: any failure means "not loaded", and the
    background process then compiles or finds it.
    """
    from . import _kernels

    if not _kernels._JIT["cache"]:
        return False
    dispatcher = _kernels.run_batches
    try:
        from numba.core.compiler_lock import global_compiler_lock

        args = trainer._load_arguments(_kernels)
        signature = tuple(dispatcher.typeof_pyval(a) for a in args)
        with _cache_lock(wait=False) as locked, global_compiler_lock:
            if not locked:
                return False  # another process is writing the cache
            if signature not in dispatcher.overloads:
                with _notice_if_slow(trainer.variant[0]):
                    cres = dispatcher._cache.load_overload(
                        signature, dispatcher.targetctx
                    )
                if cres is None:
                    return False
                dispatcher.targetctx.insert_user_function(
                    cres.entry_point, cres.fndesc, [cres.library]
                )
                dispatcher.add_overload(cres)
    except Exception:  # pragma: no cover - another numba's internals
        return False
    _KERNELS.loaded(trainer.variant)
    return True


class _Kernels:
    """The kernel variants of this process, and the NumPy-path time so far.

    A variant is 'idle', 'compiling' (its background process runs),
    'ready' (loaded here) or 'failed' (for the rest of the process).  State
    changes happen under a lock; a trainer that finds it taken carries on
    with the NumPy path.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.states = {}
        self.processes = {}
        self.loaded_variants = set()
        self.numpy_seconds = 0.0
        self._clock = None

    def forget_processes(self):
        """In a forked child: the parent's background processes are not ours.

        The kernels loaded before the fork stay loaded (their code is in
        this process's memory); the compilations in progress start over.
        """
        self.lock = threading.Lock()
        self.processes = {}
        self.states = {v: "ready" for v in self.loaded_variants}

    def loaded(self, variant):
        self.loaded_variants.add(variant)
        self.states[variant] = "ready"

    def ready(self, trainer):
        variant = trainer.variant
        if variant in self.loaded_variants:
            self._clock = None
            return True
        if not self.lock.acquire(blocking=False):
            return False
        try:
            now = time.perf_counter()
            if self._clock is not None:
                self.numpy_seconds += min(now - self._clock, _MAX_EPOCH_SECONDS)
            state = self.states.get(variant, "idle")
            if state == "idle" and self.numpy_seconds >= BACKGROUND_AFTER_SECONDS:
                self._start(variant, trainer)
            elif state == "compiling" and self.processes[variant].poll() is not None:
                self._finish(variant, trainer)
            ready = variant in self.loaded_variants
            self._clock = None if ready else time.perf_counter()
            return ready
        finally:
            self.lock.release()

    def _start(self, variant, trainer):
        dtype, gemm = variant
        if _cache_may_have_kernel() and _load_from_cache(trainer):
            _logger.info(
                "sknn: loaded the training kernel for %s from numba's cache.", dtype
            )
            return
        if getattr(sys, "frozen", False) or not sys.executable:
            self._fail(variant, "no Python interpreter to compile it with")
            return
        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        command = [sys.executable, "-c", _CHILD_CODE, package, dtype]
        command.append("gemm" if gemm else "dot")
        stderr = tempfile.TemporaryFile()
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        except OSError as exc:
            stderr.close()
            self._fail(variant, f"the background process did not start ({exc})")
            return
        process.stderr_file = stderr
        self.processes[variant] = process
        self.states[variant] = "compiling"
        _logger.info(
            "sknn: compiling the training kernel for %s in the background (pid %d); "
            "training continues on the NumPy path until it is ready.",
            dtype,
            process.pid,
        )

    def _finish(self, variant, trainer):
        process = self.processes.pop(variant)
        stderr = process.stderr_file
        stderr.seek(0)
        lines = stderr.read().decode(errors="replace").strip().splitlines()
        stderr.close()
        if process.returncode == _NO_CACHE:
            self._fail(
                variant,
                "numba has no writable cache directory (set NUMBA_CACHE_DIR to "
                f"one, or {ENV_SWITCH}=always to compile in every process)",
            )
            return
        if process.returncode != 0:
            last = lines[-1] if lines else "no message"
            self._fail(
                variant,
                f"the background process exited with code {process.returncode}: {last}",
            )
            return
        # Idle until loaded: a load cut short (KeyboardInterrupt) is retried,
        # by a new background process that finds the kernel in the cache.
        self.states[variant] = "idle"
        try:
            trainer.load()  # from numba's cache
        except Exception as exc:  # pragma: no cover - numba's own failures
            self._fail(variant, f"loading it failed: {exc!r}")
            return
        _logger.info("sknn: the training kernel for %s is ready.", variant[0])

    def _fail(self, variant, reason):
        self.states[variant] = "failed"
        _logger.warning(
            "sknn could not prepare its compiled training kernel for %s (the "
            "'fast' extra): %s. Training stays on the NumPy path, which gives the "
            "same results.",
            variant[0],
            reason,
        )


_KERNELS = _Kernels()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=lambda: _KERNELS.forget_processes())
