"""Training drivers: minibatch epochs and full-batch L-BFGS.  NumPy/SciPy only.

:class:`MinibatchTrainer` owns the per-sample arrays the objective needs
(label signs and weights), gathers them in a new random order at the start of
each shuffled epoch, and walks the batches, calling the objective and then the
optimizer for each.  The estimator drives it one epoch at a time and decides
when to stop.

A shuffled dense ``X`` of up to :data:`EPOCH_GATHER_MAX_BYTES` is gathered
once per epoch into a reused copy (one call instead of one per batch, which
is faster for narrow rows); a larger one is gathered batch by batch, so
shuffling never doubles the memory of a large training set.

:func:`minimize_lbfgs` minimises the full-batch objective with SciPy's
L-BFGS-B, calling back after every iteration.

Both drivers watch a :class:`StopRequest`, which the estimator sets when the
user presses Ctrl-C: training then stops after the update in progress, so the
parameters are never left half-updated.
"""

import math

import numpy as np
import scipy.optimize

from ._loss import label_sign

__all__ = [
    "EPOCH_GATHER_MAX_BYTES",
    "LbfgsResult",
    "MinibatchTrainer",
    "StopRequest",
    "minimize_lbfgs",
]


class StopRequest:
    """A flag, set asynchronously (from a signal handler), to stop training."""

    __slots__ = ("requested",)

    def __init__(self):
        self.requested = False


EPOCH_GATHER_MAX_BYTES = 64 * 2**20


class MinibatchTrainer:
    """Minibatch gradient descent over ``(X, y, sample_weight)``.

    Parameters
    ----------
    objective : sknn._network.Objective
        Holds the parameters being trained and computes J and its gradient.
    optimizer : object
        Has ``step(theta, grad)`` updating ``theta`` in place.
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        Training inputs, in the objective's dtype.
    y : ndarray of shape (n_samples,)
        Labels in {0, 1}.
    sample_weight : ndarray of shape (n_samples,)
        Non-negative weights with a positive sum.
    batch_size : int
        Rows per batch; clipped to ``n_samples``.  The last batch of an epoch
        holds the remaining rows.
    shuffle : bool
        Visit the rows in a new random order every epoch.
    random_state : numpy.random.RandomState
        Source of the shuffles.
    stop_request : StopRequest, default=None
        When it is set, :meth:`run_epoch` returns after the step in progress.
    """

    def __init__(
        self,
        objective,
        optimizer,
        X,
        y,
        sample_weight,
        batch_size,
        shuffle,
        random_state,
        stop_request=None,
    ):
        dtype = objective.network.dtype
        self.stop_request = stop_request if stop_request is not None else StopRequest()
        self.objective = objective
        self.optimizer = optimizer
        self.n_samples = n = X.shape[0]
        self.batch_size = max(1, min(int(batch_size), n))
        self.shuffle = bool(shuffle)
        self.random_state = random_state
        self.X = X
        self.sign = label_sign(y, dtype=dtype).reshape(-1, 1)
        self.weight = np.asarray(sample_weight, dtype=dtype).reshape(-1, 1)
        self.starts = list(range(0, n, self.batch_size))
        self._weight_sums = self._batch_weight_sums(self.weight)
        dense = isinstance(X, np.ndarray)
        # How a shuffled epoch gets its rows of X: "epoch" (one gathered copy
        # per epoch), "batch" (one gather per batch) or "index" (sparse rows).
        self.gather = None
        if self.shuffle:
            if not dense:
                self.gather = "index"
            elif X.nbytes <= EPOCH_GATHER_MAX_BYTES:
                self.gather = "epoch"
                self._X_gathered = np.empty_like(X, order="C")
            else:
                self.gather = "batch"
                self._X_gathered = np.empty((self.batch_size, X.shape[1]), X.dtype)
            self._sign_epoch = np.empty_like(self.sign)
            self._weight_epoch = np.empty_like(self.weight)
        objective.reserve(self.batch_size)

    def _batch_weight_sums(self, weight):
        # S for every batch of the epoch, in one call.
        return np.add.reduceat(weight[:, 0], self.starts, dtype=np.float64).tolist()

    def run_epoch(self):
        """One pass over the training set.

        Returns
        -------
        loss : float
            The mean of the batch objectives, each weighted by its batch's
            weight sum ``S``: ``sum_b S_b J_b / sum_b S_b``.  NaN or inf as
            soon as a batch objective is not finite (the epoch stops there,
            before that batch's update).  When the stop request is set the
            epoch ends after the current step, and the loss covers the
            batches done.
        """
        X, sign, weight, weight_sums = self.X, self.sign, self.weight, self._weight_sums
        if self.shuffle:
            order = self.random_state.permutation(self.n_samples)
            sign = np.take(self.sign, order, axis=0, out=self._sign_epoch, mode="clip")
            weight = np.take(
                self.weight, order, axis=0, out=self._weight_epoch, mode="clip"
            )
            weight_sums = self._batch_weight_sums(weight)
            if self.gather == "epoch":
                X = np.take(self.X, order, axis=0, out=self._X_gathered, mode="clip")
            elif self.gather == "index":
                X = self.X[order]
        per_batch = self.gather == "batch"
        stop_request = self.stop_request
        objective, step = self.objective, self.optimizer.step
        theta, grad = objective.theta, objective.grad
        bs = self.batch_size
        total, total_weight = 0.0, 0.0
        for start, S in zip(self.starts, weight_sums):
            if S <= 0:
                continue  # a batch whose weights are all zero carries no information
            stop = start + bs
            if per_batch:
                rows = order[start:stop]
                Xb = np.take(
                    self.X, rows, axis=0, out=self._X_gathered[: len(rows)], mode="clip"
                )
            else:
                Xb = X[start:stop]
            J = objective.loss_grad(Xb, sign[start:stop], weight[start:stop], S)
            if not math.isfinite(J):
                return J
            step(theta, grad)
            total += S * J
            total_weight += S
            if stop_request.requested:
                break
        return total / total_weight


class LbfgsResult:
    """Outcome of :func:`minimize_lbfgs`.

    Attributes
    ----------
    n_iter : int
        Iterations completed.
    loss : float
        J at the final parameters.
    status : {'converged', 'stopped', 'interrupted', 'limit', 'failed'}
        'converged': L-BFGS-B's own tests were met; 'stopped': the iteration
        callback asked to stop; 'interrupted': a stop request or
        KeyboardInterrupt ended it (the parameters are those of the last
        completed iteration); 'limit': ``max_iter`` or ``max_fun`` was
        reached; 'failed': L-BFGS-B gave up (for example in its line search).
    message : str
        SciPy's message.
    """

    def __init__(self, n_iter, loss, status, message):
        self.n_iter, self.loss, self.status, self.message = (
            n_iter,
            loss,
            status,
            message,
        )


def minimize_lbfgs(
    objective,
    X,
    y,
    sample_weight,
    *,
    max_iter,
    max_fun,
    tol,
    chunk_rows,
    on_iteration=None,
    stop_request=None,
):
    """Minimise the full-batch objective J(theta) with L-BFGS-B.

    ``objective.theta`` is the starting point and receives the result.

    Parameters
    ----------
    objective : sknn._network.Objective
        The parameters and J.
    X, y, sample_weight
        The training set (labels in {0, 1}), as for :class:`MinibatchTrainer`.
    max_iter, max_fun : int
        Limits on iterations and on evaluations of J.
    tol : float
        L-BFGS-B's ``gtol``: stop when every gradient component is below it.
    chunk_rows : int
        Rows per chunk when evaluating J over the whole set.
    on_iteration : callable, default=None
        ``on_iteration(theta, J)`` after every iteration, with the iterate
        (a float64 vector) and its J; returning True stops the minimisation.
    stop_request : StopRequest, default=None
        When set, the minimisation stops after the iteration in progress.

    Returns
    -------
    result : LbfgsResult
    """
    dtype = objective.network.dtype
    sign = label_sign(y, dtype=dtype).reshape(-1, 1)
    weight = np.asarray(sample_weight, dtype=dtype).reshape(-1, 1)
    weight_sum = float(np.sum(weight, dtype=np.float64))
    stop_request = stop_request if stop_request is not None else StopRequest()
    last = {"x": objective.theta.astype(np.float64), "fun": math.nan, "n_iter": 0}

    def fun(x):
        np.copyto(objective.theta, x, casting="unsafe")
        J = objective.full_loss_grad(X, sign, weight, weight_sum, chunk_rows)
        # SciPy works in float64 and may keep the returned array: a copy.
        return J, objective.grad.astype(np.float64)

    def callback(intermediate_result):
        last["x"] = np.array(intermediate_result.x, dtype=np.float64)
        last["fun"] = float(intermediate_result.fun)
        last["n_iter"] += 1
        stop = on_iteration is not None and on_iteration(last["x"], last["fun"])
        if stop or stop_request.requested:
            raise StopIteration

    try:
        res = scipy.optimize.minimize(
            fun,
            last["x"],
            method="L-BFGS-B",
            jac=True,
            callback=callback,
            options={"maxiter": max_iter, "maxfun": max_fun, "gtol": tol},
        )
    except KeyboardInterrupt:
        np.copyto(objective.theta, last["x"], casting="unsafe")
        return LbfgsResult(
            last["n_iter"], last["fun"], "interrupted", "KeyboardInterrupt"
        )
    np.copyto(objective.theta, res.x, casting="unsafe")
    if stop_request.requested:
        status = "interrupted"
    elif res.status == 0:
        status = "converged"
    elif res.status == 99 or "StopIteration" in str(res.message):
        status = "stopped"
    elif res.status == 1:
        status = "limit"
    else:
        status = "failed"
    return LbfgsResult(int(res.nit), float(res.fun), status, str(res.message))
