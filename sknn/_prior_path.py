"""``alpha='auto'``: the L2 prior chosen on held-out data.  NumPy/SciPy only.

A prior *strength* ``c`` is the L2 strength ``alpha = c / n_batches`` (one
batch for 'lbfgs'): over an epoch the penalty is then ``c / 2 * ||W||^2``
against the summed loss of all the samples, whatever the batch size -- a
Gaussian prior on the weights, which weighs a lot against a few hundred
samples and little against tens of thousands.  A strong prior is right for
noisy data, where a network overfits easily; on clean problems (strong
signal, little noise) it under-fits.  :func:`train_prior_path` decides
between them on data held out from training:

1. Hold out :data:`SELECTION_FRACTION` of the training data (the stratified
   split of :func:`sknn._inputs.hold_out`), or use the validation set the
   user gave.
2. Train on the rest with the strongest prior, ``PRIOR_STRENGTHS[0]``,
   stopping when the held-out loss stops improving (by ``tol``, for
   ``n_iter_no_change`` epochs) and keeping the weights of its best epoch.
3. Walk down the path: train with the next, weaker prior, starting from the
   weights kept at the previous step, stopping and keeping the best epoch in
   the same way.  A step is kept while it lowers the held-out loss
   *significantly*: by more than :data:`SIGNIFICANCE` standard errors of the
   mean of the paired per-sample differences (:func:`significantly_lower`).
   The walk ends at the first step that does not.  On noisy data that is
   usually the first; on clean data the path goes down until the network
   stops gaining.  The steps between the strongest and the weakest prior get
   :data:`STEP_BUDGET` of ``max_iter``: they lead the way to a weaker prior.
4. With a held-out split of the training data, the weights kept at the
   chosen strength continue on all of it, with their optimizer's state:
   :data:`CONTINUE_EPOCHS` epochs at that strength, then
   :data:`SETTLE_EPOCHS` at :data:`SETTLE_STEP` times the step size, which
   settle the weights near the optimum that the noise of full-size steps
   keeps them around ('lbfgs', which has no step size, runs to convergence
   instead).  With the user's validation set the weights kept at the chosen
   step are the model: nothing was held out of the training data.

Every held-out run is early-stopped in the same way, so that the comparison
of two steps does not favour one: the loss of a run's best epoch is a little
optimistic, for each of them alike.
"""

import copy
import dataclasses
import math
from types import SimpleNamespace

import numpy as np

from ._inputs import distinct_pairs, hold_out, single_sample_classes
from ._loss import log_loss_per_sample
from ._training import AUTO_ALPHA, train
from .exceptions import TrainingDivergedError

__all__ = [
    "CONTINUE_EPOCHS",
    "MATERIAL",
    "PRIOR_STRENGTHS",
    "SELECTION_FRACTION",
    "SETTLE_EPOCHS",
    "SETTLE_STEP",
    "SIGNIFICANCE",
    "STEP_BUDGET",
    "PathResult",
    "n_batches",
    "significantly_lower",
    "train_prior_path",
    "with_strength",
]

#: The path of prior strengths, strongest first.
PRIOR_STRENGTHS = (AUTO_ALPHA, 1.0, 0.1, 0.01)
#: Fraction of the training data held out to choose the strength.
SELECTION_FRACTION = 0.2
#: A weaker prior must lower the held-out loss by this many standard errors.
SIGNIFICANCE = 1.5
#: The held-out runs between the strongest and the weakest prior get this
#: share of ``max_iter``.
STEP_BUDGET = 0.25
#: Epochs of the chosen strength's model on all the data, at the full step.
CONTINUE_EPOCHS = 10
#: Then epochs at SETTLE_STEP times the step size (stochastic solvers).
SETTLE_EPOCHS = 20
SETTLE_STEP = 0.1
#: A held-out run that used all its epochs had not converged if its last
#: ``n_iter_no_change`` epochs still gained this many standard errors of the
#: held-out loss: less is below what the held-out set tells apart.
MATERIAL = 0.05


def n_batches(config, n_rows):
    """Batches per epoch of ``config`` on ``n_rows`` rows (1 for 'lbfgs')."""
    if config.solver == "lbfgs":
        return 1
    return -(-n_rows // max(1, min(config.batch_size, n_rows)))


def with_strength(config, strength, n_rows):
    """``config`` with ``alpha = strength / n_batches`` for ``n_rows`` rows."""
    return dataclasses.replace(config, alpha=strength / n_batches(config, n_rows))


def paired_statistics(new, best, weight, groups=None):
    """``(mean, standard error)`` of the weighted differences ``new - best``.

    ``groups`` (ids of the distinct samples, see
    :func:`sknn._inputs.distinct_pairs`) makes identical samples count as
    one of their summed weight, so that an integer weight and repeated rows
    give the same answer, whatever the scale of the weights.  The standard
    error takes the effective number of samples ``(sum w)^2 / sum w^2``.
    """
    weight = np.asarray(weight, dtype=np.float64)
    diff = np.asarray(new, dtype=np.float64) - np.asarray(best, dtype=np.float64)
    if groups is not None:
        # Identical samples have identical losses: one sample of their weight.
        summed = np.bincount(groups, weights=weight)
        diff = np.bincount(groups, weights=weight * diff)[summed > 0]
        weight = summed[summed > 0]
        diff /= weight
    total = weight.sum()
    mean = float(np.dot(weight, diff) / total)
    variance = float(np.dot(weight, (diff - mean) ** 2) / total)
    n_eff = total**2 / float(np.dot(weight, weight))
    return mean, math.sqrt(variance / n_eff)


def significantly_lower(new, best, weight, z=SIGNIFICANCE, groups=None):
    """Whether per-sample losses ``new`` are lower than ``best`` on the whole.

    The weighted mean of the paired differences ``new - best`` must be below
    ``-z`` standard errors (:func:`paired_statistics`, with ``groups``).
    Exactly equal losses never are.
    """
    mean, standard_error = paired_statistics(new, best, weight, groups)
    return mean < 0 and mean < -z * standard_error


@dataclasses.dataclass
class PathResult:
    """What :func:`train_prior_path` returns.

    Attributes
    ----------
    result : sknn._training.TrainingResult
        The final model's training result (its ``t`` counts the final
        training only).  Its status is 'chosen_epochs' when the final
        training ran the epochs of step 4 (see the module).
    record : object
        The final training's curves, for the fitted attributes: attributes
        ``loss_curve``, ``validation``, ``validation_loss_curve``,
        ``validation_scores``, ``best_index``, ``n_iter`` and
        ``callback_kwargs``, as a monitor's.
    strengths : list of float
        The prior strengths tried, strongest first.
    validation_losses : list of float
        The held-out loss (weighted mean cross-entropy) of the weights kept
        at each strength tried (NaN where nothing was held out).
    chosen : int
        Index of the strength chosen.
    alpha : float
        The L2 strength of the final model's training.
    """

    result: object
    record: object
    strengths: list
    validation_losses: list
    chosen: int
    alpha: float


@dataclasses.dataclass
class _Step:
    strength: float
    result: object
    monitor: object
    losses: np.ndarray  # per held-out sample, for the weights kept
    unconverged: bool  # ran out of epochs while still gaining materially


def _held_out_losses(network, theta, validation, chunk_rows):
    coefs, intercepts = network.unpack(np.asarray(theta, dtype=network.dtype))
    z = network.decision_function(coefs, intercepts, validation.X, chunk_rows)
    return log_loss_per_sample(z, validation.y).astype(np.float64)


def _mean(losses, validation):
    weight = validation.sample_weight
    return float(np.dot(weight, losses) / np.sum(weight, dtype=np.float64))


def train_prior_path(
    config,
    network,
    theta,
    X,
    y,
    sample_weight,
    random_state,
    make_monitor,
    *,
    validation=None,
    log=None,
):
    """Train with the prior strength chosen on held-out data (see the module).

    Parameters
    ----------
    config : sknn._training.TrainingConfig
        The hyperparameters; its ``alpha`` is replaced by each strength's.
    network, theta, X, y, sample_weight
        As for :func:`sknn._training.train`.
    random_state : numpy.random.RandomState
        Draws the split and the shuffles.
    make_monitor : callable
        ``make_monitor(validation, stopping, public)`` returns a new
        :class:`~sknn._monitor.TrainingMonitor` with an empty loss curve:
        ``stopping`` False turns its stopping rule off (the run goes on for
        the epochs it is given); ``public`` False makes a silent one (no
        progress lines, no callbacks), for the runs on a held-out split.
    validation : Validation, default=None
        The user's validation set: the path runs on it and on all of ``X``,
        and the weights kept at the chosen strength are the model.
    log : callable, default=None
        Receives a line of text per strength tried (for ``verbose``).

    Returns
    -------
    PathResult
    """
    if validation is not None:
        return _walk(
            config, network, theta, X, y, sample_weight, random_state,
            make_monitor, validation, public=True, log=log,
        )[0]  # fmt: skip
    if len(single_sample_classes(X, y, sample_weight)) == 2:
        # Nothing can be held out: the strongest prior, by the usual rule.
        monitor = make_monitor(None, True, True)
        strongest = with_strength(config, PRIOR_STRENGTHS[0], X.shape[0])
        result = train(
            strongest, network, theta, X, y, sample_weight, monitor, random_state
        )
        return PathResult(
            result, _combine([monitor]), [PRIOR_STRENGTHS[0]], [math.nan], 0,
            strongest.alpha,
        )  # fmt: skip
    X_fit, y_fit, w_fit, held_out = hold_out(
        X, y, sample_weight, SELECTION_FRACTION, random_state
    )
    path, step = _walk(
        config, network, theta, X_fit, y_fit, w_fit, random_state,
        make_monitor, held_out, public=False, log=log,
    )  # fmt: skip
    if path.result.status == "interrupted":
        # Ctrl-C: the model of the held-out run, as it stands.
        path.record.validation = None
        path.record.validation_loss_curve = path.record.validation_scores = None
        path.record.best_index = None
        return path
    result, record = _continue(
        config, network, step, X, y, sample_weight, random_state, make_monitor
    )
    if step.unconverged and result.status not in ("callback", "interrupted"):
        # The chosen strength's held-out run needed more epochs.
        message = (
            f"The optimizer reached max_iter={config.max_iter} epochs without "
            f"converging while choosing alpha (prior strength {step.strength:g}); "
            "increase max_iter or learning_rate_init."
        )
        result = dataclasses.replace(
            result, warnings=result.warnings + (("convergence", message),)
        )
    return dataclasses.replace(
        path,
        result=result,
        record=record,
        alpha=with_strength(config, step.strength, X.shape[0]).alpha,
    )


def _walk(
    config,
    network,
    theta,
    X,
    y,
    sample_weight,
    random_state,
    make_monitor,
    validation,
    *,
    public,
    log,
):
    """Run the path on ``(X, y)`` against ``validation``; choose a strength.

    Returns the :class:`PathResult` (its record: the curves of the steps up
    to the chosen one) and the chosen :class:`_Step`.
    """
    n = X.shape[0]
    steps, tried = [], []  # the steps kept so far; every strength tried
    t = 0
    groups = distinct_pairs(validation.X, validation.y)
    for k, strength in enumerate(PRIOR_STRENGTHS):
        first, last = k == 0, k == len(PRIOR_STRENGTHS) - 1
        monitor = make_monitor(validation, True, public)
        step_config = with_strength(config, strength, n)
        if not (first or last or public):
            # A step on the way to a weaker prior: a share of the budget.
            budget = max(1, int(config.max_iter * STEP_BUDGET))
            step_config = dataclasses.replace(step_config, max_iter=budget)
        start = theta if first else steps[-1].result.theta
        try:
            result = train(
                step_config, network, start, X, y, sample_weight, monitor,
                random_state, t=t,
            )  # fmt: skip
        except TrainingDivergedError:
            if first:
                raise
            break  # diverged before validating anything: the path ends
        t = result.t
        if result.status == "diverged" and not first:
            break  # the weights kept are those of the previous step
        losses = _held_out_losses(network, result.theta, validation, monitor.chunk_rows)
        better = first or significantly_lower(
            losses, steps[-1].losses, validation.sample_weight, SIGNIFICANCE, groups
        )
        tried.append((strength, _mean(losses, validation)))
        if log is not None:
            verdict = "" if first else ("; kept" if better else "; not kept")
            at = (
                monitor.n_iter if monitor.best_index is None else monitor.best_index + 1
            )
            log(
                f"Prior strength {strength:g} (alpha={step_config.alpha:.4g}): "
                f"held-out loss {tried[-1][1]:.8f} at {monitor.unit} {at}{verdict}"
            )
        ended = result.status in ("interrupted", "callback")
        if better or ended:
            unconverged = (first or last) and _unconverged(
                result, monitor, losses, validation, groups
            )
            steps.append(_Step(strength, result, monitor, losses, unconverged))
        if ended or not better:
            break  # Ctrl-C or a callback ends the path where it stands
    step = steps[-1]
    path = PathResult(
        result=step.result,
        record=_combine([s.monitor for s in steps]),
        strengths=[strength for strength, _ in tried],
        validation_losses=[loss for _, loss in tried],
        chosen=len(steps) - 1,
        alpha=with_strength(config, step.strength, n).alpha,
    )
    return path, step


def _unconverged(result, monitor, losses, validation, groups):
    """Whether a run stopped by ``max_iter`` was still gaining materially."""
    curve = monitor.validation_loss_curve
    window = monitor.n_iter_no_change
    if result.status != "max_iter" or window is None or len(curve) <= window:
        return result.status == "max_iter"
    gain = min(curve[:-window]) - min(curve)
    standard_error = paired_statistics(
        losses, np.zeros_like(losses), validation.sample_weight, groups
    )[1]
    return gain > MATERIAL * standard_error


def _continue(config, network, step, X, y, sample_weight, random_state, make_monitor):
    """Step 4: the chosen step's weights and optimizer go on on all the data.

    Returns the last leg's result (with the warnings of the legs, bar their
    running out of the epochs they are given) and the legs' record.
    """
    n = X.shape[0]
    leg_config = with_strength(config, step.strength, n)
    if config.solver == "lbfgs":
        legs = [(None, 1.0)]  # to convergence, by L-BFGS-B's own tests
    else:
        legs = [(CONTINUE_EPOCHS, 1.0), (SETTLE_EPOCHS, SETTLE_STEP)]
    theta, optimizer = step.result.theta, copy.deepcopy(step.result.optimizer)
    monitors, warnings, t = [], {}, 0
    for epochs, scale in legs:
        rate = scale * leg_config.learning_rate_init
        current = dataclasses.replace(
            leg_config,
            learning_rate_init=rate,
            max_iter=leg_config.max_iter if epochs is None else epochs,
        )
        if optimizer is not None:
            optimizer.learning_rate = rate
        monitor = make_monitor(None, epochs is None, True)
        result = train(
            current, network, theta, X, y, sample_weight, monitor, random_state,
            optimizer=optimizer, n_epochs=epochs, t=t,
        )  # fmt: skip
        monitors.append(monitor)
        warnings.update(
            w for w in result.warnings if epochs is None or w[0] != "convergence"
        )
        theta, optimizer, t = result.theta, result.optimizer, result.t
        if result.status in ("interrupted", "callback"):
            break  # Ctrl-C or a callback ends the whole training
    if result.status in ("max_iter", "limit") and legs[0][0] is not None:
        result = dataclasses.replace(result, status="chosen_epochs")
    return dataclasses.replace(result, warnings=tuple(warnings.items())), _combine(
        monitors
    )


def _combine(monitors):
    """One record of the curves of consecutive runs (see PathResult.record)."""
    last = monitors[-1]
    validation = last.validation
    record = SimpleNamespace(
        loss_curve=[loss for m in monitors for loss in m.loss_curve],
        validation=validation,
        validation_loss_curve=None,
        validation_scores=None,
        best_index=None,
        n_iter=sum(m.n_iter for m in monitors),
        callback_kwargs=last.callback_kwargs,
        unit=last.unit,
    )
    if validation is not None and all(m.validation is not None for m in monitors):
        record.validation_loss_curve = [
            v for m in monitors for v in m.validation_loss_curve
        ]
        record.validation_scores = [v for m in monitors for v in m.validation_scores]
        offset = sum(len(m.validation_loss_curve) for m in monitors[:-1])
        if last.best_index is not None:
            record.best_index = offset + last.best_index
    return record
