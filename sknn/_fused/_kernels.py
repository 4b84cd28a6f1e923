"""The compiled training kernel (numba).  Imported only when the fast path runs.

:func:`run_batches` trains on a run of consecutive batches of one epoch:
for each batch the forward pass, the loss and output delta, the L2 term,
backpropagation and the optimizer step, with no return to Python in between.
It follows the NumPy core operation by operation -- :mod:`sknn._network`,
:mod:`sknn._loss` and :mod:`sknn._optimizers` are the reference, and their
formulas are repeated here only as comments -- so both paths compute the same
trajectory up to the rounding of sums.

Every array is C-ordered.  The layers of any depth share flat buffers:
the activations ``A[l]`` (``l = 1..k+1``, each ``max_rows x n[l]``), the
deltas ``D[l]`` and the derivatives ``G[l] = g'(Z[l])`` live one after the
other in ``buf_a``, ``buf_d`` and ``buf_g``, so one compiled function serves
every network of a dtype.  A layer's matrix products run either as loops
written here or through BLAS, as the caller decides per layer: NumPy's
BLAS, called through ``cblas_?gemm`` (:mod:`sknn._fused` finds it), or,
where that cannot be found, ``np.dot``, which numba sends to SciPy's BLAS.

Scalar arithmetic follows the array dtype where it matters for the
trajectory (the optimizer's constants arrive as an array of that dtype);
sums of the loss are kept in float64, as in the NumPy core.
"""

import math

import numpy as np
from numba import njit

__all__ = ["run_batches", "IDENTITY", "RELU", "TANH", "LOGISTIC", "SGD", "ADAM"]

IDENTITY, RELU, TANH, LOGISTIC = 0, 1, 2, 3
SGD, ADAM = 0, 1
# CBLAS enums: row-major order, no transpose, transpose.
_ROW, _NO, _T = 101, 111, 112


def _probe():  # pragma: no cover - never called
    pass


def _cache_available():
    """Whether numba can cache the code of this module somewhere.

    numba writes next to this file (``__pycache__``) or, where that is
    read-only, to a user-wide directory (``NUMBA_CACHE_DIR`` when set);
    with neither, ``cache=True`` raises, and the kernel is compiled in every
    process instead.
    """

    try:
        njit(cache=True)(_probe)
    except RuntimeError:
        return False
    return True


# cache=True: compiled once per machine, then loaded from the cache.
# error_model="numpy": x / 0 gives inf or nan as in NumPy, never an exception.
_JIT = {"cache": _cache_available(), "nogil": True, "error_model": "numpy"}
# Products may sum in any order (vectorised reductions) and contract to
# fused multiply-adds, as BLAS does; nothing assumes finite values.
_PRODUCT_JIT = dict(_JIT, fastmath={"reassoc", "contract"})
# The optimizer steps: reassociation only lets the sum of squares vectorise
# (each update is one expression per element, with nothing to reorder).
_STEP_JIT = dict(_JIT, fastmath={"reassoc"})


@njit(**_PRODUCT_JIT)
def _dot(a, b):
    """``sum_j a[j] * b[j]`` over two 1-D arrays of length >= 1."""
    s = a[0] * b[0]
    for j in range(1, a.shape[0]):
        s += a[j] * b[j]
    return s


@njit(**_PRODUCT_JIT)
def _affine(A, W, b, Z, blas, add_bias, gemm):
    """Z = A @ W + b (through BLAS, Z = A @ W only unless ``add_bias``)."""
    m, n_in = A.shape
    n_out = W.shape[1]
    if blas:
        if gemm is None:
            np.dot(A, W, Z)
        else:
            gemm(_ROW, _NO, _NO, m, n_out, n_in, 1.0, A.ctypes.data, n_in,
                 W.ctypes.data, n_out, 0.0, Z.ctypes.data, n_out)  # fmt: skip
        if add_bias:
            for i in range(m):
                z = Z[i]
                for j in range(n_out):
                    z[j] += b[j]
    elif n_out == 1:
        w = W.reshape(n_in)
        for i in range(m):
            Z[i, 0] = _dot(A[i], w) + b[0]
    else:
        for i in range(m):
            z = Z[i]
            a = A[i]
            for j in range(n_out):
                z[j] = b[j]
            for k in range(n_in):
                a_k = a[k]
                w = W[k]
                for j in range(n_out):
                    z[j] += a_k * w[j]


@njit(**_PRODUCT_JIT)
def _weight_grad(A, D, gW, blas, gemm):
    """gW = A.T @ D."""
    m, n_in = A.shape
    n_out = D.shape[1]
    if blas:
        if gemm is None:
            np.dot(A.T, D, gW)
        else:
            gemm(_ROW, _T, _NO, n_in, n_out, m, 1.0, A.ctypes.data, n_in,
                 D.ctypes.data, n_out, 0.0, gW.ctypes.data, n_out)  # fmt: skip
        return
    gW[:] = 0
    if n_out == 1:
        g = gW.reshape(n_in)
        for i in range(m):
            a = A[i]
            d = D[i, 0]
            for k in range(n_in):
                g[k] += a[k] * d
    else:
        for i in range(m):
            a = A[i]
            d = D[i]
            for k in range(n_in):
                a_k = a[k]
                g = gW[k]
                for j in range(n_out):
                    g[j] += a_k * d[j]


@njit(**_PRODUCT_JIT)
def _back_delta(D, W, G, Dp, linear, blas, gemm):
    """Dp = (D @ W.T) * G  (no product with G when g is linear)."""
    m, n_out = D.shape
    n_in = W.shape[0]
    if blas and n_out > 1:
        if gemm is None:
            np.dot(D, W.T, Dp)
        else:
            gemm(_ROW, _NO, _T, m, n_in, n_out, 1.0, D.ctypes.data, n_out,
                 W.ctypes.data, n_out, 0.0, Dp.ctypes.data, n_in)  # fmt: skip
    elif n_out == 1:
        # an outer product, as the NumPy core's broadcast
        w = W.reshape(n_in)
        for i in range(m):
            d = D[i, 0]
            dp = Dp[i]
            for k in range(n_in):
                dp[k] = d * w[k]
    else:
        for i in range(m):
            d = D[i]
            dp = Dp[i]
            for k in range(n_in):
                dp[k] = _dot(d, W[k])
    if not linear:
        for i in range(m):
            dp = Dp[i]
            g = G[i]
            for k in range(n_in):
                dp[k] *= g[k]


@njit(**_JIT)
def _activate(Z, b, G, act, add_bias):
    """A = g(Z) in place and G = g'(Z), as Activation.forward_with_derivative.

    With ``add_bias``, Z + b first (the bias of a product made by BLAS).
    """
    m, n = Z.shape
    if add_bias:
        for i in range(m):
            z = Z[i]
            for j in range(n):
                z[j] += b[j]
    if act == RELU:
        # g' = [z > 0], then g = z * g'
        for i in range(m):
            z = Z[i]
            g = G[i]
            for j in range(n):
                g[j] = 1.0 if z[j] > 0 else 0.0
                z[j] = z[j] * g[j]
    elif act == TANH:
        # g = tanh(z), g' = 1 - a**2
        for i in range(m):
            z = Z[i]
            g = G[i]
            for j in range(n):
                a = np.tanh(z[j])
                z[j] = a
                a = z[j]
                g[j] = 1 - a * a
    elif act == LOGISTIC:
        # g = expit(z), g' = (1 - a) * a
        for i in range(m):
            z = Z[i]
            g = G[i]
            for j in range(n):
                z[j] = _expit(z[j])
                a = z[j]
                g[j] = (1 - a) * a


@njit(**_JIT)
def _expit(x):
    """1 / (1 + exp(-x)), without overflow."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@njit(**_JIT)
def _loss_and_output_delta(z, sign, weight, S, S_t, D):
    """sum_i s_i l_i / S, and D = s (p - y) / S, as _loss.loss_and_output_delta.

    With r = 1 - 2y: l = logaddexp(0, r z) and p - y = r expit(r z).  ``S``
    is float64 and ``S_t`` the same value in the arrays' dtype.
    """
    total = 0.0
    for i in range(z.shape[0]):
        r = sign[i]
        w = weight[i]
        rz = r * z[i, 0]
        d = _expit(rz) * r
        D[i, 0] = d
        D[i, 0] *= w
        D[i, 0] /= S_t
        # logaddexp(0, x) = max(x, 0) + log1p(exp(-|x|))
        x = float(rz)
        loss = (x if x > 0 else 0.0) + math.log1p(math.exp(-abs(x)))
        total += float(w) * loss
    return total / S


@njit(**_STEP_JIT)
def _sum_squares(x, n):
    """sum_i x[i]**2 for i < n, in float64."""
    s = 0.0
    for i in range(n):
        s += float(x[i]) * float(x[i])
    return s


@njit(**_STEP_JIT)
def _sgd_step(theta, grad, U, c_l2, n_l2, hp):
    """SGD.step, after adding the L2 gradient ``c_l2 * theta`` to the first
    ``n_l2`` gradients; returns the sum of squares of the new ``theta[:n_l2]``.

    U <- beta U + eta (1 - beta) g;  theta <- theta - U, with
    ``hp = (beta, eta (1 - beta))``.  The sum of squares is the next batch's
    L2 term, computed here while the parameters pass through the cache.
    """
    beta, c = hp[0], hp[1]
    squares = 0.0
    for i in range(n_l2):
        g = grad[i] + theta[i] * c_l2
        u = U[i] * beta
        u += g * c
        U[i] = u
        t = theta[i] - u
        theta[i] = t
        squares += float(t) * float(t)
    for i in range(n_l2, theta.shape[0]):
        u = U[i] * beta
        u += grad[i] * c
        U[i] = u
        theta[i] -= u
    return squares


@njit(**_STEP_JIT)
def _adam_step(theta, grad, M, V, c_l2, n_l2, hp, eta_t):
    """Adam.step, after adding the L2 gradient as :func:`_sgd_step` (and
    returning the sum of squares as it does).

    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g**2;
    theta <- theta - eta_t m / (sqrt(v) + epsilon), with
    ``hp = (b1, 1 - b1, b2, 1 - b2, epsilon)``.  (In float32 the last
    product is rounded once, where NumPy rounds the step, then the update.)
    """
    squares = 0.0
    for i in range(n_l2):
        g = grad[i] + theta[i] * c_l2
        v = V[i] * hp[2]
        v += (g * g) * hp[3]
        V[i] = v
        m = M[i] * hp[0]
        m += g * hp[1]
        M[i] = m
        t = theta[i] - m / (np.sqrt(v) + hp[4]) * eta_t
        theta[i] = t
        squares += float(theta[i]) * float(theta[i])
    for i in range(n_l2, theta.shape[0]):
        g = grad[i]
        v = V[i] * hp[2]
        v += (g * g) * hp[3]
        V[i] = v
        m = M[i] * hp[0]
        m += g * hp[1]
        M[i] = m
        theta[i] -= m / (np.sqrt(v) + hp[4]) * eta_t
    return squares


@njit(**_JIT)
def run_batches(
    X,
    order,
    sign,
    weight,
    starts,
    weight_sums,
    first,
    last,
    batch_size,
    theta,
    grad,
    state_a,
    state_b,
    sizes,
    blas,
    buf_a,
    buf_d,
    buf_g,
    buf_x,
    act,
    solver,
    alpha,
    learning_rate,
    beta_1,
    beta_2,
    hp,
    n_steps,
    result,
    gemm,
):
    """Train on batches ``first .. last - 1`` of an epoch.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n[0])
        The epoch's rows in batch order, or the training set when ``order``
        is not empty.
    order : ndarray of int64
        When not empty, batch rows are ``X[order[start:stop]]``.
    sign, weight : ndarray of shape (n_samples,)
        ``1 - 2y`` and the sample weights, in batch order.
    starts : ndarray of int64
        First row of every batch.
    weight_sums : ndarray of float64
        ``S`` of every batch; batches with ``S <= 0`` are skipped.
    first, last, batch_size : int
    theta, grad : ndarray of shape (n_params,)
        Parameters (updated) and the gradient buffer.
    state_a, state_b : ndarray of shape (n_params,)
        'sgd': the step U (``state_b`` unused); 'adam': m and v.
    sizes : ndarray of int64
        ``(n[0], ..., n[k+1])``.
    blas : ndarray of bool
        Per weight layer: matrix products through BLAS instead of loops.
    buf_a, buf_d, buf_g, buf_x : ndarray
        Work space (see the module docstring); ``buf_x`` receives gathered
        rows of X.
    act, solver : int
        Activation and solver codes.
    alpha, learning_rate, beta_1, beta_2 : float
        L2 strength, step size and Adam's decay rates (float64).
    hp : ndarray of theta's dtype
        'sgd': ``(momentum, learning_rate * (1 - momentum))``; 'adam':
        ``(beta_1, 1 - beta_1, beta_2, 1 - beta_2, epsilon)``.
    n_steps : int
        Optimizer steps made before.
    result : ndarray of float64, shape (4,)
        Receives ``(sum_b S_b J_b, sum_b S_b, steps made, J)``; J is the
        last batch objective, non-finite when the run stopped on it.
    gemm : ctypes function or None
        ``cblas_?gemm`` of NumPy's BLAS for theta's dtype, so that the kernel
        and NumPy share one BLAS and one thread pool; None: ``np.dot``, which
        numba sends to SciPy's BLAS.

    Returns
    -------
    next : int
        The batch after the last one processed; ``-1`` when a batch
        objective was not finite (no update was made for that batch).
    """
    n_layers = sizes.shape[0] - 1
    n_samples = X.shape[0] if order.shape[0] == 0 else order.shape[0]
    max_rows = batch_size
    n_coef = 0
    for l in range(n_layers):
        n_coef += sizes[l] * sizes[l + 1]
    cast = np.empty(1, theta.dtype)  # cast[0] = x rounds x to theta's dtype
    linear = act == IDENTITY
    total, total_weight, steps = 0.0, 0.0, 0
    J = 0.0
    # sum_l ||coefs[l]||^2 for the L2 term; then kept by the optimizer steps
    squares = _sum_squares(theta, n_coef) if alpha != 0 else 0.0
    for b in range(first, last):
        S = weight_sums[b]
        if S <= 0:
            continue  # a batch whose weights are all zero carries no information
        start = starts[b]
        stop = min(start + batch_size, n_samples)
        m = stop - start
        if order.shape[0] == 0:
            A0 = X[start:stop]
        else:
            A0 = buf_x[: m * sizes[0]].reshape((m, sizes[0]))
            for i in range(m):
                row = X[order[start + i]]
                a = A0[i]
                for k in range(sizes[0]):
                    a[k] = row[k]
        s_b = sign[start:stop]
        w_b = weight[start:stop]

        # -- forward: Z[l+1] = A[l] @ coefs[l] + intercepts[l]; A = g(Z) ---
        A_in = A0
        coef_at, int_at, buf_at = 0, n_coef, 0
        for l in range(n_layers):
            n_in, n_out = sizes[l], sizes[l + 1]
            W = theta[coef_at : coef_at + n_in * n_out].reshape((n_in, n_out))
            Z = buf_a[buf_at : buf_at + m * n_out].reshape((m, n_out))
            b_l = theta[int_at : int_at + n_out]
            hidden = l < n_layers - 1
            activate = hidden and not linear
            _affine(A_in, W, b_l, Z, blas[l], not activate, gemm)
            if activate:
                G = buf_g[buf_at : buf_at + m * n_out].reshape((m, n_out))
                _activate(Z, b_l, G, act, blas[l])
            A_in = Z
            coef_at += n_in * n_out
            int_at += n_out
            buf_at += max_rows * n_out
        out_at = buf_at - max_rows  # the logits' buffer

        # -- the objective: data term, then L2 ------------------------------
        Zk = buf_a[out_at : out_at + m].reshape((m, 1))
        Dk = buf_d[out_at : out_at + m].reshape((m, 1))
        cast[0] = S
        J = _loss_and_output_delta(Zk, s_b, w_b, S, cast[0], Dk)
        if alpha != 0:
            J += 0.5 * alpha * squares / S
        if not math.isfinite(J):
            result[0], result[1], result[2], result[3] = (
                total,
                total_weight,
                steps,
                J,
            )
            return -1

        # -- backpropagation, from the output layer down ---------------------
        for l in range(n_layers - 1, -1, -1):
            n_in, n_out = sizes[l], sizes[l + 1]
            coef_at -= n_in * n_out
            int_at -= n_out
            buf_at -= max_rows * n_out
            W = theta[coef_at : coef_at + n_in * n_out].reshape((n_in, n_out))
            D = buf_d[buf_at : buf_at + m * n_out].reshape((m, n_out))
            if l > 0:
                below = buf_at - max_rows * n_in
                A_in = buf_a[below : below + m * n_in].reshape((m, n_in))
            else:
                A_in = A0
            gW = grad[coef_at : coef_at + n_in * n_out].reshape((n_in, n_out))
            # dJ/dcoefs[l] = A[l].T @ D[l+1]
            _weight_grad(A_in, D, gW, blas[l], gemm)
            # dJ/dintercepts[l] = sum over rows of D[l+1]
            gb = grad[int_at : int_at + n_out]
            gb[:] = 0
            for i in range(m):
                d = D[i]
                for j in range(n_out):
                    gb[j] += d[j]
            if l > 0:
                # D[l] = (D[l+1] @ coefs[l].T) * g'(Z[l])
                Dp = buf_d[below : below + m * n_in].reshape((m, n_in))
                G = buf_g[below : below + m * n_in].reshape((m, n_in))
                _back_delta(D, W, G, Dp, linear, blas[l], gemm)

        # -- the L2 gradient (alpha / S) W and the optimizer step ------------
        cast[0] = alpha / S
        n_l2 = n_coef if alpha != 0 else 0
        if solver == SGD:
            squares = _sgd_step(theta, grad, state_a, cast[0], n_l2, hp)
        else:
            # eta_t = eta sqrt(1 - beta_2**t) / (1 - beta_1**t), in float64
            t = float(n_steps + steps + 1)
            eta_t = learning_rate * math.sqrt(1.0 - beta_2**t)
            eta_t /= 1.0 - beta_1**t
            squares = _adam_step(
                theta, grad, state_a, state_b, cast[0], n_l2, hp, eta_t
            )
        steps += 1
        total += S * J
        total_weight += S
    result[0], result[1], result[2], result[3] = total, total_weight, steps, J
    return last
