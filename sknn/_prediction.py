"""Prediction from a fitted network: logits, probabilities, labels.

:class:`BinaryMLPPredictionMixin` gives :class:`~sknn.MLPBinaryClassifier`
its prediction methods (as scikit-learn's ``LinearClassifierMixin`` does for
linear models): each rebuilds the :class:`~sknn._network.Network` from
``coefs_`` and works through the rows in chunks of bounded memory.
"""

import numpy as np
from scipy.special import expit, log_expit
from sklearn import get_config
from sklearn.utils.validation import check_is_fitted, validate_data

from ._inputs import as_csr, check_in_range, native_byte_order
from ._monitor import defined_logits
from ._network import Network

__all__ = ["BinaryMLPPredictionMixin", "chunk_rows"]

# Work through rows in chunks whose buffers take at most this much memory
# (less if scikit-learn's working_memory is smaller): benchmarks/bench_predict.py
# is fastest with chunks of 2-16 MiB, which stay in cache, and 35% slower with
# 64 MiB.  Used by prediction, validation and the full-batch L-BFGS objective.
_MAX_CHUNK_BYTES = 8 * 2**20


def chunk_rows(network, buffers):
    """Rows per chunk so that ``buffers`` per-row activation buffers fit the budget."""
    row_bytes = buffers * network.dtype.itemsize * sum(network.layer_sizes[1:])
    budget = min(get_config()["working_memory"] * 2**20, _MAX_CHUNK_BYTES)
    return max(1, int(budget // row_bytes))


class BinaryMLPPredictionMixin:
    """``decision_function``, ``predict_proba``, ``predict_log_proba``, ``predict``."""

    def _dtype(self):
        """The dtype the fitted model computes in: that of its first fit's X."""
        dtype = np.asarray(self.coefs_[0]).dtype
        return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float64)

    def decision_function(self, X):
        """Logit of the positive class, ``Z[k+1]``, for each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Inputs.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            Positive values favour ``classes_[1]``; the probability of
            ``classes_[1]`` is ``sigmoid(scores)``.

        Examples
        --------
        >>> from sknn import MLPBinaryClassifier
        >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
        >>> clf = MLPBinaryClassifier((), solver="lbfgs", alpha=0.1, random_state=0)
        >>> clf = clf.fit(X, y)
        >>> clf.decision_function([[3.0]]) > 0
        array([ True])
        """
        check_is_fitted(self)
        X = validate_data(
            self,
            native_byte_order(X),
            accept_sparse=("csr", "csc"),
            dtype=(np.float64, np.float32),
            reset=False,
        )
        coefs = self.coefs_
        layer_sizes = [np.shape(W)[0] for W in coefs] + [1]
        network = Network(layer_sizes, self.activation, self._dtype())
        check_in_range(X, network.dtype, "X", "in which this model computes")
        return defined_logits(
            network, coefs, self.intercepts_, as_csr(X), chunk_rows(network, 1)
        )

    def predict_proba(self, X):
        """Probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Inputs.

        Returns
        -------
        proba : ndarray of shape (n_samples, 2)
            Columns for ``classes_[0]`` and ``classes_[1]``: ``sigmoid(-z)``
            and ``sigmoid(z)`` for the logit ``z``.

        Examples
        --------
        >>> from sknn import MLPBinaryClassifier
        >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
        >>> clf = MLPBinaryClassifier((), solver="lbfgs", alpha=0.1, random_state=0)
        >>> clf = clf.fit(X, y)
        >>> clf.predict_proba([[0.0], [3.0]]).argmax(axis=1)
        array([0, 1])
        """
        return _both_classes(expit, self.decision_function(X))

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`, computed stably from the logit.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Inputs.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, 2)
            ``log sigmoid(-z)`` and ``log sigmoid(z)``.

        Examples
        --------
        >>> import numpy as np
        >>> from sknn import MLPBinaryClassifier
        >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
        >>> clf = MLPBinaryClassifier((), solver="lbfgs", alpha=0.1, random_state=0)
        >>> clf = clf.fit(X, y)
        >>> bool(np.allclose(np.exp(clf.predict_log_proba(X)), clf.predict_proba(X)))
        True
        """
        return _both_classes(log_expit, self.decision_function(X))

    def predict(self, X):
        """Predicted class: ``classes_[1]`` where its probability is >= 0.5.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Inputs.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels from ``classes_``.

        Examples
        --------
        >>> from sknn import MLPBinaryClassifier
        >>> X, y = [[0.0], [1.0], [2.0], [3.0]], ["no", "no", "yes", "yes"]
        >>> clf = MLPBinaryClassifier((), solver="lbfgs", alpha=0.1, random_state=0)
        >>> clf = clf.fit(X, y)
        >>> clf.predict([[0.0], [3.0]]).tolist()
        ['no', 'yes']
        """
        z = self.decision_function(X)
        positive = expit(z, out=z) >= 0.5
        return self.classes_[positive.astype(np.intp)]


def _both_classes(function, z):
    """``[function(-z), function(z)]`` as the two columns of one array.

    ``z`` is consumed: it is negated in place for the first column, so the
    result is the only array allocated.
    """
    out = np.empty((z.shape[0], 2), dtype=z.dtype)
    function(z, out=out[:, 1])
    function(np.negative(z, out=z), out=out[:, 0])
    return out
