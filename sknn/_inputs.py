"""Checks of the training data that are not about the estimator's API.

Labels, sample and class weights, a validation set and the validation split:
everything :meth:`MLPBinaryClassifier.fit` needs to turn what the user passed
into the arrays the training layer works on (labels in {0, 1}, one weight per
sample).  NumPy and SciPy only; scikit-learn's input validation (``X`` and
``y`` themselves) stays in the estimator.
"""

import numbers

import numpy as np
import scipy.sparse as sp

from ._monitor import Validation

__all__ = [
    "apply_class_weights",
    "as_csr",
    "check_both_classes_weighted",
    "check_labels_known",
    "check_sample_weight",
    "class_weights",
    "encode_labels",
    "label",
    "partial_fit_classes",
    "split_validation",
    "two_classes",
    "validation_rows",
    "validation_set",
]


def as_csr(X):
    """Sparse input as CSR (batches are row slices); dense input unchanged."""
    return X.tocsr() if sp.issparse(X) and X.format != "csr" else X


def label(value):
    """A class label as a plain Python value, for messages and dict keys."""
    return value.item() if isinstance(value, np.generic) else value


def two_classes(classes, what):
    """Check that ``classes`` (sorted, unique) has exactly two labels."""
    if classes.size > 2:
        raise ValueError(
            f"Only binary classification is supported. {what} has "
            f"{classes.size} classes; for more, use "
            "sklearn.neural_network.MLPClassifier or wrap this estimator in "
            "sklearn.multiclass.OneVsRestClassifier."
        )
    if classes.size < 2:
        named = f" ({label(classes[0])!r})" if classes.size else ""
        raise ValueError(
            f"{what} has only {classes.size} class{named}; MLPBinaryClassifier "
            "needs samples of two classes."
        )
    return classes


def encode_labels(y, previous_classes=None):
    """``(classes, y01)`` for training labels ``y``, with ``y01 = (y == classes[1])``.

    ``previous_classes`` are those of the model a warm start continues from:
    ``y`` must have the same.
    """
    classes = two_classes(np.unique(y), "The target y")
    if previous_classes is not None:
        if not np.array_equal(classes, previous_classes):
            raise ValueError(
                f"warm_start=True needs y to have the classes of the previous "
                f"fit, {previous_classes.tolist()}; y has {classes.tolist()}. Set "
                "warm_start=False to train a new model."
            )
        classes = previous_classes
    return classes, (y == classes[1])


def partial_fit_classes(classes, previous_classes):
    """The classes of a ``partial_fit`` call: given on the first, then fixed.

    ``classes`` is the 1-D array passed to the call, or None.
    """
    if previous_classes is None:
        if classes is None:
            raise ValueError(
                "classes must be passed on the first call to partial_fit: the "
                "two class labels, for example classes=np.unique(y_all)."
            )
        return two_classes(np.unique(classes), "classes")
    if classes is not None and not np.array_equal(np.unique(classes), previous_classes):
        raise ValueError(
            f"classes={np.unique(classes).tolist()} differs from classes_="
            f"{previous_classes.tolist()} of the previous calls."
        )
    return previous_classes


def check_labels_known(y, classes, name):
    """Raise if ``y`` has labels outside ``classes``."""
    unknown = np.setdiff1d(np.unique(y), classes)
    if unknown.size:
        raise ValueError(
            f"{name} has labels {unknown.tolist()} that are not among the classes "
            f"{classes.tolist()}."
        )


def check_sample_weight(sample_weight, n_samples, dtype, name="sample_weight"):
    """Validated sample weights as an array of ``dtype``."""
    if sample_weight is None:
        return np.ones(n_samples, dtype=dtype)
    if isinstance(sample_weight, numbers.Number) and not isinstance(
        sample_weight, bool
    ):
        sample_weight = np.full(n_samples, sample_weight)
    try:
        sw = np.asarray(sample_weight)
        complex_values = sw.dtype.kind == "c"
        if not complex_values:
            sw = sw.astype(np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers.") from None
    if complex_values:
        raise ValueError(f"{name} must be real numbers; got complex values.")
    if sw.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got an array of shape {sw.shape}.")
    if sw.shape[0] != n_samples:
        raise ValueError(
            f"{name} has {sw.shape[0]} entries but X has {n_samples} samples."
        )
    if not np.isfinite(sw).all():
        raise ValueError(f"{name} contains NaN or infinity; weights must be finite.")
    if (sw < 0).any():
        raise ValueError(f"{name} contains negative values; weights must be >= 0.")
    if not (sw > 0).any():
        raise ValueError(
            f"{name} has no non-zero weight: all weights are zero, so there is "
            "nothing to learn from."
        )
    return sw.astype(dtype, copy=False)


def class_weights(class_weight, classes, y01, sample_weight):
    """The weights of ``classes[0]`` and ``classes[1]``, or None.

    Parameters
    ----------
    class_weight : None, 'balanced' or dict
        The estimator's parameter.  'balanced' is scikit-learn's
        ``n_samples / (n_classes * count)`` with the counts weighted by the
        sample weights (plain counts when they are all ones), so that integer
        weights act like repeated samples.
    classes : ndarray of shape (2,)
        The class labels.
    y01 : ndarray of bool
        ``y == classes[1]``.
    sample_weight : ndarray
        The sample weights.
    """
    if class_weight is None:
        return None
    if isinstance(class_weight, str):  # 'balanced'
        weight = sample_weight.astype(np.float64)
        counts = np.array([weight[~y01].sum(), weight[y01].sum()])
        return weight.sum() / (2 * counts)
    known = {label(c) for c in classes}
    unknown = [key for key in class_weight if key not in known]
    if unknown:
        raise ValueError(
            f"class_weight has labels {unknown} that are not classes of y "
            f"{sorted(known, key=str)}."
        )
    return np.array([float(class_weight.get(label(c), 1.0)) for c in classes])


def apply_class_weights(sample_weight, y01, weights):
    """Multiply the weight of each class (``weights``, or None) into the samples'."""
    if weights is None:
        return sample_weight
    per_sample = weights.astype(sample_weight.dtype)[y01.astype(np.intp)]
    return sample_weight * per_sample


def check_both_classes_weighted(sample_weight, y01, classes):
    """Raise unless both classes have a sample of positive weight."""
    for value, mask in ((classes[0], ~y01), (classes[1], y01)):
        if not (sample_weight[mask] > 0).any():
            raise ValueError(
                f"Every sample of class {label(value)!r} has zero weight (from "
                "sample_weight or class_weight), so the weighted data has only 1 "
                "class; give some samples of both classes a positive weight."
            )


def validation_rows(X, y01, sample_weight, fraction, rng):
    """Boolean mask of the rows held out for validation.

    Each row gets a key, its projection on a random direction drawn from
    ``rng``; within each class the rows with the smallest keys are held out
    until they carry ``fraction`` of the class's sample weight.  The split is
    therefore stratified, seeded by ``random_state``, independent of the row
    order, and sends identical rows to the same side, so that an integer
    sample weight acts exactly like repeating the row.  A class whose
    weighted rows would all be held out (it has too few distinct rows) stays
    in training whole.
    """
    direction = rng.standard_normal(X.shape[1]).astype(X.dtype)
    keys = np.asarray(X @ direction).ravel()
    mask = np.zeros(X.shape[0], dtype=bool)
    for value in (False, True):
        rows = np.flatnonzero(y01 == value)
        rows = rows[np.argsort(keys[rows], kind="stable")]
        cumulative = np.cumsum(sample_weight[rows], dtype=np.float64)
        first = min(
            np.searchsorted(cumulative, fraction * cumulative[-1]), len(rows) - 1
        )
        held_out = keys[rows] <= keys[rows[first]]
        if (sample_weight[rows[~held_out]] > 0).any():  # some left for training
            mask[rows[held_out]] = True
    return mask


def validation_set(X_val, y_val, sample_weight_val, classes, weights):
    """A :class:`~sknn._monitor.Validation` from a validated ``X_val`` and its labels.

    ``weights`` are the class weights (or None), multiplied into the
    validation sample weights as into the training ones.
    """
    check_labels_known(y_val, classes, "y_val")
    y01 = y_val == classes[1]
    weight = check_sample_weight(
        sample_weight_val, X_val.shape[0], X_val.dtype, name="sample_weight_val"
    )
    weight = apply_class_weights(weight, y01, weights)
    if not (weight > 0).any():
        raise ValueError("The validation samples all have zero weight.")
    return Validation(X_val, y01, weight)


def split_validation(X, y01, sample_weight, fraction, rng):
    """Hold out a stratified ``fraction`` of the training data for validation.

    Returns
    -------
    X, y01, sample_weight
        The rows kept for training.
    validation : Validation
        The rows held out.
    """
    val = validation_rows(X, y01, sample_weight, fraction, rng)
    if not (sample_weight[val] > 0).any():
        raise ValueError(
            f"early_stopping=True could not hold out validation_fraction="
            f"{fraction} of the samples: each class has too few distinct samples "
            "to keep some for training. Give more samples or pass X_val and y_val."
        )
    train = ~val
    validation = Validation(X[val], y01[val], sample_weight[val])
    return X[train], y01[train], sample_weight[train], validation
