"""The stable binary cross-entropy and the L2 term."""

import math
from decimal import Decimal, localcontext

import numpy as np
import pytest

from sknn._loss import (
    binary_cross_entropy,
    l2_penalty,
    label_sign,
    log_loss_per_sample,
    loss_and_output_delta,
)


def naive_loss(z, y):
    """-[y log p + (1 - y) log(1 - p)] with p = sigmoid(z), in 60-digit decimals."""
    with localcontext() as ctx:
        ctx.prec = 60
        p = 1 / (1 + (-Decimal(z)).exp())
        return float(-(y * p.ln() + (1 - y) * (1 - p).ln()))


@pytest.mark.parametrize("y", [0, 1])
@pytest.mark.parametrize("z", [-30.0, -5.0, -0.3, 0.0, 0.7, 4.0, 30.0])
def test_per_sample_loss_matches_formula_where_it_is_finite(z, y):
    assert log_loss_per_sample(np.array([z]), np.array([y]))[0] == pytest.approx(
        naive_loss(z, y), rel=1e-12, abs=1e-300
    )


def test_per_sample_loss_is_finite_for_extreme_logits():
    z = np.array([-1e4, -800.0, 800.0, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        wrong = log_loss_per_sample(z, np.array([1, 1, 0, 0]))
        right = log_loss_per_sample(z, np.array([0, 0, 1, 1]))
    np.testing.assert_allclose(wrong, [1e4, 800, 800, 1e4])
    np.testing.assert_array_equal(right, 0.0)


def test_confident_correct_loss_keeps_precision():
    # -log(sigmoid(40)) = log1p(exp(-40)) ~ 4.25e-18, not 0 from 1 - p rounding.
    loss = log_loss_per_sample(np.array([40.0]), np.array([1]))[0]
    assert loss == pytest.approx(math.exp(-40), rel=1e-12)


def test_weighted_mean():
    z = np.array([0.5, -1.0, 2.0])
    y = np.array([1, 0, 0])
    s = np.array([2.0, 0.0, 1.0])
    expected = (2 * naive_loss(0.5, 1) + 1 * naive_loss(2.0, 0)) / 3
    assert binary_cross_entropy(z, y, s) == pytest.approx(expected, rel=1e-14)
    unweighted = np.mean([naive_loss(a, b) for a, b in zip(z, y)])
    assert binary_cross_entropy(z, y) == pytest.approx(unweighted, rel=1e-14)


def test_l2_penalty_formula():
    coefs = [np.array([[1.0, -2.0]]), np.array([[3.0], [0.5]])]
    # alpha / (2 S) * (1 + 4 + 9 + 0.25)
    assert l2_penalty(coefs, alpha=0.3, weight_sum=4.0) == pytest.approx(
        0.3 / 8 * 14.25, rel=1e-15
    )
    assert l2_penalty(coefs, alpha=0.0, weight_sum=4.0) == 0.0


def test_label_sign():
    np.testing.assert_array_equal(label_sign(np.array([0, 1, 1, 0])), [1, -1, -1, 1])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_loss_and_output_delta(dtype):
    rng = np.random.RandomState(0)
    z = rng.normal(size=(6, 1)).astype(dtype) * 5
    y = np.array([0, 1, 1, 0, 1, 0])
    s = np.array([1.0, 2.0, 0.0, 0.5, 1.5, 1.0], dtype=dtype).reshape(-1, 1)
    S = float(s.sum())
    delta = np.empty_like(z)
    J = loss_and_output_delta(
        z, label_sign(y, dtype).reshape(-1, 1), s, S, delta, np.empty_like(z)
    )
    p = 1 / (1 + np.exp(-z.astype(np.float64)))
    tol = 1e-6 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(delta, s * (p - y[:, None]) / S, rtol=tol, atol=tol)
    assert J == pytest.approx(binary_cross_entropy(z, y, s), rel=tol)
    assert delta.dtype == dtype
