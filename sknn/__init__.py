"""sknn: a scikit-learn compatible neural-network binary classifier.

The estimator is :class:`MLPBinaryClassifier`; its NumPy core (forward pass,
backpropagation, the optimizers) lives in private modules; see the
architecture page of the documentation.
"""

from ._classifier import MLPBinaryClassifier
from ._show_versions import show_versions
from ._version import __version__

#: The types to pass as ``trusted`` to :func:`skops.io.load` for a fitted
#: :class:`MLPBinaryClassifier` (the optimizers are the state ``partial_fit``
#: continues from).
SKOPS_TRUSTED_TYPES = [
    "sknn._classifier.MLPBinaryClassifier",
    "sknn._optimizers.SGD",
    "sknn._optimizers.Adam",
]

__all__ = ["MLPBinaryClassifier", "SKOPS_TRUSTED_TYPES", "show_versions", "__version__"]
