"""Epochs of minibatch training over a fixed training set.  NumPy only.

:class:`MinibatchTrainer` owns the per-sample arrays the objective needs
(label signs and weights), gathers them in a new random order at the start of
each shuffled epoch, and walks the batches, calling the objective and then the
optimizer for each.  The estimator drives it one epoch at a time and decides
when to stop.
"""

import math

import numpy as np

from ._loss import label_sign

__all__ = ["MinibatchTrainer"]


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
        self._dense = isinstance(X, np.ndarray)
        if self.shuffle and self._dense:
            # One gathered copy per epoch, reused across epochs.
            self._X_epoch = np.empty_like(X, order="C")
            self._sign_epoch = np.empty_like(self.sign)
            self._weight_epoch = np.empty_like(self.weight)
        objective.reserve(self.batch_size)

    def _batch_weight_sums(self, weight):
        # S for every batch of the epoch, in one call.
        return np.add.reduceat(weight[:, 0], self.starts, dtype=np.float64).tolist()

    def _epoch_arrays(self):
        """The epoch's (X, sign, weight, batch weight sums), shuffled or not."""
        if not self.shuffle:
            return self.X, self.sign, self.weight, self._weight_sums
        order = self.random_state.permutation(self.n_samples)
        if not self._dense:
            X = self.X[order]
            return X, self.sign[order], self.weight[order], None
        np.take(self.X, order, axis=0, out=self._X_epoch, mode="clip")
        np.take(self.sign, order, axis=0, out=self._sign_epoch, mode="clip")
        np.take(self.weight, order, axis=0, out=self._weight_epoch, mode="clip")
        return self._X_epoch, self._sign_epoch, self._weight_epoch, None

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
        X, sign, weight, weight_sums = self._epoch_arrays()
        if weight_sums is None:
            weight_sums = self._batch_weight_sums(weight)
        objective, step = self.objective, self.optimizer.step
        theta, grad = objective.theta, objective.grad
        bs = self.batch_size
        total, total_weight = 0.0, 0.0
        for start, S in zip(self.starts, weight_sums):
            if S <= 0:
                continue  # a batch whose weights are all zero carries no information
            stop = start + bs
            J = objective.loss_grad(
                X[start:stop], sign[start:stop], weight[start:stop], S
            )
            if not math.isfinite(J):
                return J
            step(theta, grad)
            total += S * J
            total_weight += S
        return total / total_weight

    def params_finite(self):
        """Whether every parameter is finite."""
        return bool(np.isfinite(self.objective.theta).all())
