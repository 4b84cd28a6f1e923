"""The fitted state of an MLPBinaryClassifier: what makes it, and its safety.

- :func:`fitted_attributes` and :func:`set_fitted` turn the network's final
  parameters and the training monitor's records into the fitted attributes
  (``coefs_``, ``loss_curve_``, ``validation_scores_``, ...) and the private
  state ``partial_fit`` continues from (the optimizer and the random
  generator).
- :func:`fitted_state_restored_on_error` guarantees that a ``fit`` or
  ``partial_fit`` that raises, whatever the exit path, leaves the previous
  model exactly as it was.
- :class:`VersionedPickleMixin` stamps pickles with the sknn version and
  warns when a model saved by another version is loaded.
"""

import warnings
from contextlib import contextmanager

import numpy as np

from ._version import __version__
from .exceptions import InconsistentVersionWarning

__all__ = [
    "TRAINING_STATE",
    "VersionedPickleMixin",
    "current_parameters",
    "fitted_attributes",
    "fitted_state_restored_on_error",
    "set_fitted",
]

# Private state of a fitted model: what partial_fit continues from (with the
# prior strength alpha='auto' chose), and the values the 'auto'
# hyperparameters took.
TRAINING_STATE = ("_optimizer", "_rng", "_resolved_params", "_prior_strength")


def fitted_attributes(network, theta, classes):
    """The attributes that make a fitted model with parameters ``theta``."""
    coefs, intercepts = network.unpack(np.array(theta, dtype=network.dtype))
    return {
        "classes_": classes,
        "coefs_": [W.copy() for W in coefs],
        "intercepts_": [b.copy() for b in intercepts],
        "n_layers_": network.n_layers + 1,
        "n_outputs_": 1,
        "out_activation_": "logistic",
    }


def set_fitted(estimator, network, theta, classes, monitor, result, rng):
    """Set the fitted attributes from the final parameters and the monitor.

    ``result`` is the training layer's :class:`~sknn._training.TrainingResult`
    and ``rng`` the random generator to continue from.
    """
    for key, value in fitted_attributes(network, theta, classes).items():
        setattr(estimator, key, value)
    curve = monitor.loss_curve
    validation = monitor.validation is not None
    best = monitor.best_index
    loss = result.loss if result.loss is not None else (curve[-1] if curve else None)
    vars(estimator).update(
        t_=result.t,
        loss_curve_=curve,
        loss_=loss,
        best_loss_=None if validation or not curve else min(curve),
        validation_scores_=monitor.validation_scores,
        validation_loss_curve_=monitor.validation_loss_curve,
        best_validation_loss_=None
        if best is None
        else monitor.validation_loss_curve[best],
        best_validation_score_=None
        if best is None
        else monitor.validation_scores[best],
        stop_reason_=result.status,
        _rng=rng,
    )
    if result.optimizer is None:
        vars(estimator).pop("_optimizer", None)
    else:
        estimator._optimizer = result.optimizer


def current_parameters(estimator, network):
    """The estimator's ``coefs_``/``intercepts_`` packed for ``network``.

    What a warm-started ``fit`` or a later ``partial_fit`` continues from;
    the hidden layers must match.
    """
    current = [np.shape(W)[1] for W in estimator.coefs_[:-1]]
    wanted = list(network.layer_sizes[1:-1])
    if current != wanted:
        raise ValueError(
            f"hidden_layer_sizes={tuple(wanted)} differs from the layers of the "
            f"current coefs_ {tuple(current)}, which this fit would continue "
            "from. Set warm_start=False (or call fit instead of partial_fit) to "
            "train a new network of the new shape."
        )
    return network.pack(estimator.coefs_, estimator.intercepts_)


@contextmanager
def fitted_state_restored_on_error(estimator):
    """Undo any change to the fitted attributes if the block raises."""

    def state():
        return {
            k: v
            for k, v in vars(estimator).items()
            if k.endswith("_") or k in TRAINING_STATE
        }

    saved = state()
    try:
        yield
    except BaseException:
        for key in state():
            delattr(estimator, key)
        vars(estimator).update(saved)
        raise


class VersionedPickleMixin:
    """Pickles carry the sknn version; loading another version's model warns."""

    def __getstate__(self):
        return {**super().__getstate__(), "_sknn_version": __version__}

    def __setstate__(self, state):
        state = dict(state)
        saved = state.pop("_sknn_version", None)
        if saved != __version__:
            warnings.warn(
                InconsistentVersionWarning(
                    estimator_name=type(self).__name__,
                    original_sknn_version=saved,
                    current_sknn_version=__version__,
                ),
                stacklevel=2,
            )
        super().__setstate__(state)
