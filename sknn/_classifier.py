"""MLPBinaryClassifier: the scikit-learn estimator around the NumPy core."""

import copy

import numpy as np
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

from ._callbacks import (
    CallbackSupportMixin,
    begin_fit_task,
    callback_kwargs,
    end_fit_task,
    with_callbacks,
)
from ._inputs import (
    apply_class_weights,
    as_csr,
    as_dtype,
    check_both_classes_weighted,
    check_in_range,
    check_labels_known,
    check_sample_weight,
    class_weights,
    encode_labels,
    partial_fit_classes,
    split_validation,
    validation_set,
    warn_if_preprocessed_differently,
)
from ._interop import SklearnConversionMixin
from ._monitor import TrainingMonitor
from ._network import Network
from ._params import (
    PARAMETER_CONSTRAINTS,
    normalize_hidden_layer_sizes,
    validate_params,
)
from ._state import (
    VersionedPickleMixin,
    fitted_attributes,
    fitted_state_restored_on_error,
    set_fitted,
)
from ._training import TrainingConfig, train
from ._warnings import warn

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


class MLPBinaryClassifier(
    SklearnConversionMixin,
    VersionedPickleMixin,
    CallbackSupportMixin,
    ClassifierMixin,
    BaseEstimator,
):
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

    _parameter_constraints = PARAMETER_CONSTRAINTS

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

    def _validate_hyperparameters(self):
        validate_params(
            type(self).__name__,
            self.get_params(deep=False),
            self._parameter_constraints,
        )

    # -- fitting ----------------------------------------------------------
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
        with fitted_state_restored_on_error(self):
            return self._fit(X, y, sample_weight, X_val, y_val, sample_weight_val)

    # Callbacks are torn down inside fitted_state_restored_on_error: a teardown
    # that raises also leaves the previous model as it was.
    @with_callbacks
    def _fit(self, X, y, sample_weight, X_val, y_val, sample_weight_val):
        warm = self.warm_start and hasattr(self, "coefs_")
        X, y = self._validate_X_y(X, y, reset=not warm)
        check_classification_targets(y)
        classes, y01 = encode_labels(
            y, getattr(self, "classes_", None) if warm else None
        )
        sample_weight = check_sample_weight(sample_weight, X.shape[0], X.dtype)
        check_both_classes_weighted(sample_weight, y01, classes)
        weights = class_weights(self.class_weight, classes, y01, sample_weight)
        sample_weight = apply_class_weights(sample_weight, y01, weights)
        check_both_classes_weighted(sample_weight, y01, classes)
        validation = self._validation_set(
            X, X_val, y_val, sample_weight_val, classes, weights
        )
        network = self._network(X)
        rng = check_random_state(self.random_state)
        if warm:
            theta = self._current_parameters(network)
        else:
            theta = network.initialize(self.init, rng)
        if validation is None and self.early_stopping:
            X, y01, sample_weight, validation = split_validation(
                X, y01, sample_weight, self.validation_fraction, rng, classes
            )
            y = classes[y01.astype(np.intp)]  # the labels of the rows kept
        return self._train(
            network,
            theta,
            X,
            y,
            y01,
            sample_weight,
            classes,
            rng,
            validation=validation,
            previous=self if warm else None,
        )

    def _train(
        self,
        network,
        theta,
        X,
        y,
        y01,
        sample_weight,
        classes,
        rng,
        *,
        validation=None,
        previous=None,
        partial=False,
    ):
        """Run the training layer from ``theta`` and set the fitted attributes.

        ``previous`` is the fitted state to continue (a warm start or a later
        ``partial_fit`` call: its ``loss_curve_``, ``t_`` and, for
        ``partial_fit``, optimizer and ``n_iter_``); ``partial`` runs one
        epoch without the stopping rule.
        """
        lbfgs = self.solver == "lbfgs"
        n_epochs = 1 if partial else self.max_iter
        context = begin_fit_task(
            self, n_epochs + 1 if lbfgs else n_epochs, X, y, sample_weight
        )
        monitor = TrainingMonitor(
            network,
            unit="iteration" if lbfgs else "epoch",
            tol=self.tol,
            # L-BFGS has its own convergence tests; the stopping rule only
            # watches a validation set there.
            n_iter_no_change=None
            if partial or (lbfgs and validation is None)
            else self.n_iter_no_change,
            validation=validation,
            loss_curve=list(getattr(previous, "loss_curve_", None) or []),
            verbose=self.verbose,
            callback_context=context,
            callback_kwargs=callback_kwargs(X, y, sample_weight),
            estimator=self,
            fitted_attributes=lambda theta: fitted_attributes(network, theta, classes),
            chunk_rows=_chunk_rows(network, buffers=1),
        )
        result = train(
            self._training_config(network),
            network,
            theta,
            X,
            y01,
            sample_weight,
            monitor,
            rng,
            optimizer=copy.deepcopy(getattr(previous, "_optimizer", None))
            if partial
            else None,
            n_epochs=n_epochs,
            t=getattr(previous, "t_", 0),
        )
        for kind, message in result.warnings:
            warn(message, ConvergenceWarning if kind == "convergence" else UserWarning)
        set_fitted(self, network, result.theta, classes, monitor, result, rng)
        self.n_iter_ = monitor.n_iter + (
            previous.n_iter_ if partial and previous else 0
        )
        end_fit_task(self, context, monitor)
        return self

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
        with fitted_state_restored_on_error(self):
            return self._partial_fit(X, y, sample_weight, classes)

    @with_callbacks
    def _partial_fit(self, X, y, sample_weight, classes):
        first = not hasattr(self, "coefs_")
        X, y = self._validate_X_y(X, y, reset=first)
        if classes is not None:
            classes = column_or_1d(classes)
        classes = partial_fit_classes(classes, None if first else self.classes_)
        check_classification_targets(y)
        check_labels_known(y, classes, "y")
        y01 = y == classes[1]
        sample_weight = check_sample_weight(sample_weight, X.shape[0], X.dtype)
        sample_weight = apply_class_weights(
            sample_weight,
            y01,
            class_weights(self.class_weight, classes, y01, sample_weight),
        )
        network = self._network(X)
        # Work on a copy of the persistent generator: a failed call changes
        # nothing (the optimizer is copied by _train).
        rng = copy.deepcopy(getattr(self, "_rng", None)) or check_random_state(
            self.random_state
        )
        if first:
            theta = network.initialize(self.init, rng)
        else:
            theta = self._current_parameters(network)
        return self._train(
            network,
            theta,
            X,
            y,
            y01,
            sample_weight,
            classes,
            rng,
            previous=None if first else self,
            partial=True,
        )

    # -- pieces of fit ------------------------------------------------------
    def _validate_X_y(self, X, y, reset):
        """``X`` (CSR or C-ordered) and ``y``; a model being continued keeps its dtype.

        Row-major, as the training layer reads rows: a DataFrame is copied
        once, straight into C order.
        """
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=("csr", "csc"),
            dtype=(np.float64, np.float32),
            order="C",
            reset=reset,
        )
        if not reset:  # warm start or a later partial_fit call
            X = as_dtype(X, self._dtype(), "X", "of the model being continued")
        return as_csr(X), y

    def _dtype(self):
        """The dtype the fitted model computes in: that of its first fit's X."""
        dtype = np.asarray(self.coefs_[0]).dtype
        return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float64)

    def _validation_set(self, X, X_val, y_val, sample_weight_val, classes, weights):
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
        X_val = validate_data(
            self,
            X_val,
            reset=False,
            accept_sparse=("csr", "csc"),
            dtype=(np.float64, np.float32),
        )
        X_val = as_csr(as_dtype(X_val, X.dtype, "X_val", "of X, in which it is used"))
        y_val = column_or_1d(y_val, warn=True)
        check_consistent_length(X_val, y_val)
        warn_if_preprocessed_differently(X, X_val)
        return validation_set(X_val, y_val, sample_weight_val, classes, weights)

    def _network(self, X):
        hidden = normalize_hidden_layer_sizes(self.hidden_layer_sizes)
        return Network((X.shape[1], *hidden, 1), self.activation, X.dtype)

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

    def _training_config(self, network):
        """The hyperparameters of a training run on ``X``, as plain values."""
        return TrainingConfig(
            solver=self.solver,
            alpha=float(self.alpha),
            batch_size=200 if self.batch_size == "auto" else int(self.batch_size),
            learning_rate_init=self._step_size(),
            learning_rate=self.learning_rate,
            power_t=float(self.power_t),
            momentum=float(self.momentum),
            beta_1=float(self.beta_1),
            beta_2=float(self.beta_2),
            epsilon=float(self.epsilon),
            shuffle=bool(self.shuffle),
            max_iter=int(self.max_iter),
            max_fun=int(self.max_fun),
            tol=float(self.tol),
            chunk_rows=_chunk_rows(network, buffers=3),
        )

    def _step_size(self):
        """``learning_rate_init``, with 'auto' resolved for the solver."""
        if self.learning_rate_init == "auto":
            return _AUTO_LEARNING_RATE[self.solver]
        return float(self.learning_rate_init)

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
        network = Network(layer_sizes, self.activation, self._dtype())
        check_in_range(X, network.dtype, "X", "in which this model computes")
        with np.errstate(over="ignore", invalid="ignore"):
            z = network.decision_function(
                coefs, self.intercepts_, as_csr(X), _chunk_rows(network, buffers=1)
            )
        if np.isnan(z).any():
            raise ValueError(
                f"The network's output is undefined for {int(np.isnan(z).sum())} "
                f"rows of X: their values are so large that the activations "
                f"overflow {network.dtype.name}. Scale X as the training data was "
                "(a StandardScaler in front of the model does it)."
            )
        return z

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


def _chunk_rows(network, buffers):
    """Rows per chunk so that ``buffers`` per-row activation buffers fit the budget."""
    row_bytes = buffers * network.dtype.itemsize * sum(network.layer_sizes[1:])
    budget = min(get_config()["working_memory"] * 2**20, _MAX_CHUNK_BYTES)
    return max(1, int(budget // row_bytes))
