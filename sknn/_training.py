"""The training layer: drivers that run a whole training run.  NumPy/SciPy only.

:func:`train` is the entry point.  It gets the network, the starting
parameters, the training data as arrays (labels in {0, 1}, one weight per
sample), a :class:`TrainingConfig` of plain hyperparameter values and a
:class:`~sknn._monitor.TrainingMonitor`, runs the solver the configuration
names, and returns a :class:`TrainingResult`.  It knows nothing of the
estimator: the estimator validates, builds the configuration, calls
:func:`train` and turns the result into fitted attributes and warnings.

- The stochastic solvers ('sgd', 'adam'): :class:`MinibatchTrainer` walks
  the batches of one epoch (forward, backward, optimizer step);
  :func:`run_epochs` runs epochs, applies the step-size schedule
  ('invscaling', and 'adaptive' through the monitor's plateau hook) and hands
  every epoch to the monitor, which decides when to stop.
- 'lbfgs': :func:`minimize_lbfgs` minimises the full-batch objective with
  SciPy's L-BFGS-B, calling the monitor after every iteration, with the other
  BLAS libraries held to one thread (:func:`other_blas_single_threaded`).
- Interrupts: while a driver runs, Ctrl-C sets a :class:`StopRequest`
  (:func:`stop_on_sigint`), and training stops after the update in progress,
  so the parameters are never left half-updated; a second Ctrl-C raises
  KeyboardInterrupt out of the driver.

A shuffled dense ``X`` of up to :data:`EPOCH_GATHER_MAX_BYTES` is gathered
once per epoch into a reused copy (one call instead of one per batch, which
is faster for narrow rows); a larger one is gathered batch by batch, so
shuffling never doubles the memory of a large training set.
"""

import math
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import scipy.optimize

from ._fused import make_fused_trainer
from ._inputs import mean_square, row_hashes
from ._loss import binary_cross_entropy, l2_penalty, label_sign
from ._monitor import check_finite, check_outputs_finite
from ._network import Objective
from ._optimizers import SGD, Adam

__all__ = [
    "AUTO_ALPHA",
    "AUTO_LEARNING_RATE",
    "EPOCH_GATHER_MAX_BYTES",
    "LbfgsResult",
    "MinibatchTrainer",
    "SCALE_SAMPLE_ROWS",
    "StopRequest",
    "TrainingConfig",
    "TrainingResult",
    "invscaling",
    "make_config",
    "make_optimizer",
    "minimize_lbfgs",
    "other_blas_single_threaded",
    "run_epochs",
    "stop_on_sigint",
    "train",
]


@dataclass
class TrainingConfig:
    """The hyperparameters of a training run, as plain values.

    Attributes
    ----------
    solver : {'sgd', 'adam', 'lbfgs'}
    alpha : float
        L2 strength.
    batch_size : int
        Rows per minibatch (clipped to the number of samples).
    learning_rate_init : float
        The step size of 'sgd' and 'adam'.
    learning_rate : {'constant', 'invscaling', 'adaptive'}
        The step-size schedule of 'sgd' (the other solvers ignore it).
    power_t : float
        Exponent of the 'invscaling' schedule.
    momentum : float
        'sgd''s beta.
    beta_1, beta_2, epsilon : float
        Adam's parameters.
    shuffle : bool
        Visit the rows in a new order every epoch.
    max_iter : int
        Epochs ('sgd', 'adam') or iterations ('lbfgs').
    max_fun : int
        Evaluation budget of 'lbfgs'.
    tol : float
        L-BFGS-B's tolerances on the gradient and on the decrease of J (the
        stochastic solvers' stopping rule takes its ``tol`` from the monitor).
    chunk_rows : int
        Rows per chunk when 'lbfgs' evaluates the objective on the whole set.
    """

    solver: str = "sgd"
    alpha: float = 0.0
    batch_size: int = 200
    learning_rate_init: float = 0.001
    learning_rate: str = "constant"
    power_t: float = 0.5
    momentum: float = 0.9
    beta_1: float = 0.9
    beta_2: float = 0.999
    epsilon: float = 1e-8
    shuffle: bool = True
    max_iter: int = 200
    max_fun: int = 15000
    tol: float = 1e-4
    chunk_rows: int = 4096


@dataclass
class TrainingResult:
    """What :func:`train` returns.

    Attributes
    ----------
    theta : ndarray
        The parameters kept: with a validation set, those of the iteration
        with the lowest validation loss; otherwise the last update's.
    optimizer : SGD, Adam or None
        The stochastic optimizer with its state (None for 'lbfgs', and after
        a divergence).
    t : int
        Training samples seen, counting from the ``t`` passed in.
    loss : float or None
        The final objective reported by L-BFGS-B; None for the stochastic
        solvers, whose losses are in the monitor's curve.
    status : str
        Why training ended: 'no_improvement' (the stopping rule),
        'callback' (a callback asked to stop), 'max_iter' (every epoch
        allowed ran), 'interrupted' (Ctrl-C), 'diverged' (the run diverged
        after a validated iteration: ``theta`` is the best validated one),
        'converged' (L-BFGS-B's own tests), 'limit' (L-BFGS-B's iteration or
        evaluation budget) or 'failed' (L-BFGS-B gave up).
    message : str
        L-BFGS-B's message, or an empty string.
    warnings : tuple of (str, str)
        ``(kind, message)`` for each thing about the outcome that deserves a
        warning: kind 'convergence' (training ended by its epoch or evaluation
        budget, not by its own rule), 'interrupted', 'diverged', or
        'constant' (the network's output does not depend on its input).
    """

    theta: np.ndarray
    optimizer: object
    t: int
    loss: float | None
    status: str
    message: str = ""
    warnings: tuple = ()


# learning_rate_init='auto', per solver, for standardized features: chosen on
# the tuning half of benchmarks/realdata.py (docs/accuracy.rst).  'lbfgs' has
# no step size; MLPClassifier's default stands in when converting to it.
AUTO_LEARNING_RATE = {"sgd": 0.2, "adam": 0.005, "lbfgs": 0.001}
# The strongest prior of alpha='auto' (see make_config and sknn._prior_path),
# and the one partial_fit uses: chosen likewise.
AUTO_ALPHA = 10.0


def make_config(params, X, chunk_rows, strength=None):
    """The TrainingConfig of a run on ``X``, from an estimator's hyperparameters.

    ``params`` is ``MLPBinaryClassifier.get_params()``, already validated.
    The 'auto' values are resolved here:

    - ``batch_size='auto'`` is 200 (clipped to the data, as any batch size);
    - ``alpha='auto'`` is ``strength / n_batches`` (one batch for 'lbfgs';
      ``strength`` defaults to :data:`AUTO_ALPHA`), so that over an epoch the
      penalty is ``strength / 2 * ||W||^2`` against the summed loss of all
      samples, whatever the batch size: a prior of fixed strength, which
      weighs a lot on small data and little on large (a ``partial_fit`` call
      sees its chunk as the data, so that n calls on the same data are
      ``fit(max_iter=n)``).  ``fit`` chooses the strength on held-out data
      (:mod:`sknn._prior_path`), which replaces this value;
    - ``learning_rate_init='auto'`` is ``AUTO_LEARNING_RATE[solver]``, for
      'sgd' divided by the features' mean square when that exceeds 1: the
      stable step of gradient descent shrinks with the square of the inputs'
      magnitude (the loss's curvature in the first layer's weights grows with
      it), so unscaled features train slowly instead of diverging.
    """
    solver = params["solver"]
    batch_size = 200 if params["batch_size"] == "auto" else int(params["batch_size"])
    alpha = params["alpha"]
    if alpha == "auto":
        n_batches = 1 if solver == "lbfgs" else -(-X.shape[0] // batch_size)
        alpha = (AUTO_ALPHA if strength is None else strength) / n_batches
    rate = params["learning_rate_init"]
    if rate == "auto":
        rate = AUTO_LEARNING_RATE[solver]
        if solver == "sgd":
            rate /= max(1.0, mean_square(X))
    return TrainingConfig(
        solver=solver,
        alpha=float(alpha),
        batch_size=batch_size,
        learning_rate_init=float(rate),
        learning_rate=params["learning_rate"],
        power_t=float(params["power_t"]),
        momentum=float(params["momentum"]),
        beta_1=float(params["beta_1"]),
        beta_2=float(params["beta_2"]),
        epsilon=float(params["epsilon"]),
        shuffle=bool(params["shuffle"]),
        max_iter=int(params["max_iter"]),
        max_fun=int(params["max_fun"]),
        tol=float(params["tol"]),
        chunk_rows=chunk_rows,
    )


def train(
    config,
    network,
    theta,
    X,
    y,
    sample_weight,
    monitor,
    random_state,
    *,
    optimizer=None,
    n_epochs=None,
    t=0,
):
    """Train ``network`` from ``theta`` on ``(X, y, sample_weight)``.

    Parameters
    ----------
    config : TrainingConfig
        The hyperparameters.
    network : sknn._network.Network
        The network's layout.
    theta : ndarray of shape (network.n_params,)
        Starting parameters (not modified).
    X : ndarray or CSR matrix of shape (n_samples, n_features)
        Training inputs in the network's dtype.
    y : ndarray of shape (n_samples,)
        Labels in {0, 1}.
    sample_weight : ndarray of shape (n_samples,)
        Non-negative weights with a positive sum.
    monitor : sknn._monitor.TrainingMonitor
        Receives every epoch (or iteration) and decides when to stop.
    random_state : numpy.random.RandomState
        Source of the shuffles.
    optimizer : SGD or Adam, default=None
        An optimizer to continue from (``partial_fit``); a new one is made
        when it is None or does not fit the solver and the network.
    n_epochs : int, default=None
        Epochs to run (``config.max_iter`` when None); stochastic solvers.
    t : int, default=0
        Samples seen before this run.

    Returns
    -------
    result : TrainingResult
    """
    if config.solver == "lbfgs":
        return _train_lbfgs(config, network, theta, X, y, sample_weight, monitor, t)
    batch_size = min(config.batch_size, X.shape[0])
    objective = Objective(network, config.alpha, batch_size, theta)
    kind = Adam if config.solver == "adam" else SGD
    if not (isinstance(optimizer, kind) and optimizer.n_params == network.n_params):
        optimizer = make_optimizer(config, objective.theta)
    trainer = MinibatchTrainer(
        objective,
        optimizer,
        X,
        y,
        sample_weight,
        batch_size,
        config.shuffle,
        random_state,
    )
    schedule = config.learning_rate if config.solver == "sgd" else "constant"
    # The scale a diverging run is measured against: J at the start, and at
    # the end for the model kept, estimated on the same sample of rows.
    sample = _scale_sample(X, y, sample_weight, batch_size)
    start_loss = _sample_objective(network, config.alpha, theta, sample)
    monitor.start_loss = start_loss if math.isfinite(start_loss) else None
    t, status = run_epochs(
        trainer,
        monitor,
        config.max_iter if n_epochs is None else n_epochs,
        t,
        schedule=schedule,
        base_rate=config.learning_rate_init,
        power_t=config.power_t,
    )
    kept = _kept(objective.theta, monitor)
    monitor.check_final(_sample_objective(network, config.alpha, kept, sample))
    if status == "diverged":
        optimizer = None  # its state is the diverged run's: continue afresh
    return _result(
        network, objective.theta, optimizer, t, None, status, "", X, config, monitor
    )


def _kept(theta, monitor):
    """The parameters a run keeps: the best validated ones, if any, else ``theta``."""
    if monitor.validation is not None and monitor.best_theta is not None:
        return monitor.best_theta  # the iteration with the lowest validation loss
    return theta


def _result(network, theta, optimizer, t, loss, status, message, X, config, monitor):
    """The TrainingResult of a run: the parameters kept, checked, and its warnings."""
    theta = _kept(theta, monitor)
    check_outputs_finite(
        network, theta, X, monitor.unit, monitor.n_iter, monitor.chunk_rows
    )
    warnings = [_warning(status, config, monitor, message)]
    if _output_is_constant(network, theta, X):
        warnings.append(
            (
                "constant",
                "The trained network gives every training sample the same "
                "output: none of its hidden units responds to the inputs (ReLU "
                "units inactive on all the data). The features are probably not "
                "scaled, or the step size is too large: put a StandardScaler in "
                "front of the model, or lower learning_rate_init.",
            )
        )
    return TrainingResult(
        theta, optimizer, t, loss, status, message, tuple(w for w in warnings if w)
    )


def _output_is_constant(network, theta, X, rows=1024):
    """Whether the first ``rows`` inputs, not all equal, all get the same logit."""
    if network.n_layers < 2:
        return False  # no hidden layer: logistic regression
    sample = X[:rows]
    coefs, intercepts = network.unpack(np.asarray(theta, dtype=network.dtype))
    z = network.decision_function(coefs, intercepts, sample, rows)
    return bool((z == z[0]).all()) and np.unique(row_hashes(sample)).size > 1


def _warning(status, config, monitor, message=""):
    """The ``(kind, message)`` warning that a run's outcome calls for, or None."""
    if status == "interrupted":
        kept = (
            " with the lowest validation loss" if monitor.validation is not None else ""
        )
        return (
            "interrupted",
            f"Training was interrupted (KeyboardInterrupt) after {monitor.n_iter} "
            f"complete {monitor.unit}s; the model keeps the weights reached{kept} "
            "and is ready to use.",
        )
    if status == "diverged":
        return ("diverged", monitor.divergence_warning())
    if status == "max_iter" and monitor.n_iter_no_change is not None:
        return (
            "convergence",
            f"The optimizer reached max_iter={config.max_iter} epochs without "
            "converging; increase max_iter or learning_rate_init.",
        )
    if status in ("limit", "failed"):
        return (
            "convergence",
            f"L-BFGS-B stopped before converging after {monitor.n_iter} "
            f"iterations: {message}. Increase max_iter or max_fun, or scale the "
            "features.",
        )
    return None


def _scale_sample(X, y, sample_weight, batch_size):
    """What a run's scale is measured on: ``(X, y, sample_weight, S)``.

    Up to :data:`SCALE_SAMPLE_ROWS` rows of positive weight, spread evenly
    over the training set (the data may be sorted by class), and ``S``, the
    weight sum of an average batch.  Rows of zero weight carry no loss and
    are passed over, so the sample exists whatever the weights.
    """
    n = len(sample_weight)
    rows = _evenly_spaced(n, SCALE_SAMPLE_ROWS)
    if not (sample_weight[rows] > 0).all():
        positive = np.flatnonzero(sample_weight > 0)
        rows = positive[_evenly_spaced(positive.size, SCALE_SAMPLE_ROWS)]
    n_batches = -(-n // max(1, min(int(batch_size), n)))
    S = float(np.sum(sample_weight, dtype=np.float64)) / n_batches
    return X[rows], y[rows], np.asarray(sample_weight[rows], np.float64), S


def _evenly_spaced(n, k):
    """``min(n, k)`` distinct indices spread evenly over ``range(n)``."""
    return np.linspace(0, n - 1, num=min(n, k)).astype(np.intp)


def _sample_objective(network, alpha, theta, sample):
    """J of an average batch for parameters ``theta``, estimated on ``sample``.

    The objective's formula: the weighted mean cross-entropy of the
    sample's rows plus ``alpha / (2 S) * sum ||W||^2``, ``S`` an average
    batch's weight sum.  May be inf or NaN.
    """
    X, y, weight, S = sample
    if len(y) == 0:
        return math.nan
    coefs, intercepts = network.unpack(np.asarray(theta, dtype=network.dtype))
    with np.errstate(over="ignore", invalid="ignore"):
        z = network.decision_function(coefs, intercepts, X, len(y))
        return binary_cross_entropy(z, y, weight) + l2_penalty(coefs, alpha, S)


def make_optimizer(config, theta):
    """A new optimizer for ``config.solver`` ('sgd' or 'adam') over ``theta``."""
    if config.solver == "adam":
        return Adam(
            theta,
            config.learning_rate_init,
            config.beta_1,
            config.beta_2,
            config.epsilon,
        )
    return SGD(theta, config.learning_rate_init, config.momentum)


def run_epochs(trainer, monitor, n_epochs, t, *, schedule, base_rate, power_t):
    """Train for up to ``n_epochs`` epochs; return ``(t, status)``.

    ``t`` counts the samples seen.  ``status`` is 'max_iter' when all the
    epochs ran without the stopping rule, a callback or an interrupt ending
    training, the monitor's ``stop_reason`` ('no_improvement', 'callback' or
    'diverged') when the monitor ended it, and 'interrupted' on Ctrl-C.
    Ctrl-C ends the epoch after the step in progress; a KeyboardInterrupt
    raised during a step (or by a callback) ends it at once.  Both keep the
    weights reached.  A second Ctrl-C propagates its KeyboardInterrupt: the
    fit is abandoned.

    The step-size schedule: 'invscaling' sets the step size to
    ``base_rate / (t + 1) ** power_t`` after every epoch; 'adaptive' divides
    it by 5 each time the stopping rule fires (the monitor's plateau hook)
    instead of stopping, until it is below 1e-6.
    """
    optimizer = trainer.optimizer
    stop_request = trainer.stop_request = StopRequest()

    def on_plateau():
        if schedule != "adaptive" or optimizer.learning_rate <= 1e-6:
            return False
        optimizer.learning_rate /= 5.0
        return True

    monitor.on_plateau = on_plateau
    try:
        with stop_on_sigint(stop_request):
            for _ in range(n_epochs):
                monitor.begin()
                # Overflow can only come from a diverging run, which the
                # monitor turns into one clear error.
                with np.errstate(over="ignore", invalid="ignore"):
                    loss = trainer.run_epoch()
                if stop_request.requested:
                    raise KeyboardInterrupt
                t += trainer.n_samples
                stop = monitor.end(loss, trainer.objective.theta)
                if schedule == "invscaling":
                    optimizer.learning_rate = invscaling(base_rate, t, power_t)
                if stop:
                    return t, monitor.stop_reason
    except KeyboardInterrupt:
        if stop_request.aborted:  # a second Ctrl-C: abandon the fit
            raise
        monitor.close()
        return t, "interrupted"
    return t, "max_iter"


def invscaling(base_rate, t, power_t):
    """``base_rate / (t + 1) ** power_t`` in floats, kept above zero.

    Floats keep a steep integer ``power_t`` from becoming an exact (slow,
    then overflowing) integer power; the smallest positive float keeps the
    optimizer's step rescaling defined once the rate underflows.
    """
    rate = base_rate * math.exp(-float(power_t) * math.log(t + 1))
    return max(rate, np.finfo(np.float64).tiny)


def _train_lbfgs(config, network, theta, X, y, sample_weight, monitor, t):
    """Minimise with L-BFGS-B from ``theta``; see :func:`train`."""
    objective = Objective(network, config.alpha, 1, theta)

    def on_iteration(theta, loss):
        stop = monitor.end(loss, theta)
        monitor.begin()  # the next iteration's subtask
        return stop

    stop_request = StopRequest()
    monitor.begin()
    with (
        stop_on_sigint(stop_request),
        other_blas_single_threaded(),
        np.errstate(over="ignore", invalid="ignore"),
    ):
        result = minimize_lbfgs(
            objective,
            X,
            y,
            sample_weight,
            max_iter=config.max_iter,
            max_fun=config.max_fun,
            tol=config.tol,
            chunk_rows=config.chunk_rows,
            on_iteration=on_iteration,
            stop_request=stop_request,
        )
    monitor.close()
    t += result.n_iter * X.shape[0]
    # L-BFGS-B only accepts steps that lower J, so a run cannot blow up past
    # its start; the final check is there for the model kept all the same.
    start = result.start_loss
    monitor.start_loss = start if start is not None and math.isfinite(start) else None
    monitor.check_final()
    status, loss = result.status, result.loss
    if status == "stopped":  # on_iteration asked: the monitor says why
        status = monitor.stop_reason
    if status in ("interrupted", "diverged"):
        # The last iterate is not the model (diverged), or there was none.
        loss = loss if status == "interrupted" and math.isfinite(loss) else None
    else:
        check_finite(loss, objective.theta, "iteration", result.n_iter + 1)
    return _result(
        network,
        objective.theta,
        None,
        t,
        loss,
        status,
        result.message if status == result.status else "",
        X,
        config,
        monitor,
    )


@contextmanager
def other_blas_single_threaded():
    """Run BLAS libraries other than NumPy's on one thread while active.

    SciPy's L-BFGS-B calls SciPy's BLAS between NumPy's matrix products.  The
    NumPy and SciPy wheels each bundle an OpenBLAS with its own thread pool;
    taking turns, the two pools fight over the cores and made L-BFGS 20x
    slower on two cores.  Where both use one BLAS there is nothing to do.
    """
    try:
        from threadpoolctl import ThreadpoolController  # a scikit-learn dependency
    except ImportError:  # pragma: no cover
        yield
        return
    controller = ThreadpoolController()
    paths = [lib.filepath for lib in controller.select(user_api="blas").lib_controllers]
    others = [path for path in paths if "numpy" not in path]
    if len(paths) < 2 or len(others) == len(paths):
        yield
        return
    with controller.select(filepath=others).limit(limits=1):
        yield


@contextmanager
def stop_on_sigint(stop_request):
    """While active, Ctrl-C sets ``stop_request`` instead of raising.

    Training then stops cleanly after the update in progress.  A second Ctrl-C
    raises KeyboardInterrupt as usual, after setting ``stop_request.aborted``
    so that the drivers let it through instead of stopping cleanly.  Signal
    handlers can only be installed from the main thread; elsewhere this does
    nothing (and Ctrl-C is not delivered to other threads anyway).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is None:  # a handler not installed from Python
        previous = signal.default_int_handler

    def handler(signum, frame):
        if stop_request.requested:
            signal.signal(signal.SIGINT, previous)
            stop_request.aborted = True
            raise KeyboardInterrupt
        stop_request.requested = True

    signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class StopRequest:
    """Flags set asynchronously (from a signal handler) to stop training.

    Attributes
    ----------
    requested : bool
        Stop after the update in progress (a first Ctrl-C).
    aborted : bool
        Abandon training: a second Ctrl-C, whose KeyboardInterrupt the
        drivers re-raise.
    """

    __slots__ = ("aborted", "requested")

    def __init__(self):
        self.requested = False
        self.aborted = False


EPOCH_GATHER_MAX_BYTES = 64 * 2**20
# Rows on which the stochastic solvers measure the objective at the start of
# a run and for the model kept at its end (the divergence checks' scale).
SCALE_SAMPLE_ROWS = 256


class MinibatchTrainer:
    """Minibatch gradient descent over ``(X, y, sample_weight)``.

    Parameters
    ----------
    objective : sknn._network.Objective
        Holds the parameters being trained and computes J and its gradient.
    optimizer : object
        Has ``step(theta, grad)`` updating ``theta`` in place.
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        Training inputs, in the objective's dtype.
    y : ndarray of shape (n_samples,)
        Labels in {0, 1}.
    sample_weight : ndarray of shape (n_samples,)
        Non-negative weights with a positive sum.
    batch_size : int
        Rows per batch; clipped to ``n_samples``.  The last batch of an epoch
        holds the remaining rows.
    shuffle : bool
        Visit the rows in a new random order every epoch.
    random_state : numpy.random.RandomState
        Source of the shuffles.
    stop_request : StopRequest, default=None
        When it is set, :meth:`run_epoch` returns after the step in progress
        (on the fast path, after the chunk of batches in progress).
    fast_path : bool or None, default=None
        Whether epochs run in the compiled kernel of :mod:`sknn._fused`:
        None decides as :func:`sknn._fused.make_fused_trainer` does (numba
        installed, ``SKNN_FAST_PATH`` not 0, dense X, a plain SGD or Adam),
        and an epoch takes the kernel once it is ready (the paths may change
        between epochs, continuing the same trajectory); False keeps the
        NumPy loop; True takes the kernel from the first epoch whenever the
        run allows it.
    """

    def __init__(
        self,
        objective,
        optimizer,
        X,
        y,
        sample_weight,
        batch_size,
        shuffle,
        random_state,
        stop_request=None,
        fast_path=None,
    ):
        dtype = objective.network.dtype
        self.stop_request = stop_request if stop_request is not None else StopRequest()
        self.objective = objective
        self.optimizer = optimizer
        self.n_samples = n = X.shape[0]
        self.batch_size = max(1, min(int(batch_size), n))
        self.shuffle = bool(shuffle)
        self.random_state = random_state
        dense = isinstance(X, np.ndarray)
        if dense and not X.flags.c_contiguous:
            # Rows are what batches are made of: gathering the rows of a
            # Fortran-ordered or strided array reads all of it, once per
            # batch (a DataFrame's values are Fortran-ordered).  One copy.
            X = np.ascontiguousarray(X)
        self.X = X
        self.sign = label_sign(y, dtype=dtype).reshape(-1, 1)
        self.weight = np.asarray(sample_weight, dtype=dtype).reshape(-1, 1)
        self.starts = list(range(0, n, self.batch_size))
        self._weight_sums = self._batch_weight_sums(self.weight)
        # How a shuffled epoch gets its rows of X: "epoch" (one gathered copy
        # per epoch), "batch" (one gather per batch) or "index" (sparse rows).
        self.gather = None
        if self.shuffle:
            if not dense:
                self.gather = "index"
            elif X.nbytes <= EPOCH_GATHER_MAX_BYTES:
                self.gather = "epoch"
                self._X_gathered = np.empty_like(X, order="C")
            else:
                self.gather = "batch"
                self._X_gathered = np.empty((self.batch_size, X.shape[1]), X.dtype)
            self._sign_epoch = np.empty_like(self.sign)
            self._weight_epoch = np.empty_like(self.weight)
        objective.reserve(self.batch_size)
        self.fused = make_fused_trainer(
            objective, optimizer, X, self.batch_size, fast_path
        )

    def _batch_weight_sums(self, weight):
        # S for every batch of the epoch, in one call.
        return np.add.reduceat(weight[:, 0], self.starts, dtype=np.float64).tolist()

    def run_epoch(self):
        """One pass over the training set.

        Returns
        -------
        loss : float
            The mean of the batch objectives, each weighted by its batch's
            weight sum ``S``: ``sum_b S_b J_b / sum_b S_b``.  NaN or inf as
            soon as a batch objective is not finite (the epoch stops there,
            before that batch's update).  When the stop request is set the
            epoch ends after the current step, and the loss covers the
            batches done.
        """
        X, sign, weight, weight_sums = self.X, self.sign, self.weight, self._weight_sums
        if self.shuffle:
            order = self.random_state.permutation(self.n_samples)
            sign = np.take(self.sign, order, axis=0, out=self._sign_epoch, mode="clip")
            weight = np.take(
                self.weight, order, axis=0, out=self._weight_epoch, mode="clip"
            )
            weight_sums = self._batch_weight_sums(weight)
            if self.gather == "epoch":
                X = np.take(self.X, order, axis=0, out=self._X_gathered, mode="clip")
            elif self.gather == "index":
                X = self.X[order]
        per_batch = self.gather == "batch"
        fused = self.fused
        if fused is not None and fused.applies(self.optimizer) and fused.ready():
            return fused.run_epoch(
                self.X if per_batch else X,
                order if per_batch else None,
                sign,
                weight,
                self.starts,
                weight_sums,
                self.stop_request,
            )
        stop_request = self.stop_request
        objective, step = self.objective, self.optimizer.step
        theta, grad = objective.theta, objective.grad
        bs = self.batch_size
        total, total_weight = 0.0, 0.0
        for start, S in zip(self.starts, weight_sums):
            if S <= 0:
                continue  # a batch whose weights are all zero carries no information
            stop = start + bs
            if per_batch:
                rows = order[start:stop]
                Xb = np.take(
                    self.X, rows, axis=0, out=self._X_gathered[: len(rows)], mode="clip"
                )
            else:
                Xb = X[start:stop]
            J = objective.loss_grad(Xb, sign[start:stop], weight[start:stop], S)
            if not math.isfinite(J):
                return J
            step(theta, grad)
            total += S * J
            total_weight += S
            if stop_request.requested:
                break
        return total / total_weight


class LbfgsResult:
    """Outcome of :func:`minimize_lbfgs`.

    Attributes
    ----------
    n_iter : int
        Iterations completed.
    loss : float
        J at the final parameters.
    status : {'converged', 'stopped', 'interrupted', 'limit', 'failed'}
        'converged': L-BFGS-B's own tests were met; 'stopped': the iteration
        callback asked to stop; 'interrupted': a stop request or
        KeyboardInterrupt ended it (the parameters are those of the last
        completed iteration; a second Ctrl-C, ``stop_request.aborted``, is
        re-raised instead); 'limit': ``max_iter`` or ``max_fun`` was
        reached; 'failed': L-BFGS-B gave up (for example in its line search).
    message : str
        SciPy's message.
    start_loss : float or None
        J at the starting point (SciPy's first evaluation); None if J was
        never evaluated.
    """

    def __init__(self, n_iter, loss, status, message, start_loss=None):
        self.n_iter, self.loss, self.status, self.message = (
            n_iter,
            loss,
            status,
            message,
        )
        self.start_loss = start_loss


def minimize_lbfgs(
    objective,
    X,
    y,
    sample_weight,
    *,
    max_iter,
    max_fun,
    tol,
    chunk_rows,
    on_iteration=None,
    stop_request=None,
):
    """Minimise the full-batch objective J(theta) with L-BFGS-B.

    ``objective.theta`` is the starting point and receives the result.

    Parameters
    ----------
    objective : sknn._network.Objective
        The parameters and J.
    X, y, sample_weight
        The training set (labels in {0, 1}), as for :class:`MinibatchTrainer`.
    max_iter, max_fun : int
        Limits on iterations and on evaluations of J.
    tol : float
        L-BFGS-B's ``gtol`` and ``ftol``: stop when every gradient component
        is below it, or when an iteration lowers J by less than ``tol`` (times
        ``max(|J|, 1)``), as the stochastic solvers' stopping rule does.
    chunk_rows : int
        Rows per chunk when evaluating J over the whole set.
    on_iteration : callable, default=None
        ``on_iteration(theta, J)`` after every iteration, with the iterate
        (a float64 vector) and its J; returning True stops the minimisation.
    stop_request : StopRequest, default=None
        When set, the minimisation stops after the iteration in progress.

    Returns
    -------
    result : LbfgsResult
    """
    dtype = objective.network.dtype
    sign = label_sign(y, dtype=dtype).reshape(-1, 1)
    weight = np.asarray(sample_weight, dtype=dtype).reshape(-1, 1)
    weight_sum = float(np.sum(weight, dtype=np.float64))
    stop_request = stop_request if stop_request is not None else StopRequest()
    last = {
        "x": objective.theta.astype(np.float64),
        "fun": math.nan,
        "n_iter": 0,
        "start": None,
    }

    def fun(x):
        np.copyto(objective.theta, x, casting="unsafe")
        J = float(objective.full_loss_grad(X, sign, weight, weight_sum, chunk_rows))
        if last["start"] is None:  # SciPy evaluates the starting point first
            last["start"] = J
        # SciPy works in float64 and may keep the returned array: a copy.
        return J, objective.grad.astype(np.float64)

    def callback(intermediate_result):
        last["x"] = np.array(intermediate_result.x, dtype=np.float64)
        last["fun"] = float(intermediate_result.fun)
        last["n_iter"] += 1
        stop = on_iteration is not None and on_iteration(last["x"], last["fun"])
        if stop or stop_request.requested:
            raise StopIteration

    try:
        res = scipy.optimize.minimize(
            fun,
            last["x"],
            method="L-BFGS-B",
            jac=True,
            callback=callback,
            options={
                "maxiter": max_iter,
                "maxfun": max_fun,
                "gtol": tol,
                "ftol": tol,
            },
        )
    except KeyboardInterrupt:
        if stop_request.aborted:  # a second Ctrl-C
            raise
        np.copyto(objective.theta, last["x"], casting="unsafe")
        return LbfgsResult(
            last["n_iter"],
            last["fun"],
            "interrupted",
            "KeyboardInterrupt",
            last["start"],
        )
    np.copyto(objective.theta, res.x, casting="unsafe")
    if stop_request.requested:
        status = "interrupted"
    elif res.status == 0:
        status = "converged"
    elif res.status == 99 or "StopIteration" in str(res.message):
        status = "stopped"
    elif res.status == 1:
        status = "limit"
    else:
        status = "failed"
    return LbfgsResult(
        int(res.nit), float(res.fun), status, str(res.message), last["start"]
    )
