"""A feed-forward network for binary classification: layout, initialisation,
forward pass and backpropagation.  NumPy (and SciPy's BLAS) only.

Notation follows the user guide.  Layers are numbered ``0..k+1``:
``n[0] = n_features``, ``n[1..k]`` are the hidden layer sizes and
``n[k+1] = 1``.  Samples are rows, as in scikit-learn, so ``coefs[l]`` has
shape ``(n[l], n[l+1])`` (the ``W[l+1]`` of the units-as-rows notation is
``coefs[l].T``)::

    A[0] = X
    Z[l+1] = A[l] @ coefs[l] + intercepts[l]
    A[l+1] = g(Z[l+1])                    (hidden layers)
    p = sigmoid(Z[k+1])                   (output unit)

    D[k+1] = s * (p - y) / S
    dJ/dcoefs[l] = A[l].T @ D[l+1] + (alpha / S) * coefs[l]
    dJ/dintercepts[l] = sum over rows of D[l+1]
    D[l] = (D[l+1] @ coefs[l].T) * g'(Z[l])

All parameters live in one flat vector ``theta`` -- every weight matrix
first, then every intercept vector -- and ``coefs``/``intercepts`` are views
into it.  The optimizers then update the whole network with a few calls on
one array, the L2 term is one dot product over ``theta[:n_coef]``, and the
L-BFGS solver can use the vector as it is.
"""

import numpy as np

from ._activations import get_activation
from ._loss import l2_penalty, loss_and_output_delta

__all__ = ["Network", "Objective", "INITS"]

INITS = ("auto", "uniform", "normal", "glorot", "he")
#: init='auto' puts each first-layer boundary at most this far from a row.
BOUNDARY_OFFSET = 0.1


class Network:
    """Shape, activation and parameter layout of a binary MLP.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``(n[0], n[1], ..., n[k], 1)``: inputs, hidden layers, output.
    activation : str
        Hidden activation, a key of :data:`sknn._activations.ACTIVATIONS`.
    dtype : dtype
        float32 or float64: the dtype of parameters and arithmetic.
    """

    def __init__(self, layer_sizes, activation, dtype):
        self.layer_sizes = tuple(int(n) for n in layer_sizes)
        if len(self.layer_sizes) < 2 or self.layer_sizes[-1] != 1:
            raise ValueError("layer_sizes must be (n_features, *hidden, 1).")
        self.activation = get_activation(activation)
        self.dtype = np.dtype(dtype)
        self.coef_shapes = list(zip(self.layer_sizes[:-1], self.layer_sizes[1:]))
        self.n_layers = len(self.coef_shapes)  # weight layers, k + 1
        self.n_coef = sum(a * b for a, b in self.coef_shapes)
        self.n_params = self.n_coef + sum(self.layer_sizes[1:])

    # -- parameter layout ---------------------------------------------------
    def unpack(self, theta):
        """Views of the flat vector ``theta`` as (coefs, intercepts) lists."""
        coefs, intercepts = [], []
        start = 0
        for shape in self.coef_shapes:
            stop = start + shape[0] * shape[1]
            coefs.append(theta[start:stop].reshape(shape))
            start = stop
        for _, fan_out in self.coef_shapes:
            intercepts.append(theta[start : start + fan_out])
            start += fan_out
        return coefs, intercepts

    def pack(self, coefs, intercepts, out=None):
        """Copy ``coefs`` and ``intercepts`` into one flat vector.

        Raises ``ValueError`` naming the first array whose shape does not
        match this network.
        """
        if len(coefs) != self.n_layers or len(intercepts) != self.n_layers:
            raise ValueError(
                f"Expected {self.n_layers} weight matrices and intercept vectors "
                f"for layer sizes {self.layer_sizes}, got {len(coefs)} and "
                f"{len(intercepts)}."
            )
        if out is None:
            out = np.empty(self.n_params, dtype=self.dtype)
        out_coefs, out_intercepts = self.unpack(out)
        for name, targets, sources in (
            ("coefs_", out_coefs, coefs),
            ("intercepts_", out_intercepts, intercepts),
        ):
            for l, (target, source) in enumerate(zip(targets, sources)):
                source = np.asarray(source)
                if source.shape != target.shape:
                    raise ValueError(
                        f"{name}[{l}] has shape {source.shape}, but layer sizes "
                        f"{self.layer_sizes} need {target.shape}."
                    )
                target[...] = source
        return out

    def initialize(self, init, random_state):
        """Draw initial parameters; return them as a flat vector.

        Parameters
        ----------
        init : {'auto', 'uniform', 'normal', 'glorot', 'he'}
            ``'auto'``: weights as ``'he'`` for relu units and as
            ``'glorot'`` otherwise, zero biases (:meth:`place_boundaries`
            then sets the first hidden layer's from the data).
            ``'uniform'``: scikit-learn's ``MLPClassifier`` initialization,
            weights and biases uniform on ``+-sqrt(f / (fan_in + fan_out))``,
            ``f = 2`` for logistic units and 6 otherwise; ``'normal'``: every
            weight and bias from N(0, 0.1**2) (a classic textbook recipe);
            ``'glorot'``: weights uniform on ``+-sqrt(6 / (fan_in +
            fan_out))``, zero biases; ``'he'``: weights normal with std
            ``sqrt(2 / fan_in)``, zero biases.
        random_state : numpy.random.RandomState
            Source of the draws (layer by layer, weights before biases).
        """
        if init not in INITS:
            raise ValueError(f"Unknown init {init!r}; expected one of {INITS}.")
        scheme = init
        if init == "auto":
            scheme = "he" if self.activation.name == "relu" else "glorot"
        theta = np.zeros(self.n_params, dtype=self.dtype)
        coefs, intercepts = self.unpack(theta)
        for W, b in zip(coefs, intercepts):
            fan_in, fan_out = W.shape
            if scheme == "uniform":
                factor = 2.0 if self.activation.name == "logistic" else 6.0
                bound = np.sqrt(factor / (fan_in + fan_out))
                W[...] = random_state.uniform(-bound, bound, size=W.shape)
                b[...] = random_state.uniform(-bound, bound, size=b.shape)
            elif scheme == "normal":
                W[...] = random_state.normal(0.0, 0.1, size=W.shape)
                b[...] = random_state.normal(0.0, 0.1, size=b.shape)
            elif scheme == "glorot":
                bound = np.sqrt(6.0 / (fan_in + fan_out))
                W[...] = random_state.uniform(-bound, bound, size=W.shape)
            else:  # 'he'
                W[...] = random_state.normal(0.0, np.sqrt(2.0 / fan_in), size=W.shape)
        return theta

    def place_boundaries(self, theta, X, sample_weight, random_state, hashes):
        """Put each first-layer unit's boundary next to a training row, in place.

        The bias of unit ``j`` becomes ``-x_r . w_j + d_j ||w_j||``, so that
        its input is zero at a distance ``|d_j|`` from row ``r``, drawn with
        probability proportional to its sample weight (``d_j`` uniform on
        ``+-BOUNDARY_OFFSET``).  The rows are ordered by ``hashes`` (equal
        rows adjacent) before the draw, so that the result depends neither on
        the order of the rows nor on whether a weight of 2 or a repeated row
        is given, and
        the chosen rows are made dense, so that sparse and dense input give
        the same biases.  Nothing happens without a hidden layer.

        Parameters
        ----------
        theta : ndarray of shape (n_params,)
            Parameters from :meth:`initialize`; its first biases are set.
        X : ndarray or CSR matrix of shape (n_samples, n_features)
        sample_weight : ndarray of shape (n_samples,)
            Non-negative, with a positive sum.
        random_state : numpy.random.RandomState
            Source of the draws.
        hashes : ndarray of shape (n_samples,)
            A hash of each row, equal for equal rows, and for float32 and
            float64 copies of the data (:func:`sknn._inputs.row_hashes` with
            ``as_float64=True``).
        """
        coefs, intercepts = self.unpack(theta)
        if len(coefs) < 2:
            return
        order = np.argsort(hashes, kind="stable")
        cumulative = np.cumsum(np.asarray(sample_weight, dtype=np.float64)[order])
        draws = random_state.uniform(0.0, cumulative[-1], size=coefs[0].shape[1])
        picks = np.searchsorted(cumulative, draws, side="right")
        rows = order[np.minimum(picks, len(order) - 1)]
        chosen = X[rows]
        if not isinstance(chosen, np.ndarray):  # CSR: the few rows, made dense
            dense = np.zeros(chosen.shape, dtype=chosen.dtype)
            lengths = np.diff(chosen.indptr)
            dense[np.repeat(np.arange(len(rows)), lengths), chosen.indices] = (
                chosen.data
            )
            chosen = dense
        W = coefs[0].astype(np.float64)
        # Off the row by up to BOUNDARY_OFFSET along w_j: a boundary exactly
        # through a row would leave that row's ReLU at its kink, where the
        # rounding of one matrix product or another decides its gradient.
        offset = random_state.uniform(-BOUNDARY_OFFSET, BOUNDARY_OFFSET, size=len(rows))
        through = np.einsum("ij,ji->i", chosen.astype(np.float64), W)
        intercepts[0][...] = offset * np.sqrt(np.einsum("ij,ij->j", W, W)) - through

    # -- forward and backward passes -----------------------------------------
    def forward(self, coefs, intercepts, A, G=None):
        """Forward pass over one batch, in place.

        ``A`` is a list of ``k + 2`` arrays: ``A[0]`` is the batch ``X`` and
        ``A[1..k+1]`` are buffers of shape ``(m, n[l])``.  On return
        ``A[1..k]`` hold the hidden activations and ``A[k+1]`` the logits
        ``Z[k+1]`` (the output sigmoid is applied by the loss).  When ``G``
        (buffers shaped like ``A``) is given, ``G[l]`` also receives g'(Z[l])
        for the hidden layers, for :meth:`backward`.
        """
        act = self.activation
        matmul = np.matmul if isinstance(A[0], np.ndarray) else _sparse_matmul
        k = self.n_layers - 1
        for l in range(k + 1):
            # Z[l+1] = A[l] @ coefs[l] + intercepts[l]
            Z = matmul(A[l], coefs[l], out=A[l + 1])
            Z += intercepts[l]
            if l < k:
                # A[l+1] = g(Z[l+1]), in place
                if G is None or act.is_linear:
                    act.forward(Z, out=Z)
                else:
                    act.forward_with_derivative(Z, Z, G[l + 1])
        return A[k + 1]

    def backward(self, coefs, A, D, G, ones, coef_grads, intercept_grad_rows):
        """Backpropagate ``D[k+1]`` and write the data term's gradients.

        ``D[l]`` are buffers shaped like ``A[l]`` (``D[0]`` is unused), with
        ``D[k+1]`` already holding ``s * (p - y) / S``; ``G[l]`` holds
        g'(Z[l]) from :meth:`forward`; ``ones`` is a row of m ones;
        ``intercept_grad_rows[l]`` is the intercept gradient as a ``(1, n)``
        row.  The L2 term is added by the caller.
        """
        linear = self.activation.is_linear  # g' = 1: nothing to multiply
        matmul = np.matmul if isinstance(A[0], np.ndarray) else _sparse_matmul
        for l in range(self.n_layers - 1, -1, -1):
            # dJ/dcoefs[l] = A[l].T @ D[l+1]
            matmul(A[l].T, D[l + 1], out=coef_grads[l])
            # dJ/dintercepts[l] = sum over rows of D[l+1] (as a product with ones)
            np.matmul(ones, D[l + 1], out=intercept_grad_rows[l])
            if l > 0:
                # D[l] = (D[l+1] @ coefs[l].T) * g'(Z[l])
                if coefs[l].shape[1] == 1:  # an outer product: broadcast
                    np.multiply(D[l + 1], coefs[l].T, out=D[l])
                else:
                    np.matmul(D[l + 1], coefs[l].T, out=D[l])
                if not linear:
                    D[l] *= G[l]

    def decision_function(self, coefs, intercepts, X, chunk_rows):
        """Logits ``Z[k+1]`` for every row of ``X``, ``chunk_rows`` at a time.

        Buffers are allocated per call (never shared), so concurrent calls
        on the same parameters are safe; peak extra memory is about
        ``chunk_rows * sum(n[1:])`` values.
        """
        n_samples = X.shape[0]
        out = np.empty(n_samples, dtype=self.dtype)
        chunk_rows = max(1, min(int(chunk_rows), n_samples))
        buffers = [np.empty((chunk_rows, n), self.dtype) for n in self.layer_sizes[1:]]
        for start in range(0, n_samples, chunk_rows):
            stop = min(start + chunk_rows, n_samples)
            m = stop - start
            A = [X[start:stop]] + [b[:m] for b in buffers]
            out[start:stop] = self.forward(coefs, intercepts, A)[:, 0]
        return out


def _sparse_matmul(a, b, out):
    """``a @ b`` into ``out`` where ``a`` may be a scipy sparse matrix."""
    if isinstance(a, np.ndarray):
        return np.matmul(a, b, out=out)
    out[...] = a @ b
    return out


class Objective:
    """The minibatch objective J(theta) and its gradient, with reusable buffers.

    Holds the flat parameter vector ``theta`` and gradient ``grad`` (both of
    length ``network.n_params``) and per-batch work buffers for up to
    ``max_rows`` rows, so a training step allocates nothing.

    Parameters
    ----------
    network : Network
        The network.
    alpha : float
        L2 strength.
    max_rows : int
        Largest batch that will be passed to :meth:`loss_grad`.
    theta : ndarray of shape (n_params,), default=None
        Initial parameters (copied); zeros when None.
    """

    def __init__(self, network, alpha, max_rows, theta=None):
        self.network = network
        self.alpha = float(alpha)
        dtype = network.dtype
        self.theta = np.zeros(network.n_params, dtype=dtype)
        if theta is not None:
            self.theta[...] = theta
        self.grad = np.zeros(network.n_params, dtype=dtype)
        self.coefs, self.intercepts = network.unpack(self.theta)
        self.coef_grads, self.intercept_grads = network.unpack(self.grad)
        self._intercept_grad_rows = [g[None, :] for g in self.intercept_grads]
        self._l2_grad = np.empty(network.n_coef, dtype=dtype)
        self._max_rows = 0
        self._views = {}
        self.reserve(max_rows)

    def reserve(self, max_rows):
        """Make the work buffers hold batches of up to ``max_rows`` rows."""
        if max_rows <= self._max_rows:
            return
        dtype = self.network.dtype
        sizes = self.network.layer_sizes
        self._max_rows = int(max_rows)
        # A[l], D[l] and g'(Z[l]) (G[l]) for l = 1..k+1; index 0 is the input.
        self._A = [None] + [np.empty((max_rows, n), dtype) for n in sizes[1:]]
        self._D = [None] + [np.empty((max_rows, n), dtype) for n in sizes[1:]]
        self._G = [None] + [np.empty((max_rows, n), dtype) for n in sizes[1:-1]]
        self._ones = np.ones((1, max_rows), dtype)
        self._work = np.empty((max_rows, 1), dtype)
        self._views = {}

    def _buffers(self, m):
        """Views of the work buffers for a batch of ``m`` rows (cached)."""
        views = self._views.get(m)
        if views is None:
            cut = lambda bufs: [None if b is None else b[:m] for b in bufs]  # noqa: E731
            views = (
                cut(self._A),
                cut(self._D),
                cut(self._G),
                self._ones[:, :m],
                self._work[:m],
            )
            self._views[m] = views
        return views

    def loss_grad(self, X, sign, weight, weight_sum):
        """J on one batch; the gradient dJ/dtheta is written to ``self.grad``.

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (m, n_features)
            The batch.
        sign : ndarray of shape (m, 1)
            ``1 - 2y`` for the batch labels y in {0, 1}.
        weight : ndarray of shape (m, 1)
            Sample weights s.
        weight_sum : float
            ``S = sum(s) > 0``.

        Returns
        -------
        J : float
            ``(1/S) sum_i s_i l_i + alpha / (2 S) * sum_l ||coefs[l]||^2``.
        """
        J = self._data_loss_grad(X, sign, weight, weight_sum)
        return J + self._add_l2(weight_sum)

    def full_loss_grad(self, X, sign, weight, weight_sum, chunk_rows):
        """J over all rows of ``X`` as one batch, evaluated ``chunk_rows`` at a time.

        The same value and gradient as :meth:`loss_grad` on the whole set
        (up to the order of floating-point sums), with work buffers for only
        ``chunk_rows`` rows: the data term is a sum over samples, so chunks
        add up, and the L2 term is added once.
        """
        n = X.shape[0]
        self.reserve(min(n, chunk_rows))
        if n <= chunk_rows:
            return self.loss_grad(X, sign, weight, weight_sum)
        if getattr(self, "_grad_sum", None) is None:
            self._grad_sum = np.empty_like(self.grad)
        J = 0.0
        for start in range(0, n, chunk_rows):
            rows = slice(start, start + chunk_rows)
            J += self._data_loss_grad(X[rows], sign[rows], weight[rows], weight_sum)
            if start == 0:
                self._grad_sum[...] = self.grad
            else:
                self._grad_sum += self.grad
        self.grad[...] = self._grad_sum
        return J + self._add_l2(weight_sum)

    def _data_loss_grad(self, X, sign, weight, weight_sum):
        """``(1/S) sum_i s_i l_i`` over the rows of X; its gradient to ``grad``."""
        net = self.network
        A, D, G, ones, work = self._buffers(X.shape[0])
        A[0] = X
        k1 = net.n_layers  # index k + 1 of the output layer
        z = net.forward(self.coefs, self.intercepts, A, G)
        J = loss_and_output_delta(z, sign, weight, weight_sum, D[k1], work)
        net.backward(
            self.coefs, A, D, G, ones, self.coef_grads, self._intercept_grad_rows
        )
        A[0] = None
        return J

    def _add_l2(self, weight_sum):
        """Add the L2 term's gradient to ``grad``; return the term's value.

        ``alpha / (2S) ||W||^2`` and its gradient ``(alpha / S) W``, for all
        weight matrices at once: they are ``theta[:n_coef]``.
        """
        if not self.alpha:
            return 0.0
        W = self.theta[: self.network.n_coef]
        self.grad[: self.network.n_coef] += np.multiply(
            W, self.alpha / weight_sum, out=self._l2_grad
        )
        return l2_penalty((W,), self.alpha, weight_sum)
