"""Exceptions raised by sknn."""

__all__ = [
    "InconsistentVersionWarning",
    "InvalidParameterError",
    "TrainingDivergedError",
    "TrainingDivergedWarning",
    "UnscaledFeaturesWarning",
]


class InvalidParameterError(ValueError, TypeError):
    """A hyperparameter has a wrong type or value.

    Raised by ``fit`` (``__init__`` and ``set_params`` only store values).
    It subclasses both :class:`ValueError` and :class:`TypeError`, so code
    written for either keeps working.  The message names the parameter and
    what it accepts.

    Examples
    --------
    >>> from sknn import MLPBinaryClassifier
    >>> from sknn.exceptions import InvalidParameterError
    >>> try:
    ...     MLPBinaryClassifier(momentum=1.5).fit([[0.0], [1.0]], [0, 1])
    ... except InvalidParameterError as exc:
    ...     print(exc)  # doctest: +NORMALIZE_WHITESPACE
    The 'momentum' parameter of MLPBinaryClassifier must be a float in the range
    [0, 1). Got 1.5 instead.
    """


class TrainingDivergedError(ValueError):
    """Training produced a non-finite loss or non-finite parameters.

    Raised by ``fit`` as soon as it happens; the message gives the epoch.
    The usual causes are a ``learning_rate_init`` that is too large for the
    problem, or features that are not scaled (put a
    :class:`~sklearn.preprocessing.StandardScaler` in front of the model).
    """


class TrainingDivergedWarning(UserWarning):
    """Training diverged, and the model fell back on its best validated weights.

    With a validation set (``early_stopping=True``, or ``X_val`` passed to
    ``fit``), a run that diverges after at least one validated epoch does not
    raise :class:`TrainingDivergedError`: training stops, the model keeps the
    weights of the epoch with the lowest validation loss, ``stop_reason_`` is
    ``'diverged'``, and ``fit`` emits this warning, giving the epoch.  The
    model is usable, but the run was cut short: lower ``learning_rate_init``
    or scale the features.

    It is not a :class:`~sklearn.exceptions.ConvergenceWarning`, which asks
    for more iterations and is often silenced wholesale in searches: the
    remedy here is a smaller step.
    """


class UnscaledFeaturesWarning(UserWarning):
    """The training features are far from unit scale.

    A neural network trains best, and fastest, on standardized features.
    With features in the hundreds the first layer's units saturate or die,
    and training steps are out of proportion to the small weights such
    features need, whatever the solver: Adam's step size does not depend on
    the gradients' scale, but each step still moves a unit's input in
    proportion to the features.  ``fit`` warns when a feature's typical
    magnitude (root mean square, over at most 10,000 rows spread evenly over
    ``X``) is above 30.  That threshold is measured: on 38 real data sets, a
    :class:`~sklearn.preprocessing.StandardScaler` in front of the model
    lowered the log loss on 28 of the 32 whose features go above it, and on
    2 of the 6 below it; digit pixels (0-16) and word counts, which stay
    below, trained as well unscaled.  Put a scaler in front of the model.
    Silence it with ``warnings.filterwarnings("ignore",
    category=UnscaledFeaturesWarning)`` when the scale is deliberate.

    Examples
    --------
    >>> import warnings
    >>> from sknn import MLPBinaryClassifier
    >>> from sknn.exceptions import UnscaledFeaturesWarning
    >>> X, y = [[100.0], [200.0], [300.0], [400.0]], [0, 0, 1, 1]
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = MLPBinaryClassifier(solver="adam", random_state=0).fit(X, y)
    >>> any(issubclass(w.category, UnscaledFeaturesWarning) for w in caught)
    True
    """


class InconsistentVersionWarning(UserWarning):
    """A model is loaded by another sknn version than the one that saved it.

    The model still loads, but it may not behave the same; refit it with the
    installed version, or install the version that saved it.

    Attributes
    ----------
    estimator_name : str
        The class of the loaded model.
    original_sknn_version : str or None
        The version that saved it (None if unknown: saved before sknn
        recorded its version).
    current_sknn_version : str
        The installed version.
    """

    def __init__(self, *, estimator_name, original_sknn_version, current_sknn_version):
        self.estimator_name = estimator_name
        self.original_sknn_version = original_sknn_version
        self.current_sknn_version = current_sknn_version

    def __str__(self):
        saved = self.original_sknn_version or "an unknown version"
        return (
            f"Loading a {self.estimator_name} saved by sknn {saved} with sknn "
            f"{self.current_sknn_version}: it may not work or may give other "
            "results. Refit it with this version, or install the version that "
            "saved it."
        )
