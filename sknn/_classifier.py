"""MLPBinaryClassifier: the scikit-learn estimator around the NumPy core."""

import copy
import math
import numbers
import sys
import warnings
from contextlib import contextmanager

import numpy as np
import scipy.sparse as sp
from scipy.special import expit, log_expit
from sklearn import get_config
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from ._activations import ACTIVATIONS
from ._interop import from_sklearn, to_sklearn
from ._monitor import (
    TrainingMonitor,
    Validation,
    check_finite,
    check_outputs_finite,
    stop_on_sigint,
)
from ._network import INITS, Network, Objective
from ._optimizers import SGD, Adam
from ._params import (
    ClassWeight,
    HiddenLayerSizes,
    InstanceOf,
    Interval,
    Options,
    normalize_hidden_layer_sizes,
    validate_params,
)
from ._training import MinibatchTrainer, StopRequest, minimize_lbfgs
from ._version import __version__
from .exceptions import InconsistentVersionWarning

try:  # scikit-learn >= 1.9
    from sklearn.callback import CallbackSupportMixin, with_callbacks

    _HAS_CALLBACKS = True
except ImportError:  # pragma: no cover - depends on the installed scikit-learn
    _HAS_CALLBACKS = False

    class CallbackSupportMixin:
        """Stand-in: this scikit-learn has no ``sklearn.callback``."""

    def with_callbacks(method):
        return method


__all__ = ["MLPBinaryClassifier"]

# Work through rows in chunks whose buffers take at most this much memory
# (less if scikit-learn's working_memory is smaller): benchmarks/bench_predict.py
# is fastest with chunks of 2-16 MiB, which stay in cache, and 35% slower with
# 64 MiB.  Used by prediction, validation and the full-batch L-BFGS objective.
_MAX_CHUNK_BYTES = 8 * 2**20

# Default step sizes per solver for learning_rate_init='auto': SGD's was chosen
# with benchmarks/accuracy_suite.py, Adam's is scikit-learn's.  L-BFGS has no
# step size; scikit-learn's default stands in when converting to MLPClassifier.
_AUTO_LEARNING_RATE = {"sgd": 0.5, "adam": 0.001, "lbfgs": 0.001}

# Private training state that partial_fit continues from.
_TRAINING_STATE = ("_optimizer", "_rng")


class MLPBinaryClassifier(CallbackSupportMixin, ClassifierMixin, BaseEstimator):
    """Feed-forward neural network for binary classification.

    A multi-layer perceptron with ``relu``, ``tanh``, ``logistic`` or
    ``identity`` hidden units and one sigmoid output unit, trained by
    backpropagation to minimise the (sample-weighted) binary cross-entropy
    plus an L2 penalty.  The default solver is minibatch gradient descent with
    the momentum of the lecture notes the project started from::

        V     <- momentum * V + (1 - momentum) * dJ/dtheta
        theta <- theta - learning_rate_init * V

    ``solver='adam'`` and ``solver='lbfgs'`` are scikit-learn's other two
    solvers.  ``hidden_layer_sizes=()`` gives a single sigmoid neuron:
    logistic regression.  See the user guide for the exact objective.

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(100,)
        Number of units in each hidden layer; ``()`` for no hidden layer.
    activation : {'relu', 'tanh', 'logistic', 'sigmoid', 'identity'}, \
            default='relu'
        Hidden-unit activation ``g``. ``'sigmoid'`` is an alias of
        ``'logistic'``.  The output unit is always the sigmoid.
    solver : {'sgd', 'adam', 'lbfgs'}, default='sgd'
        ``'sgd'``: minibatch gradient descent with the notes' momentum;
        ``'adam'``: Adam, as in scikit-learn; ``'lbfgs'``: L-BFGS-B from
        SciPy on the full-batch objective (good for small data sets).
    alpha : float, default=0.1
        Strength of the L2 penalty ``alpha / (2 S) * sum ||W||^2`` where
        ``S`` is the batch's sum of sample weights (scikit-learn's ``alpha``,
        whose default is 1e-4; see the accuracy benchmark for this default).
    batch_size : int or 'auto', default='auto'
        Rows per minibatch for 'sgd' and 'adam'; ``'auto'`` is
        ``min(200, n_samples)``.  Values larger than the number of samples
        are clipped to it (full-batch gradient descent).
    learning_rate : {'constant', 'invscaling', 'adaptive'}, default='constant'
        Step-size schedule for ``solver='sgd'``, as in scikit-learn:
        ``'constant'`` keeps ``learning_rate_init``; ``'invscaling'`` uses
        ``learning_rate_init / (t + 1) ** power_t`` after each epoch, ``t``
        being the number of samples seen; ``'adaptive'`` divides the step
        size by 5 each time the stopping rule fires, and stops once it is
        below 1e-6.  When the step size changes the velocity V is kept, so
        the next step is the new step size times V.
    learning_rate_init : float or 'auto', default='auto'
        The step size eta (the notes' alpha) for 'sgd' and 'adam'.  ``'auto'``
        is 0.5 for 'sgd' (chosen with the accuracy benchmark; it assumes
        standardized features) and 0.001 for 'adam' (scikit-learn's).  With
        'sgd' it multiplies the velocity, an average of gradients, so it is
        ``1 / (1 - momentum)`` times the ``learning_rate_init`` of
        scikit-learn's classical momentum for the same trajectory.
    power_t : float, default=0.5
        Exponent of ``learning_rate='invscaling'``.
    max_iter : int, default=200
        Maximum number of epochs ('sgd', 'adam') or iterations ('lbfgs').
    shuffle : bool, default=True
        Visit the samples in a new random order at every epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, the shuffling and the validation split.
        Pass an int for reproducible fits.
    tol : float, default=1e-4
        Minimum decrease of the monitored loss that counts as progress; for
        'lbfgs', also the tolerance on the gradient.
    verbose : bool or int, default=False
        Print one line per epoch: its number, the training loss, the
        validation loss and accuracy when there is a validation set, and the
        elapsed seconds.
    warm_start : bool, default=False
        If True, ``fit`` starts from the current ``coefs_`` and
        ``intercepts_`` (for example from a previous fit, or arrays assigned
        by hand) with a fresh optimizer, instead of a new initialisation.
    momentum : float, default=0.7
        The notes' beta for 'sgd', in ``[0, 1)``; 0 is plain minibatch
        gradient descent.
    early_stopping : bool, default=False
        Hold out a stratified ``validation_fraction`` of the training data
        (with its sample weights), evaluate it after every epoch, stop when
        the validation loss stops improving, and keep the weights of the
        epoch with the lowest validation loss.  Passing ``X_val`` and
        ``y_val`` to :meth:`fit` does the same with that set.
    validation_fraction : float, default=0.1
        Fraction of the training data held out when ``early_stopping=True``
        and no validation set is passed.
    beta_1, beta_2 : float, default=0.9, 0.999
        Adam's decay rates of the moment estimates, in ``[0, 1)``.
    epsilon : float, default=1e-8
        Adam's numerical-stability term.
    n_iter_no_change : int, default=10
        Training stops once the monitored loss (the validation loss when
        there is a validation set, otherwise the training loss) has failed to
        improve on its best value by at least ``tol`` for more than
        ``n_iter_no_change`` consecutive epochs (scikit-learn's rule).
    max_fun : int, default=15000
        Maximum number of objective evaluations for 'lbfgs'.
    class_weight : dict, 'balanced' or None, default=None
        Weights of the classes, multiplied into the sample weights (also those
        of the validation set): ``{label: weight}`` (missing labels weigh 1),
        or ``'balanced'``: ``n_samples / (2 * count of the class)``, with
        samples counted by their sample weights.
    init : {'auto', 'normal', 'glorot', 'he'}, default='auto'
        Initial weights. ``'normal'``: every weight and bias from
        N(0, 0.1**2), as in the lecture notes; ``'glorot'``: weights uniform
        on ``+-sqrt(6 / (fan_in + fan_out))``, zero biases; ``'he'``: weights
        normal with standard deviation ``sqrt(2 / fan_in)``, zero biases;
        ``'auto'``: ``'he'`` for relu, ``'glorot'`` otherwise.

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
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Names of features seen during fit; only when ``X`` has string
        feature names (a pandas DataFrame).
    n_iter_ : int
        Number of epochs (or L-BFGS iterations) run by the last ``fit``; for
        ``partial_fit``, the number of calls since the last ``fit``.
    t_ : int
        Number of training samples seen by the solver, over all fits.
    loss_ : float or None
        Training loss of the last epoch (for 'lbfgs', at the solution); None
        if training was interrupted before its first epoch ended.
    loss_curve_ : list of float
        Training loss of every epoch: the mean of the batch objectives, each
        weighted by its batch's sum of sample weights (for 'lbfgs', the
        objective at every iteration).  A warm-started fit appends to it.
    best_loss_ : float or None
        Minimum of ``loss_curve_``; None when there is a validation set (as
        in scikit-learn).
    validation_scores_ : list of float or None
        Accuracy on the validation set after every epoch of the last fit
        (weighted by the validation sample weights); None without one.
    validation_loss_curve_ : list of float or None
        Log-loss on the validation set after every epoch of the last fit
        (weighted mean binary cross-entropy, without the L2 term).
    best_validation_loss_ : float or None
        Minimum of ``validation_loss_curve_``: the validation log-loss of
        the weights kept.
    best_validation_score_ : float or None
        Validation accuracy of the weights kept (the epoch with the lowest
        validation loss).
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
    With ``solver='sgd'`` the model matches ``MLPClassifier(solver='sgd',
    nesterovs_momentum=False, momentum=beta, learning_rate_init=eta * (1 -
    beta))`` step for step from the same initial weights (with
    ``shuffle=False``), and with ``solver='adam'`` scikit-learn's Adam, which
    the test suite checks.  float32 input is trained and predicted in
    float32; any other input in float64.  Sparse CSR/CSC input is used as
    it is, never densified as a whole.

    Pressing Ctrl-C during ``fit`` stops training after the update in
    progress; the model keeps the weights reached (or the best ones so far,
    with a validation set), warns, and is ready to predict.

    With scikit-learn 1.9 or later the estimator supports
    ``sklearn.callback``: ``set_callbacks(ProgressBar())`` shows a progress
    bar with one step per epoch, also inside ``GridSearchCV``.

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
        "solver": [Options("sgd", "adam", "lbfgs")],
        "alpha": [Interval("real", 0, math.inf, closed="left")],
        "batch_size": [Options("auto"), Interval("int", 1)],
        "learning_rate": [Options("constant", "invscaling", "adaptive")],
        "learning_rate_init": [
            Options("auto"),
            Interval("real", 0, math.inf, closed="neither"),
        ],
        "power_t": [Interval("real", 0, math.inf, closed="left")],
        "max_iter": [Interval("int", 1)],
        "shuffle": [Options(False, True)],
        "random_state": [
            Options(None),
            Interval("int", 0, 2**32 - 1),
            InstanceOf(np.random.RandomState, "a numpy.random.RandomState"),
        ],
        "tol": [Interval("real", 0, math.inf, closed="left")],
        "verbose": [Options(False, True), Interval("int", 0)],
        "warm_start": [Options(False, True)],
        "momentum": [Interval("real", 0, 1, closed="left")],
        "early_stopping": [Options(False, True)],
        "validation_fraction": [Interval("real", 0, 1, closed="neither")],
        "beta_1": [Interval("real", 0, 1, closed="left")],
        "beta_2": [Interval("real", 0, 1, closed="left")],
        "epsilon": [Interval("real", 0, math.inf, closed="neither")],
        "n_iter_no_change": [Interval("int", 1)],
        "max_fun": [Interval("int", 1)],
        "class_weight": [ClassWeight()],
        "init": [Options(*INITS)],
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="sgd",
        alpha=0.1,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init="auto",
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.7,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        class_weight=None,
        init="auto",
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.class_weight = class_weight
        self.init = init

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        tags.input_tags.sparse = True
        return tags

    # -- persistence -------------------------------------------------------
    def __getstate__(self):
        return {**super().__getstate__(), "_sknn_version": __version__}

    def __setstate__(self, state):
        state = dict(state)
        saved = state.pop("_sknn_version", None)
        if saved != __version__:
            warnings.warn(
                InconsistentVersionWarning(
                    estimator_name=type(self).__name__,
                    original_sknn_version=saved,
                    current_sknn_version=__version__,
                ),
                stacklevel=2,
            )
        super().__setstate__(state)

    def _validate_hyperparameters(self):
        validate_params(
            type(self).__name__,
            self.get_params(deep=False),
            self._parameter_constraints,
        )

    # -- fitting ----------------------------------------------------------
    @with_callbacks
    def fit(
        self,
        X,
        y,
        sample_weight=None,
        *,
        X_val=None,
        y_val=None,
        sample_weight_val=None,
    ):
        """Train the network on ``(X, y)``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training inputs.  float32 input is trained in float32; anything
            else is converted to float64.  CSC input is converted to CSR.
        y : array-like of shape (n_samples,)
            Labels of exactly two distinct values (numbers, strings or bools).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample; all ones when None.
        X_val : {array-like, sparse matrix} of shape (n_val, n_features), \
                default=None
            A validation set.  Giving it (with ``y_val``) turns early stopping
            on against it, whatever ``early_stopping`` says: it is evaluated
            after every epoch, training stops when its loss stops improving,
            and the weights of the epoch with the lowest validation loss are
            kept.  In a :class:`~sklearn.pipeline.Pipeline`, use
            ``Pipeline(..., transform_input=["X_val"])`` with metadata routing
            so that ``X_val`` goes through the same transformers as ``X``.
        y_val : array-like of shape (n_val,), default=None
            Labels of ``X_val``, among the classes of ``y``.
        sample_weight_val : array-like of shape (n_val,), default=None
            Weights of the validation samples.

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
        self._validate_hyperparameters()
        with _fitted_state_restored_on_error(self):
            return self._fit(X, y, sample_weight, X_val, y_val, sample_weight_val)

    def _fit(self, X, y, sample_weight, X_val, y_val, sample_weight_val):
        warm = self.warm_start and hasattr(self, "coefs_")
        X, y = self._validate_X_y(X, y, reset=not warm)
        classes, y01 = self._encode_labels(y, warm)
        sample_weight = _check_sample_weight(sample_weight, X.shape[0], X.dtype)
        _check_both_classes_weighted(sample_weight, y01, classes)
        class_weights = self._class_weights(classes, y01, sample_weight)
        sample_weight = _apply_class_weights(sample_weight, y01, class_weights)
        _check_both_classes_weighted(sample_weight, y01, classes)
        validation = self._validation_set(
            X_val, y_val, sample_weight_val, X.dtype, classes, class_weights
        )

        hidden = normalize_hidden_layer_sizes(self.hidden_layer_sizes)
        network = Network((X.shape[1], *hidden, 1), self.activation, X.dtype)
        rng = check_random_state(self.random_state)
        if warm:
            theta = self._current_parameters(network)
        else:
            theta = network.initialize(self.init, rng)
        if validation is None and self.early_stopping:
            X, y01, sample_weight, validation = self._split_validation(
                X, y01, sample_weight, rng
            )
            y = classes[y01.astype(np.intp)]  # the labels of the rows kept

        lbfgs = self.solver == "lbfgs"
        context = self._callback_context(
            self.max_iter + 1 if lbfgs else self.max_iter, X, y, sample_weight
        )
        monitor = self._monitor(
            network,
            classes,
            unit="iteration" if lbfgs else "epoch",
            # L-BFGS has its own convergence tests; the stopping rule only
            # watches a validation set there.
            n_iter_no_change=None
            if lbfgs and validation is None
            else self.n_iter_no_change,
            validation=validation,
            loss_curve=list(getattr(self, "loss_curve_", None) or []) if warm else [],
            callback_context=context,
            callback_kwargs=_callback_kwargs(X, y, sample_weight),
        )
        t = getattr(self, "t_", 0) if warm else 0
        if lbfgs:
            theta, t, loss = self._run_lbfgs(
                network, theta, X, y01, sample_weight, monitor, t
            )
            optimizer = None
        else:
            theta, optimizer, t, ran_out = self._train_stochastic(
                network,
                theta,
                None,
                X,
                y01,
                sample_weight,
                rng,
                monitor,
                self.max_iter,
                t,
            )
            if ran_out:
                _warn(
                    f"The optimizer reached max_iter={self.max_iter} epochs without "
                    "converging; increase max_iter or learning_rate_init.",
                    ConvergenceWarning,
                )
            loss = None
        if validation is not None and monitor.best_theta is not None:
            theta = monitor.best_theta  # the epoch with the lowest validation loss
        check_outputs_finite(
            network, theta, X, monitor.unit, monitor.n_iter, _chunk_rows(network, 1)
        )

        self._set_fitted(network, theta, classes, monitor, t, loss)
        self.n_iter_ = monitor.n_iter
        self._rng = rng
        if optimizer is None:
            self.__dict__.pop("_optimizer", None)
        else:
            self._optimizer = optimizer
        _end_callback_task(self, context, monitor)
        return self

    def _monitor(self, network, classes, **kwargs):
        return TrainingMonitor(
            network,
            tol=self.tol,
            verbose=self.verbose,
            estimator=self,
            fitted_attributes=lambda theta: _fitted_attributes(network, theta, classes),
            chunk_rows=_chunk_rows(network, buffers=1),
            **kwargs,
        )

    def _train_stochastic(
        self,
        network,
        theta,
        optimizer,
        X,
        y01,
        sample_weight,
        rng,
        monitor,
        n_epochs,
        t,
    ):
        """Minibatch training from ``theta``; return ``(theta, optimizer, t, ran_out)``.

        ``optimizer`` continues from its state, or a new one is made when it
        is None or does not fit the solver and the network.
        """
        objective = Objective(network, self.alpha, self._batch_size(X), theta)
        kind = Adam if self.solver == "adam" else SGD
        if not (isinstance(optimizer, kind) and optimizer.n_params == network.n_params):
            optimizer = self._new_optimizer(objective.theta)
        trainer = MinibatchTrainer(
            objective,
            optimizer,
            X,
            y01,
            sample_weight,
            self._batch_size(X),
            self.shuffle,
            rng,
        )
        t, ran_out = self._run_epochs(trainer, monitor, n_epochs, t)
        return objective.theta, optimizer, t, ran_out

    def _run_epochs(self, trainer, monitor, n_epochs, t):
        """Train for up to ``n_epochs`` epochs; return ``(t, ran_out)``.

        ``t`` counts the samples seen; ``ran_out`` is True when all the
        epochs ran without the stopping rule, a callback or an interrupt
        ending training.  Ctrl-C ends the epoch after the step in progress;
        a KeyboardInterrupt raised during a step ends it at once.  Both keep
        the weights reached and warn.
        """
        optimizer = trainer.optimizer
        stop_request = trainer.stop_request = StopRequest()
        base_rate = self._step_size()
        schedule = self.learning_rate if self.solver == "sgd" else "constant"

        def on_plateau():
            # learning_rate='adaptive': divide the step size by 5 instead of
            # stopping, until it is below 1e-6.
            if schedule != "adaptive" or optimizer.learning_rate <= 1e-6:
                return False
            optimizer.learning_rate /= 5.0
            return True

        monitor.on_plateau = on_plateau
        try:
            with stop_on_sigint(stop_request):
                for _ in range(n_epochs):
                    monitor.begin()
                    # Overflow can only come from a diverging run, which the
                    # monitor turns into one clear error.
                    with np.errstate(over="ignore", invalid="ignore"):
                        loss = trainer.run_epoch()
                    if stop_request.requested:
                        raise KeyboardInterrupt
                    t += trainer.n_samples
                    stop = monitor.end(loss, trainer.objective.theta)
                    if schedule == "invscaling":
                        optimizer.learning_rate = _invscaling(
                            base_rate, t, self.power_t
                        )
                    if stop:
                        return t, False
        except KeyboardInterrupt:
            monitor.close()
            _warn_interrupted(monitor)
            return t, False
        return t, True

    def _run_lbfgs(self, network, theta, X, y01, sample_weight, monitor, t):
        """Minimise with L-BFGS-B; return ``(theta, t, loss)``."""
        objective = Objective(network, self.alpha, 1, theta)

        def on_iteration(theta, loss):
            stop = monitor.end(loss, theta)
            monitor.begin()  # the next iteration's subtask
            return stop

        stop_request = StopRequest()
        monitor.begin()
        with (
            stop_on_sigint(stop_request),
            _other_blas_single_threaded(),
            np.errstate(over="ignore", invalid="ignore"),
        ):
            result = minimize_lbfgs(
                objective,
                X,
                y01,
                sample_weight,
                max_iter=self.max_iter,
                max_fun=self.max_fun,
                tol=self.tol,
                chunk_rows=_chunk_rows(network, buffers=3),
                on_iteration=on_iteration,
                stop_request=stop_request,
            )
        monitor.close()
        theta = objective.theta
        if result.status == "interrupted":
            _warn_interrupted(monitor)
            loss = result.loss if math.isfinite(result.loss) else None  # no iteration
            return theta, t + result.n_iter * X.shape[0], loss
        check_finite(result.loss, theta, "iteration", result.n_iter + 1)
        if result.status in ("limit", "failed"):
            _warn(
                f"L-BFGS-B stopped before converging after {result.n_iter} "
                f"iterations: {result.message}. Increase max_iter or max_fun, or "
                "scale the features.",
                ConvergenceWarning,
            )
        return theta, t + result.n_iter * X.shape[0], result.loss

    def _partial_fit_available(self):
        if self.solver == "lbfgs":
            raise AttributeError(
                "partial_fit is only available for the stochastic solvers 'sgd' "
                "and 'adam'; solver='lbfgs' minimises the full-batch objective. "
                "Use fit, or set solver='sgd' or 'adam'."
            )
        if self.early_stopping:
            raise AttributeError(
                "partial_fit is not available with early_stopping=True, which holds "
                "out part of the data given to one call; use fit (optionally with "
                "X_val and y_val) or evaluate a validation set between calls."
            )
        if isinstance(self.class_weight, str):
            raise AttributeError(
                "partial_fit is not available with class_weight='balanced', which "
                "needs the whole training set: compute the weights once with "
                "sklearn.utils.class_weight.compute_class_weight('balanced', "
                "classes=classes, y=y_all) and pass them as a dict."
            )
        return True

    @available_if(_partial_fit_available)
    @with_callbacks
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Train for one epoch over ``(X, y)``, continuing from the current state.

        The optimizer's state (velocities or Adam's moments and step count)
        and the random generator persist between calls, so calling
        ``partial_fit`` n times on the same data gives the same model as
        ``fit(max_iter=n)`` from the same start.  Suited to data that does
        not fit in memory, streamed in chunks.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training inputs.
        y : array-like of shape (n_samples,)
            Labels, among ``classes``.  A chunk may hold only one class.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample; all ones when None.
        classes : array-like of shape (2,), default=None
            The two class labels.  Required on the first call (chunks need not
            show both classes); afterwards it may be omitted or must match
            ``classes_``.

        Returns
        -------
        self : MLPBinaryClassifier
            The updated estimator.

        Raises
        ------
        AttributeError
            The method is not available with ``solver='lbfgs'`` (a full-batch
            solver), ``early_stopping=True`` or ``class_weight='balanced'``
            (which need the whole training set).
        ValueError
            For invalid inputs.

        Examples
        --------
        >>> import numpy as np
        >>> from sknn import MLPBinaryClassifier
        >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
        >>> clf = MLPBinaryClassifier((4,), random_state=0)
        >>> clf = clf.partial_fit(X[:2], ["a", "a"], classes=["a", "b"])
        >>> clf = clf.partial_fit(X[2:], ["b", "b"])
        >>> clf.n_iter_, clf.classes_.tolist()
        (2, ['a', 'b'])
        """
        self._validate_hyperparameters()
        with _fitted_state_restored_on_error(self):
            return self._partial_fit(X, y, sample_weight, classes)

    def _partial_fit(self, X, y, sample_weight, classes):
        first = not hasattr(self, "coefs_")
        X, y = self._validate_X_y(X, y, reset=first)
        if first:
            if classes is None:
                raise ValueError(
                    "classes must be passed on the first call to partial_fit: the "
                    "two class labels, for example classes=np.unique(y_all)."
                )
            classes = _two_classes(np.unique(column_or_1d(classes)), "classes")
        else:
            if classes is not None and not np.array_equal(
                np.unique(column_or_1d(classes)), self.classes_
            ):
                raise ValueError(
                    f"classes={np.unique(classes).tolist()} differs from classes_="
                    f"{self.classes_.tolist()} of the previous calls."
                )
            classes = self.classes_
        check_classification_targets(y)
        _check_labels_known(y, classes, "y")
        y01 = y == classes[1]
        sample_weight = _check_sample_weight(sample_weight, X.shape[0], X.dtype)
        sample_weight = _apply_class_weights(
            sample_weight, y01, self._class_weights(classes, y01, sample_weight)
        )

        hidden = normalize_hidden_layer_sizes(self.hidden_layer_sizes)
        network = Network((X.shape[1], *hidden, 1), self.activation, X.dtype)
        # Work on copies of the persistent state: a failed call changes nothing.
        rng = copy.deepcopy(getattr(self, "_rng", None)) or check_random_state(
            self.random_state
        )
        if first:
            theta = network.initialize(self.init, rng)
        else:
            theta = self._current_parameters(network)
        context = self._callback_context(1, X, y, sample_weight)
        monitor = self._monitor(
            network,
            classes,
            unit="epoch",
            n_iter_no_change=None,
            validation=None,
            loss_curve=[] if first else list(getattr(self, "loss_curve_", None) or []),
            callback_context=context,
            callback_kwargs=_callback_kwargs(X, y, sample_weight),
        )
        theta, optimizer, t, _ = self._train_stochastic(
            network,
            theta,
            copy.deepcopy(getattr(self, "_optimizer", None)),
            X,
            y01,
            sample_weight,
            rng,
            monitor,
            1,
            0 if first else self.t_,
        )
        check_outputs_finite(network, theta, X, "epoch", 1, _chunk_rows(network, 1))
        self._set_fitted(network, theta, classes, monitor, t, None)
        self.n_iter_ = (0 if first else self.n_iter_) + monitor.n_iter
        self._optimizer, self._rng = optimizer, rng
        _end_callback_task(self, context, monitor)
        return self

    # -- pieces of fit ------------------------------------------------------
    def _validate_X_y(self, X, y, reset):
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=("csr", "csc"),
            dtype=(np.float64, np.float32),
            reset=reset,
        )
        return _as_csr(X), y

    def _encode_labels(self, y, warm):
        """Return ``(classes, y01)`` with ``y01 = (y == classes[1])``."""
        check_classification_targets(y)
        classes = _two_classes(np.unique(y), "The target y")
        if warm and hasattr(self, "classes_"):
            if not np.array_equal(classes, self.classes_):
                raise ValueError(
                    f"warm_start=True needs y to have the classes of the previous "
                    f"fit, {self.classes_.tolist()}; y has {classes.tolist()}. Set "
                    "warm_start=False to train a new model."
                )
            classes = self.classes_
        return classes, (y == classes[1])

    def _class_weights(self, classes, y01, sample_weight):
        """The weights of ``classes[0]`` and ``classes[1]``, or None.

        'balanced' is scikit-learn's ``n_samples / (n_classes * count)`` with
        the counts weighted by the sample weights (plain counts when they are
        all ones), so that integer weights act like repeated samples.
        """
        if self.class_weight is None:
            return None
        if isinstance(self.class_weight, str):  # 'balanced'
            weight = sample_weight.astype(np.float64)
            counts = np.array([weight[~y01].sum(), weight[y01].sum()])
            return weight.sum() / (2 * counts)
        known = {_label(c) for c in classes}
        unknown = [key for key in self.class_weight if key not in known]
        if unknown:
            raise ValueError(
                f"class_weight has labels {unknown} that are not classes of y "
                f"{sorted(known, key=str)}."
            )
        return np.array([float(self.class_weight.get(_label(c), 1.0)) for c in classes])

    def _validation_set(
        self, X_val, y_val, sample_weight_val, dtype, classes, class_weights
    ):
        """The validation set passed to fit, checked, or None."""
        if X_val is None and y_val is None:
            if sample_weight_val is not None:
                raise ValueError("sample_weight_val was given without X_val and y_val.")
            return None
        if X_val is None or y_val is None:
            raise ValueError(
                "X_val and y_val must be given together (the validation inputs and "
                "their labels)."
            )
        X_val = _as_csr(
            validate_data(
                self, X_val, reset=False, accept_sparse=("csr", "csc"), dtype=dtype
            )
        )
        y_val = column_or_1d(y_val, warn=True)
        check_consistent_length(X_val, y_val)
        _check_labels_known(y_val, classes, "y_val")
        y01 = y_val == classes[1]
        weight = _check_sample_weight(
            sample_weight_val, X_val.shape[0], dtype, name="sample_weight_val"
        )
        weight = _apply_class_weights(weight, y01, class_weights)
        if not (weight > 0).any():
            raise ValueError("The validation samples all have zero weight.")
        return Validation(X_val, y01, weight)

    def _split_validation(self, X, y01, sample_weight, rng):
        """Hold out a stratified validation_fraction of the training data."""
        val = _validation_rows(X, y01, sample_weight, self.validation_fraction, rng)
        train = ~val
        if not (sample_weight[val] > 0).any():
            raise ValueError(
                f"early_stopping=True could not hold out validation_fraction="
                f"{self.validation_fraction} of the samples: each class has too few "
                "distinct samples to keep some for training. Give more samples or "
                "pass X_val and y_val."
            )
        validation = Validation(X[val], y01[val], sample_weight[val])
        return X[train], y01[train], sample_weight[train], validation

    def _current_parameters(self, network):
        """Pack the current ``coefs_``/``intercepts_`` for ``network``."""
        current = [np.shape(W)[1] for W in self.coefs_[:-1]]
        wanted = list(network.layer_sizes[1:-1])
        if current != wanted:
            raise ValueError(
                f"hidden_layer_sizes={tuple(wanted)} differs from the layers of the "
                f"current coefs_ {tuple(current)}, which this fit would continue "
                "from. Set warm_start=False (or call fit instead of partial_fit) to "
                "train a new network of the new shape."
            )
        return network.pack(self.coefs_, self.intercepts_)

    def _batch_size(self, X):
        batch_size = 200 if self.batch_size == "auto" else self.batch_size
        return min(batch_size, X.shape[0])

    def _step_size(self):
        if self.learning_rate_init == "auto":
            return _AUTO_LEARNING_RATE[self.solver]
        return float(self.learning_rate_init)

    def _new_optimizer(self, theta):
        if self.solver == "adam":
            return Adam(
                theta, self._step_size(), self.beta_1, self.beta_2, self.epsilon
            )
        return SGD(theta, self._step_size(), self.momentum)

    def _callback_context(self, max_subtasks, X, y, sample_weight):
        """The callback context of this fit task, begun; None without callbacks."""
        if not _HAS_CALLBACKS:
            return None
        context = self._init_callback_context(max_subtasks=max_subtasks)
        context.call_on_fit_task_begin(
            estimator=self, **_callback_kwargs(X, y, sample_weight)
        )
        return context

    def _set_fitted(self, network, theta, classes, monitor, t, loss):
        """Set the fitted attributes from the final parameters and the monitor."""
        for key, value in _fitted_attributes(network, theta, classes).items():
            setattr(self, key, value)
        curve = monitor.loss_curve
        validation = monitor.validation is not None
        self.t_ = t
        self.loss_curve_ = curve
        self.loss_ = loss if loss is not None else (curve[-1] if curve else None)
        self.best_loss_ = None if validation or not curve else min(curve)
        self.validation_scores_ = monitor.validation_scores
        self.validation_loss_curve_ = monitor.validation_loss_curve
        best = monitor.best_index
        self.best_validation_loss_ = (
            monitor.validation_loss_curve[best] if best is not None else None
        )
        self.best_validation_score_ = (
            monitor.validation_scores[best] if best is not None else None
        )

    # -- interoperability ------------------------------------------------
    def to_sklearn(self):
        """An equivalent fitted scikit-learn ``MLPClassifier``.

        It holds copies of the weights and gives the same ``predict_proba``
        (to rounding), so it can go wherever an ``MLPClassifier`` is expected,
        for example to ``skl2onnx`` for export to ONNX.  Hyperparameters are
        translated where ``MLPClassifier`` has the same knob (the notes'
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
        >>> clf = MLPBinaryClassifier((3,), random_state=0).fit(X, y)
        >>> mlp = clf.to_sklearn()
        >>> bool(np.allclose(mlp.predict_proba(X), clf.predict_proba(X), atol=1e-12))
        True
        """
        return to_sklearn(self)

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
            no counterpart: refitting uses the notes' momentum.

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
        return from_sklearn(cls, mlp)

    # -- prediction ------------------------------------------------------
    def decision_function(self, X):
        """Logit of the positive class, ``Z[k+1]``, for each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
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
        X = validate_data(
            self,
            X,
            accept_sparse=("csr", "csc"),
            dtype=(np.float64, np.float32),
            reset=False,
        )
        coefs = self.coefs_
        layer_sizes = [np.shape(W)[0] for W in coefs] + [1]
        network = Network(layer_sizes, self.activation, np.asarray(coefs[0]).dtype)
        return network.decision_function(
            coefs, self.intercepts_, _as_csr(X), _chunk_rows(network, buffers=1)
        )

    def predict_proba(self, X):
        """Probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
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
        expit(z, out=proba[:, 1])
        expit(np.negative(z, out=z), out=proba[:, 0])  # in place: no temporary
        return proba

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`, computed stably from the logit.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
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
        log_expit(z, out=log_proba[:, 1])
        log_expit(np.negative(z, out=z), out=log_proba[:, 0])
        return log_proba

    def predict(self, X):
        """Predicted class: ``classes_[1]`` where its probability is >= 0.5.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
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
        z = self.decision_function(X)
        positive = expit(z, out=z) >= 0.5
        return self.classes_[positive.astype(np.intp)]


def _validation_rows(X, y01, sample_weight, fraction, rng):
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
    for label in (False, True):
        rows = np.flatnonzero(y01 == label)
        rows = rows[np.argsort(keys[rows], kind="stable")]
        cumulative = np.cumsum(sample_weight[rows], dtype=np.float64)
        first = min(
            np.searchsorted(cumulative, fraction * cumulative[-1]), len(rows) - 1
        )
        held_out = keys[rows] <= keys[rows[first]]
        if (sample_weight[rows[~held_out]] > 0).any():  # some left for training
            mask[rows[held_out]] = True
    return mask


def _invscaling(base_rate, t, power_t):
    """``base_rate / (t + 1) ** power_t`` in floats, kept above zero.

    Floats keep a steep integer ``power_t`` from becoming an exact (slow,
    then overflowing) integer power; the smallest positive float keeps the
    optimizer's step rescaling defined once the rate underflows.
    """
    rate = base_rate * math.exp(-float(power_t) * math.log(t + 1))
    return max(rate, np.finfo(np.float64).tiny)


def _as_csr(X):
    """Sparse input as CSR (batches are row slices); dense input unchanged."""
    return X.tocsr() if sp.issparse(X) and X.format != "csr" else X


@contextmanager
def _other_blas_single_threaded():
    """Run BLAS libraries other than NumPy's on one thread while active.

    SciPy's L-BFGS-B calls SciPy's BLAS between NumPy's matrix products.  The
    NumPy and SciPy wheels each bundle an OpenBLAS with its own thread pool;
    taking turns, the two pools fight over the cores and made L-BFGS 20x
    slower on two cores.  Where both use one BLAS there is nothing to do.
    """
    try:
        from threadpoolctl import ThreadpoolController  # a scikit-learn dependency
    except ImportError:  # pragma: no cover
        yield
        return
    controller = ThreadpoolController()
    paths = [lib.filepath for lib in controller.select(user_api="blas").lib_controllers]
    others = [path for path in paths if "numpy" not in path]
    if len(paths) < 2 or len(others) == len(paths):
        yield
        return
    with controller.select(filepath=others).limit(limits=1):
        yield


def _chunk_rows(network, buffers):
    """Rows per chunk so that ``buffers`` per-row activation buffers fit the budget."""
    row_bytes = buffers * network.dtype.itemsize * sum(network.layer_sizes[1:])
    budget = min(get_config()["working_memory"] * 2**20, _MAX_CHUNK_BYTES)
    return max(1, int(budget // row_bytes))


def _fitted_attributes(network, theta, classes):
    """The attributes that make a fitted model with parameters ``theta``."""
    coefs, intercepts = network.unpack(np.array(theta, dtype=network.dtype))
    return {
        "classes_": classes,
        "coefs_": [W.copy() for W in coefs],
        "intercepts_": [b.copy() for b in intercepts],
        "n_layers_": network.n_layers + 1,
        "n_outputs_": 1,
        "out_activation_": "logistic",
    }


def _end_callback_task(estimator, context, monitor):
    """End the fit task of the callbacks, once the estimator is fitted."""
    if context is not None:
        context.call_on_fit_task_end(
            estimator=estimator,
            reconstruction_attributes={},
            **monitor.callback_kwargs,
        )


def _callback_kwargs(X, y, sample_weight):
    return {"X": X, "y": y, "metadata": {"sample_weight": sample_weight}}


def _warn(message, category):
    """Warn, pointing at the first caller outside sknn (and sklearn.callback)."""
    frame, level = sys._getframe(0), 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith(
        ("sknn.", "sklearn.callback")
    ):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)


def _warn_interrupted(monitor):
    _warn(
        f"Training was interrupted (KeyboardInterrupt) after {monitor.n_iter} "
        f"complete {monitor.unit}s; the model keeps the weights reached"
        + (" with the lowest validation loss" if monitor.validation is not None else "")
        + " and is ready to use.",
        UserWarning,
    )


def _two_classes(classes, what):
    """Check that ``classes`` (sorted, unique) has exactly two labels."""
    if classes.size > 2:
        raise ValueError(
            f"Only binary classification is supported. {what} has "
            f"{classes.size} classes; for more, use "
            "sklearn.neural_network.MLPClassifier or wrap this estimator in "
            "sklearn.multiclass.OneVsRestClassifier."
        )
    if classes.size < 2:
        label = _label(classes[0]) if classes.size else None
        raise ValueError(
            f"{what} has only {classes.size} class"
            + (f" ({label!r})" if classes.size else "")
            + "; MLPBinaryClassifier needs samples of two classes."
        )
    return classes


def _check_labels_known(y, classes, name):
    unknown = np.setdiff1d(np.unique(y), classes)
    if unknown.size:
        raise ValueError(
            f"{name} has labels {unknown.tolist()} that are not among the classes "
            f"{classes.tolist()}."
        )


def _label(value):
    """A class label as a plain Python value, for messages and dict keys."""
    return value.item() if isinstance(value, np.generic) else value


def _check_sample_weight(sample_weight, n_samples, dtype, name="sample_weight"):
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


def _apply_class_weights(sample_weight, y01, class_weights):
    """Multiply the weight of each class into the sample weights."""
    if class_weights is None:
        return sample_weight
    per_sample = class_weights.astype(sample_weight.dtype)[y01.astype(np.intp)]
    return sample_weight * per_sample


def _check_both_classes_weighted(sample_weight, y01, classes):
    for label, mask in ((classes[0], ~y01), (classes[1], y01)):
        if not (sample_weight[mask] > 0).any():
            raise ValueError(
                f"Every sample of class {_label(label)!r} has zero weight (from "
                "sample_weight or class_weight), so the weighted data has only 1 "
                "class; give some samples of both classes a positive weight."
            )


@contextmanager
def _fitted_state_restored_on_error(estimator):
    """Undo any change to the fitted attributes if the block raises."""

    def state():
        return {
            k: v
            for k, v in vars(estimator).items()
            if k.endswith("_") or k in _TRAINING_STATE
        }

    saved = state()
    try:
        yield
    except BaseException:
        for key in state():
            delattr(estimator, key)
        vars(estimator).update(saved)
        raise
