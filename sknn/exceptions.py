"""Exceptions raised by sknn."""

__all__ = ["InvalidParameterError", "TrainingDivergedError"]


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
