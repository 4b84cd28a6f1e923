"""MLPBinaryClassifier: the scikit-learn estimator around the NumPy core."""

import math
import numbers
import time
import warnings
from contextlib import contextmanager

import numpy as np
from scipy.special import expit, log_expit
from sklearn import get_config
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._activations import ACTIVATIONS
from ._network import INITS, Network, Objective
from ._optimizers import SGD
from ._params import (
    HiddenLayerSizes,
    InstanceOf,
    Interval,
    Options,
    normalize_hidden_layer_sizes,
    validate_params,
)
from ._training import MinibatchTrainer
from .exceptions import TrainingDivergedError

__all__ = ["MLPBinaryClassifier"]

# Prediction works through chunks of rows whose hidden activations take at
# most this much memory (less if scikit-learn's working_memory is smaller):
# benchmarks/bench_predict.py is fastest with chunks of 2-16 MiB, which stay
# in cache, and 35% slower with 64 MiB.
_MAX_PREDICT_CHUNK_BYTES = 8 * 2**20


class MLPBinaryClassifier(ClassifierMixin, BaseEstimator):
    """Feed-forward neural network for binary classification.

    A multi-layer perceptron with ``relu``, ``tanh``, ``logistic`` or
    ``identity`` hidden units and one sigmoid output unit, trained by
    backpropagation to minimise the (sample-weighted) binary cross-entropy
    plus an L2 penalty, with minibatch gradient descent and the momentum of
    the lecture notes the project started from::

        V     <- momentum * V + (1 - momentum) * dJ/dtheta
        theta <- theta - learning_rate_init * V

    ``hidden_layer_sizes=()`` gives a single sigmoid neuron: logistic
    regression.  See the user guide for the exact objective.

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(100,)
        Number of units in each hidden layer; ``()`` for no hidden layer.
    activation : {'relu', 'tanh', 'logistic', 'sigmoid', 'identity'}, \
            default='relu'
        Hidden-unit activation ``g``. ``'sigmoid'`` is an alias of
        ``'logistic'``.  The output unit is always the sigmoid.
    solver : {'sgd'}, default='sgd'
        Minibatch gradient descent with the notes' momentum.
    alpha : float, default=0.1
        Strength of the L2 penalty ``alpha / (2 S) * sum ||W||^2`` where
        ``S`` is the batch's sum of sample weights (scikit-learn's ``alpha``,
        whose default is 1e-4; see the accuracy benchmark for this default).
    batch_size : int or 'auto', default='auto'
        Rows per minibatch; ``'auto'`` is ``min(200, n_samples)``.  Values
        larger than the number of samples are clipped to it (full-batch
        gradient descent).
    learning_rate_init : float, default=0.5
        The step size eta (the notes' alpha).  It multiplies the velocity,
        an average of gradients, so it is ``1 / (1 - momentum)`` times the
        ``learning_rate_init`` of scikit-learn's classical momentum for the
        same trajectory.  The default assumes standardized features.
    momentum : float, default=0.7
        The notes' beta, in ``[0, 1)``; 0 is plain minibatch gradient descent.
    max_iter : int, default=200
        Maximum number of epochs (passes over the training data).
    shuffle : bool, default=True
        Visit the samples in a new random order at every epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights and the shuffling.  Pass an int for
        reproducible fits.
    tol : float, default=1e-4
        Minimum decrease of the training loss that counts as progress.
    n_iter_no_change : int, default=10
        Training stops once the epoch loss has failed to improve on the best
        loss so far by at least ``tol`` for more than ``n_iter_no_change``
        consecutive epochs (scikit-learn's rule).
    warm_start : bool, default=False
        If True, ``fit`` starts from the current ``coefs_`` and
        ``intercepts_`` (for example from a previous fit, or arrays assigned
        by hand) with a fresh optimizer, instead of a new initialisation.
    init : {'auto', 'normal', 'glorot', 'he'}, default='auto'
        Initial weights. ``'normal'``: every weight and bias from
        N(0, 0.1**2), as in the lecture notes; ``'glorot'``: weights uniform
        on ``+-sqrt(6 / (fan_in + fan_out))``, zero biases; ``'he'``: weights
        normal with standard deviation ``sqrt(2 / fan_in)``, zero biases;
        ``'auto'``: ``'he'`` for relu, ``'glorot'`` otherwise.
    verbose : bool or int, default=False
        Print one line per epoch: its number, training loss and elapsed time.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The two class labels; ``classes_[1]`` is the positive class.
    coefs_ : list of ndarray
        ``coefs_[l]`` has shape ``(n[l], n[l+1])``: weights from layer ``l``
        to layer ``l + 1`` (the notes' ``W[l+1]`` is ``coefs_[l].T``).
    intercepts_ : list of ndarray
        ``intercepts_[l]`` has shape ``(n[l+1],)``.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit; only when ``X`` has string
        feature names (a pandas DataFrame).
    n_iter_ : int
        Number of epochs run by the last ``fit``.
    t_ : int
        Number of training samples seen by the solver, over all fits.
    loss_ : float
        Training loss of the last epoch.
    loss_curve_ : list of float
        Training loss of every epoch: the mean of the batch objectives, each
        weighted by its batch's sum of sample weights.  A warm-started fit
        appends to the previous curve.
    best_loss_ : float
        Minimum of ``loss_curve_``.
    validation_scores_ : None
        Validation scores; None as no validation set is used.
    best_validation_score_ : None
        Best validation score; None as no validation set is used.
    n_layers_ : int
        Number of layers, input and output included.
    n_outputs_ : int
        Number of output units (always 1).
    out_activation_ : str
        Output activation (always ``'logistic'``).

    See Also
    --------
    sklearn.neural_network.MLPClassifier : scikit-learn's multi-layer
        perceptron, with classical (or Nesterov) momentum and multiclass
        support.

    Notes
    -----
    The model matches ``MLPClassifier(solver='sgd', nesterovs_momentum=False,
    momentum=beta, learning_rate_init=eta * (1 - beta))`` step for step from
    the same initial weights (with ``shuffle=False``), which the test suite
    checks.  float32 input is trained and predicted in float32; any other
    input in float64.

    Examples
    --------
    >>> from sklearn.datasets import make_moons
    >>> from sklearn.model_selection import train_test_split
    >>> from sknn import MLPBinaryClassifier
    >>> X, y = make_moons(n_samples=400, noise=0.2, random_state=0)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> clf = MLPBinaryClassifier(hidden_layer_sizes=(16,), random_state=0)
    >>> clf.fit(X_train, y_train).score(X_test, y_test) > 0.9
    True
    >>> clf.predict_proba(X_test[:2]).shape
    (2, 2)
    """

    _parameter_constraints = {
        "hidden_layer_sizes": [HiddenLayerSizes()],
        "activation": [Options(*sorted(ACTIVATIONS))],
        "solver": [Options("sgd")],
        "alpha": [Interval("real", 0, math.inf, closed="left")],
        "batch_size": [Options("auto"), Interval("int", 1)],
        "learning_rate_init": [Interval("real", 0, math.inf, closed="neither")],
        "momentum": [Interval("real", 0, 1, closed="left")],
        "max_iter": [Interval("int", 1)],
        "shuffle": [Options(False, True)],
        "random_state": [
            Options(None),
            Interval("int", 0, 2**32 - 1),
            InstanceOf(np.random.RandomState, "a numpy.random.RandomState"),
        ],
        "tol": [Interval("real", 0, math.inf, closed="left")],
        "n_iter_no_change": [Interval("int", 1)],
        "warm_start": [Options(False, True)],
        "init": [Options(*INITS)],
        "verbose": [Options(False, True), Interval("int", 0)],
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="sgd",
        alpha=0.1,
        batch_size="auto",
        learning_rate_init=0.5,
        momentum=0.7,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        n_iter_no_change=10,
        warm_start=False,
        init="auto",
        verbose=False,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.momentum = momentum
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.warm_start = warm_start
        self.init = init
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    # -- fitting ----------------------------------------------------------
    def fit(self, X, y, sample_weight=None):
        """Train the network on ``(X, y)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training inputs.  float32 input is trained in float32; anything
            else is converted to float64.
        y : array-like of shape (n_samples,)
            Labels of exactly two distinct values (numbers, strings or bools).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample; all ones when None.

        Returns
        -------
        self : MLPBinaryClassifier
            The fitted estimator.

        Raises
        ------
        ValueError
            For invalid hyperparameters (an
            :class:`~sknn.exceptions.InvalidParameterError` naming the
            parameter), invalid inputs, a target with other than two classes,
            or a training run that diverges
            (:class:`~sknn.exceptions.TrainingDivergedError`).  A ``fit``
            that raises leaves a previously fitted model unchanged.
        """
        validate_params(
            type(self).__name__,
            self.get_params(deep=False),
            self._parameter_constraints,
        )
        with _fitted_state_restored_on_error(self):
            return self._fit(X, y, sample_weight)

    def _fit(self, X, y, sample_weight):
        warm = self.warm_start and hasattr(self, "coefs_")
        X, y = validate_data(self, X, y, dtype=(np.float64, np.float32), reset=not warm)
        classes, y01 = self._encode_labels(y, warm)
        sample_weight = _check_sample_weight(sample_weight, X, y01, classes)
        n_samples = X.shape[0]
        hidden = normalize_hidden_layer_sizes(self.hidden_layer_sizes)
        network = Network((X.shape[1], *hidden, 1), self.activation, X.dtype)
        random_state = check_random_state(self.random_state)
        if warm:
            theta = self._warm_start_parameters(network)
        else:
            theta = network.initialize(self.init, random_state)
        batch_size = 200 if self.batch_size == "auto" else self.batch_size
        batch_size = min(batch_size, n_samples)

        objective = Objective(network, self.alpha, batch_size, theta)
        optimizer = SGD(objective.theta, self.learning_rate_init, self.momentum)
        trainer = MinibatchTrainer(
            objective,
            optimizer,
            X,
            y01,
            sample_weight,
            batch_size,
            self.shuffle,
            random_state,
        )
        loss_curve = list(getattr(self, "loss_curve_", [])) if warm else []
        n_iter = self._run_epochs(trainer, loss_curve)

        coefs, intercepts = network.unpack(objective.theta)
        self.classes_ = classes
        self.coefs_ = [W.copy() for W in coefs]
        self.intercepts_ = [b.copy() for b in intercepts]
        self.n_iter_ = n_iter
        self.t_ = (getattr(self, "t_", 0) if warm else 0) + n_iter * n_samples
        self.loss_curve_ = loss_curve
        self.loss_ = loss_curve[-1]
        self.best_loss_ = min(loss_curve)
        self.validation_scores_ = None
        self.best_validation_score_ = None
        self.n_layers_ = len(hidden) + 2
        self.n_outputs_ = 1
        self.out_activation_ = "logistic"
        return self

    def _run_epochs(self, trainer, loss_curve):
        """Run epochs until the stopping rule or ``max_iter``; return the count.

        Appends each epoch's loss to ``loss_curve``.
        """
        best_loss, n_no_improvement = math.inf, 0
        start = time.perf_counter()
        for epoch in range(1, self.max_iter + 1):
            # Overflow can only come from a diverging run, which the check
            # below turns into one clear error instead of numpy warnings.
            with np.errstate(over="ignore", invalid="ignore"):
                loss = trainer.run_epoch()
            if not (math.isfinite(loss) and trainer.params_finite()):
                raise TrainingDivergedError(
                    f"Training diverged at epoch {epoch}: the loss or the weights "
                    "became NaN or infinite. learning_rate_init="
                    f"{self.learning_rate_init!r} is probably too large for this "
                    "data, or the features are not scaled: lower learning_rate_init "
                    "or put a StandardScaler in front of the model."
                )
            loss_curve.append(loss)
            if self.verbose:
                elapsed = time.perf_counter() - start
                print(f"Epoch {epoch}, loss = {loss:.8f}, {elapsed:.2f}s")
            # scikit-learn's rule: count the epochs that fail to improve on the
            # best loss by tol; stop when the count exceeds n_iter_no_change.
            if loss > best_loss - self.tol:
                n_no_improvement += 1
            else:
                n_no_improvement = 0
            best_loss = min(best_loss, loss)
            if n_no_improvement > self.n_iter_no_change:
                if self.verbose:
                    print(
                        f"Training loss did not improve by tol={self.tol} for "
                        f"{n_no_improvement} consecutive epochs. Stopping."
                    )
                return epoch
        warnings.warn(
            f"The optimizer reached max_iter={self.max_iter} epochs without "
            "converging; increase max_iter or learning_rate_init.",
            ConvergenceWarning,
            stacklevel=4,
        )
        return self.max_iter

    def _encode_labels(self, y, warm):
        """Return ``(classes, y01)`` with ``y01 = (y == classes[1])``."""
        check_classification_targets(y)
        classes = np.unique(y)
        if classes.size > 2:
            raise ValueError(
                "Only binary classification is supported. The target y has "
                f"{classes.size} classes; for more, use "
                "sklearn.neural_network.MLPClassifier or wrap this estimator in "
                "sklearn.multiclass.OneVsRestClassifier."
            )
        if classes.size < 2:
            raise ValueError(
                f"The target y has only 1 class ({_label(classes[0])!r}); "
                "MLPBinaryClassifier needs samples of two classes."
            )
        if warm and hasattr(self, "classes_"):
            if not np.array_equal(classes, self.classes_):
                raise ValueError(
                    f"warm_start=True needs y to have the classes of the previous "
                    f"fit, {self.classes_.tolist()}; y has {classes.tolist()}. Set "
                    "warm_start=False to train a new model."
                )
            classes = self.classes_
        return classes, (y == classes[1])

    def _warm_start_parameters(self, network):
        """Pack the current ``coefs_``/``intercepts_`` for ``network``."""
        current = [np.shape(W)[1] for W in self.coefs_[:-1]]
        wanted = list(network.layer_sizes[1:-1])
        if current != wanted:
            raise ValueError(
                f"warm_start=True, but hidden_layer_sizes={tuple(wanted)} differs "
                f"from the layers of the current coefs_ {tuple(current)}. Set "
                "warm_start=False to train a new network of the new shape."
            )
        return network.pack(self.coefs_, self.intercepts_)

    # -- prediction ------------------------------------------------------
    def decision_function(self, X):
        """Logit of the positive class, ``Z[k+1]``, for each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Inputs.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            Positive values favour ``classes_[1]``; the probability of
            ``classes_[1]`` is ``sigmoid(scores)``.

        Examples
        --------
        >>> from sknn import MLPBinaryClassifier
        >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
        >>> clf = MLPBinaryClassifier((), random_state=0).fit(X, y)
        >>> clf.decision_function([[3.0]]) > 0
        array([ True])
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=(np.float64, np.float32), reset=False)
        coefs = self.coefs_
        layer_sizes = [np.shape(W)[0] for W in coefs] + [1]
        network = Network(layer_sizes, self.activation, np.asarray(coefs[0]).dtype)
        row_bytes = network.dtype.itemsize * sum(layer_sizes[1:])
        budget = min(get_config()["working_memory"] * 2**20, _MAX_PREDICT_CHUNK_BYTES)
        chunk_rows = max(1, int(budget // row_bytes))
        return network.decision_function(coefs, self.intercepts_, X, chunk_rows)

    def predict_proba(self, X):
        """Probability of each class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Inputs.

        Returns
        -------
        proba : ndarray of shape (n_samples, 2)
            Columns for ``classes_[0]`` and ``classes_[1]``: ``sigmoid(-z)``
            and ``sigmoid(z)`` for the logit ``z``.

        Examples
        --------
        >>> from sknn import MLPBinaryClassifier
        >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
        >>> clf = MLPBinaryClassifier((), random_state=0).fit(X, y)
        >>> clf.predict_proba([[0.0], [3.0]]).argmax(axis=1)
        array([0, 1])
        """
        z = self.decision_function(X)
        proba = np.empty((z.shape[0], 2), dtype=z.dtype)
        expit(-z, out=proba[:, 0])
        expit(z, out=proba[:, 1])
        return proba

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`, computed stably from the logit.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Inputs.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, 2)
            ``log sigmoid(-z)`` and ``log sigmoid(z)``.

        Examples
        --------
        >>> import numpy as np
        >>> from sknn import MLPBinaryClassifier
        >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
        >>> clf = MLPBinaryClassifier((), random_state=0).fit(X, y)
        >>> bool(np.allclose(np.exp(clf.predict_log_proba(X)), clf.predict_proba(X)))
        True
        """
        z = self.decision_function(X)
        log_proba = np.empty((z.shape[0], 2), dtype=z.dtype)
        log_expit(-z, out=log_proba[:, 0])
        log_expit(z, out=log_proba[:, 1])
        return log_proba

    def predict(self, X):
        """Predicted class: ``classes_[1]`` where its probability is >= 0.5.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Inputs.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels from ``classes_``.

        Examples
        --------
        >>> from sknn import MLPBinaryClassifier
        >>> X, y = [[0.0], [1.0], [2.0], [3.0]], ["no", "no", "yes", "yes"]
        >>> clf = MLPBinaryClassifier((), random_state=0).fit(X, y)
        >>> clf.predict([[0.0], [3.0]]).tolist()
        ['no', 'yes']
        """
        positive = expit(self.decision_function(X)) >= 0.5
        return self.classes_[positive.astype(np.intp)]


def _check_sample_weight(sample_weight, X, y01, classes):
    """Validated sample weights as an array of ``X``'s dtype."""
    n_samples = X.shape[0]
    if sample_weight is None:
        return np.ones(n_samples, dtype=X.dtype)
    if isinstance(sample_weight, numbers.Number) and not isinstance(
        sample_weight, bool
    ):
        sample_weight = np.full(n_samples, sample_weight, dtype=np.float64)
    try:
        sw = np.asarray(sample_weight, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("sample_weight must be an array of numbers.") from None
    if sw.ndim != 1:
        raise ValueError(
            f"sample_weight must be 1-D; got an array of shape {sw.shape}."
        )
    if sw.shape[0] != n_samples:
        raise ValueError(
            f"sample_weight has {sw.shape[0]} entries but X has {n_samples} samples."
        )
    if not np.isfinite(sw).all():
        raise ValueError(
            "sample_weight contains NaN or infinity; weights must be finite."
        )
    if (sw < 0).any():
        raise ValueError(
            "sample_weight contains negative values; weights must be >= 0."
        )
    if not (sw > 0).any():
        raise ValueError(
            "sample_weight has no non-zero weight: all weights are zero, so there "
            "is nothing to learn from."
        )
    for label, mask in ((classes[0], ~y01), (classes[1], y01)):
        if not (sw[mask] > 0).any():
            raise ValueError(
                f"Every sample of class {_label(label)!r} has zero sample_weight, "
                "so the weighted data has only 1 class; give some samples of both "
                "classes a positive weight."
            )
    return sw.astype(X.dtype, copy=False)


def _label(value):
    """A class label as a plain Python value, for messages."""
    return value.item() if isinstance(value, np.generic) else value


@contextmanager
def _fitted_state_restored_on_error(estimator):
    """Undo any change to the fitted attributes if the block raises."""
    saved = {k: v for k, v in vars(estimator).items() if k.endswith("_")}
    try:
        yield
    except BaseException:
        for key in [k for k in vars(estimator) if k.endswith("_")]:
            delattr(estimator, key)
        vars(estimator).update(saved)
        raise
