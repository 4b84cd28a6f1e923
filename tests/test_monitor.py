"""The per-iteration bookkeeping: stopping rule, validation, divergence, Ctrl-C."""

import io
import math
import re
from contextlib import redirect_stdout

import numpy as np
import pytest

from sknn._monitor import TrainingMonitor, Validation
from sknn._network import Network
from sknn.exceptions import TrainingDivergedError

NET = Network((2, 1), "relu", np.float64)  # logistic regression: theta = [w1, w2, b]


def monitor(**kwargs):
    options = dict(
        unit="epoch",
        tol=0.1,
        n_iter_no_change=2,
        validation=None,
        loss_curve=[],
        verbose=False,
    )
    options.update(kwargs)
    return TrainingMonitor(NET, **options)


def run(mon, losses, theta=None):
    """Feed losses; return the 1-based iteration at which it asked to stop."""
    theta = np.zeros(3) if theta is None else theta
    for i, loss in enumerate(losses, start=1):
        if mon.end(loss, theta):
            return i
    return None


def test_stopping_rule_counts_iterations_without_improvement_by_tol():
    # best: 1.0; 0.95 is not better by tol=0.1 (count 1); 0.85 is (count 0);
    # then 0.8, 0.79, 0.78 fail (counts 1, 2, 3): stop at the third, the
    # first time the count exceeds n_iter_no_change=2.
    mon = monitor()
    assert run(mon, [1.0, 0.95, 0.85, 0.8, 0.79, 0.78, 0.5]) == 6
    assert mon.loss_curve == [1.0, 0.95, 0.85, 0.8, 0.79, 0.78]
    assert mon.n_iter == 6


def test_no_stopping_rule_when_disabled():
    assert run(monitor(n_iter_no_change=None), [1.0] * 50) is None


def test_plateau_handler_can_postpone_stopping():
    calls = []

    def on_plateau():
        calls.append(len(calls))
        return len(calls) < 3  # lower the learning rate twice, then give up

    mon = monitor(n_iter_no_change=1, on_plateau=on_plateau)
    # The count exceeds 1 at iterations 3, 5 and 7 (it restarts after a
    # successful on_plateau); the third call returns False: stop at 7.
    assert run(mon, [1.0] * 20) == 7
    assert calls == [0, 1, 2]


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_loss_or_weights_raise_with_the_iteration(bad):
    mon = monitor(unit="iteration")
    mon.end(0.5, np.zeros(3))
    with pytest.raises(TrainingDivergedError, match="iteration 2"):
        mon.end(bad, np.zeros(3))
    with pytest.raises(TrainingDivergedError, match="iteration 3.*StandardScaler"):
        mon.end(0.5, np.array([0.0, bad, 0.0]))


def validation_set():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 1.0], [-1.0, 0.5]])
    y = np.array([True, False, True, False])
    return Validation(X, y, np.array([1.0, 2.0, 1.0, 0.5]))


def test_validation_loss_and_accuracy_formulas():
    val = validation_set()
    theta = np.array([1.0, -1.0, 0.2])  # z = x1 - x2 + 0.2
    loss, accuracy = val.evaluate(NET, theta, chunk_rows=3)
    z = val.X @ theta[:2] + theta[2]
    p = 1 / (1 + np.exp(-z))
    per_sample = -np.where(val.y, np.log(p), np.log(1 - p))
    assert loss == pytest.approx(np.average(per_sample, weights=val.sample_weight))
    assert accuracy == pytest.approx(
        np.average((p >= 0.5) == val.y, weights=val.sample_weight)
    )


def test_best_weights_are_those_of_the_lowest_validation_loss():
    val = validation_set()
    thetas = [
        np.array([0.1, -0.1, 0.0]),
        np.array([2.0, -2.0, 0.0]),
        np.array([-1.0, 1.0, 0.0]),
        np.array([1.0, -1.0, 0.5]),
    ]
    losses = [val.evaluate(NET, t, 4)[0] for t in thetas]
    mon = monitor(validation=val, n_iter_no_change=None)
    for t in thetas:
        mon.end(0.3, t)
    best = int(np.argmin(losses))
    assert mon.best_index == best
    np.testing.assert_array_equal(mon.best_theta, thetas[best])
    assert mon.validation_loss_curve == pytest.approx(losses)


def test_stopping_watches_the_validation_loss_when_there_is_one():
    val = validation_set()
    good = np.array([2.0, -2.0, 0.0])
    mon = monitor(validation=val, tol=1e-3, n_iter_no_change=1)
    # The training loss keeps falling but the validation loss is constant.
    stopped = None
    for i, loss in enumerate([0.9, 0.8, 0.7, 0.6, 0.5], start=1):
        if mon.end(loss, good):
            stopped = i
            break
    assert stopped == 3


def test_verbose_line():
    out = io.StringIO()
    mon = monitor(validation=validation_set(), verbose=True, n_iter_no_change=None)
    with redirect_stdout(out):
        mon.end(0.25, np.array([1.0, -1.0, 0.0]))
    assert re.fullmatch(
        r"Iteration 1, loss = 0\.25000000 \(with the L2 penalty\), "
        r"validation loss = \d\.\d{8}, "
        r"validation accuracy = \d\.\d{4}, \d+\.\d\ds\n",
        out.getvalue(),
    )


def test_output_check_skips_the_forward_pass_when_the_bound_is_small(monkeypatch):
    from sknn._monitor import check_outputs_finite

    net = Network((3, 4, 1), "relu", np.float64)
    theta = net.initialize("he", np.random.RandomState(0))
    X = np.random.RandomState(1).normal(size=(50, 3))

    def forbidden(*args, **kwargs):
        raise AssertionError("the forward pass ran")

    monkeypatch.setattr(net, "decision_function", forbidden)
    check_outputs_finite(net, theta, X, "epoch", 3, chunk_rows=16)


@pytest.mark.parametrize(
    ("activation", "raises"), [("identity", True), ("relu", True), ("tanh", False)]
)
def test_output_check_catches_weights_that_overflow(activation, raises):
    from sknn._monitor import check_outputs_finite

    net = Network((2, 3, 1), activation, np.float32)
    theta = np.zeros(net.n_params, dtype=np.float32)
    coefs, intercepts = net.unpack(theta)
    coefs[0][...] = 1e30  # finite, but 2 * 1e30 * 1e30 overflows float32
    coefs[1][...] = 1e30
    X = np.ones((5, 2), dtype=np.float32)
    if raises:
        with pytest.raises(TrainingDivergedError, match="epoch 7.*overflow"):
            check_outputs_finite(net, theta, X, "epoch", 7, chunk_rows=2)
    else:  # tanh caps the hidden layer at 1: 3 * 1e30 is finite
        check_outputs_finite(net, theta, X, "epoch", 7, chunk_rows=2)


# -- divergence before inf/NaN, small validation sets ---------------------------
def test_a_loss_growing_past_a_million_times_its_start_is_divergence():
    mon = monitor(n_iter_no_change=None)
    mon.start_loss = 0.5  # the scale is max(0.5, log 2)
    mon.end(0.9, np.zeros(3))
    mon.end(6e5, np.zeros(3))  # below 1e6 * log 2 = 6.93e5: a spike, not yet
    with pytest.raises(TrainingDivergedError, match=r"epoch 3: the training loss grew"):
        mon.end(7e5, np.zeros(3))


def test_no_divergence_check_without_a_starting_loss():
    mon = monitor(n_iter_no_change=None)
    mon.end(1e12, np.zeros(3))
    mon.check_final()


def test_a_run_that_ends_far_above_its_start_is_divergence():
    mon = monitor(n_iter_no_change=None)
    mon.start_loss = 2.0
    for loss in (1.5, 30.0, 19.0):
        mon.end(loss, np.zeros(3))
    mon.check_final()  # 19 < 10 * 2: worse, but not ten times
    mon.end(21.0, np.zeros(3))
    with pytest.raises(TrainingDivergedError, match="worse than untrained"):
        mon.check_final()


def test_the_final_check_looks_at_the_epoch_kept_with_a_validation_set():
    val = validation_set()
    good, bad = np.array([2.0, -2.0, 0.0]), np.array([-2.0, 2.0, 0.0])
    mon = monitor(validation=val, n_iter_no_change=None, loss_curve=[0.4, 0.3])
    mon.start_loss = 0.7
    mon.end(0.5, good)  # kept: lowest validation loss
    mon.end(50.0, bad)
    assert mon.best_index == 0
    mon.check_final()  # the kept epoch's training loss, 0.5, is fine
    mon.end(60.0, bad)
    mon.best_index = 2  # had the last epoch been kept, the model is rejected
    with pytest.raises(TrainingDivergedError):
        mon.check_final()


def test_a_small_validation_set_needs_a_larger_improvement():
    # Two distinct validation samples: an improvement must exceed
    # tol * 100 / 2 = 5e-3; a loss creeping down by 1.5e-3 per epoch does not
    # count, so training stops after n_iter_no_change + 1 such epochs.
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    val = Validation(X, np.array([True, False]), np.ones(2))
    assert val.size == 2
    mon = monitor(validation=val, tol=1e-4, n_iter_no_change=2)
    creeping = [0.5 - 1.5e-3 * i for i in range(10)]
    stopped = None
    for i, loss in enumerate(creeping, start=1):
        mon.validation.evaluate = lambda *a, loss=loss: (loss, 1.0)
        if mon.end(0.1, np.zeros(3)):
            stopped = i
            break
    assert stopped == 4
    # A set of 100 distinct samples keeps tol as it is: the same creep counts.
    big = Validation(X, np.array([True, False]), np.ones(2), size=100)
    mon = monitor(validation=big, tol=1e-4, n_iter_no_change=2)
    for loss in creeping:
        mon.validation.evaluate = lambda *a, loss=loss: (loss, 1.0)
        assert not mon.end(0.1, np.zeros(3))


def test_infinite_patience_never_stops():
    mon = monitor(n_iter_no_change=np.inf)
    assert run(mon, [1.0] * 30) is None


# -- a divergence after a validated iteration -------------------------------------
GOOD, BETTER = np.array([1.0, -1.0, 0.0]), np.array([2.0, -2.0, 0.0])


def diverging(how):
    """The loss and weights of an iteration that diverged in the way ``how``."""
    if how == "NaN loss":
        return np.nan, BETTER
    if how == "infinite weights":
        return 0.3, np.array([np.inf, 0.0, 0.0])
    if how == "blow-up":
        return 1e7, BETTER  # more than 1e6 * max(0.5, log 2)
    return 0.3, np.array([-1e308, 0.0, 0.0])  # outputs overflow on the validation set


HOWS = ["NaN loss", "infinite weights", "blow-up", "validation overflow"]


@pytest.mark.parametrize("unit", ["epoch", "iteration"])
@pytest.mark.parametrize("how", HOWS)
def test_a_divergence_after_a_validated_iteration_stops_on_the_best_weights(unit, how):
    mon = monitor(validation=validation_set(), n_iter_no_change=None, unit=unit)
    mon.start_loss = 0.5
    assert not mon.end(0.6, GOOD)
    assert not mon.end(0.4, BETTER)  # the lower validation loss
    assert not mon.end(0.35, GOOD)
    assert mon.end(*diverging(how))
    assert mon.stop_reason == "diverged"
    assert mon.divergence.startswith(f"at {unit} 4: ")
    # The diverging iteration is not recorded.
    assert mon.n_iter == 3
    assert mon.loss_curve == [0.6, 0.4, 0.35]
    assert len(mon.validation_loss_curve) == len(mon.validation_scores) == 3
    assert math.isfinite(max(mon.validation_loss_curve))
    np.testing.assert_array_equal(mon.best_theta, BETTER)
    message = mon.divergence_warning()
    assert message.startswith(f"Training diverged at {unit} 4: ")
    assert f"keeps the weights of {unit} 2, which had the lowest validation" in message
    mon.check_final(0.4)  # the model kept is no worse than untrained


@pytest.mark.parametrize("how", HOWS)
def test_a_divergence_with_nothing_validated_raises(how):
    # Without a validation set, or before its first iteration, there is
    # nothing to fall back on.
    for validation, n_good in [(None, 2), (validation_set(), 0)]:
        mon = monitor(validation=validation, n_iter_no_change=None)
        mon.start_loss = 0.5
        for _ in range(n_good):
            mon.end(0.4, GOOD)
        if validation is None and how == "validation overflow":
            continue  # no validation set to overflow on
        with pytest.raises(TrainingDivergedError, match=f"epoch {n_good + 1}"):
            mon.end(*diverging(how))


def test_best_validated_weights_worse_than_untrained_are_rejected():
    mon = monitor(validation=validation_set(), n_iter_no_change=None)
    mon.start_loss = 0.5
    mon.end(0.6, GOOD)
    assert mon.end(*diverging("blow-up"))
    # The final check gets the kept model's own loss, measured as the start's.
    with pytest.raises(
        TrainingDivergedError,
        match=r"diverged at epoch 2: .* and the model kept \(epoch 1's, the best "
        r"validated\) has a training loss of 30, .* worse than untrained",
    ):
        mon.check_final(30.0)


def test_the_final_check_prefers_the_loss_measured_on_the_model_kept():
    # The epoch's loss (a mean over its updates) looked fine; the model kept
    # is measured at 30 times the start.
    mon = monitor(n_iter_no_change=None)
    mon.start_loss = 1.0
    mon.end(0.8, GOOD)
    mon.check_final()
    with pytest.raises(TrainingDivergedError, match="by epoch 1: the model kept"):
        mon.check_final(30.0)
    with pytest.raises(TrainingDivergedError):
        mon.check_final(np.nan)  # a model whose output is undefined


def test_the_monitor_says_why_it_asked_to_stop():
    mon = monitor()
    assert mon.stop_reason is None
    assert run(mon, [1.0, 1.0, 1.0, 1.0]) == 4
    assert mon.stop_reason == "no_improvement"


def test_losses_are_recorded_as_python_floats():
    mon = monitor(validation=validation_set(), n_iter_no_change=None)
    mon.end(np.float32(0.5), GOOD)
    mon.end(np.float64(0.25), BETTER)
    values = mon.loss_curve + mon.validation_loss_curve + mon.validation_scores
    assert {type(v) for v in values} == {float}
