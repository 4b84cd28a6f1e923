"""
Quickstart: sknn in a scikit-learn workflow
===========================================

Train :class:`sknn.MLPBinaryClassifier` in a :class:`~sklearn.pipeline.Pipeline`
on the breast cancer data, tune it with :class:`~sklearn.model_selection.GridSearchCV`,
save and reload it with joblib, and compare its test accuracy and log loss
with scikit-learn's :class:`~sklearn.neural_network.MLPClassifier` (for speed,
see the benchmarks: ``docs/performance.rst``).

Run it with ``python examples/quickstart.py``.
"""

# %%
# Data: a held-out test set, stratified.
import tempfile
import warnings
from pathlib import Path

import joblib
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknn import MLPBinaryClassifier

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

# %%
# A pipeline: scale the features, then the network (defaults: one hidden
# layer of 100 relu units, trained by Adam with an L2 penalty whose strength
# adapts to the size of the data; see the accuracy page of the docs).
model = make_pipeline(StandardScaler(), MLPBinaryClassifier(random_state=0))
model.fit(X_train, y_train)
print(f"sknn, default parameters: test accuracy {model.score(X_test, y_test):.4f}")

# %%
# A small grid search over the network's size and its L2 penalty.
grid = {
    "mlpbinaryclassifier__hidden_layer_sizes": [(32,), (100,)],
    "mlpbinaryclassifier__alpha": ["auto", 1e-2],
}
search = GridSearchCV(model, grid, cv=3, n_jobs=2)
search.fit(X_train, y_train)
print(f"grid search: best parameters {search.best_params_}")
print(
    f"grid search: CV accuracy {search.best_score_:.4f}, "
    f"test accuracy {search.score(X_test, y_test):.4f}"
)

# %%
# Save the tuned pipeline with joblib and load it back: predictions are identical.
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "sknn-model.joblib"
    joblib.dump(search.best_estimator_, path)
    reloaded = joblib.load(path)
same = np.array_equal(
    reloaded.predict_proba(X_test), search.best_estimator_.predict_proba(X_test)
)
print(f"joblib round trip: identical predictions: {same}")
assert same

# %%
# scikit-learn's MLPClassifier with its defaults, in the same pipeline.  It
# usually stops at max_iter, with a ConvergenceWarning: silenced here.
reference = make_pipeline(StandardScaler(), MLPClassifier(random_state=0))
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    reference.fit(X_train, y_train)

print()
print("| model (defaults, random_state=0) | test accuracy | test log loss |")
print("|---|---:|---:|")
for name, fitted in [
    ("sknn.MLPBinaryClassifier", model),
    ("sklearn MLPClassifier", reference),
]:
    proba = fitted.predict_proba(X_test)[:, 1]
    print(
        f"| {name} | {fitted.score(X_test, y_test):.4f} | "
        f"{log_loss(y_test, proba):.4f} |"
    )
