"""What happens between two iterations of training, for every solver.

:class:`TrainingMonitor` is called at the end of each epoch (or L-BFGS
iteration).  It checks that training has not diverged, records the training
loss, evaluates the validation set, applies the stopping rule, keeps the best
weights, prints the progress line and calls scikit-learn's callbacks.

A run that diverges raises :class:`~sknn.exceptions.TrainingDivergedError`,
unless a validation set has validated an earlier iteration: training then
stops on the weights with the lowest validation loss, and the driver warns.
"""

import math
import time

import numpy as np
import scipy.sparse as sp
from scipy.special import expit

from ._loss import binary_cross_entropy
from .exceptions import TrainingDivergedError

__all__ = [
    "BLOWUP_FACTOR",
    "SMALL_VALIDATION",
    "WORSE_FACTOR",
    "TrainingMonitor",
    "Validation",
    "check_finite",
    "check_outputs_finite",
    "defined_logits",
]

# A run is diverging once its training loss exceeds BLOWUP_FACTOR times its
# value at the start (or log 2, the loss of a constant prediction, if that is
# larger): far beyond the spikes of runs that recover (full-batch gradient
# descent with step 3.5 on the breast cancer data peaks at 5,000 times its
# starting loss and ends 40 times below it).
BLOWUP_FACTOR = 1e6
# A run that ends with a training loss above WORSE_FACTOR times that scale
# has made the model worse than untrained: a slow divergence.
WORSE_FACTOR = 10.0
# Validation sets worth fewer samples need proportionally larger improvements.
SMALL_VALIDATION = 100


class Validation:
    """A validation set: inputs, labels in {0, 1} and sample weights.

    Parameters
    ----------
    X, y, sample_weight
        The set (labels in {0, 1}).
    size : int, default=None
        How many distinct samples the set holds (repeated rows, or a row
        with an integer weight, count once); ``len(y)`` when None.  The
        stopping rule asks larger improvements of small sets.
    """

    def __init__(self, X, y, sample_weight, size=None):
        self.X, self.y, self.sample_weight = X, y, sample_weight
        self.size = len(y) if size is None else int(size)

    def evaluate(self, network, theta, chunk_rows):
        """(log-loss, accuracy) of the network with parameters ``theta``.

        The log-loss is the weighted mean binary cross-entropy (no L2 term);
        the accuracy is weighted by the sample weights, as scikit-learn's
        ``score``.
        """
        coefs, intercepts = network.unpack(theta)
        z = network.decision_function(coefs, intercepts, self.X, chunk_rows)
        loss = binary_cross_entropy(z, self.y, self.sample_weight)
        correct = (expit(z) >= 0.5) == self.y  # as predict()
        accuracy = float(np.dot(self.sample_weight, correct) / self.sample_weight.sum())
        return loss, accuracy


class TrainingMonitor:
    """Per-iteration bookkeeping shared by the solvers.

    Parameters
    ----------
    network : sknn._network.Network
        The network being trained.
    unit : str
        "epoch" or "iteration", for messages.
    tol, n_iter_no_change : float, int
        The stopping rule: stop once the monitored loss (the validation loss
        when there is a validation set, else the training loss) has failed to
        improve on its best value by ``tol`` for more than
        ``n_iter_no_change`` consecutive iterations (scikit-learn's rule).
        ``n_iter_no_change=None`` (or infinity) disables it.  On a validation
        set of fewer than :data:`SMALL_VALIDATION` distinct samples, an
        improvement must exceed ``tol * SMALL_VALIDATION / size``: the loss of
        a few validation points keeps creeping down as the network grows more
        confident on them, and would otherwise never let training stop.
    validation : Validation or None
        Evaluated after every iteration; the parameters with the lowest
        validation loss are kept in :attr:`best_theta`.
    loss_curve : list
        Receives the training loss of every iteration (a warm start passes
        the previous curve).
    verbose : bool
        Print a line per iteration (``Iteration N, loss = ...``, as
        scikit-learn's ``MLPClassifier``; the training loss is the objective,
        L2 penalty included, which the line says).
    on_plateau : callable, default=None
        Called when the stopping rule fires; if it returns True (it lowered
        the learning rate) training goes on and the count restarts.
    callback_context : sklearn.callback.CallbackContext or None
        The fit task's context; every iteration is a subtask.
    callback_kwargs : dict
        ``X``, ``y`` and ``metadata`` for the callback hooks.
    estimator : estimator
        Passed to the callback hooks.
    fitted_attributes : callable
        ``fitted_attributes(theta)`` returns the attributes that make a copy of
        the estimator ready to predict with parameters ``theta``.
    chunk_rows : int
        Rows per chunk when evaluating the validation set.

    Attributes
    ----------
    start_loss : float or None
        The training objective at the starting parameters, set by the driver
        (the stochastic drivers estimate it on a sample of the rows before
        the first epoch; the L-BFGS driver takes it from the first
        evaluation, after minimising).  When it is set, a run whose training loss
        grows past :data:`BLOWUP_FACTOR` times ``max(start_loss, log 2)`` is
        stopped as diverged at once, and :meth:`check_final` rejects a run
        that ends above :data:`WORSE_FACTOR` times it.
    n_iter : int
        Iterations recorded.
    stop_reason : {'no_improvement', 'callback', 'diverged'} or None
        What made :meth:`end` ask to stop: the stopping rule, a callback, or
        a divergence after a validated iteration (the run is then stopped on
        the weights with the lowest validation loss, :attr:`best_theta`,
        instead of raising); None while nothing has.
    divergence : str or None
        With ``stop_reason='diverged'``, what happened and at which iteration.
    """

    def __init__(
        self,
        network,
        *,
        unit,
        tol,
        n_iter_no_change,
        validation,
        loss_curve,
        verbose,
        on_plateau=None,
        callback_context=None,
        callback_kwargs=None,
        estimator=None,
        fitted_attributes=None,
        chunk_rows=4096,
    ):
        self.network = network
        self.unit = unit
        self.tol, self.n_iter_no_change = tol, n_iter_no_change
        self.validation = validation
        self._tol = tol  # the improvement that counts
        if validation is not None and validation.size < SMALL_VALIDATION:
            self._tol = tol * SMALL_VALIDATION / max(validation.size, 1)
        self.start_loss = None
        self.loss_curve = loss_curve
        self.validation_loss_curve = [] if validation is not None else None
        self.validation_scores = [] if validation is not None else None
        self.verbose = verbose
        self.on_plateau = on_plateau
        self.callback_context = callback_context
        self.callback_kwargs = callback_kwargs or {}
        self.estimator = estimator
        self.fitted_attributes = fitted_attributes
        self.chunk_rows = chunk_rows
        self.n_iter = 0
        self.stop_reason = None
        self.divergence = None
        self.best_theta = None
        self.best_index = None
        self._best_validation_loss = math.inf
        self._best_monitored = math.inf
        self._n_no_improvement = 0
        self._task = None
        self._start = time.perf_counter()

    # -- callbacks -------------------------------------------------------------
    def begin(self):
        """Start the next iteration's callback subtask."""
        if self.callback_context is not None:
            self._task = self.callback_context.subcontext(task_name=self.unit)
            self._task.call_on_fit_task_begin(
                estimator=self.estimator, **self.callback_kwargs
            )

    def close(self):
        """End a subtask that was begun but whose iteration never ran."""
        task, self._task = self._task, None
        if task is not None:
            task.call_on_fit_task_end(estimator=self.estimator)

    # -- end of an iteration ------------------------------------------------
    def end(self, loss, theta):
        """Record an iteration that ended with training loss ``loss``.

        Returns
        -------
        stop : bool
            Whether training should stop: the stopping rule, a callback, or a
            divergence survived with a validation set (:attr:`stop_reason`
            says which).

        Raises
        ------
        TrainingDivergedError
            If the run diverged (a loss or parameter that is not finite, a
            training loss past :data:`BLOWUP_FACTOR` times its start, or
            outputs that overflow on the validation set) and there are no
            validated weights to fall back on.
        """
        self.n_iter += 1
        loss = float(loss)
        problem = self._divergence(loss, theta)
        if problem is None and self.validation is not None:
            with np.errstate(over="ignore", invalid="ignore"):  # reported below
                val_loss, val_score = self.validation.evaluate(
                    self.network, theta, self.chunk_rows
                )
            if not math.isfinite(val_loss):
                problem = (
                    f"at {self.unit} {self.n_iter}: the network's outputs overflow "
                    "on the validation set"
                )
        if problem is not None:
            return self._stop_diverged(problem)
        self.loss_curve.append(loss)
        monitored = loss
        if self.validation is not None:
            self.validation_loss_curve.append(val_loss)
            self.validation_scores.append(val_score)
            monitored = val_loss
            if val_loss < self._best_validation_loss:
                self._best_validation_loss = val_loss
                self.best_theta = np.array(theta, dtype=self.network.dtype)
                self.best_index = len(self.validation_loss_curve) - 1
        if self.verbose:
            self._print(loss)
        stop = self._stopping_rule(monitored)
        if stop:
            self.stop_reason = "no_improvement"
        task, self._task = self._task, None
        if task is not None and task.call_on_fit_task_end(
            estimator=self.estimator,
            reconstruction_attributes=lambda: self.fitted_attributes(theta),
            **self.callback_kwargs,
        ):
            self.stop_reason = self.stop_reason or "callback"
            stop = True
        return stop

    def _divergence(self, loss, theta):
        """What shows that the run diverged at this iteration, or None."""
        if not (math.isfinite(loss) and np.isfinite(theta).all()):
            return _not_finite(self.unit, self.n_iter)
        if self.start_loss is not None and loss > BLOWUP_FACTOR * self._scale:
            return (
                f"at {self.unit} {self.n_iter}: the training loss grew to {loss:.3g}, "
                f"more than {BLOWUP_FACTOR:g} times its value at the start "
                f"({self.start_loss:.3g})"
            )
        return None

    def _stop_diverged(self, what):
        """Stop on the best validated weights, or raise if there are none.

        The diverging iteration is not recorded: the curves, ``n_iter`` and
        the stopping rule end with the iteration before it.
        """
        if self.best_theta is None:  # no validation set, or nothing validated yet
            raise _diverged(what, self.unit)
        self.n_iter -= 1
        self.close()
        self.stop_reason = "diverged"
        self.divergence = what
        return True

    def divergence_warning(self):
        """The message of the warning for a divergence survived (see :meth:`end`)."""
        return (
            f"Training diverged {self.divergence}. The model keeps the weights of "
            f"{self.unit} {self.best_index + 1}, which had the lowest validation "
            f"loss. {_advice(self.unit)}"
        )

    @property
    def _scale(self):
        return max(self.start_loss, math.log(2))

    def check_final(self, loss=None):
        """Raise TrainingDivergedError if the model kept is far worse than the start.

        The model kept is the last iteration's, or with a validation set the
        one with the lowest validation loss.  ``loss`` is its training
        objective, measured as ``start_loss`` was: the stochastic drivers
        measure both on the same sample of rows, since an epoch's loss is a
        mean over the epoch's updates and lags the model by up to an epoch
        (one whole step in full-batch training).  When ``loss`` is None the curve's
        value for the iteration kept stands for it (exact for L-BFGS).
        Nothing is checked without a ``start_loss``, nor when no iteration
        ran and no ``loss`` is given.
        """
        if self.start_loss is None:
            return
        if loss is None:
            if self.n_iter == 0:
                return
            index = len(self.loss_curve) - 1
            if self.best_index is not None:
                index -= len(self.validation_loss_curve) - 1 - self.best_index
            loss = self.loss_curve[index]
        if loss <= WORSE_FACTOR * self._scale:  # False for NaN
            return
        kept = ""
        if self.best_index is not None:
            kept = f" ({self.unit} {self.best_index + 1}'s, the best validated)"
        what = (
            f"the model kept{kept} has a training loss of {loss:.3g}, more than "
            f"{WORSE_FACTOR:g} times its value at the start "
            f"({self.start_loss:.3g}), so it is worse than untrained"
        )
        if self.divergence is not None:
            what = f"{self.divergence}, and {what}"
        else:
            what = f"by {self.unit} {self.n_iter}: {what}"
        raise _diverged(what, self.unit)

    def _stopping_rule(self, value):
        if self.n_iter_no_change is None:
            return False
        if value > self._best_monitored - self._tol:
            self._n_no_improvement += 1
        else:
            self._n_no_improvement = 0
        self._best_monitored = min(self._best_monitored, value)
        if self._n_no_improvement <= self.n_iter_no_change:
            return False
        what = "Validation loss" if self.validation is not None else "Training loss"
        message = (
            f"{what} did not improve more than tol={self._tol:f} for "
            f"{self.n_iter_no_change} consecutive {self.unit}s."
        )
        if self.on_plateau is not None and self.on_plateau():
            self._n_no_improvement = 0
            if self.verbose:
                print(message + " Lowering the learning rate.")
            return False
        if self.verbose:
            print(message + " Stopping.")
        return True

    def _print(self, loss):
        line = f"Iteration {self.n_iter}, loss = {loss:.8f} (with the L2 penalty)"
        if self.validation is not None:
            line += (
                f", validation loss = {self.validation_loss_curve[-1]:.8f}"
                f", validation accuracy = {self.validation_scores[-1]:.4f}"
            )
        print(f"{line}, {time.perf_counter() - self._start:.2f}s")


def check_finite(loss, theta, unit, n):
    """Raise TrainingDivergedError unless ``loss`` and ``theta`` are finite."""
    if not (math.isfinite(loss) and np.isfinite(theta).all()):
        raise _diverged(_not_finite(unit, n), unit)


def _not_finite(unit, n):
    return f"at {unit} {n}: the loss or the weights became NaN or infinite"


def check_outputs_finite(network, theta, X, unit, n, chunk_rows):
    """Raise TrainingDivergedError if the final weights overflow on ``X``.

    Finite weights can still be large enough for the network's outputs to
    overflow (a run diverging when ``max_iter`` ended it).  A bound on every
    value the forward pass computes, from the largest input and the weights'
    absolute row sums, settles the common case at the cost of one pass over
    the parameters; only when it is too large to rule out an overflow are the
    logits of ``X`` computed.
    """
    theta = np.asarray(theta, dtype=network.dtype)
    coefs, intercepts = network.unpack(theta)
    values = X.data if sp.issparse(X) else X
    bound = float(max(abs(values.max(initial=0)), abs(values.min(initial=0))))
    bounded = network.activation.name in ("tanh", "logistic")  # |g(z)| <= 1
    with np.errstate(over="ignore", invalid="ignore"):
        for l, (W, b) in enumerate(zip(coefs, intercepts)):
            # |Z[l+1]| <= |A[l]| * max column sum of |W| + max |b|
            bound = bound * float(np.abs(W).sum(axis=0).max(initial=0))
            bound += float(np.abs(b).max(initial=0))
            if bounded and l < len(coefs) - 1:
                bound = min(bound, 1.0)
    if bound < float(np.finfo(network.dtype).max) / 16:
        return
    with np.errstate(over="ignore", invalid="ignore"):
        z = network.decision_function(coefs, intercepts, X, chunk_rows)
    if not np.isfinite(z).all():
        raise _diverged(
            f"by {unit} {n}: the weights grew so large that the network's outputs "
            "overflow on the training data",
            unit,
        )


def defined_logits(network, coefs, intercepts, X, chunk_rows):
    """The network's logits on ``X``; a ValueError where overflow makes them NaN.

    An input far larger than the training data's can overflow the hidden
    activations (``inf - inf`` in a later layer): the output is then
    undefined, which prediction reports instead of returning NaN.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        z = network.decision_function(coefs, intercepts, X, chunk_rows)
    undefined = np.isnan(z)
    if undefined.any():
        raise ValueError(
            f"The network's output is undefined for {int(undefined.sum())} rows "
            "of X: their values are so large that the activations overflow "
            f"{network.dtype.name}. Scale X as the training data was (a "
            "StandardScaler in front of the model does it)."
        )
    return z


def _advice(unit):
    if unit == "iteration":  # L-BFGS: no step size to blame
        advice = (
            "The features are probably not scaled: put a StandardScaler in front "
            "of the model."
        )
    else:
        advice = (
            "learning_rate_init is probably too large for this data, or the "
            "features are not scaled: lower learning_rate_init or put a "
            "StandardScaler in front of the model."
        )
    return (
        f"{advice} (Extreme values of alpha or of the sample weights can also "
        "cause it.)"
    )


def _diverged(what, unit):
    return TrainingDivergedError(f"Training diverged {what}. {_advice(unit)}")
