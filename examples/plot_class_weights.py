"""
Class weights on an imbalanced problem
======================================

Train a network on data where one class is 19 times rarer than the other,
with ``class_weight=None``, ``'balanced'`` and a hand-picked dictionary, and
compare their decision boundaries and their recall on each class.
"""

# %%
# An imbalanced problem
# ---------------------
# Two overlapping Gaussian blobs: 1900 samples of class 0 and 100 of class 1.
# Half of the samples, stratified, are held out for testing.
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from sklearn.datasets import make_blobs
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.metrics import accuracy_score, balanced_accuracy_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknn import MLPBinaryClassifier

X, y = make_blobs(
    n_samples=[1900, 100], centers=[[0, 0], [2, 2]], cluster_std=1.0, random_state=0
)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
print(f"training samples per class: {np.bincount(y_train)}")

# %%
# Three weightings
# ----------------
# ``class_weight`` multiplies the weight of every sample of a class in the
# loss.  ``None`` weighs all samples alike; ``'balanced'`` gives each class
# the weight ``n_samples / (2 * count)``, here about 0.53 for class 0 and 10
# for class 1, so that both classes weigh the same in total; the dictionary
# ``{0: 1, 1: 5}`` is a compromise between the two.
class_weights = {
    "None": None,
    "'balanced'": "balanced",
    "{0: 1, 1: 5}": {0: 1, 1: 5},
}
models = {}
for name, class_weight in class_weights.items():
    model = make_pipeline(
        StandardScaler(), MLPBinaryClassifier(class_weight=class_weight, random_state=0)
    )
    models[name] = model.fit(X_train, y_train)

# %%
# Decision boundaries and scores
# ------------------------------
# Left: the test samples and, for each model, the line where its predicted
# probability of class 1 is 0.5.  Right: on the test set, the recall of each
# class (the fraction of its samples predicted correctly), the balanced
# accuracy (the mean of the two recalls) and the plain accuracy.
metrics = {
    "recall of class 0": lambda y, p: recall_score(y, p, pos_label=0),
    "recall of class 1": lambda y, p: recall_score(y, p, pos_label=1),
    "balanced accuracy": balanced_accuracy_score,
    "accuracy": accuracy_score,
}
fig, (ax_data, ax_scores) = plt.subplots(
    1, 2, figsize=(12, 5), width_ratios=[1, 1.3], layout="constrained"
)
ax_data.scatter(
    *X_test[y_test == 0].T, s=8, color="lightgray", edgecolors="gray", label="class 0"
)
ax_data.scatter(
    *X_test[y_test == 1].T, s=20, color="crimson", edgecolors="k", label="class 1"
)
handles = ax_data.get_legend_handles_labels()[0]
positions = np.arange(len(metrics))
width = 0.8 / len(models)
for i, (name, model) in enumerate(models.items()):
    color = f"C{i}"
    DecisionBoundaryDisplay.from_estimator(
        model,
        X,
        response_method="predict_proba",
        plot_method="contour",
        levels=[0.5],
        colors=color,
        linewidths=2,
        ax=ax_data,
    )
    handles.append(Line2D([], [], color=color, linewidth=2))
    y_pred = model.predict(X_test)
    scores = [metric(y_test, y_pred) for metric in metrics.values()]
    bars = ax_scores.bar(
        positions + (i - (len(models) - 1) / 2) * width,
        scores,
        width,
        color=color,
        label=f"class_weight={name}",
    )
    ax_scores.bar_label(bars, fmt="%.2f", padding=2, fontsize=8)
ax_data.legend(
    handles,
    ["class 0", "class 1", *(f"class_weight={name}" for name in models)],
    loc="lower left",
)
ax_data.set_title("Test samples and decision boundaries")
ax_data.set_xlabel("first feature")
ax_data.set_ylabel("second feature")
ax_scores.set_xticks(positions, labels=list(metrics))
ax_scores.set_ylim(0, 1.2)
ax_scores.set_yticks(np.linspace(0, 1, 6))
ax_scores.set_xlabel("metric")
ax_scores.set_ylabel("score on the test set")
ax_scores.legend(loc="upper center", ncols=len(models), fontsize=8)
ax_scores.set_title("Scores on the test set")

# %%
# Without class weights the network has little reason to predict the rare
# class: predicting class 0 everywhere would already be 95% accurate.  Its
# boundary sits inside the minority blob, and it misses many of the class 1
# samples.  ``'balanced'`` moves the boundary towards the majority class: it
# finds more of class 1, at the price of misclassifying some class 0
# samples, which lowers the plain accuracy but raises the balanced accuracy.
# The dictionary lands in between.  Which trade-off is right depends on the
# costs of the two kinds of error; plain accuracy, dominated by the majority
# class, is a poor guide here.
plt.show()
