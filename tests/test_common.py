"""scikit-learn's estimator checks, with no expected failures."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sknn import MLPBinaryClassifier

CONFIGURATIONS = [
    MLPBinaryClassifier(random_state=0),
    MLPBinaryClassifier((), random_state=0),
    MLPBinaryClassifier((8, 6), activation="tanh", random_state=0),
    MLPBinaryClassifier(
        (5,),
        activation="logistic",
        init="normal",
        learning_rate_init=0.5,
        random_state=0,
    ),
    MLPBinaryClassifier(
        (10,), activation="identity", momentum=0.0, shuffle=False, random_state=0
    ),
]


@parametrize_with_checks(CONFIGURATIONS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
