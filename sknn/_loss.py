"""Binary cross-entropy computed from the logit, and the L2 penalty.

The network's output is p = sigmoid(z).  For a label y in {0, 1} the
per-sample loss is the binary cross-entropy

    l = -[y log p + (1 - y) log(1 - p)].

Written with the logit, and with the label's sign ``r = 1 - 2y`` (+1 for the
negative class, -1 for the positive one), it becomes a single softplus:

    l = log(1 + exp(r z)) = logaddexp(0, r z),

which is finite for every finite z and loses no precision when p rounds to
0 or 1.  The derivative of the loss with respect to the logit is ``p - y``;
with the same sign it reads

    dl/dz = p - y = r * sigmoid(r z),

again without the cancellation that ``p - 1`` suffers when p is close to 1.
"""

import numpy as np
from scipy.special import expit

__all__ = [
    "label_sign",
    "log_loss_per_sample",
    "binary_cross_entropy",
    "l2_penalty",
    "loss_and_output_delta",
]


def label_sign(y, dtype=np.float64):
    """Return ``r = 1 - 2y``: +1 for label 0 and -1 for label 1."""
    return np.subtract(1, np.multiply(2, y, dtype=dtype), dtype=dtype)


def log_loss_per_sample(z, y):
    """Per-sample binary cross-entropy of logits ``z`` against labels ``y``.

    Parameters
    ----------
    z : ndarray
        Logits (the output unit's input), any shape.
    y : ndarray
        Labels in {0, 1}, broadcastable to ``z``.

    Returns
    -------
    loss : ndarray
        ``-[y log p + (1 - y) log(1 - p)]`` with ``p = sigmoid(z)``.
    """
    z = np.asarray(z)
    return np.logaddexp(0, label_sign(y, dtype=z.dtype) * z)


def binary_cross_entropy(z, y, sample_weight=None):
    """Weighted mean binary cross-entropy ``(1/S) sum_i s_i l_i``.

    Parameters
    ----------
    z : ndarray of shape (n_samples,)
        Logits.
    y : ndarray of shape (n_samples,)
        Labels in {0, 1}.
    sample_weight : ndarray of shape (n_samples,), default=None
        The weights ``s_i``; all ones when None.

    Returns
    -------
    loss : float
    """
    losses = log_loss_per_sample(np.ravel(z), np.ravel(y))
    if sample_weight is None:
        return float(np.mean(losses))
    sample_weight = np.ravel(sample_weight)
    return float(np.dot(sample_weight, losses) / np.sum(sample_weight))


def l2_penalty(coefs, alpha, weight_sum):
    """The L2 term ``alpha / (2 S) * sum_l ||coefs[l]||_F^2``.

    Parameters
    ----------
    coefs : iterable of ndarray
        The weight matrices (intercepts are not penalised).
    alpha : float
        L2 strength.
    weight_sum : float
        ``S``, the sum of the sample weights of the batch.

    Returns
    -------
    penalty : float
    """
    if alpha == 0:
        return 0.0
    squares = sum(float(np.dot(W.ravel(), W.ravel())) for W in coefs)
    return 0.5 * alpha * squares / weight_sum


def loss_and_output_delta(z, sign, weight, weight_sum, out_delta, work):
    """Data term of the objective and the output delta of one batch.

    Computes ``sum_i s_i l_i / S`` and writes ``D = s * (p - y) / S`` (the
    derivative of that term with respect to the logits) into ``out_delta``.

    Parameters
    ----------
    z : ndarray of shape (m, 1)
        Logits of the batch.
    sign : ndarray of shape (m, 1)
        ``r = 1 - 2y`` for the batch (see :func:`label_sign`).
    weight : ndarray of shape (m, 1)
        Sample weights ``s`` of the batch.
    weight_sum : float
        ``S = sum(s)``, strictly positive.
    out_delta : ndarray of shape (m, 1)
        Receives ``D``.
    work : ndarray of shape (m, 1)
        Scratch space.

    Returns
    -------
    data_loss : float
    """
    rz = np.multiply(sign, z, out=work)
    # dl/dz = p - y = r * sigmoid(r z)
    expit(rz, out=out_delta)
    out_delta *= sign
    # l = logaddexp(0, r z); rz is no longer needed, so overwrite it.
    losses = np.logaddexp(0, rz, out=work)
    data_loss = float(np.vdot(weight, losses)) / weight_sum
    # D = s * (p - y) / S
    out_delta *= weight
    out_delta /= weight_sum
    return data_loss
