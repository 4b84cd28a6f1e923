"""Epochs of minibatch training over a fixed training set.  NumPy only.

:class:`MinibatchTrainer` owns the per-sample arrays the objective needs
(label signs and weights), gathers them in a new random order at the start of
each shuffled epoch, and walks the batches, calling the objective and then the
optimizer for each.  The estimator drives it one epoch at a time and decides
when to stop.

A shuffled dense ``X`` of up to :data:`EPOCH_GATHER_MAX_BYTES` is gathered
once per epoch into a reused copy (one call instead of one per batch, which
is faster for narrow rows); a larger one is gathered batch by batch, so
shuffling never doubles the memory of a large training set.
"""

import math

import numpy as np

from ._loss import label_sign

__all__ = ["MinibatchTrainer", "EPOCH_GATHER_MAX_BYTES"]

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
    ):
        dtype = objective.network.dtype
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
            before that batch's update).
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
        return total / total_weight

    def params_finite(self):
        """Whether every parameter is finite."""
        return bool(np.isfinite(self.objective.theta).all())
