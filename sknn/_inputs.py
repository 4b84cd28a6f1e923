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
from ._warnings import warn
from .exceptions import UnscaledFeaturesWarning

# warn_if_unscaled: the root mean square above which a feature is out of scale.
# Measured by benchmarks/feature_scale.py: MLPBinaryClassifier((100,)) with
# Adam (learning_rate_init=0.005, batch_size=64) or L-BFGS, alpha = 10 /
# n_batches, 5-fold CV, features as given against behind a StandardScaler.
# - 38 real-data sets (realdata.py's corpus): on the 32 whose largest feature
#   RMS is above 30, scaling lowered the log loss on 28 with Adam (median by
#   0.061, accuracy +2.6 points) and on 30 with L-BFGS; on the 6 below 15
#   (none lies between), on 2 with Adam (median change +0.001) and 4 with
#   L-BFGS (median change -0.001).
# - Standardized breast cancer, wine, digits and a synthetic problem (Adam),
#   with features multiplied (or shifted) by 3, lost at most 1.6 points of
#   accuracy, by 10 up to 6 (10 shifted), by 30 up to 11 (27 shifted).
# - Raw digit pixels (RMS up to 12.9) and sparse word counts (up to 23)
#   scored as well as scaled or better: they must not warn.
UNSCALED_RMS = 30.0
# warn_if_unscaled and mean_square look at this many rows at most, spread
# evenly over all of X (see column_moments).
SAMPLE_ROWS = 10_000

__all__ = [
    "apply_class_weights",
    "as_csr",
    "as_dtype",
    "check_both_classes_weighted",
    "check_in_range",
    "check_labels_known",
    "check_sample_weight",
    "class_weights",
    "distinct_pairs",
    "column_moments",
    "encode_labels",
    "hold_out",
    "label",
    "mean_square",
    "native_byte_order",
    "partial_fit_classes",
    "row_hashes",
    "single_sample_classes",
    "split_validation",
    "two_classes",
    "validation_weights",
    "validation_set",
    "warn_if_preprocessed_differently",
    "warn_if_unscaled",
]


def as_csr(X):
    """Sparse input as CSR (batches are row slices); dense input unchanged."""
    return X.tocsr() if sp.issparse(X) and X.format != "csr" else X


def native_byte_order(X):
    """``X`` in the machine's byte order, if it is a NumPy array in the other one.

    scikit-learn's validation keeps a float32 array only if its dtype is
    exactly the native float32: a big-endian float32 array (``'>f4'``, as
    read from some files) would otherwise become float64, and the model
    would train and predict in float64.  Anything else is returned as it is.
    """
    if isinstance(X, np.ndarray) and not X.dtype.isnative:
        return X.astype(X.dtype.newbyteorder("="))
    return X


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


_WEIGHTS_DTYPE = "of X, in which the model is trained"
_WEIGHTS_ADVICE = (
    "Divide the weights by a common factor (the model depends on their ratios "
    "and on alpha relative to their sum), or train on float64 data."
)


def check_in_range(X, dtype, name, why, advice=None):
    """Raise if a finite value of ``X`` (array or sparse) overflows ``dtype``.

    ``why`` says why ``dtype`` is the one that matters, ``advice`` what to do
    (by default: scale ``X`` down, or use float64).
    """
    dtype = np.dtype(dtype)
    values = X.data if sp.issparse(X) else np.asarray(X)
    if values.dtype.itemsize <= dtype.itemsize or values.size == 0:
        return
    largest, limit = float(np.max(np.abs(values))), float(np.finfo(dtype).max)
    if largest > limit:
        advice = advice or (
            f"Scale {name} down (a StandardScaler in front of the model does it) "
            "or use float64 throughout."
        )
        raise ValueError(
            f"{name} has values beyond the range of {dtype.name} (up to "
            f"{largest:.3g}; {dtype.name} ends at {limit:.3g}), the dtype {why}. "
            + advice
        )


def as_dtype(X, dtype, name, why, advice=None):
    """``X`` (array or CSR) converted to ``dtype``, after :func:`check_in_range`."""
    if X.dtype == dtype:
        return X
    check_in_range(X, dtype, name, why, advice)
    return X.astype(dtype)


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
    return as_dtype(sw, dtype, name, _WEIGHTS_DTYPE, _WEIGHTS_ADVICE)


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
    dtype = sample_weight.dtype
    per_class = as_dtype(
        weights, dtype, "class_weight", _WEIGHTS_DTYPE, _WEIGHTS_ADVICE
    )
    # Exact in float64, then rounded once: the product in sample_weight's dtype.
    product = (
        sample_weight.astype(np.float64)
        * per_class.astype(np.float64)[y01.astype(np.intp)]
    )
    name = "class_weight times sample_weight"
    return as_dtype(product, dtype, name, _WEIGHTS_DTYPE, _WEIGHTS_ADVICE)


def check_both_classes_weighted(sample_weight, y01, classes):
    """Raise unless both classes have a sample of positive weight."""
    for value, mask in ((classes[0], ~y01), (classes[1], y01)):
        if not (sample_weight[mask] > 0).any():
            raise ValueError(
                f"Every sample of class {label(value)!r} has zero weight (from "
                "sample_weight or class_weight), so the weighted data has only 1 "
                "class; give some samples of both classes a positive weight."
            )


def validation_weights(X, y01, sample_weight, fraction, rng):
    """How each row's weight divides between training and validation.

    A stratified random split that works on the *distinct* rows of each
    class and their summed weights, so that it does not depend on the row
    order and an integer sample weight acts exactly like repeating the row.
    Within each class, with ``W`` its total weight and ``T = fraction * W``
    the weight to hold out:

    - a distinct row heavier than ``T`` and than twice the median distinct
      row (a large group of identical rows, or one row with a large weight)
      cannot go to one side whole without unbalancing the split: its weight
      is divided, ``fraction`` of it to validation and the rest to training,
      as a random split of its copies would do on average;
    - the other distinct rows are put in a random order drawn from ``rng``
      (over the rows listed by their values) and held out whole, in that
      order, until their weight is as close as it gets to ``fraction`` of
      theirs (never all of them, and at least one when no row is heavy).

    So each class sends about ``fraction`` of its weight to validation
    however its weight is spread over rows.  A class with a single distinct
    row of positive weight is divided like a heavy row: it serves both
    sides.  Rows of zero weight stay in training, where they have no effect.

    Returns
    -------
    val_weight, train_weight : ndarray of float64
        Each row's weight in the validation set and in the training set
        (they add up to ``sample_weight``).
    """
    sample_weight = np.asarray(sample_weight, dtype=np.float64)
    val_weight = np.zeros(X.shape[0], dtype=np.float64)
    for value in (False, True):
        rows = np.flatnonzero((y01 == value) & (sample_weight > 0))
        group, n_groups = _distinct_rows(X, rows)
        if n_groups == 0:
            continue
        group_weight = np.bincount(
            group, weights=sample_weight[rows], minlength=n_groups
        )
        target = fraction * group_weight.sum()
        share = np.zeros(n_groups)  # the share of each group held out
        heavy = (group_weight > target / 2) & (
            group_weight > 2 * np.median(group_weight)
        )
        heavy |= n_groups == 1
        share[heavy] = fraction
        order = rng.permutation(n_groups)
        light = order[~heavy[order]]
        if light.size:
            # totals[k]: the weight of the first k light rows.  Hold out the k
            # whose total is nearest fraction of theirs: at least one unless
            # heavy rows already represent the class in validation, never all.
            totals = np.concatenate([[0.0], np.cumsum(group_weight[light])])
            lowest = 0 if heavy.any() else 1
            gaps = np.abs(totals[lowest:-1] - fraction * totals[-1])
            k = lowest + int(np.argmin(gaps)) if gaps.size else 0
            share[light[:k]] = 1.0
        val_weight[rows] = share[group] * sample_weight[rows]
    return val_weight, sample_weight - val_weight


def _n_distinct(X, y01, sample_weight):
    """Number of distinct (row, label) pairs of positive weight."""
    return sum(
        _distinct_rows(X, np.flatnonzero((y01 == value) & (sample_weight > 0)))[1]
        for value in (False, True)
    )


def distinct_pairs(X, y01):
    """Group ids of the (row, label) pairs of ``X`` and ``y01``: equal pairs share one.

    Returns an array of ``len(y01)`` ids in ``0..n_groups-1``.
    """
    ids = np.empty(len(y01), dtype=np.intp)
    offset = 0
    for value in (False, True):
        rows = np.flatnonzero(y01 == value)
        group, n_groups = _distinct_rows(X, rows)
        ids[rows] = group + offset
        offset += n_groups
    return ids


def _distinct_rows(X, rows):
    """Group ids of ``X[rows]``: equal rows share one.

    Returns ``(group, n_groups)``: ``group[i]`` is the id of ``X[rows[i]]``.
    Rows are compared through :func:`_row_hashes`, exact functions of their
    values that dense and sparse input give alike, and the groups are
    numbered in the order of their hashes.
    """
    if rows.size == 0:
        return np.zeros(0, dtype=np.intp), 0
    _, group = np.unique(row_hashes(X[rows]), return_inverse=True)
    group = group.ravel()
    return group, int(group.max()) + 1


def row_hashes(X, chunk_rows=8192, as_float64=False):
    """A 64-bit hash of each row of ``X`` (dense or CSR), from its bit patterns.

    ``sum_j mix(bits(X[i, j])) * c_j`` modulo 2**64, with a bit mixer and
    fixed odd multipliers ``c_j``: integer arithmetic, so equal rows get equal
    hashes whatever the memory layout or summation order, zeros (and -0.0)
    add nothing, and a sparse row hashes like its dense copy.  Distinct rows
    collide with probability about 2**-64 per pair (they would then share a
    side of the split, which is harmless).  With ``as_float64`` the values
    are hashed as float64 (a chunk at a time), so that float32 and float64
    copies of the same data hash alike.
    """
    itemsize = 8 if as_float64 else X.dtype.itemsize
    word = np.uint64 if itemsize == 8 else np.uint32
    negative_zero = word(1) << word(8 * itemsize - 1)
    multipliers = np.random.RandomState(0).randint(
        0, 2**62, size=X.shape[1], dtype=np.uint64
    ) * np.uint64(2) + np.uint64(1)

    def bits(values):
        if as_float64:
            values = np.asarray(values, dtype=np.float64)
        words = values.view(word)
        words = np.where(words == negative_zero, word(0), words).astype(np.uint64)
        # splitmix64's finalizer: spreads every input bit over the word (the
        # bits of round numbers sit in the top few), and keeps 0 at 0.
        words ^= words >> np.uint64(30)
        words *= np.uint64(0xBF58476D1CE4E5B9)
        words ^= words >> np.uint64(27)
        words *= np.uint64(0x94D049BB133111EB)
        words ^= words >> np.uint64(31)
        return words

    if sp.issparse(X):
        X = X.tocsr()
        terms = bits(X.data) * multipliers[X.indices]
        ends = np.concatenate([[np.uint64(0)], np.cumsum(terms, dtype=np.uint64)])
        return ends[X.indptr[1:]] - ends[X.indptr[:-1]]
    hashes = np.empty(X.shape[0], dtype=np.uint64)
    for start in range(0, X.shape[0], chunk_rows):
        block = np.ascontiguousarray(X[start : start + chunk_rows])
        hashes[start : start + chunk_rows] = (bits(block) * multipliers).sum(
            axis=1, dtype=np.uint64
        )
    return hashes


def mean_square(X):
    """The mean over features of their mean square (``column_moments``' sample).

    At most :data:`SAMPLE_ROWS` rows, spread evenly over all of ``X``: the
    same value as over every row, within sampling error, at a bounded cost.
    """
    mean, std = column_moments(X, max_rows=SAMPLE_ROWS)
    with np.errstate(over="ignore"):
        return float(np.mean(mean**2 + std**2)) if mean.size else 0.0


def warn_if_unscaled(X):
    """Warn (:class:`~sknn.exceptions.UnscaledFeaturesWarning`) about large features.

    A feature is out of scale when its root mean square exceeds
    :data:`UNSCALED_RMS` (30), over at most :data:`SAMPLE_ROWS` rows spread
    evenly over all of ``X``: above it, scaling the features improved
    training on almost every data set measured, below it rarely (see the
    comment at :data:`UNSCALED_RMS`).  The root mean square counts a large
    offset (years, blood pressures) as well as a large spread (incomes,
    counts): both make the first layer's units saturate or die and its
    gradient steps mismatch.
    """
    mean, std = column_moments(X, max_rows=SAMPLE_ROWS)
    with np.errstate(over="ignore"):
        rms = np.sqrt(mean**2 + std**2)
    worst = int(np.argmax(rms)) if rms.size else 0
    if rms.size == 0 or rms[worst] <= UNSCALED_RMS:
        return
    warn(
        f"{int((rms > UNSCALED_RMS).sum())} of the {rms.size} features are far from "
        f"unit scale (feature {worst} has values around {rms[worst]:.3g}). A neural "
        "network trains best on standardized features: put a StandardScaler in "
        "front of it, e.g. make_pipeline(StandardScaler(), MLPBinaryClassifier()).",
        UnscaledFeaturesWarning,
    )


def warn_if_preprocessed_differently(X, X_val):
    """Warn when ``X_val`` does not look like it went through ``X``'s preprocessing.

    The usual cause: in a :class:`~sklearn.pipeline.Pipeline`, ``X_val``
    passed as a fit parameter without metadata routing reaches the network
    untransformed while ``X`` was scaled.  A feature is out of line when its
    mean in ``X_val`` lies more than 5 of ``X``'s standard deviations from
    ``X``'s mean, or (with 10 or more validation rows) its spread differs from
    ``X``'s by more than a factor of 5; the warning fires when more than half
    of the features that vary in ``X`` are.  A validation set from the same
    data, even a small or somewhat shifted one, stays well inside that.

    The moments are taken over every row, in chunks (:func:`column_moments`):
    the check needs memory for a chunk and a few vectors of ``n_features``,
    not for a float64 copy of ``X``.
    """
    mean, std = column_moments(X)
    mean_val, std_val = column_moments(X_val)
    varying = std > 0
    far = np.abs(mean_val - mean) > 5 * std
    if X_val.shape[0] >= 10:
        far |= (std_val > 5 * std) | ((std_val > 0) & (std_val < std / 5))
    far &= varying
    if far.sum() * 2 <= varying.sum():
        return
    warn(
        f"X_val does not look like it went through the same preprocessing as X: "
        f"{int(far.sum())} of its {int(varying.sum())} varying features have a "
        "mean or spread far from X's. In a Pipeline, X_val passed as a fit "
        "parameter (net__X_val=...) is not transformed; enable metadata routing "
        "(sklearn.set_config(enable_metadata_routing=True)) and build the "
        "pipeline with transform_input=['X_val'], or transform X_val yourself.",
        UserWarning,
    )


def column_moments(X, max_rows=None):
    """Mean and standard deviation of each column of ``X`` (array or sparse).

    Computed in float64 over chunks of at most :data:`_MOMENT_CHUNK_BYTES`
    (rows of a dense ``X``, stored values of a sparse one), so that the
    memory needed is a chunk plus a few vectors of ``n_features``, whatever
    the size and dtype of ``X``.  The chunks' means and variances are
    combined exactly (Chan, Golub and LeVeque's pairwise update), without
    the cancellation of ``E[x**2] - E[x]**2``; a dense ``X`` that fits in
    one chunk gives exactly ``X.mean(axis=0)`` and ``X.std(axis=0)``.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        Finite values.
    max_rows : int, default=None
        With more rows than this, use every ``ceil(n_samples / max_rows)``-th
        row (starting with the first): a deterministic sample spread evenly
        over all of ``X``.

    Returns
    -------
    mean, std : ndarray of shape (n_features,)
        float64.  A variance too large for float64 (values beyond about
        1e154) is infinite, never NaN.
    """
    if max_rows is not None and X.shape[0] > max_rows:
        X = X[:: -(-X.shape[0] // max_rows)]
    with np.errstate(over="ignore", invalid="ignore"):  # huge values: inf, fine
        if sp.issparse(X):
            mean, var = _sparse_moments(as_csr(X))
        else:
            mean, var = _dense_moments(X)
        var = np.where(np.isnan(var), np.inf, var)
        return np.where(np.isnan(mean), 0.0, mean), np.sqrt(var)


# column_moments converts at most this many bytes of float64 at a time.
_MOMENT_CHUNK_BYTES = 2**20


def _dense_moments(X):
    """Mean and (population) variance of the columns of a dense ``X``, by chunks."""
    n_samples, n_features = X.shape
    step = max(1, _MOMENT_CHUNK_BYTES // (8 * max(n_features, 1)))
    count, mean, var = 0, np.zeros(n_features), np.zeros(n_features)
    for start in range(0, n_samples, step):
        chunk = np.asarray(X[start : start + step], dtype=np.float64)
        size = chunk.shape[0]
        chunk_mean, chunk_var = chunk.mean(axis=0), chunk.var(axis=0)
        if count == 0:
            mean, var = chunk_mean, chunk_var
        else:
            total = count + size
            delta = chunk_mean - mean
            mean = mean + delta * (size / total)
            var = (
                count * var + size * chunk_var + delta**2 * (count * size / total)
            ) / total
        count += size
    return mean, var


def _sparse_moments(X):
    """Mean and (population) variance of the columns of a CSR ``X``, two passes.

    The first pass sums each column's stored values; the second adds up
    their squared deviations from the mean, and the implicit zeros'
    ``mean**2`` each.  Both go through the stored values in chunks.
    """
    if not X.has_canonical_format:  # duplicate entries: add them up, on a copy
        X = X.copy()
        X.sum_duplicates()
    n_samples, n_features = X.shape
    step = max(1, _MOMENT_CHUNK_BYTES // 8)
    stored, total = np.zeros(n_features), np.zeros(n_features)
    for start in range(0, X.nnz, step):
        columns = X.indices[start : start + step]
        stored += np.bincount(columns, minlength=n_features)
        total += np.bincount(
            columns,
            weights=X.data[start : start + step].astype(np.float64),
            minlength=n_features,
        )
    mean = total / n_samples
    squares = (n_samples - stored) * mean**2
    for start in range(0, X.nnz, step):
        columns = X.indices[start : start + step]
        deviation = X.data[start : start + step] - mean[columns]
        squares += np.bincount(
            columns, weights=deviation * deviation, minlength=n_features
        )
    return mean, squares / n_samples


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
    return Validation(X_val, y01, weight, size=_n_distinct(X_val, y01, weight))


def single_sample_classes(X, y01, sample_weight):
    """The labels (False, True) whose rows of positive weight are all one row."""
    return [
        value
        for value in (False, True)
        if _distinct_rows(X, np.flatnonzero((y01 == value) & (sample_weight > 0)))[1]
        == 1
    ]


def hold_out(X, y01, sample_weight, fraction, rng):
    """The two sides of :func:`validation_weights`, as arrays.

    Returns
    -------
    X, y01, sample_weight
        The training set: the rows with training weight (and those of zero
        weight), and that weight, in ``sample_weight``'s dtype.
    validation : Validation
        The held-out set.
    """
    val_weight, train_weight = validation_weights(X, y01, sample_weight, fraction, rng)
    dtype = np.asarray(sample_weight).dtype
    val = val_weight > 0
    train = (train_weight > 0) | (np.asarray(sample_weight) == 0)
    X_val, y_val = X[val], y01[val]
    w_val = val_weight[val].astype(dtype)
    validation = Validation(X_val, y_val, w_val, size=_n_distinct(X_val, y_val, w_val))
    return X[train], y01[train], train_weight[train].astype(dtype), validation


def split_validation(X, y01, sample_weight, fraction, rng, classes):
    """Hold out a stratified ``fraction`` of the training data for validation.

    :func:`hold_out` for ``early_stopping=True``: a row whose weight is
    divided appears in both sets, with its share of the weight in each.
    Warns when a class has a single distinct sample, which then serves both
    sides; raises when every class has.

    Returns
    -------
    X, y01, sample_weight
        The training set.
    validation : Validation
        The held-out set.
    """
    single = single_sample_classes(X, y01, sample_weight)
    if len(single) == 2:
        raise ValueError(
            f"early_stopping=True could not hold out validation_fraction="
            f"{fraction} of the samples: each class has a single distinct sample, "
            "so nothing can be kept apart for validation. Give more samples or "
            "pass X_val and y_val."
        )
    for value in single:
        warn(
            f"early_stopping=True: class {label(classes[int(value)])!r} has a "
            "single distinct sample, so it is used both for training and for "
            "validation (the validation loss flatters that class). Give more "
            "samples of it, or pass a validation set as X_val and y_val.",
            UserWarning,
        )
    return hold_out(X, y01, sample_weight, fraction, rng)
