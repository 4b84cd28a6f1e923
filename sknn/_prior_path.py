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
2. Train with the strongest prior, ``PRIOR_STRENGTHS[0]``, by the usual
   stopping rule, and take each held-out sample's loss.
3. Walk down the path: train with the next, weaker prior, warm-started from
   the weights kept at the previous step, with early stopping on the
   held-out set (the weights of the epoch with the lowest held-out loss are
   kept).  Go on while each step lowers the held-out loss *significantly*:
   by more than :data:`SIGNIFICANCE` standard errors of the mean of the
   paired per-sample differences against the best step so far.  On noisy
   data the first weaker prior rarely passes; on clean data the path goes
   down until the network stops gaining.
4. With a held-out split of the training data, train again on all of it
   along the path up to the chosen strength: the strongest prior by the
   usual stopping rule, then each weaker one for the epochs its held-out
   run needed to reach its kept weights.  With the user's validation set
   the weights kept at the chosen step are the model (nothing was held out
   of the training data).

Where the strongest prior is chosen, the final model is the one the
strongest prior alone gives (same draws of the random generator): the path
only adds the cost of the held-out runs.
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
    "PRIOR_STRENGTHS",
    "SELECTION_FRACTION",
    "SIGNIFICANCE",
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
SIGNIFICANCE = 1.0
#: The final training on all the data starts from the strongest prior's
#: held-out run (True) or from the initial weights (False).
CONTINUE_STRONGEST = True
#: The strongest prior's held-out run stops on the held-out loss (True) or by
#: the usual rule on the training loss (False).
STRONGEST_STOPS_EARLY = False
#: The final training ends with this many epochs at SETTLE_STEP times the
#: step size (stochastic solvers), which settles the weights near the optimum
#: the noise of the full-size steps keeps them around.
SETTLE_EPOCHS = 10
SETTLE_STEP = 0.1
#: Epochs of the continued strongest prior's leg (None: the usual rule).
CONTINUE_EPOCHS = None
#: The final training's legs continue one optimizer (its moments, or
#: velocity), instead of starting a new one each.
CARRY_OPTIMIZER = True


def n_batches(config, n_rows):
    """Batches per epoch of ``config`` on ``n_rows`` rows (1 for 'lbfgs')."""
    if config.solver == "lbfgs":
        return 1
    return -(-n_rows // max(1, min(config.batch_size, n_rows)))


def with_strength(config, strength, n_rows):
    """``config`` with ``alpha = strength / n_batches`` for ``n_rows`` rows."""
    return dataclasses.replace(config, alpha=strength / n_batches(config, n_rows))


def significantly_lower(new, best, weight, z=SIGNIFICANCE, groups=None):
    """Whether per-sample losses ``new`` are lower than ``best`` on the whole.

    The weighted mean of the paired differences ``new - best`` must be below
    ``-z`` standard errors, the standard error taken with the effective number
    of samples ``(sum w)^2 / sum w^2``.  Exactly equal losses never are.

    ``groups`` (ids of the distinct samples, see
    :func:`sknn._inputs.distinct_pairs`) makes identical samples count as
    one of their summed weight, so that an integer weight and repeated rows
    give the same answer, whatever the scale of the weights.
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
    return mean < 0 and mean < -z * math.sqrt(variance / n_eff)


@dataclasses.dataclass
class PathResult:
    """What :func:`train_prior_path` returns.

    Attributes
    ----------
    result : sknn._training.TrainingResult
        The final model's training result (its ``t`` counts the final
        training only).  Its status is 'chosen_epochs' when the final
        training ended with a weaker prior trained for the epochs chosen on
        held-out data.
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
        The L2 strength of the final model's last training stage.
    """

    result: object
    record: object
    strengths: list
    validation_losses: list
    chosen: int
    alpha: float


@dataclasses.dataclass
class _Stage:
    strength: float
    result: object
    monitor: object
    epochs: int  # iterations to the weights kept
    losses: np.ndarray  # per held-out sample, for the weights kept


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
    strengths=None,
    fraction=None,
    significance=None,
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
        Draws the split and the shuffles.  The final training on all the
        data draws from it exactly as a plain :func:`train` would; the split
        and the held-out runs draw from a copy.
    make_monitor : callable
        ``make_monitor(validation, stopping, public)`` returns a new
        :class:`~sknn._monitor.TrainingMonitor` with an empty loss curve:
        ``stopping`` False turns its stopping rule off (the run goes on for
        the epochs it is given); ``public`` False makes a silent one (no
        progress lines, no callbacks), for the runs on a held-out split.
    validation : Validation, default=None
        The user's validation set: the path runs on it and on all of ``X``,
        and the weights kept at the chosen strength are the model.
    strengths : sequence of float, default=None
        The path, strongest first (:data:`PRIOR_STRENGTHS` when None).
    fraction : float, default=None
        Fraction held out when ``validation`` is None
        (:data:`SELECTION_FRACTION` when None).
    significance : float, default=None
        See :func:`significantly_lower` (:data:`SIGNIFICANCE` when None).
    log : callable, default=None
        Receives a line of text per strength tried (for ``verbose``).

    Returns
    -------
    PathResult
    """
    strengths = PRIOR_STRENGTHS if strengths is None else tuple(strengths)
    fraction = SELECTION_FRACTION if fraction is None else fraction
    significance = SIGNIFICANCE if significance is None else significance
    walk = dict(strengths=strengths, significance=significance, log=log)
    if validation is not None:
        return _walk(
            config, network, theta, X, y, sample_weight, random_state,
            make_monitor, validation, public=True, **walk,
        )  # fmt: skip
    if len(strengths) == 1 or len(single_sample_classes(X, y, sample_weight)) == 2:
        # Nothing can be held out: the strongest prior.
        return _final(
            config, network, theta, X, y, sample_weight, random_state,
            make_monitor, strengths[:1], [], [strengths[0]], [math.nan],
        )  # fmt: skip
    selection_rng = copy.deepcopy(random_state)
    X_fit, y_fit, w_fit, held_out = hold_out(
        X, y, sample_weight, fraction, selection_rng
    )
    path, stages = _walk(
        config, network, theta, X_fit, y_fit, w_fit, selection_rng,
        make_monitor, held_out, public=False, with_stages=True, **walk,
    )  # fmt: skip
    if path.result.status == "interrupted":
        # Ctrl-C: the model of the held-out run, as it stands.
        path.record.validation = None
        path.record.validation_loss_curve = path.record.validation_scores = None
        path.record.best_index = None
        return path
    optimizer = None
    if CONTINUE_STRONGEST:
        # The strongest prior's held-out run is near its optimum on all the
        # data: continue it there rather than start again, with its
        # optimizer's state (a new Adam would first step every weight by
        # the full step size).
        theta = stages[0].result.theta
        optimizer = copy.deepcopy(stages[0].result.optimizer)
    return _final(
        config, network, theta, X, y, sample_weight, random_state, make_monitor,
        path.strengths[: path.chosen + 1], [s.epochs for s in stages[1:]],
        path.strengths, path.validation_losses, optimizer,
    )  # fmt: skip


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
    strengths,
    significance,
    log,
    with_stages=False,
):
    """Run the path on ``(X, y)`` against ``validation`` and choose a strength.

    With ``with_stages``, also return the stages kept (each with its result,
    and its iterations to its kept weights).
    """
    n = X.shape[0]
    stages, tried = [], []  # the strengths kept so far; every one tried
    t = 0
    groups = distinct_pairs(validation.X, validation.y)
    for strength in strengths:
        first = not stages
        # The strongest prior trains by the usual rule (on the training loss
        # when the split is internal); the weaker ones stop on the held-out
        # loss and keep their best epoch.
        monitor = make_monitor(
            validation if (public or not first or STRONGEST_STOPS_EARLY) else None,
            True,
            public,
        )
        stage_config = with_strength(config, strength, n)
        start = theta if first else stages[-1].result.theta
        try:
            result = train(
                stage_config, network, start, X, y, sample_weight, monitor,
                random_state, t=t,
            )  # fmt: skip
            t = result.t
        except TrainingDivergedError:
            if first:
                raise
            break  # diverged before validating anything: the path ends
        if result.status == "diverged" and not first:
            break  # the weights kept are those of the previous stage
        kept_at = monitor.n_iter
        if monitor.best_index is not None:
            kept_at = monitor.best_index + 1
        losses = _held_out_losses(network, result.theta, validation, monitor.chunk_rows)
        better = first or significantly_lower(
            losses, stages[-1].losses, validation.sample_weight, significance, groups
        )
        tried.append((strength, _mean(losses, validation)))
        if log is not None:
            log(
                f"Prior strength {strength:g} (alpha={stage_config.alpha:.4g}): "
                f"held-out loss {tried[-1][1]:.8f} at {monitor.unit} "
                f"{kept_at}" + ("" if first else ("; kept" if better else "; not kept"))
            )
        if better or result.status in ("interrupted", "callback"):
            stages.append(_Stage(strength, result, monitor, kept_at, losses))
        if result.status in ("interrupted", "callback") or not better:
            break  # Ctrl-C or a callback ends the path where it stands
    chosen = stages[-1]
    path = PathResult(
        result=chosen.result,
        record=_combine([s.monitor for s in stages]),
        strengths=[strength for strength, _ in tried],
        validation_losses=[loss for _, loss in tried],
        chosen=len(stages) - 1,
        alpha=with_strength(config, chosen.strength, n).alpha,
    )
    return (path, stages) if with_stages else path


def _final(
    config,
    network,
    theta,
    X,
    y,
    sample_weight,
    random_state,
    make_monitor,
    strengths,
    epochs,
    tried,
    validation_losses,
    optimizer=None,
):
    """Train on all the data along ``strengths``: the first by the usual rule,
    each other for its number of ``epochs``; then settle (:data:`SETTLE_EPOCHS`).

    One optimizer carries its state through the legs (``optimizer`` to start
    from, or a new one).
    """
    n = X.shape[0]
    legs = [(strengths[0], CONTINUE_EPOCHS if optimizer is not None else None, 1.0)]
    legs += [(c, e, 1.0) for c, e in zip(strengths[1:], epochs)]
    if config.solver != "lbfgs" and SETTLE_EPOCHS:
        legs.append((strengths[-1], SETTLE_EPOCHS, SETTLE_STEP))
    monitors, results, t = [], [], 0
    for strength, n_epochs, step in legs:
        if n_epochs == 0:
            continue
        leg_config = with_strength(config, strength, n)
        if n_epochs is not None:
            leg_config = dataclasses.replace(
                leg_config,
                max_iter=n_epochs,
                learning_rate_init=step * leg_config.learning_rate_init,
            )
        monitor = make_monitor(None, n_epochs is None, True)
        if optimizer is not None:
            optimizer.learning_rate = leg_config.learning_rate_init
        result = train(
            leg_config, network, results[-1].theta if results else theta, X, y,
            sample_weight, monitor, random_state, n_epochs=n_epochs, t=t,
            optimizer=optimizer,
        )  # fmt: skip
        optimizer = result.optimizer if CARRY_OPTIMIZER else None
        monitors.append(monitor)
        results.append(result)
        t = result.t
        if result.status in ("interrupted", "callback"):
            break  # Ctrl-C or a callback ends the whole training
    result = results[-1]
    if len(results) > 1 and result.status in ("max_iter", "limit"):
        # The last leg ran the epochs it was given, as it should: the fit
        # warns for what the first leg's run (by the usual rule) calls for,
        # and for what the model is.
        warnings = dict(results[0].warnings)
        warnings.update(w for w in result.warnings if w[0] != "convergence")
        # Why it ended: as the strongest prior's run did, or by the epochs
        # chosen for a weaker one.
        status = results[0].status if len(strengths) == 1 else "chosen_epochs"
        result = dataclasses.replace(
            result, status=status, warnings=tuple(warnings.items())
        )
    return PathResult(
        result=result,
        record=_combine(monitors),
        strengths=list(tried),
        validation_losses=list(validation_losses),
        chosen=len(strengths) - 1,
        alpha=with_strength(config, strengths[-1], n).alpha,
    )


def _combine(monitors):
    """One record of the curves of consecutive stages (see PathResult.record)."""
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
