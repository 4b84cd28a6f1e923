"""Conversion between MLPBinaryClassifier and scikit-learn's MLPClassifier.

Both compute the same network: ``coefs_[l]`` of shape ``(n[l], n[l+1])``,
hidden activations applied after every layer but the last, and a logistic
output unit for a binary target, so a fitted model converts either way by
copying its weights.  The hyperparameters are translated so that refitting
the converted estimator trains the same way where scikit-learn has the same
knob; sknn's momentum ``V <- beta V + (1 - beta) g; theta <- theta - eta V``
is scikit-learn's classical momentum with ``learning_rate_init = eta (1 - beta)``.
"""

import numpy as np
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.validation import check_is_fitted

__all__ = ["SklearnConversionMixin"]

_SHARED_PARAMS = (
    "hidden_layer_sizes",
    "alpha",
    "batch_size",
    "learning_rate",
    "power_t",
    "max_iter",
    "shuffle",
    "random_state",
    "tol",
    "verbose",
    "warm_start",
    "early_stopping",
    "validation_fraction",
    "beta_1",
    "beta_2",
    "epsilon",
    "n_iter_no_change",
    "max_fun",
)

# Fitted attributes copied as they are, when present.
_SHARED_ATTRIBUTES = (
    "n_features_in_",
    "feature_names_in_",
    "n_iter_",
    "t_",
    "loss_",
    "loss_curve_",
    "best_loss_",
    "validation_scores_",
    "best_validation_score_",
)


def _to_sklearn(estimator):
    """An equivalent fitted :class:`~sklearn.neural_network.MLPClassifier`."""
    check_is_fitted(estimator)
    params = {name: getattr(estimator, name) for name in _SHARED_PARAMS}
    params["hidden_layer_sizes"] = tuple(W.shape[1] for W in estimator.coefs_[:-1])
    # The values the last fit gave the 'auto' settings (for a model set up by
    # hand: MLPClassifier's defaults).
    resolved = getattr(estimator, "_resolved_params", {})
    if params["alpha"] == "auto":
        params["alpha"] = resolved.get("alpha", MLPClassifier().alpha)
    beta = estimator.momentum
    if estimator.learning_rate_init == "auto":
        step = resolved.get("learning_rate_init", MLPClassifier().learning_rate_init)
    else:
        step = float(estimator.learning_rate_init)
    activation = (
        "logistic" if estimator.activation == "sigmoid" else estimator.activation
    )
    mlp = MLPClassifier(
        activation=activation,
        solver=estimator.solver,
        learning_rate_init=step * (1 - beta) if estimator.solver == "sgd" else step,
        momentum=beta,
        nesterovs_momentum=False,
        **params,
    )
    mlp.classes_ = estimator.classes_.copy()
    mlp._label_binarizer = LabelBinarizer().fit(estimator.classes_)
    mlp.coefs_ = [np.array(W, copy=True) for W in estimator.coefs_]
    mlp.intercepts_ = [np.array(b, copy=True) for b in estimator.intercepts_]
    mlp.n_layers_ = len(mlp.coefs_) + 1
    mlp.n_outputs_ = 1
    mlp.out_activation_ = "logistic"
    for name in _SHARED_ATTRIBUTES:
        if hasattr(estimator, name):
            setattr(mlp, name, getattr(estimator, name))
    # The bookkeeping MLPClassifier's own fit starts with, so that a warm
    # start from the converted model runs (it reads them at its first epoch).
    mlp._no_improvement_count = 0
    if not mlp.early_stopping and getattr(mlp, "best_loss_", None) is None:
        mlp.best_loss_ = np.inf
    return mlp


def _from_sklearn(cls, mlp):
    """A fitted ``cls`` (an MLPBinaryClassifier) with the weights of ``mlp``."""
    if not isinstance(mlp, MLPClassifier):
        raise TypeError(f"Expected a fitted MLPClassifier, got {type(mlp).__name__}.")
    check_is_fitted(mlp)
    if (
        len(mlp.classes_) != 2
        or mlp.n_outputs_ != 1
        or mlp.out_activation_ != "logistic"
    ):
        raise ValueError(
            "Only a binary MLPClassifier (two classes, one logistic output unit) "
            f"can be converted; this one has classes {list(mlp.classes_)} and "
            f"{mlp.n_outputs_} output units."
        )
    params = {name: getattr(mlp, name) for name in _SHARED_PARAMS}
    params["hidden_layer_sizes"] = tuple(W.shape[1] for W in mlp.coefs_[:-1])
    beta = mlp.momentum
    if mlp.solver == "sgd":
        step = (
            mlp.learning_rate_init / (1 - beta) if beta < 1 else mlp.learning_rate_init
        )
    else:
        step = mlp.learning_rate_init
    estimator = cls(
        activation=mlp.activation,
        solver=mlp.solver,
        learning_rate_init=step,
        momentum=beta,
        **params,
    )
    estimator.classes_ = np.array(mlp.classes_, copy=True)
    estimator.coefs_ = [np.array(W, copy=True) for W in mlp.coefs_]
    estimator.intercepts_ = [np.array(b, copy=True) for b in mlp.intercepts_]
    estimator.n_layers_ = mlp.n_layers_
    estimator.n_outputs_ = 1
    estimator.out_activation_ = "logistic"
    for name in _SHARED_ATTRIBUTES:
        if hasattr(mlp, name):
            setattr(estimator, name, getattr(mlp, name))
    for name in ("validation_scores_", "best_validation_score_"):
        setattr(estimator, name, getattr(mlp, name, None))
    estimator.validation_loss_curve_ = None
    estimator.best_validation_loss_ = None
    return estimator


class SklearnConversionMixin:
    """``to_sklearn`` and ``from_sklearn`` for :class:`MLPBinaryClassifier`."""

    def to_sklearn(self):
        """An equivalent fitted scikit-learn ``MLPClassifier``.

        It holds copies of the weights and gives the same ``predict_proba``
        (to rounding), so it can go wherever an ``MLPClassifier`` is expected,
        for example to ``skl2onnx`` for export to ONNX.  Hyperparameters are
        translated where ``MLPClassifier`` has the same knob (sknn's
        momentum becomes ``momentum=beta, nesterovs_momentum=False,
        learning_rate_init=eta * (1 - beta)``), so refitting it trains the
        same way with ``solver='sgd'`` and ``'adam'``.

        Returns
        -------
        mlp : sklearn.neural_network.MLPClassifier
            A fitted MLPClassifier.

        Examples
        --------
        >>> import numpy as np
        >>> from sknn import MLPBinaryClassifier
        >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
        >>> clf = MLPBinaryClassifier((3,), solver="lbfgs", alpha=0.1, random_state=0)
        >>> clf = clf.fit(X, y)
        >>> mlp = clf.to_sklearn()
        >>> bool(np.allclose(mlp.predict_proba(X), clf.predict_proba(X), atol=1e-12))
        True
        """
        return _to_sklearn(self)

    @classmethod
    def from_sklearn(cls, mlp):
        """An MLPBinaryClassifier with the weights of a fitted binary ``MLPClassifier``.

        Parameters
        ----------
        mlp : sklearn.neural_network.MLPClassifier
            Fitted on a binary target (two classes, one logistic output unit).

        Returns
        -------
        estimator : MLPBinaryClassifier
            Fitted, with the same predictions and the hyperparameters
            translated (its ``learning_rate_init`` with 'sgd' is scikit-learn's
            divided by ``1 - momentum``).  Scikit-learn's Nesterov momentum has
            no counterpart: refitting uses sknn's momentum.

        Raises
        ------
        ValueError
            If ``mlp`` is not binary.

        Examples
        --------
        >>> from sklearn.neural_network import MLPClassifier
        >>> from sknn import MLPBinaryClassifier
        >>> X, y = [[0.0], [1.0], [2.0], [3.0]], ["a", "a", "b", "b"]
        >>> mlp = MLPClassifier((3,), max_iter=2000, random_state=0).fit(X, y)
        >>> MLPBinaryClassifier.from_sklearn(mlp).predict(X).tolist()
        ['a', 'a', 'b', 'b']
        """
        return _from_sklearn(cls, mlp)
