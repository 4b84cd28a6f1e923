"""Exceptions raised by sknn."""

__all__ = [
    "InconsistentVersionWarning",
    "InvalidParameterError",
    "TrainingDivergedError",
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
    ...     MLPBinaryClassifier(alpha=-1).fit([[0.0], [1.0]], [0, 1])
    ... except InvalidParameterError as exc:
    ...     print(exc)
    The 'alpha' parameter of MLPBinaryClassifier must be a float >= 0. Got -1 instead.
    """


class TrainingDivergedError(ValueError):
    """Training produced a non-finite loss or non-finite parameters.

    Raised by ``fit`` as soon as it happens; the message gives the epoch.
    The usual causes are a ``learning_rate_init`` that is too large for the
    problem, or features that are not scaled (put a
    :class:`~sklearn.preprocessing.StandardScaler` in front of the model).
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
