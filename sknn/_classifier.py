"""MLPBinaryClassifier: the scikit-learn estimator around the NumPy core."""

import copy
import functools
import types
from dataclasses import replace

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_consistent_length,
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
    check_labels_known,
    check_sample_weight,
    class_weights,
    encode_labels,
    native_byte_order,
    partial_fit_classes,
    row_hashes,
    split_validation,
    validation_set,
    warn_if_preprocessed_differently,
    warn_if_unscaled,
)
from ._interop import SklearnConversionMixin
from ._monitor import TrainingMonitor
from ._network import Network
from ._params import (
    PARAMETER_CONSTRAINTS,
    normalize_hidden_layer_sizes,
    validate_params,
)
from ._prediction import BinaryMLPPredictionMixin, chunk_rows
from ._prior_path import train_prior_path, with_strength
from ._state import (
    VersionedPickleMixin,
    current_parameters,
    fitted_attributes,
    fitted_state_restored_on_error,
    set_fitted,
)
from ._training import AUTO_ALPHA, make_config, train
from ._warnings import warn
from .exceptions import TrainingDivergedWarning

__all__ = ["MLPBinaryClassifier"]


class _AvailableIf:
    """A method that exists only while ``check(estimator)`` passes.

    scikit-learn's ``available_if``, except for the error: when ``check``
    raises an AttributeError saying why the method is unavailable, accessing
    the method raises an AttributeError that says it too (``available_if``
    keeps only "has no attribute", with the reason hidden in ``__cause__``).
    ``hasattr`` is False as with ``available_if``, which is what
    scikit-learn's checks and dask-ml look at.
    """

    def __init__(self, fn, check):
        self.fn, self.check = fn, check
        functools.update_wrapper(self, fn)

    def _check(self, obj, owner):
        name = self.fn.__name__
        missing = f"This {owner.__name__!r} has no attribute {name!r}"
        try:
            available = self.check(obj)
        except AttributeError as exc:
            raise AttributeError(f"{missing}: {exc}", name=name, obj=obj) from exc
        if not available:
            raise AttributeError(missing, name=name, obj=obj)

    def __get__(self, obj, owner=None):
        if obj is not None:
            self._check(obj, type(obj))
            return types.MethodType(self.fn, obj)

        # On the class (documentation, metadata routing): the function,
        # checking the instance it is called with.
        @functools.wraps(self.fn)
        def unbound(instance, *args, **kwargs):
            self._check(instance, type(instance))
            return self.fn(instance, *args, **kwargs)

        return unbound


def _available_if(check):
    return lambda fn: _AvailableIf(fn, check)


# Where the documentation is published (also in pyproject.toml's [project.urls]).
DOCS_URL = "https://sknn-mlp.readthedocs.io/en/latest/"


def initial_parameters(network, init, rng):
    """``network.initialize(init, rng)``, and for ``init='auto'`` the generator
    of :meth:`~sknn._network.Network.place_boundaries` (else None), seeded by
    one draw from ``rng`` so that what is drawn after it does not depend on
    the data."""
    theta = network.initialize(init, rng)
    if init != "auto":
        return theta, None
    return theta, np.random.RandomState(rng.randint(np.iinfo(np.int32).max))


class MLPBinaryClassifier(
    BinaryMLPPredictionMixin,
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
    plus an L2 penalty, by Adam (the default), L-BFGS, or minibatch gradient
    descent with momentum as a moving average of the gradients::

        V     <- momentum * V + (1 - momentum) * dJ/dtheta
        theta <- theta - learning_rate_init * V

    The defaults were chosen on noisy real data and on clean problems (see
    the accuracy page of the documentation); ``alpha='auto'`` chooses the
    strength of the L2 prior for the data at hand.  Like every neural
    network it trains best on
    standardized features (put a :class:`~sklearn.preprocessing.StandardScaler`
    in front of it).

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(100,)
        Units in each hidden layer; ``()`` gives logistic regression.
    activation : {'relu', 'tanh', 'logistic', 'sigmoid', 'identity'}, \
            default='relu'
        Hidden-unit activation (``'sigmoid'`` is ``'logistic'``); the output
        unit is always the sigmoid.
    init : {'auto', 'uniform', 'normal', 'glorot', 'he'}, default='auto'
        Initial weights: ``'glorot'``, uniform on ``+-sqrt(6 / (fan_in +
        fan_out))``; ``'he'``, normal with std ``sqrt(2 / fan_in)`` (both
        with zero biases); ``'auto'``, He for relu and Glorot otherwise, with
        each first-layer unit's bias set so that its boundary passes next to
        a training row drawn at random in proportion to its sample weight
        (zero biases would start every boundary through the origin);
        ``'uniform'``, ``MLPClassifier``'s scheme, weights and biases uniform
        on ``+-sqrt(f / (fan_in + fan_out))`` with ``f = 2`` for logistic
        units and 6 otherwise (the same numbers as ``MLPClassifier`` for the
        same integer ``random_state``); ``'normal'``, every weight and bias
        from N(0, 0.1**2).
    solver : {'adam', 'sgd', 'lbfgs'}, default='adam'
        ``'adam'``: scikit-learn's Adam; ``'sgd'``: minibatch gradient descent
        with the momentum above; ``'lbfgs'``: SciPy's L-BFGS-B on the
        full-batch objective.  All three reach the same accuracy on the
        benchmark.  Adam is the default because the size of its steps does
        not depend on the gradients' scale, so no step size needs fitting to
        the data; the model still trains badly on unscaled features.
    alpha : float or 'auto', default='auto'
        L2 strength: each batch's objective has ``alpha / (2 S) * sum ||W||^2``,
        ``S`` the batch's weight sum (scikit-learn's ``alpha``).  ``'auto'``
        chooses it in ``fit`` on 20% of the data held out: among prior
        strengths ``c`` = 10, 1, 0.1 and 0.01, with ``alpha = c /
        n_batches`` (``c`` for ``'lbfgs'``, so that over an epoch the penalty
        is ``c / 2 * ||W||^2`` against the summed loss of all samples), it
        goes to a weaker prior only while that lowers the held-out loss
        significantly, then trains the chosen model on all the data (see the
        user guide).  A strong prior for noisy data, a weak one for clean
        problems; the choice is ``alpha_``.  ``partial_fit`` does not choose:
        it uses the strength ``fit`` chose, or 10, over its chunk.
    batch_size : int or 'auto', default=64
        Rows per minibatch for ``'sgd'`` and ``'adam'``; ``'auto'`` is
        ``min(200, n_samples)``; larger values are clipped to ``n_samples``.
    learning_rate : {'constant', 'invscaling', 'adaptive'}, default='constant'
        Step-size schedule of ``'sgd'``, as scikit-learn's: ``'invscaling'``
        uses ``learning_rate_init / (t + 1) ** power_t`` after each epoch
        (``t`` samples seen); ``'adaptive'`` divides the step by 5 whenever
        the stopping rule fires, until it is below 1e-6.  ``V`` is kept when
        the step changes.
    learning_rate_init : float or 'auto', default='auto'
        The step size of ``'sgd'`` and ``'adam'``.  ``'auto'``: 0.005 for
        ``'adam'``; 0.2 for ``'sgd'``, divided by the features' mean square
        when that exceeds 1 (unscaled features then train slowly rather than
        diverge).  For ``'sgd'`` it multiplies an average of gradients, so it
        is ``1 / (1 - momentum)`` times the ``learning_rate_init`` of
        scikit-learn's classical momentum for the same steps.
    power_t : float, default=0.5
        Exponent of ``learning_rate='invscaling'``.
    max_iter : int, default=200
        Maximum epochs (``'sgd'``, ``'adam'``) or iterations (``'lbfgs'``).
    shuffle : bool, default=True
        Visit the samples in a new random order every epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, the shuffles and the validation split.
    tol : float, default=1e-4
        Improvement of the monitored loss that counts as progress; for
        ``'lbfgs'``, the smallest decrease of the objective per iteration and
        the gradient tolerance.
    verbose : bool or int, default=False
        Print ``Iteration N, loss = ... (with the L2 penalty)`` after every
        epoch, as ``MLPClassifier`` does, with the validation loss and
        accuracy and the elapsed seconds.
    warm_start : bool, default=False
        ``fit`` continues from the current ``coefs_`` and ``intercepts_``
        (with a new optimizer) instead of a new initialisation.
    momentum : float, default=0.9
        The ``beta`` of ``'sgd'``, in ``[0, 1)``; 0 is plain gradient descent.
    early_stopping : bool, default=False
        Hold out a stratified random ``validation_fraction`` of the training
        data, stop when its loss stops improving, and keep the weights of the
        epoch with the lowest validation loss (also when training diverges
        after it, with a :class:`~sknn.exceptions.TrainingDivergedWarning`).
        Passing ``X_val`` and ``y_val`` to :meth:`fit` does the same with
        that set.
    validation_fraction : float, default=0.1
        Fraction held out by ``early_stopping=True``.
    beta_1 : float, default=0.9
        Adam's decay rate of its running average of the gradients, in
        ``[0, 1)``.
    beta_2 : float, default=0.999
        Adam's decay rate of its running average of the squared gradients, in
        ``[0, 1)``.
    epsilon : float, default=1e-8
        Adam's numerical-stability term.
    n_iter_no_change : int or numpy.inf, default=10
        Stop once the monitored loss (the validation loss when there is a
        validation set, else the training loss) has not improved on its best
        by ``tol`` for more than this many epochs; ``numpy.inf`` never stops.
    max_fun : int, default=15000
        Maximum objective evaluations of ``'lbfgs'``.
    class_weight : dict, 'balanced' or None, default=None
        Class weights multiplied into the sample weights (also those of the
        validation set): ``{label: weight}`` (missing labels weigh 1) or
        ``'balanced'``, ``n_samples / (2 * class count)`` with samples counted
        by their weights.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The class labels; ``classes_[1]`` is the positive class.
    coefs_, intercepts_ : list of ndarray
        ``coefs_[l]``, of shape ``(n[l], n[l+1])``, weighs layer ``l``'s
        outputs into layer ``l + 1``; ``intercepts_[l]`` has shape
        ``(n[l+1],)``.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Feature names seen during fit (DataFrame input with string names).
    n_iter_ : int
        Epochs (or L-BFGS iterations) of the last ``fit``; for
        ``partial_fit``, calls since the last ``fit``.
    t_ : int
        Training samples seen by the solver, over all fits.
    loss_ : float or None
        Training loss of the last epoch (for ``'lbfgs'``, at the solution);
        None if training was interrupted before its first epoch ended.
    loss_curve_ : list of float
        Training loss of every epoch: the batch objectives' mean, weighted by
        the batches' weight sums (for ``'lbfgs'``, one per iteration).
    best_loss_ : float or None
        Minimum of ``loss_curve_``; None with a validation set.
    validation_scores_, validation_loss_curve_ : list of float or None
        Validation accuracy and log-loss (weighted, without the L2 term)
        after every epoch of the last fit; None without a validation set.
    best_validation_loss_, best_validation_score_ : float or None
        Validation log-loss and accuracy of the weights kept.
    alpha_ : float
        The L2 strength of the model's training: ``alpha``, or what
        ``alpha='auto'`` chose.
    alpha_path_, validation_loss_path_ : list of float or None
        With ``alpha='auto'``: the L2 strengths tried, strongest first (as
        ``alpha`` values for the data of the fit), and the held-out loss each
        reached; None when ``alpha`` is a number.
    stop_reason_ : str
        Why the last ``fit`` (or ``partial_fit`` call) ended: ``'max_iter'``
        (every epoch allowed ran), ``'no_improvement'`` (the stopping rule
        of ``tol`` and ``n_iter_no_change``), ``'chosen_epochs'``
        (``alpha='auto'`` trained the chosen model for its last epochs on all
        the data), ``'callback'``,
        ``'interrupted'`` (Ctrl-C), ``'diverged'`` (training diverged after
        a validated epoch: the weights of the epoch with the lowest
        validation loss are kept, with a
        :class:`~sknn.exceptions.TrainingDivergedWarning`), or for
        ``'lbfgs'`` ``'converged'``, ``'limit'`` (``max_iter`` or
        ``max_fun`` reached) and ``'failed'`` (L-BFGS-B gave up).
    n_layers_, n_outputs_, out_activation_ : int, int, str
        Layers (input and output included), 1, and ``'logistic'``.

    See Also
    --------
    sklearn.neural_network.MLPClassifier : scikit-learn's multi-layer
        perceptron, with classical momentum and multiclass support.

    Notes
    -----
    From the same initial weights and with ``shuffle=False``, ``'sgd'``
    takes the steps of ``MLPClassifier(solver='sgd', nesterovs_momentum=False,
    momentum=beta, learning_rate_init=eta * (1 - beta))`` and ``'adam'``
    those of scikit-learn's Adam (the test suite checks both).  float32
    input is trained and predicted in float32; a model keeps the dtype of
    its first fit.  Sparse CSR/CSC input is never densified.  Ctrl-C during
    ``fit`` stops after the update in progress and keeps a usable model; a
    second Ctrl-C raises KeyboardInterrupt.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sknn import MLPBinaryClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> # The default hyperparameters, behind a scaler:
    >>> clf = make_pipeline(StandardScaler(), MLPBinaryClassifier(random_state=0))
    >>> clf.fit(X_train, y_train).score(X_test, y_test) > 0.95
    True
    >>> clf.predict_proba(X_test[:2]).shape
    (2, 2)
    """

    _parameter_constraints = PARAMETER_CONSTRAINTS

    # The "?" of the HTML representation (Jupyter) links to the API page.
    _doc_link_module = "sknn"
    _doc_link_template = DOCS_URL + "generated/{estimator_module}.{estimator_name}.html"

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha="auto",
        batch_size=64,
        learning_rate="constant",
        learning_rate_init="auto",
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
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
            (:class:`~sknn.exceptions.TrainingDivergedError`; with a
            validation set, a run that diverges after a validated epoch
            keeps the best validated weights and warns instead, unless they
            are worse than untrained).  A ``fit`` that raises, a second
            Ctrl-C (KeyboardInterrupt) included, leaves a previously fitted
            model unchanged.
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
        warn_if_unscaled(X)
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
        boundaries = None
        if warm:
            theta = current_parameters(self, network)
        else:
            theta, boundaries = initial_parameters(network, self.init, rng)
        if validation is None and self.early_stopping:
            X, y01, sample_weight, validation = split_validation(
                X, y01, sample_weight, self.validation_fraction, rng, classes
            )
            y = classes[y01.astype(np.intp)]  # the labels of the rows kept
        if boundaries is not None:  # on the rows trained on
            network.place_boundaries(
                theta, X, sample_weight, boundaries, row_hashes(X, as_float64=True)
            )
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
        adaptive = self.alpha == "auto" and not partial
        context = begin_fit_task(
            self,
            # The path of alpha='auto' trains for a number of epochs known at
            # the end only.
            None if adaptive else (n_epochs + 1 if lbfgs else n_epochs),
            X,
            y,
            sample_weight,
        )
        data = callback_kwargs(X, y, sample_weight)

        def make_monitor(validation, stopping=True, public=True):
            # L-BFGS has its own convergence tests; the stopping rule only
            # watches a validation set there.
            rule = not partial and stopping and not (lbfgs and validation is None)
            return TrainingMonitor(
                network,
                unit="iteration" if lbfgs else "epoch",
                tol=self.tol,
                n_iter_no_change=self.n_iter_no_change if rule else None,
                validation=validation,
                loss_curve=[],
                verbose=self.verbose and public,
                callback_context=context if public else None,
                callback_kwargs=data,
                estimator=self,
                fitted_attributes=lambda theta: fitted_attributes(
                    network, theta, classes
                ),
                chunk_rows=chunk_rows(network, buffers=1),
            )

        strength = getattr(previous, "_prior_strength", AUTO_ALPHA)
        config = make_config(
            self.get_params(), X, chunk_rows(network, buffers=3), strength=strength
        )
        t = getattr(previous, "t_", 0)
        path = None
        if adaptive:
            path = train_prior_path(
                config,
                network,
                theta,
                X,
                y01,
                sample_weight,
                rng,
                make_monitor,
                validation=validation,
                log=print if self.verbose else None,
            )
            result, record = path.result, path.record
            result = replace(result, t=t + result.t)
        else:
            record = make_monitor(validation)
            result = train(
                config,
                network,
                theta,
                X,
                y01,
                sample_weight,
                record,
                rng,
                optimizer=copy.deepcopy(getattr(previous, "_optimizer", None))
                if partial
                else None,
                n_epochs=n_epochs,
                t=t,
            )
        # A warm start or a later partial_fit call continues the loss curve.
        record.loss_curve[:0] = list(getattr(previous, "loss_curve_", None) or [])
        categories = {
            "convergence": ConvergenceWarning,
            "diverged": TrainingDivergedWarning,
        }
        for kind, message in result.warnings:
            warn(message, categories.get(kind, UserWarning))
        set_fitted(self, network, result.theta, classes, record, result, rng)
        self.alpha_ = path.alpha if path else config.alpha
        self.alpha_path_ = (
            [with_strength(config, c, X.shape[0]).alpha for c in path.strengths]
            if path
            else None
        )
        self.validation_loss_path_ = path.validation_losses if path else None
        if path is not None:
            self._prior_strength = path.strengths[path.chosen]
        elif not partial:
            vars(self).pop("_prior_strength", None)
        # What the 'auto' settings meant in this fit, for to_sklearn.
        self._resolved_params = {
            "alpha": self.alpha_,
            "learning_rate_init": config.learning_rate_init,
        }
        self.n_iter_ = record.n_iter + (previous.n_iter_ if partial and previous else 0)
        end_fit_task(self, context, record)
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
                "out part of the data given to one call: set early_stopping=False "
                "and evaluate a validation set between calls, or use fit "
                "(optionally with X_val and y_val)."
            )
        if isinstance(self.class_weight, str):
            raise AttributeError(
                "partial_fit is not available with class_weight='balanced', which "
                "needs the whole training set: compute the weights once with "
                "sklearn.utils.class_weight.compute_class_weight('balanced', "
                "classes=classes, y=y_all) and pass them as a dict."
            )
        return True

    @_available_if(_partial_fit_available)
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
            (which need the whole training set): accessing it raises an
            AttributeError naming the setting, and ``hasattr`` is False.
        ValueError
            For invalid inputs.

        Examples
        --------
        >>> import numpy as np
        >>> from sknn import MLPBinaryClassifier
        >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
        >>> clf = MLPBinaryClassifier((4,), solver="adam", random_state=0)
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
        if first:
            warn_if_unscaled(X)
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
            theta, boundaries = initial_parameters(network, self.init, rng)
            if boundaries is not None:
                network.place_boundaries(
                    theta, X, sample_weight, boundaries, row_hashes(X, as_float64=True)
                )
        else:
            theta = current_parameters(self, network)
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
        once, straight into C order.  A big-endian float32 array is float32
        data: it is trained in float32, in the machine's byte order.
        """
        X, y = validate_data(
            self,
            native_byte_order(X),
            y,
            accept_sparse=("csr", "csc"),
            dtype=(np.float64, np.float32),
            order="C",
            reset=reset,
        )
        if not reset:  # warm start or a later partial_fit call
            X = as_dtype(X, self._dtype(), "X", "of the model being continued")
        return as_csr(X), y

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
