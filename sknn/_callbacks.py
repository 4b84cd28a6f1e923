"""scikit-learn's callback API (``sklearn.callback``, scikit-learn >= 1.9).

The estimator opens a fit task, the training monitor opens one subtask per
epoch (or L-BFGS iteration), and the fit task ends once the estimator is
fitted.  With an older scikit-learn the mixin and the decorator are inert
stand-ins and no context is made.
"""

try:  # scikit-learn >= 1.9
    from sklearn.callback import CallbackSupportMixin, with_callbacks

    HAS_CALLBACKS = True
except ImportError:  # pragma: no cover - depends on the installed scikit-learn
    HAS_CALLBACKS = False

    class CallbackSupportMixin:
        """Stand-in: this scikit-learn has no ``sklearn.callback``."""

    def with_callbacks(method):
        return method


__all__ = [
    "HAS_CALLBACKS",
    "CallbackSupportMixin",
    "begin_fit_task",
    "callback_kwargs",
    "end_fit_task",
    "with_callbacks",
]


def callback_kwargs(X, y, sample_weight):
    """The data arguments of the callback hooks."""
    return {"X": X, "y": y, "metadata": {"sample_weight": sample_weight}}


def begin_fit_task(estimator, max_subtasks, X, y, sample_weight):
    """The callback context of a fit task, begun; None without callbacks."""
    if not HAS_CALLBACKS:
        return None
    context = estimator._init_callback_context(max_subtasks=max_subtasks)
    context.call_on_fit_task_begin(
        estimator=estimator, **callback_kwargs(X, y, sample_weight)
    )
    return context


def end_fit_task(estimator, context, monitor):
    """End the fit task of the callbacks, once the estimator is fitted."""
    if context is not None:
        context.call_on_fit_task_end(
            estimator=estimator,
            reconstruction_attributes={},
            **monitor.callback_kwargs,
        )
