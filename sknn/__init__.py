"""sknn: a scikit-learn compatible neural-network binary classifier.

The estimator is :class:`MLPBinaryClassifier`; its NumPy core (forward pass,
backpropagation, the notes' momentum) lives in private modules.
"""

from ._classifier import MLPBinaryClassifier

__version__ = "0.1.0"

__all__ = ["MLPBinaryClassifier", "__version__"]
