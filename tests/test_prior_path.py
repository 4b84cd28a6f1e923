"""The prior path of alpha='auto' (sknn._prior_path), alone and through fit."""

import dataclasses
import math
import warnings
from types import SimpleNamespace

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from sknn import MLPBinaryClassifier
from sknn import _prior_path as prior_path
from sknn._inputs import hold_out, row_hashes
from sknn._monitor import TrainingMonitor
from sknn._network import Network
from sknn._prior_path import (
    PRIOR_STRENGTHS,
    n_batches,
    significantly_lower,
    train_prior_path,
    with_strength,
)
from sknn._training import AUTO_ALPHA, TrainingConfig, train

ADAM = dict(solver="adam", learning_rate_init=0.005, batch_size=64, max_iter=200)


def xor(n, seed=0):
    """A clean problem a strong prior under-fits: XOR of two features."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    return X * 1.7, (X[:, 0] * X[:, 1] > 0)


def noise(n, seed=0):
    """Labels that do not depend on the features: the strongest prior wins."""
    rng = np.random.RandomState(seed)
    return rng.normal(size=(n, 5)), rng.rand(n) < 0.4


def make_monitor_factory(network):
    def make_monitor(validation, stopping=True, public=True):
        return TrainingMonitor(
            network,
            unit="epoch",
            tol=1e-4,
            n_iter_no_change=10 if stopping else None,
            validation=validation,
            loss_curve=[],
            verbose=False,
        )

    return make_monitor


def run_path(X, y, seed=0, **kwargs):
    network = Network((X.shape[1], 16, 1), "relu", np.float64)
    rng = np.random.RandomState(seed)
    theta = network.initialize("auto", rng)
    config = TrainingConfig(**ADAM)
    w = np.ones(len(y))
    path = train_prior_path(
        config, network, theta, X, y, w, rng, make_monitor_factory(network), **kwargs
    )
    return network, config, path


# -- the pieces ---------------------------------------------------------------
def test_a_strength_is_alpha_times_the_batches_of_an_epoch():
    config = TrainingConfig(solver="adam", batch_size=64)
    assert n_batches(config, 640) == 10
    assert n_batches(config, 641) == 11
    assert n_batches(config, 10) == 1  # the batch is clipped to the data
    assert with_strength(config, 10.0, 641).alpha == pytest.approx(10 / 11)
    lbfgs = dataclasses.replace(config, solver="lbfgs")
    assert with_strength(lbfgs, 0.1, 5000).alpha == 0.1  # one batch


def test_significantly_lower_by_hand():
    best = np.array([1.0, 1.0, 1.0, 1.0])
    weight = np.ones(4)
    # differences -0.2, -0.2, -0.2, +0.2: mean -0.1, variance 0.03, n 4,
    # standard error sqrt(0.03 / 4) = 0.0866
    new = best + np.array([-0.2, -0.2, -0.2, 0.2])
    assert significantly_lower(new, best, weight, z=1.0)  # -0.1 < -0.0866
    assert not significantly_lower(new, best, weight, z=1.2)  # -0.1 > -0.104
    assert not significantly_lower(best, best, weight, z=0.0)  # equal is not lower
    assert not significantly_lower(best + 0.01, best, weight, z=0.0)
    # Weights: the effective number of samples is (sum w)^2 / sum w^2.
    w = np.array([3.0, 1.0, 1.0, 1.0])
    # weighted mean (-0.6 - 0.2 - 0.2 + 0.2) / 6 = -0.1333; weighted variance
    # (5 * 0.0667^2 + 0.3333^2) / 6 = 0.0222; n_eff 36 / 12 = 3; standard
    # error sqrt(0.0222 / 3) = 0.0861: the mean is 1.55 standard errors down
    assert significantly_lower(new, best, w, z=1.5)
    assert not significantly_lower(new, best, w, z=1.6)


# -- the path ------------------------------------------------------------------
def test_a_clean_problem_walks_to_a_weaker_prior():
    X, y = xor(600)
    _, config, path = run_path(X, y)
    assert path.strengths[0] == AUTO_ALPHA == PRIOR_STRENGTHS[0]
    assert path.chosen >= 1  # the strong prior under-fits the XOR
    losses = path.validation_losses
    assert losses[path.chosen] < losses[0] / 2
    assert path.alpha == with_strength(config, path.strengths[path.chosen], 600).alpha


def test_noise_keeps_the_strongest_prior():
    X, y = noise(600)
    _, config, path = run_path(X, y)
    assert path.chosen == 0
    assert len(path.strengths) == 2  # the first weaker prior was not kept
    assert path.alpha == AUTO_ALPHA / n_batches(config, 600)


def test_the_held_out_losses_are_those_of_the_weights_kept(monkeypatch):
    # Record what each held-out run keeps and check the losses reported.
    X, y = xor(400)
    network = Network((2, 16, 1), "relu", np.float64)
    kept = []

    def recording_train(*args, **kwargs):
        result = train(*args, **kwargs)
        kept.append(result.theta.copy())
        return result

    monkeypatch.setattr(prior_path, "train", recording_train)
    rng = np.random.RandomState(0)
    theta = network.initialize("he", rng)
    split_rng = np.random.RandomState(0)
    network.initialize("he", split_rng)  # the same draws as rng's so far
    _, _, _, held_out = hold_out(X, y, np.ones(400), 0.2, split_rng)
    path = train_prior_path(
        TrainingConfig(**ADAM),
        network,
        theta,
        X,
        y,
        np.ones(400),
        rng,
        make_monitor_factory(network),
    )
    for loss, theta_kept in zip(path.validation_losses, kept):
        z = network.decision_function(*network.unpack(theta_kept), held_out.X, 512)
        expected = np.mean(np.logaddexp(0, np.where(held_out.y, -z, z)))
        assert loss == pytest.approx(expected, rel=1e-12)


def test_nothing_to_hold_out_trains_the_strongest_prior_on_everything():
    # One distinct row per class: no split, the strongest prior, no NaN loss.
    X = np.array([[0.0, 1.0]] * 5 + [[1.0, 0.0]] * 5)
    y = np.arange(10) >= 5
    _, config, path = run_path(X, y)
    assert path.strengths == [AUTO_ALPHA]
    assert math.isnan(path.validation_losses[0])
    assert path.alpha == AUTO_ALPHA / n_batches(config, 10)


def test_a_user_validation_set_is_walked_and_its_best_weights_kept():
    X, y = xor(500)
    X_val, y_val = xor(200, seed=1)
    from sknn._monitor import Validation

    validation = Validation(X_val, y_val, np.ones(200))
    network, config, path = run_path(X, y, validation=validation)
    record = path.record
    assert path.chosen >= 1
    assert len(record.validation_loss_curve) == record.n_iter
    best = record.best_index
    assert record.validation_loss_curve[best] == min(record.validation_loss_curve)
    z = network.decision_function(*network.unpack(path.result.theta), X_val, 512)
    loss = np.mean(np.logaddexp(0, np.where(y_val, -z, z)))
    assert loss == pytest.approx(record.validation_loss_curve[best], rel=1e-12)
    assert loss == pytest.approx(path.validation_losses[path.chosen], rel=1e-12)


# -- through fit ------------------------------------------------------------------
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_fit_exposes_what_alpha_auto_chose():
    X, y = xor(600)
    clf = MLPBinaryClassifier((16,), random_state=0, **ADAM).fit(X, y)
    assert clf.alpha_path_[0] == pytest.approx(AUTO_ALPHA / n_batches_of(600))
    assert len(clf.validation_loss_path_) == len(clf.alpha_path_)
    assert clf.alpha_ in clf.alpha_path_
    assert clf.alpha_ < clf.alpha_path_[0]
    assert clf.score(X, y) > 0.95
    # A number is used as given: nothing is chosen.
    fixed = MLPBinaryClassifier((16,), random_state=0, **{**ADAM, "alpha": 1e-3})
    fixed.fit(X, y)
    assert fixed.alpha_ == 1e-3
    assert fixed.alpha_path_ is None
    assert fixed.validation_loss_path_ is None


def n_batches_of(n, batch_size=64):
    return -(-n // batch_size)


def test_alpha_auto_is_reproducible_and_follows_the_seed():
    X, y = xor(300)
    a = MLPBinaryClassifier((8,), random_state=3, **ADAM).fit(X, y)
    b = MLPBinaryClassifier((8,), random_state=3, **ADAM).fit(X, y)
    c = MLPBinaryClassifier((8,), random_state=4, **ADAM).fit(X, y)
    for Wa, Wb in zip(a.coefs_, b.coefs_):
        np.testing.assert_array_equal(Wa, Wb)
    assert a.validation_loss_path_ == b.validation_loss_path_
    assert a.validation_loss_path_ != c.validation_loss_path_


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_explicit_alpha_trains_as_before_the_path():
    # alpha given as a number runs one training run: the path is not involved.
    X, y = xor(300)
    params = dict(hidden_layer_sizes=(8,), random_state=0, alpha=0.01, **ADAM)
    clf = MLPBinaryClassifier(**params).fit(X, y)
    network = Network((2, 8, 1), "relu", np.float64)
    rng = np.random.RandomState(0)
    theta = network.initialize("auto", rng)
    seed = rng.randint(np.iinfo(np.int32).max)
    network.place_boundaries(
        theta,
        X,
        np.ones(300),
        np.random.RandomState(seed),
        row_hashes(X, as_float64=True),
    )
    monitor = make_monitor_factory(network)(None)
    result = train(
        TrainingConfig(alpha=0.01, **ADAM),
        network,
        theta,
        X,
        y,
        np.ones(300),
        monitor,
        rng,
    )
    np.testing.assert_array_equal(clf.coefs_[0], network.unpack(result.theta)[0][0])
    assert clf.n_iter_ == monitor.n_iter


def test_class_weights_weigh_the_held_out_loss():
    # Weighting the rare class up makes the held-out losses of the path be
    # weighted the same way (the weights go with their rows to both sides).
    X, y = xor(400)
    plain = MLPBinaryClassifier((8,), random_state=0, **ADAM).fit(X, y)
    weighted = MLPBinaryClassifier(
        (8,), random_state=0, class_weight={True: 3.0}, **ADAM
    ).fit(X, y)
    assert plain.validation_loss_path_ != weighted.validation_loss_path_


def test_partial_fit_after_fit_keeps_the_chosen_prior():
    X, y = xor(640)
    clf = MLPBinaryClassifier((16,), random_state=0, **ADAM).fit(X, y)
    chosen = clf.alpha_ * n_batches_of(640)  # the strength chosen
    clf.partial_fit(X[:320], y[:320])
    assert clf.alpha_ == pytest.approx(chosen / n_batches_of(320))
    fresh = MLPBinaryClassifier((16,), random_state=0, **ADAM)
    fresh.partial_fit(X[:320], y[:320], classes=[False, True])
    assert fresh.alpha_ == pytest.approx(AUTO_ALPHA / n_batches_of(320))


def test_warm_start_walks_again_from_the_current_weights():
    X, y = xor(400)
    clf = MLPBinaryClassifier((8,), random_state=0, warm_start=True, **ADAM)
    clf.fit(X, y)
    first_curve = list(clf.loss_curve_)
    clf.fit(X, y)
    assert clf.loss_curve_[: len(first_curve)] == first_curve
    assert len(clf.loss_curve_) == len(first_curve) + clf.n_iter_
    assert clf.alpha_path_ is not None


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_verbose_says_what_each_strength_gave(capsys):
    X, y = xor(300)
    MLPBinaryClassifier((8,), random_state=0, verbose=True, **ADAM).fit(X, y)
    out = capsys.readouterr().out
    assert "Prior strength 10 (alpha=" in out
    assert "held-out loss" in out
    assert "Iteration 1, loss = " in out


def test_the_path_warns_when_max_iter_ends_the_chosen_run():
    X, y = xor(300)
    with pytest.warns(ConvergenceWarning, match="max_iter=3"):
        MLPBinaryClassifier((8,), random_state=0, **{**ADAM, "max_iter": 3}).fit(X, y)
    # Noise: the strongest prior's run stops by its rule, and nothing warns.
    X, y = noise(600)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf = MLPBinaryClassifier((8,), random_state=0, **ADAM).fit(X, y)
    assert clf.alpha_ == clf.alpha_path_[0]


def test_a_run_still_gaining_at_max_iter_is_unconverged_but_a_plateau_is_not():
    from sknn._prior_path import MATERIAL, _unconverged

    validation = SimpleNamespace(sample_weight=np.ones(100))
    losses = np.r_[np.zeros(50), np.ones(50)]  # standard error 0.05
    step = MATERIAL * 0.05  # the smallest gain that matters

    def verdict(gain, status="max_iter"):
        curve = [1.0] * 20 + [1.0 - gain]
        monitor = SimpleNamespace(validation_loss_curve=curve, n_iter_no_change=10)
        return _unconverged(SimpleNamespace(status=status), monitor, losses,
                            validation, None)  # fmt: skip

    assert verdict(1.5 * step)
    assert not verdict(0.5 * step)
    assert not verdict(1.0, status="no_improvement")


@pytest.mark.parametrize("z", [0.2, 0.5, 0.8, 1.0, 1.5])
def test_repeated_samples_count_once_with_their_summed_weight(z):
    # An integer weight and repeated rows must choose alike (scikit-learn's
    # sample-weight equivalence), and so must weights on any scale.
    new, best = np.array([-0.3, -0.1, 0.2]), np.zeros(3)
    weight = np.array([2.0, 1.0, 1.0])
    weighted = significantly_lower(new, best, weight, z, groups=np.arange(3))
    repeated = significantly_lower(
        new[[0, 0, 1, 2]], np.zeros(4), np.ones(4), z, groups=np.array([0, 0, 1, 2])
    )
    scaled = significantly_lower(new, best, 7 * weight, z, groups=np.arange(3))
    assert weighted == repeated == scaled
    # Without the groups, the copies would count as independent samples.
    naive = [
        significantly_lower(new[[0, 0, 1, 2]], np.zeros(4), np.ones(4), zz)
        for zz in (0.2, 0.5, 0.8, 1.0, 1.5)
    ]
    single = [
        significantly_lower(new, best, weight, zz, groups=np.arange(3))
        for zz in (0.2, 0.5, 0.8, 1.0, 1.5)
    ]
    assert naive != single


def test_the_final_model_continues_the_chosen_run_on_all_the_data(monkeypatch):
    # Noise: the strongest prior is chosen.  By hand: the same draws, the
    # held-out runs, then 10 epochs on all the data with the chosen run's
    # optimizer, and 20 more at a tenth of the step.
    from sknn._monitor import TrainingMonitor as Monitor
    from sknn._prior_path import CONTINUE_EPOCHS, SETTLE_EPOCHS, SETTLE_STEP

    X, y = noise(300)
    w = np.ones(300)
    network, config, path = run_path(X, y)
    assert path.chosen == 0
    rng = np.random.RandomState(0)
    theta = network.initialize("he", rng)
    X_fit, y_fit, w_fit, held_out = hold_out(X, y, w, 0.2, rng)

    def monitor(validation=None, stopping=True):
        return Monitor(network, unit="epoch", tol=1e-4,
                       n_iter_no_change=10 if stopping else None,
                       validation=validation, loss_curve=[], verbose=False)  # fmt: skip

    n_fit = X_fit.shape[0]
    strong = train(with_strength(config, AUTO_ALPHA, n_fit), network, theta, X_fit,
                   y_fit, w_fit, monitor(held_out), rng)  # fmt: skip
    t = strong.t
    train(with_strength(config, PRIOR_STRENGTHS[1], n_fit), network, strong.theta,
          X_fit, y_fit, w_fit, monitor(held_out), rng, t=t)  # fmt: skip
    final = with_strength(config, AUTO_ALPHA, 300)
    optimizer = strong.optimizer
    first = train(final, network, strong.theta, X, y, w, monitor(None, False), rng,
                  optimizer=optimizer, n_epochs=CONTINUE_EPOCHS)  # fmt: skip
    optimizer.learning_rate = SETTLE_STEP * final.learning_rate_init
    settled = train(
        dataclasses.replace(final, learning_rate_init=optimizer.learning_rate),
        network, first.theta, X, y, w, monitor(None, False), rng,
        optimizer=optimizer, n_epochs=SETTLE_EPOCHS,
    )  # fmt: skip
    np.testing.assert_array_equal(path.result.theta, settled.theta)
    assert path.record.n_iter == CONTINUE_EPOCHS + SETTLE_EPOCHS
    assert path.result.status == "chosen_epochs"


def test_ctrl_c_while_choosing_keeps_the_held_out_model(monkeypatch):
    import os
    import signal

    from sknn._training import MinibatchTrainer

    epochs = []
    run_epoch = MinibatchTrainer.run_epoch

    def interrupted_at_the_third_epoch(self):
        loss = run_epoch(self)
        epochs.append(loss)
        if len(epochs) == 3:
            os.kill(os.getpid(), signal.SIGINT)
        return loss

    monkeypatch.setattr(MinibatchTrainer, "run_epoch", interrupted_at_the_third_epoch)
    X, y = xor(300)
    with pytest.warns(UserWarning, match="interrupted"):
        clf = MLPBinaryClassifier((8,), random_state=0, **ADAM).fit(X, y)
    assert clf.stop_reason_ == "interrupted"
    assert clf.n_iter_ == 2  # the held-out run's epochs before the interrupt
    assert clf.validation_loss_curve_ is None
    assert np.isfinite(clf.predict_proba(X)).all()


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_every_solver_and_dtype_choose_and_fit(solver, dtype):
    X, y = xor(400)
    clf = MLPBinaryClassifier((16,), solver=solver, random_state=0, max_iter=200).fit(
        X.astype(dtype), y
    )
    assert clf.coefs_[0].dtype == dtype
    assert len(clf.alpha_path_) >= 2
    assert clf.alpha_ < clf.alpha_path_[0]  # the XOR needs a weaker prior
    assert clf.score(X.astype(dtype), y) > 0.9


def test_sparse_and_dense_input_choose_the_same():
    import scipy.sparse as sp

    X, y = xor(300)
    X = np.c_[X, np.zeros((300, 3))]
    dense = MLPBinaryClassifier((8,), random_state=0, **ADAM).fit(X, y)
    sparse = MLPBinaryClassifier((8,), random_state=0, **ADAM).fit(sp.csr_matrix(X), y)
    assert dense.alpha_path_ == sparse.alpha_path_
    np.testing.assert_allclose(
        dense.validation_loss_path_, sparse.validation_loss_path_, rtol=1e-9
    )
