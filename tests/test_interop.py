"""Conversion to and from scikit-learn's MLPClassifier, and ONNX through it."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_iris, make_moons
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from sknn import MLPBinaryClassifier


@pytest.fixture(scope="module")
def data():
    X, y = load_breast_cancer(return_X_y=True)
    return StandardScaler().fit_transform(X), np.where(y == 1, "benign", "malignant")


def fitted(X, y, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return MLPBinaryClassifier(random_state=0, max_iter=30, **params).fit(X, y)


@pytest.mark.parametrize(
    ("hidden", "activation"),
    [
        ((), "relu"),
        ((16,), "relu"),
        ((8, 4), "tanh"),
        ((6,), "sigmoid"),
        ((5,), "identity"),
    ],
)
def test_to_sklearn_predicts_the_same(data, hidden, activation):
    X, y = data
    clf = fitted(X, y, hidden_layer_sizes=hidden, activation=activation)
    mlp = clf.to_sklearn()
    assert isinstance(mlp, MLPClassifier)
    np.testing.assert_allclose(
        mlp.predict_proba(X), clf.predict_proba(X), rtol=0, atol=1e-12
    )
    np.testing.assert_array_equal(mlp.predict(X), clf.predict(X))
    np.testing.assert_array_equal(mlp.classes_, clf.classes_)
    assert mlp.n_iter_ == clf.n_iter_
    assert mlp.loss_curve_ == clf.loss_curve_
    # Copies: changing one model leaves the other alone.
    mlp.coefs_[0][0, 0] += 1.0
    assert mlp.coefs_[0][0, 0] != clf.coefs_[0][0, 0]


def test_to_sklearn_translates_the_hyperparameters(data):
    X, y = data
    clf = fitted(
        X,
        y,
        hidden_layer_sizes=(7,),
        solver="sgd",
        alpha=0.3,
        momentum=0.8,
        learning_rate_init=0.25,
        batch_size=32,
    )
    params = clf.to_sklearn().get_params()
    assert params["solver"] == "sgd"
    assert params["nesterovs_momentum"] is False
    assert params["momentum"] == 0.8
    assert params["learning_rate_init"] == pytest.approx(0.25 * (1 - 0.8))
    assert (params["alpha"], params["batch_size"]) == (0.3, 32)
    assert params["hidden_layer_sizes"] == (7,)


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_refitting_the_converted_model_follows_the_same_trajectory(data, solver):
    X, y = data
    clf = fitted(X, y, hidden_layer_sizes=(6,), solver=solver, shuffle=False, tol=0.0)
    mlp = clf.to_sklearn().set_params(warm_start=True, max_iter=3)
    ours = MLPBinaryClassifier.from_sklearn(mlp).set_params(warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)
        ours.fit(X, y)
    for a, b in zip(mlp.coefs_ + mlp.intercepts_, ours.coefs_ + ours.intercepts_):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)


def test_feature_names_carry_over():
    pd = pytest.importorskip("pandas")
    X, y = make_moons(100, random_state=0)
    frame = pd.DataFrame(X, columns=["left", "right"])
    clf = fitted(frame, y, hidden_layer_sizes=(4,))
    mlp = clf.to_sklearn()
    np.testing.assert_array_equal(mlp.feature_names_in_, ["left", "right"])
    np.testing.assert_array_equal(mlp.predict(frame), clf.predict(frame))


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_from_sklearn_round_trip(data, solver):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = MLPClassifier((9, 3), solver=solver, max_iter=20, random_state=0)
        mlp.fit(X, y)
    clf = MLPBinaryClassifier.from_sklearn(mlp)
    assert isinstance(clf, MLPBinaryClassifier)
    np.testing.assert_allclose(
        clf.predict_proba(X), mlp.predict_proba(X), rtol=0, atol=1e-12
    )
    np.testing.assert_array_equal(clf.predict(X), mlp.predict(X))
    assert clf.get_params()["hidden_layer_sizes"] == (9, 3)
    if solver == "sgd":
        expected = mlp.learning_rate_init / (1 - mlp.momentum)
        assert clf.learning_rate_init == pytest.approx(expected)
    back = clf.to_sklearn()
    np.testing.assert_allclose(back.predict_proba(X), mlp.predict_proba(X), atol=1e-12)


def test_from_sklearn_refuses_a_multiclass_model():
    X, y = load_iris(return_X_y=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = MLPClassifier((4,), max_iter=5, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="Only a binary MLPClassifier"):
        MLPBinaryClassifier.from_sklearn(mlp)


def test_conversions_need_fitted_models():
    with pytest.raises(NotFittedError):
        MLPBinaryClassifier().to_sklearn()
    with pytest.raises(NotFittedError):
        MLPBinaryClassifier.from_sklearn(MLPClassifier())
    with pytest.raises(TypeError, match="Expected a fitted MLPClassifier"):
        MLPBinaryClassifier.from_sklearn(MLPBinaryClassifier())


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
def test_onnx_export_reproduces_predict_proba(data, activation):
    pytest.importorskip("skl2onnx")
    rt = pytest.importorskip("onnxruntime")
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType

    X, y = data
    X = X.astype(np.float32)
    clf = fitted(X, y, hidden_layer_sizes=(16, 8), activation=activation)
    mlp = clf.to_sklearn()
    model = convert_sklearn(
        mlp,
        initial_types=[("X", FloatTensorType([None, X.shape[1]]))],
        options={id(mlp): {"zipmap": False}},
    )
    session = rt.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    labels, proba = session.run(None, {"X": X})
    np.testing.assert_allclose(proba, clf.predict_proba(X), rtol=0, atol=1e-5)
    np.testing.assert_array_equal(labels, clf.predict(X))


def test_to_sklearn_gives_the_values_auto_took_in_the_fit(data):
    # alpha='auto' chooses alpha_ in fit; learning_rate_init='auto' is the
    # solver's step.
    X, y = data
    for solver in ("sgd", "adam"):
        clf = fitted(X, y, hidden_layer_sizes=(5,), solver=solver)
        params = clf.to_sklearn().get_params()
        assert params["alpha"] == clf.alpha_
        assert clf.alpha_ in clf.alpha_path_
        expected = clf._resolved_params["learning_rate_init"]
        if solver == "sgd":
            expected *= 1 - clf.momentum
        assert params["learning_rate_init"] == pytest.approx(expected)
