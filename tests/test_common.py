"""scikit-learn's estimator checks, with no expected failures."""

import pytest
import sklearn
from sklearn.utils.estimator_checks import parametrize_with_checks

from sknn import MLPBinaryClassifier

# scikit-learn's checks fit unscaled data (features around 100) with few
# epochs, on purpose: the warnings that say so are expected here.
pytestmark = [
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
    pytest.mark.filterwarnings("ignore::sknn.exceptions.UnscaledFeaturesWarning"),
    pytest.mark.filterwarnings("ignore:early_stopping=True. class:UserWarning"),
    pytest.mark.filterwarnings("ignore:The trained network gives:UserWarning"),
]

# The first two are about the defaults on purpose: the estimator a user gets
# from MLPBinaryClassifier() (or with solver='sgd') passes the checks, whatever
# the defaults become.  The others each vary a feature and state the rest.
STOPPING = dict(max_iter=200, tol=1e-4, n_iter_no_change=10)
ADAM = dict(
    solver="adam", alpha=1e-3, batch_size=64, learning_rate_init=0.005, **STOPPING
)
CONFIGURATIONS = [
    MLPBinaryClassifier(random_state=0),
    MLPBinaryClassifier(solver="sgd", random_state=0),
    MLPBinaryClassifier((), random_state=0, **ADAM),
    MLPBinaryClassifier((8, 6), activation="tanh", random_state=0, **ADAM),
    MLPBinaryClassifier(
        (5,),
        activation="logistic",
        solver="sgd",
        alpha=1e-3,
        batch_size=64,
        init="normal",
        learning_rate_init=0.5,
        momentum=0.9,
        random_state=0,
        **STOPPING,
    ),
    MLPBinaryClassifier((12,), random_state=0, **ADAM),
    MLPBinaryClassifier(
        (6,),
        activation="tanh",
        solver="lbfgs",
        alpha=1e-3,
        random_state=0,
        **STOPPING,
    ),
    MLPBinaryClassifier((12,), early_stopping=True, random_state=0, **ADAM),
    MLPBinaryClassifier(
        (8,),
        solver="lbfgs",
        alpha=1e-3,
        early_stopping=True,
        validation_fraction=0.2,
        random_state=0,
        **STOPPING,
    ),
    MLPBinaryClassifier((8,), class_weight="balanced", random_state=0, **ADAM),
    # The checks use unscaled data: a linear network needs a smaller step.
    MLPBinaryClassifier(
        (10,),
        activation="identity",
        solver="sgd",
        alpha=1e-3,
        batch_size=64,
        momentum=0.0,
        learning_rate_init=0.01,
        shuffle=False,
        random_state=0,
        **STOPPING,
    ),
]


SKLEARN_VERSION = tuple(int(part) for part in sklearn.__version__.split(".")[:2])


def expected_failed_checks(estimator):
    """None with scikit-learn >= 1.7, the version the project tests against.

    scikit-learn 1.6's sample-weight checks make y binary by comparing it with
    its first label, which is not the same label in the weighted and in the
    repeated data (the check shuffles one of them), so the two fits see
    different targets; 1.7 compares with y.min().
    """
    if SKLEARN_VERSION >= (1, 7):
        return {}
    reason = "scikit-learn 1.6 binarizes y differently in the two fits it compares"
    return {
        "check_sample_weight_equivalence_on_dense_data": reason,
        "check_sample_weight_equivalence_on_sparse_data": reason,
    }


@parametrize_with_checks(CONFIGURATIONS, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
