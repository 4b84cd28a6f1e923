"""Checks of the training data: labels, sample and class weights, validation split,
column moments and the warnings built on them."""

import tracemalloc
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from sknn._inputs import (
    _MOMENT_CHUNK_BYTES,
    SAMPLE_ROWS,
    UNSCALED_RMS,
    _distinct_rows,
    apply_class_weights,
    as_csr,
    check_both_classes_weighted,
    check_labels_known,
    check_sample_weight,
    class_weights,
    column_moments,
    label,
    mean_square,
    native_byte_order,
    split_validation,
    two_classes,
    validation_weights,
    warn_if_preprocessed_differently,
    warn_if_unscaled,
)
from sknn.exceptions import UnscaledFeaturesWarning


def test_two_classes_accepts_two_and_names_the_problem_otherwise():
    classes = np.array(["a", "b"])
    assert two_classes(classes, "y") is classes
    with pytest.raises(ValueError, match="Only binary classification is supported"):
        two_classes(np.array([0, 1, 2]), "y")
    with pytest.raises(ValueError, match=r"y has only 1 class \('a'\)"):
        two_classes(np.array(["a"]), "y")
    with pytest.raises(ValueError, match="y has only 0 class;"):
        two_classes(np.array([]), "y")


def test_unknown_labels_are_named():
    check_labels_known(np.array([0, 1, 1]), np.array([0, 1]), "y_val")
    with pytest.raises(ValueError, match=r"y_val has labels \[2, 5\]"):
        check_labels_known(np.array([0, 2, 5]), np.array([0, 1]), "y_val")


def test_label_is_a_plain_python_value():
    assert type(label(np.int64(3))) is int
    assert type(label(np.str_("a"))) is str
    assert label("b") == "b"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sample_weight_defaults_to_ones_and_scalars_broadcast(dtype):
    np.testing.assert_array_equal(check_sample_weight(None, 3, dtype), [1, 1, 1])
    sw = check_sample_weight(2, 3, dtype)
    assert sw.dtype == dtype
    np.testing.assert_array_equal(sw, [2, 2, 2])
    np.testing.assert_array_equal(check_sample_weight([1, 0, 3], 3, dtype), [1, 0, 3])


@pytest.mark.parametrize(
    ("sample_weight", "match"),
    [
        ([1, 2], "has 2 entries but X has 3 samples"),
        ([[1, 2, 3]], "must be 1-D"),
        ([1, np.nan, 1], "NaN or infinity"),
        ([1, -1, 1], "negative values"),
        ([0, 0, 0], "no non-zero weight"),
        ([1j, 1, 1], "complex values"),
        (["a", "b", "c"], "array of numbers"),
    ],
)
def test_bad_sample_weight_is_named(sample_weight, match):
    with pytest.raises(ValueError, match=f"my_weight .*{match}|my_weight {match}"):
        check_sample_weight(sample_weight, 3, np.float64, name="my_weight")


def test_class_weights_balanced_is_sklearns_formula_with_weighted_counts():
    y01 = np.array([False, False, False, True])
    classes = np.array([0, 1])
    ones = np.ones(4)
    # n_samples / (2 * count): 4 / (2 * 3) and 4 / (2 * 1)
    np.testing.assert_allclose(
        class_weights("balanced", classes, y01, ones), [4 / 6, 4 / 2]
    )
    # Integer sample weights count like repeated samples.
    sw = np.array([1.0, 1.0, 1.0, 3.0])
    np.testing.assert_allclose(
        class_weights("balanced", classes, y01, sw), [6 / 6, 6 / 6]
    )


def test_class_weights_from_a_dict_default_to_one_and_reject_unknown_labels():
    classes = np.array(["no", "yes"])
    y01 = np.array([False, True])
    assert class_weights(None, classes, y01, np.ones(2)) is None
    np.testing.assert_array_equal(
        class_weights({"yes": 3}, classes, y01, np.ones(2)), [1.0, 3.0]
    )
    with pytest.raises(ValueError, match=r"class_weight has labels \['maybe'\]"):
        class_weights({"maybe": 2}, classes, y01, np.ones(2))


def test_apply_class_weights_multiplies_per_class():
    sw = np.array([1.0, 2.0, 3.0], dtype=np.float32)
    y01 = np.array([False, True, True])
    out = apply_class_weights(sw, y01, np.array([10.0, 0.5]))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [10.0, 1.0, 1.5])
    assert apply_class_weights(sw, y01, None) is sw


def test_both_classes_must_keep_a_positive_weight():
    y01 = np.array([False, True, True])
    check_both_classes_weighted(np.array([1.0, 0.0, 1.0]), y01, np.array(["a", "b"]))
    with pytest.raises(ValueError, match="Every sample of class 'a' has zero weight"):
        check_both_classes_weighted(
            np.array([0.0, 1.0, 1.0]), y01, np.array(["a", "b"])
        )


def test_as_csr_converts_only_sparse_input():
    X = np.eye(3)
    assert as_csr(X) is X
    assert as_csr(sp.csc_matrix(X)).format == "csr"
    csr = sp.csr_matrix(X)
    assert as_csr(csr) is csr


def test_validation_split_is_stratified_seeded_and_row_order_free():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(400, 3))
    y = rng.rand(400) < 0.3
    w = rng.uniform(0.1, 1.0, size=400)
    val, train = validation_weights(X, y, w, 0.25, np.random.RandomState(7))
    np.testing.assert_array_equal(val + train, w)
    assert set(np.unique(val[val > 0] == w[val > 0])) == {True}  # whole rows
    for value in (False, True):
        held = val[y == value].sum() / w[y == value].sum()
        # the nearest a prefix of whole rows gets: within half a row's weight
        assert abs(held - 0.25) <= w.max() / 2 / w[y == value].sum()
    same, _ = validation_weights(X, y, w, 0.25, np.random.RandomState(7))
    other, _ = validation_weights(X, y, w, 0.25, np.random.RandomState(8))
    np.testing.assert_array_equal(val, same)
    assert not np.array_equal(val, other)
    order = rng.permutation(400)
    np.testing.assert_array_equal(
        validation_weights(
            X[order], y[order], w[order], 0.25, np.random.RandomState(7)
        )[0],
        val[order],
    )


def test_validation_split_keeps_identical_rows_together_and_weights_as_repeats():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 2))
    y = np.arange(30) % 2 == 0
    counts = rng.randint(1, 4, size=30)
    counts[0] = 40  # a heavy row: its weight is divided, its copies likewise
    weighted, _ = validation_weights(
        X, y, counts.astype(float), 0.3, np.random.RandomState(1)
    )
    repeated, _ = validation_weights(
        np.repeat(X, counts, axis=0),
        np.repeat(y, counts),
        np.ones(counts.sum()),
        0.3,
        np.random.RandomState(1),
    )
    np.testing.assert_allclose(np.repeat(weighted / counts, counts), repeated)
    assert weighted[0] == pytest.approx(0.3 * 40)


def test_early_stopping_weights_go_with_their_rows():
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=300, noise=0.2, random_state=0)
    w = np.arange(1, len(y) + 1, dtype=float)  # weight identifies the row
    X_train, y_train, w_train, validation = split_validation(
        X, y == 1, w, 0.1, np.random.RandomState(0), np.array([0, 1])
    )
    for part_X, part_w in (
        (X_train, w_train),
        (validation.X, validation.sample_weight),
    ):
        np.testing.assert_array_equal(part_X, X[part_w.astype(int) - 1])
    assert len(w_train) + len(validation.sample_weight) == len(w)


@pytest.mark.parametrize("seed", range(5))
def test_held_out_rows_are_distributed_like_the_training_rows(seed):
    # A random split, not a tail of feature space: on the moons the held-out
    # rows of each class look like the rest (two-sample Kolmogorov-Smirnov
    # test on each feature).  The projection split used before held out rows
    # whose mean first feature was -1.29 against 0.15 for the rest.
    from scipy.stats import ks_2samp
    from sklearn.datasets import make_moons
    from sklearn.preprocessing import StandardScaler

    X, y = make_moons(1000, noise=0.3, random_state=0)
    X = StandardScaler().fit_transform(X)
    val, train = validation_weights(
        X, y == 1, np.ones(1000), 0.1, np.random.RandomState(seed)
    )
    held, shared = val > 0, (val > 0) & (train > 0)
    assert not shared.any()
    assert held.sum() == 100
    for value in (0, 1):
        rows = y == value
        assert held[rows].sum() == 50  # stratified
        for j in range(2):
            pvalue = ks_2samp(X[rows & held, j], X[rows & ~held, j]).pvalue
            assert pvalue > 0.001
        mean_gap = X[rows & held].mean(axis=0) - X[rows & ~held].mean(axis=0)
        assert np.abs(mean_gap).max() < 0.4


def test_a_class_with_one_distinct_sample_serves_both_sides_with_a_warning():
    X = np.array([[1.0, 2], [2, 3], [3, 4], [4, 5], [4, 5]])
    y01 = np.array([False, False, False, True, True])  # class 1: one distinct row
    w = np.ones(5)
    with pytest.warns(UserWarning, match="class 'b' has a single distinct sample"):
        X_tr, y_tr, w_tr, val = split_validation(
            X, y01, w, 0.2, np.random.RandomState(0), np.array(["a", "b"])
        )
    # Both classes in both sets; class 0 split, class 1's rows in both.
    assert set(val.y.tolist()) == {False, True}
    assert set(y_tr.tolist()) == {False, True}
    assert (X_tr[y_tr] == [4, 5]).all()
    assert (val.X[val.y] == [4, 5]).all()
    assert len(val.y) + len(y_tr) == 5 + 2


def test_distinct_rows_group_equal_rows_of_dense_and_sparse_input():
    X = np.array([[0.0, 1], [-0.0, 1], [2, 3], [0, 1], [2, 3.5]])
    dense_group, n = _distinct_rows(X, np.arange(5))
    assert n == 3
    assert dense_group[0] == dense_group[1] == dense_group[3]
    sparse_group, n_sparse = _distinct_rows(sp.csr_matrix(X), np.arange(5))
    np.testing.assert_array_equal(sparse_group, dense_group)
    assert n_sparse == 3


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_row_hashes_tell_rows_apart_exactly_like_unique(dtype):
    # Round numbers have all their bits at the top of the word: the hash must
    # still tell them apart (and -0.0 from 0.0 must not).
    X = np.random.RandomState(1).randint(0, 3, size=(5000, 5)).astype(dtype)
    X[::7] *= -1
    group, n = _distinct_rows(X, np.arange(5000))
    _, expected = np.unique(X + 0, axis=0, return_inverse=True)
    assert n == expected.max() + 1
    # one group per distinct row, and the same grouping
    assert len(set(zip(group.tolist(), expected.ravel().tolist()))) == n
    sparse_group, _ = _distinct_rows(sp.csr_matrix(X), np.arange(5000))
    np.testing.assert_array_equal(sparse_group, group)


def _held_out_share(X, y01, w, fraction, seed):
    val, _ = validation_weights(X, y01, w, fraction, np.random.RandomState(seed))
    return [val[y01 == value].sum() / w[y01 == value].sum() for value in (0, 1)]


@pytest.mark.parametrize("seed", range(5))
def test_a_large_group_of_identical_rows_is_divided_not_held_out_whole(seed):
    # 990 identical rows of class 0 (the first group drawn used to be held
    # out whole: 99% of the class went to validation).
    rng = np.random.RandomState(0)
    X = np.vstack(
        [np.zeros((990, 3)), rng.normal(size=(10, 3)), rng.normal(size=(1000, 3)) + 1]
    )
    y01 = np.r_[np.zeros(1000), np.ones(1000)] == 1
    shares = _held_out_share(X, y01, np.ones(2000), 0.1, seed)
    np.testing.assert_allclose(shares, 0.1, atol=0.0015)


@pytest.mark.parametrize("seed", range(8))
def test_few_distinct_rows_hold_out_about_the_fraction(seed):
    # Six sparse binary features: 50 distinct rows of very unequal counts
    # (validation_fraction=0.1 held out 41-47% of the rows for some seeds).
    rng = np.random.RandomState(0)
    X = (rng.rand(1000, 6) < 0.15).astype(float)
    y01 = X.sum(axis=1) + rng.normal(size=1000) * 0.5 > 1
    shares = _held_out_share(X, y01, np.ones(1000), 0.1, seed)
    np.testing.assert_allclose(shares, 0.1, atol=0.05)


@pytest.mark.parametrize("seed", range(5))
def test_a_heavy_sample_weight_sends_only_the_fraction_of_it(seed):
    # One row with weight 500 sent 78% of its class's weight to validation.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(400, 3))
    y01 = np.arange(400) % 2 == 1
    w = np.ones(400)
    w[0] = 500.0
    val, train = validation_weights(X, y01, w, 0.1, np.random.RandomState(seed))
    assert val[0] == pytest.approx(50.0)
    assert train[0] == pytest.approx(450.0)
    shares = _held_out_share(X, y01, w, 0.1, seed)
    np.testing.assert_allclose(shares, 0.1, atol=0.5 / 200)


# -- column moments ------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_column_moments_by_chunks_match_numpy(dtype):
    # 60,000 rows of 7 columns are several chunks.  Offsets far above the
    # spread (1e6 against 1) would lose the spread to cancellation in
    # E[x**2] - E[x]**2; the chunks' combination keeps it.
    rng = np.random.RandomState(0)
    scale = np.array([1, 10, 1e-3, 5, 1, 1, 100])
    offset = np.array([0, 1e4, 3, -50, 1e6, 0, 0])
    X = (rng.normal(size=(60_000, 7)) * scale + offset).astype(dtype)
    assert X.shape[0] * 7 * 8 > 3 * _MOMENT_CHUNK_BYTES
    mean, std = column_moments(X)
    X64 = X.astype(np.float64)
    assert mean.dtype == std.dtype == np.float64
    np.testing.assert_allclose(mean, X64.mean(axis=0), rtol=1e-13)
    np.testing.assert_allclose(std, X64.std(axis=0), rtol=1e-10)


def test_column_moments_of_one_chunk_are_numpys_exactly():
    X = np.random.RandomState(1).normal(size=(500, 20)) * 7 + 3
    mean, std = column_moments(X)
    np.testing.assert_array_equal(mean, X.mean(axis=0))
    np.testing.assert_array_equal(std, X.std(axis=0))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_column_moments_of_sparse_input_match_the_dense_ones(dtype):
    rng = np.random.RandomState(2)
    X = sp.random(40_000, 9, density=0.4, format="csr", random_state=rng, dtype=dtype)
    X.data = (X.data * 50 + 1000).astype(dtype)  # stored values far from 0
    dense = X.toarray().astype(np.float64)
    for matrix in (X, X.tocsc(), sp.csr_array(X)):
        mean, std = column_moments(matrix)
        np.testing.assert_allclose(mean, dense.mean(axis=0), rtol=1e-12)
        np.testing.assert_allclose(std, dense.std(axis=0), rtol=1e-10)


def test_column_moments_add_up_duplicate_sparse_entries():
    # Row 0 stores column 0 twice (1 + 2): the matrix is [[3, 0], [0, 3]].
    X = sp.csr_matrix(
        (np.array([1.0, 2.0, 3.0]), np.array([0, 0, 1]), np.array([0, 2, 3])),
        shape=(2, 2),
    )
    mean, std = column_moments(X)
    np.testing.assert_array_equal(mean, [1.5, 1.5])
    np.testing.assert_array_equal(std, [1.5, 1.5])
    assert not X.has_canonical_format  # the input is left as it was


def test_column_moments_of_huge_values_are_infinite_not_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and numpy's overflow stays silent
        mean, std = column_moments(np.array([[1e300], [-1e300], [1e300]]))
    assert np.isfinite(mean).all()
    assert np.isinf(std).all()


def test_column_moments_sample_rows_spread_over_all_of_X():
    X = np.random.RandomState(3).normal(size=(25_000, 3))
    # ceil(25,000 / 10,000) = 3: rows 0, 3, 6, ..., up to the last third.
    for got, expected in zip(
        column_moments(X, max_rows=10_000), column_moments(X[::3])
    ):
        np.testing.assert_array_equal(got, expected)
    for got, expected in zip(
        column_moments(X[:9_000], max_rows=10_000), column_moments(X[:9_000])
    ):
        np.testing.assert_array_equal(got, expected)


def test_mean_square_is_unchanged_on_data_under_ten_thousand_rows():
    # The value make_config divides SGD's step by: the previous formula,
    # bit for bit, on data that fits a chunk (and within rounding on more).
    X = np.random.RandomState(4).normal(size=(2_000, 30)) * 4 + 2
    assert mean_square(X) == float(np.mean(X.mean(axis=0) ** 2 + X.std(axis=0) ** 2))
    big = np.random.RandomState(5).normal(size=(SAMPLE_ROWS, 30)) * 4 + 2
    assert mean_square(big) == pytest.approx(np.mean(big**2), rel=1e-14)


def test_mean_square_sees_the_late_rows():
    # Rows sorted by time: the second half is ten times larger.
    X = np.ones((40_000, 2))
    X[20_000:] = 10.0
    assert mean_square(X) == pytest.approx((1 + 100) / 2, rel=1e-3)


@pytest.mark.parametrize("sparse", [False, True])
def test_comparing_X_val_with_X_needs_memory_for_a_chunk_not_for_X(sparse):
    # Issue 17, item 6: the check converted all of X to float64 (76 MiB for
    # this 38 MiB float32 X, 153 MiB at the peak; fitting 500k x 50 float32
    # with a 5,000-row X_val peaked at +385 MiB instead of +16 MiB).  Now
    # it takes float64 chunks of 1 MiB: the peak is about 2 MiB dense, 3 MiB
    # sparse, whatever the size of X.
    rng = np.random.RandomState(0)
    if sparse:
        X = sp.random(200_000, 200, density=0.05, format="csr", random_state=rng)
        X = X.astype(np.float32)
        X_val = sp.random(5_000, 200, density=0.05, format="csr", random_state=rng)
        X_val = X_val.astype(np.float32)
        size = X.data.nbytes + X.indices.nbytes
    else:
        X = np.empty((200_000, 50), dtype=np.float32)
        for start in range(0, X.shape[0], 20_000):
            X[start : start + 20_000] = rng.normal(size=(20_000, 50))
        X_val = rng.normal(size=(5_000, 50)).astype(np.float32)
        size = X.nbytes
    tracemalloc.start()
    try:
        warn_if_preprocessed_differently(X, X_val)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * _MOMENT_CHUNK_BYTES + 100 * X.shape[1] * 8
    assert peak < size / 2


def test_native_byte_order_converts_only_foreign_arrays():
    X = np.arange(6, dtype=np.float32).reshape(3, 2)
    assert native_byte_order(X) is X
    swapped = native_byte_order(X.astype(X.dtype.newbyteorder("S")))
    assert swapped.dtype == np.float32
    assert swapped.dtype.isnative
    np.testing.assert_array_equal(swapped, X)
    as_list = [[1.0, 2.0]]
    assert native_byte_order(as_list) is as_list


# -- UnscaledFeaturesWarning ---------------------------------------------------
def assert_no_scale_warning(X):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnscaledFeaturesWarning)
        warn_if_unscaled(X)


@pytest.mark.parametrize("sparse", [False, True])
def test_scale_warning_fires_above_the_threshold_only(sparse):
    # A column of +-v has root mean square v exactly.
    signs = np.where(np.arange(1_000) % 2 == 0, 1.0, -1.0)
    for v, warns in ((UNSCALED_RMS * 1.01, True), (UNSCALED_RMS * 0.99, False)):
        X = np.column_stack([signs * 0.5, signs * v])
        X = sp.csr_matrix(X) if sparse else X
        if warns:
            with pytest.warns(UnscaledFeaturesWarning, match=r"1 of the 2 .*feature 1"):
                warn_if_unscaled(X)
        else:
            assert_no_scale_warning(X)


@pytest.mark.parametrize("reverse", [False, True])
def test_scale_warning_sees_a_large_feature_in_late_rows(reverse):
    # Issue 17, item 7: time-sorted data whose feature 2 is around 2,500
    # after row 10,000 only.  The first 10,000 rows were all that was looked
    # at: it warned only when the rows were reversed.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20_000, 4))
    X[10_000:, 2] = 2_500 + 100 * rng.normal(size=10_000)
    with pytest.warns(UnscaledFeaturesWarning, match="feature 2 has values around"):
        warn_if_unscaled(X[::-1] if reverse else X)


def test_raw_breast_cancer_features_warn():
    from sklearn.datasets import load_breast_cancer

    X = load_breast_cancer().data  # areas up to 4,250: RMS up to 1,048
    with pytest.warns(UnscaledFeaturesWarning, match="feature 23 has values around"):
        warn_if_unscaled(X)


def test_digit_pixels_do_not_warn():
    # Pixels 0-16 (RMS up to 12.9) train as well unscaled as scaled
    # (benchmarks/feature_scale.py: 0.983 against 0.982 accuracy); the
    # threshold of 10 warned about them.
    from sklearn.datasets import load_digits

    assert_no_scale_warning(load_digits().data)


def word_counts(n_documents=500, n_words=300, length=150, seed=0):
    """A bag-of-words count matrix (CSR): Zipf word frequencies."""
    rng = np.random.RandomState(seed)
    p = 1.0 / np.arange(1, n_words + 1)
    counts = [rng.multinomial(length, p / p.sum()) for _ in range(n_documents)]
    return sp.csr_matrix(np.array(counts, dtype=np.float64))


def test_sparse_word_counts_do_not_warn():
    # The most frequent word appears about 24 times a document (RMS 24):
    # such counts trained as well unscaled as scaled.
    X = word_counts()
    mean, std = column_moments(X)
    assert 20 < np.sqrt(mean**2 + std**2).max() < UNSCALED_RMS
    assert_no_scale_warning(X)
