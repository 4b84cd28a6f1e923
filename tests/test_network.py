"""Layout, initialisation, forward pass and backpropagation of the core."""

import warnings

import numpy as np
import pytest
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from sknn._loss import binary_cross_entropy, l2_penalty, label_sign
from sknn._network import BOUNDARY_OFFSET, Network, Objective

ACTIVATIONS = ["identity", "relu", "tanh", "logistic"]


def make_batch(n=9, n_features=4, seed=0, weighted=False):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, n_features))
    y = rng.randint(0, 2, size=n)
    s = rng.uniform(0.2, 3.0, size=n) if weighted else np.ones(n)
    return X, y, s


def objective_value(obj, X, y, s):
    """J computed independently of the core: numpy formulas of SPEC section 2."""
    A = X
    k = len(obj.coefs) - 1
    for l in range(k + 1):
        Z = A @ obj.coefs[l] + obj.intercepts[l]
        A = Z if l == k else reference_activation(obj.network.activation.name, Z)
    return binary_cross_entropy(A[:, 0], y, s) + l2_penalty(
        obj.coefs, obj.alpha, s.sum()
    )


def reference_activation(name, Z):
    return {
        "identity": lambda z: z,
        "relu": lambda z: np.maximum(z, 0),
        "tanh": np.tanh,
        "logistic": expit,
    }[name](Z)


def run_loss_grad(obj, X, y, s):
    sign = label_sign(y).reshape(-1, 1)
    return obj.loss_grad(X, sign, s.reshape(-1, 1), float(s.sum()))


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("alpha", [0.0, 0.3], ids=["no-L2", "L2"])
@pytest.mark.parametrize("hidden", [(), (5,), (6, 3)], ids=["none", "one", "two"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradient_matches_finite_differences(activation, hidden, alpha, weighted):
    X, y, s = make_batch(weighted=weighted)
    net = Network((X.shape[1], *hidden, 1), activation, np.float64)
    theta0 = net.initialize("normal", np.random.RandomState(1)) * 5
    obj = Objective(net, alpha, max_rows=len(X), theta=theta0)

    J = run_loss_grad(obj, X, y, s)
    analytic = obj.grad.copy()
    assert J == pytest.approx(objective_value(obj, X, y, s), rel=1e-13)

    h = 1e-6
    numeric = np.empty_like(theta0)
    for i in range(net.n_params):
        obj.theta[:] = theta0
        obj.theta[i] += h
        plus = objective_value(obj, X, y, s)
        obj.theta[i] -= 2 * h
        minus = objective_value(obj, X, y, s)
        numeric[i] = (plus - minus) / (2 * h)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


def test_relu_units_are_away_from_the_kink_in_the_gradient_check():
    # The finite-difference check above is only exact if no relu unit sits
    # within h of zero; guard the assumption for the data it uses.
    X, _, _ = make_batch()
    for hidden in [(5,), (6, 3)]:
        net = Network((X.shape[1], *hidden, 1), "relu", np.float64)
        obj = Objective(
            net, 0.0, len(X), net.initialize("normal", np.random.RandomState(1)) * 5
        )
        A = X
        for l in range(len(hidden)):
            Z = A @ obj.coefs[l] + obj.intercepts[l]
            assert np.abs(Z).min() > 1e-4
            A = np.maximum(Z, 0)


def test_gradient_of_batch_subset_uses_smaller_buffers():
    X, y, s = make_batch(n=12, weighted=True)
    net = Network((4, 5, 1), "tanh", np.float64)
    obj = Objective(
        net, 0.1, max_rows=12, theta=net.initialize("glorot", np.random.RandomState(0))
    )
    full = run_loss_grad(obj, X[:5], y[:5], s[:5]), obj.grad.copy()
    run_loss_grad(obj, X, y, s)
    again = run_loss_grad(obj, X[:5], y[:5], s[:5]), obj.grad.copy()
    assert full[0] == again[0]
    np.testing.assert_array_equal(full[1], again[1])


def test_pack_and_unpack_round_trip():
    net = Network((3, 4, 2, 1), "relu", np.float64)
    theta = np.arange(net.n_params, dtype=float)
    coefs, intercepts = net.unpack(theta)
    assert [W.shape for W in coefs] == [(3, 4), (4, 2), (2, 1)]
    assert [b.shape for b in intercepts] == [(4,), (2,), (1,)]
    assert net.n_coef == 12 + 8 + 2
    # The weights come first, so the L2 term reads one contiguous slice.
    np.testing.assert_array_equal(
        np.concatenate([W.ravel() for W in coefs]), theta[: net.n_coef]
    )
    np.testing.assert_array_equal(net.pack(coefs, intercepts), theta)
    coefs[1][0, 0] = -1.0  # views, not copies
    assert theta[12] == -1.0


def test_pack_names_the_array_with_the_wrong_shape():
    net = Network((3, 4, 1), "relu", np.float64)
    with pytest.raises(ValueError, match=r"coefs_\[1\] has shape \(5, 1\)"):
        net.pack([np.zeros((3, 4)), np.zeros((5, 1))], [np.zeros(4), np.zeros(1)])


def _uniform_std(factor):
    """Standard deviation of the uniform law on +-sqrt(factor / (fi + fo))."""
    return lambda fi, fo: np.sqrt(factor / (fi + fo)) / np.sqrt(3)


@pytest.mark.parametrize(
    ("init", "activation", "weight_std", "bias_std"),
    [
        ("normal", "tanh", lambda fi, fo: 0.1, lambda fi, fo: 0.1),
        ("glorot", "tanh", lambda fi, fo: np.sqrt(6 / (fi + fo)) / np.sqrt(3), None),
        ("he", "tanh", lambda fi, fo: np.sqrt(2 / fi), None),
        ("auto", "relu", lambda fi, fo: np.sqrt(2 / fi), None),
        ("auto", "logistic", _uniform_std(6), None),
        ("uniform", "tanh", _uniform_std(6), _uniform_std(6)),
        ("uniform", "logistic", _uniform_std(2), _uniform_std(2)),
    ],
)
def test_initialization_scales(init, activation, weight_std, bias_std):
    net = Network((400, 300, 1), activation, np.float64)
    theta = net.initialize(init, np.random.RandomState(0))
    coefs, intercepts = net.unpack(theta)
    W = coefs[0]
    assert W.std() == pytest.approx(weight_std(400, 300), rel=0.02)
    assert abs(W.mean()) < 0.01 * weight_std(400, 300) * 10
    if bias_std is None:
        assert not any(b.any() for b in intercepts)
    else:
        assert intercepts[0].std() == pytest.approx(bias_std(400, 300), rel=0.1)
    if init == "uniform" or init == "glorot" or activation == "logistic":
        factor = 2 if init == "uniform" and activation == "logistic" else 6
        bound = np.sqrt(factor / 700)
        assert np.abs(W).max() <= bound
        assert all(np.abs(b).max() <= bound for b in intercepts)


def test_initialization_is_reproducible_and_dtype_independent():
    a = Network((5, 7, 1), "relu", np.float64).initialize(
        "he", np.random.RandomState(3)
    )
    b = Network((5, 7, 1), "relu", np.float64).initialize(
        "he", np.random.RandomState(3)
    )
    c = Network((5, 7, 1), "relu", np.float32).initialize(
        "he", np.random.RandomState(3)
    )
    np.testing.assert_array_equal(a, b)
    assert c.dtype == np.float32
    np.testing.assert_array_equal(c, a.astype(np.float32))


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic"])
def test_uniform_initialization_is_mlpclassifiers(activation):
    # The oracle: MLPClassifier draws its initial weights and biases from the
    # same law in the same order, so RandomState(seed) gives the same numbers.
    # A step of 1e-300 leaves them unchanged (it is far below their ulp).
    rng = np.random.RandomState(4)
    X, y = rng.normal(size=(40, 3)), np.arange(40) % 2
    mlp = MLPClassifier(
        (5, 4),
        activation=activation,
        solver="sgd",
        momentum=0.0,
        learning_rate_init=1e-300,
        max_iter=1,
        random_state=7,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)
    net = Network((3, 5, 4, 1), activation, np.float64)
    coefs, intercepts = net.unpack(net.initialize("uniform", np.random.RandomState(7)))
    for ours, theirs in zip(coefs + intercepts, mlp.coefs_ + mlp.intercepts_):
        np.testing.assert_array_equal(ours, theirs)


def _boundaries(net, X, weight, seed=5):
    from sknn._inputs import row_hashes

    theta = net.initialize("auto", np.random.RandomState(seed))
    hashes = row_hashes(X, as_float64=True)
    net.place_boundaries(theta, X, weight, np.random.RandomState(1), hashes)
    return theta


@pytest.mark.parametrize("activation", ["relu", "tanh"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_place_boundaries_puts_each_first_layer_boundary_through_a_row(
    activation, dtype
):
    import scipy.sparse as sp

    rng = np.random.RandomState(0)
    X = (rng.normal(size=(50, 3)) * [1.0, 3.0, 0.2] + 2.0).astype(dtype)
    weight = np.ones(50)
    net = Network((3, 40, 6, 1), activation, dtype)
    theta = _boundaries(net, X, weight)
    coefs, intercepts = net.unpack(theta)
    # Each unit of the first hidden layer has its boundary within
    # BOUNDARY_OFFSET of some row (the distance is |Z| / ||w||) ...
    W = coefs[0].astype(np.float64)
    distance = np.abs(X.astype(np.float64) @ W + intercepts[0]) / np.linalg.norm(
        W, axis=0
    )
    assert np.all(distance.min(axis=0) <= BOUNDARY_OFFSET * (1 + 1e-5))
    assert np.all(distance.min(axis=0) > 0)  # not exactly through it
    # ... the rows differ from unit to unit, and the other biases are zero.
    assert len(np.unique(distance.argmin(axis=0))) > 20
    assert not intercepts[1].any()
    assert not intercepts[2].any()
    # The weights are those of init='he' (relu) or 'glorot', and 'auto'
    # alone leaves zero biases.
    plain = net.initialize(
        "he" if activation == "relu" else "glorot", np.random.RandomState(5)
    )
    np.testing.assert_array_equal(net.unpack(plain)[0][0], coefs[0])
    assert not net.unpack(net.initialize("auto", np.random.RandomState(5)))[1][0].any()
    # Sparse input, shuffled rows, and weights for repeated rows give the
    # same biases; a row of weight zero is never chosen.
    np.testing.assert_array_equal(_boundaries(net, sp.csr_matrix(X), weight), theta)
    order = np.random.RandomState(2).permutation(50)
    np.testing.assert_array_equal(_boundaries(net, X[order], weight[order]), theta)
    counts = np.random.RandomState(3).randint(0, 3, size=50)
    repeated = _boundaries(net, np.repeat(X, counts, axis=0), np.ones(counts.sum()))
    np.testing.assert_array_equal(_boundaries(net, X, counts.astype(float)), repeated)
    kept = counts > 0
    np.testing.assert_array_equal(
        _boundaries(net, X[kept], counts[kept].astype(float)), repeated
    )
    # A float32 copy of float64 data chooses the same rows.
    if dtype == np.float32:
        wide = Network((3, 40, 6, 1), activation, np.float64)
        np.testing.assert_allclose(
            _boundaries(wide, X.astype(np.float64), weight), theta, rtol=1e-5, atol=1e-5
        )
    # Without a hidden layer nothing is set.
    linear = Network((3, 1), activation, dtype)
    assert not linear.unpack(_boundaries(linear, X, weight))[1][0].any()


@pytest.mark.parametrize("chunk_rows", [1, 4, 7, 100])
def test_decision_function_is_the_same_for_any_chunk_size(chunk_rows):
    X, _, _ = make_batch(n=23)
    net = Network((4, 6, 3, 1), "tanh", np.float64)
    coefs, intercepts = net.unpack(net.initialize("glorot", np.random.RandomState(0)))
    expected = np.tanh(np.tanh(X @ coefs[0] + intercepts[0]) @ coefs[1] + intercepts[1])
    expected = (expected @ coefs[2] + intercepts[2])[:, 0]
    np.testing.assert_allclose(
        net.decision_function(coefs, intercepts, X, chunk_rows), expected, rtol=1e-14
    )


@pytest.mark.parametrize("chunk_rows", [1, 4, 9, 100])
def test_full_batch_objective_in_chunks_equals_one_batch(chunk_rows):
    X, y, s = make_batch(n=9, weighted=True)
    net = Network((4, 5, 3, 1), "tanh", np.float64)
    theta = net.initialize("glorot", np.random.RandomState(0))
    whole = Objective(net, 0.2, max_rows=9, theta=theta)
    chunked = Objective(net, 0.2, max_rows=1, theta=theta)
    sign, w = label_sign(y).reshape(-1, 1), s.reshape(-1, 1)
    J = whole.loss_grad(X, sign, w, float(s.sum()))
    J_chunked = chunked.full_loss_grad(X, sign, w, float(s.sum()), chunk_rows)
    assert J_chunked == pytest.approx(J, rel=1e-14)
    np.testing.assert_allclose(chunked.grad, whole.grad, rtol=1e-13, atol=1e-15)
