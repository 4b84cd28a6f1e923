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

Nothing here imports numba: the kernel module is imported (and compiled,
or loaded from numba's cache) the first time a fit takes the fast path.

The switch: the environment variable ``SKNN_FAST_PATH=0`` (or ``false``,
``no``, ``off``) turns the fast path off; ``SKNN_FAST_PATH=always`` takes it
for every network, whatever the size of its products (for benchmarks).  It
is read when a training run starts, not at import, so it also reaches
joblib's worker processes that inherit the environment.
"""

import ctypes
import importlib.util
import os
from importlib import metadata

import numpy as np

__all__ = [
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
]

ENV_SWITCH = "SKNN_FAST_PATH"
_OFF = ("0", "false", "no", "off")

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


def _switch():
    return os.environ.get(ENV_SWITCH, "1").strip().lower()


def enabled():
    """Whether training takes the fast path: numba is there and not switched off."""
    return _switch() not in _OFF and available()


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
        :func:`kernel_by_default` (or whenever supported if
        ``SKNN_FAST_PATH=always``); False: never; True:
        whenever the run is supported (numba installed, dense X, a plain
        optimizer), whatever the network's size.
    """
    if fast_path is None and _switch() == "always":
        fast_path = True
    if fast_path is False or (fast_path is None and not enabled()):
        return None
    if not available() or not isinstance(X, np.ndarray):
        return None
    if not _native_optimizer(optimizer):
        return None
    if fast_path is None and not kernel_by_default(objective.network, batch_size):
        return None
    return FusedTrainer(objective, optimizer, batch_size)


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

    Attributes
    ----------
    blas : ndarray of bool
        Per weight layer, whether its products go through BLAS.
    chunk : int
        Batches per call of the kernel (between two checks for Ctrl-C).
    """

    def __init__(self, objective, optimizer, batch_size):
        net = objective.network
        self.objective = objective
        self.optimizer = optimizer
        self.batch_size = int(batch_size)
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

    def applies(self, optimizer):
        """Whether the kernel still stands for ``optimizer.step``.

        False once the trainer's optimizer, or its ``step``, was replaced
        after this object was made: the NumPy loop then calls that step.
        """
        return optimizer is self.optimizer and _native_optimizer(optimizer)

    def run_epoch(self, X, order, sign, weight, starts, weight_sums, stop_request):
        """One epoch; the arguments and the result are those of ``run_epoch``.

        ``X`` holds the epoch's rows in batch order, or, when ``order`` is
        not None, the training set whose rows ``order`` lists.  ``sign`` and
        ``weight`` are the epoch's ``(n, 1)`` columns and ``weight_sums`` the
        ``S`` of every batch starting at ``starts``.
        """
        from . import _kernels

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
        starts = np.asarray(starts, dtype=np.int64)
        sums = np.asarray(weight_sums, dtype=np.float64)
        sign, weight = sign.reshape(-1), weight.reshape(-1)
        result = self._result
        n_batches = len(starts)
        total, total_weight = 0.0, 0.0
        first = 0
        while first < n_batches:
            last = min(first + self.chunk, n_batches)
            nxt = _kernels.run_batches(
                X,
                order,
                sign,
                weight,
                starts,
                sums,
                first,
                last,
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
                obj.alpha,
                opt.learning_rate,
                beta_1,
                beta_2,
                hp,
                opt.n_steps,
                result,
                self.gemm,
            )
            opt.n_steps += int(result[2])
            total += result[0]
            total_weight += result[1]
            if nxt < 0:
                return float(result[3])
            first = last
            if stop_request.requested and total_weight > 0:
                break
        return total / total_weight
