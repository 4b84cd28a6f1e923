"""
Decision boundaries of the hidden activations
=============================================

Train one network per hidden activation (``'relu'``, ``'tanh'`` and
``'logistic'``) on two toy problems that no straight line separates, and draw
the probability of the positive class that each network predicts over the
plane, with its accuracy on held-out points.
"""

# %%
# Two problems that need a hidden layer
# -------------------------------------
# :func:`~sklearn.datasets.make_moons` draws two interleaving half circles and
# :func:`~sklearn.datasets.make_circles` a small circle inside a large one.
# A quarter of each data set is held out, stratified, to measure accuracy.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_circles, make_moons
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknn import MLPBinaryClassifier

datasets = {
    "moons": make_moons(n_samples=300, noise=0.25, random_state=0),
    "circles": make_circles(n_samples=300, noise=0.1, factor=0.5, random_state=0),
}
activations = ["relu", "tanh", "logistic"]

# %%
# One network per activation and data set
# ---------------------------------------
# Each network has one hidden layer of 32 units behind a
# :class:`~sklearn.preprocessing.StandardScaler`.  With 225 training points,
# the full-batch L-BFGS solver (``solver='lbfgs'``) trains every network to a
# minimum of the regularized loss in a fraction of a second, so the pictures
# show what each activation converges to rather than how far an optimizer got.
#
# With minibatch gradient descent (``solver='sgd'``) and Glorot's
# initialization, ``tanh`` and ``logistic`` networks can start on a plateau of
# the loss near :math:`\log 2` on these problems, and the stopping rule
# (``tol``, ``n_iter_no_change``) can end training there, before they have
# learned anything; the user guide's section on initial weights says what
# avoids it.
fig, axes = plt.subplots(
    len(datasets), len(activations), figsize=(11, 7), layout="constrained"
)
for row, (name, (X, y)) in zip(axes, datasets.items()):
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    for ax, activation in zip(row, activations):
        model = make_pipeline(
            StandardScaler(),
            MLPBinaryClassifier(
                hidden_layer_sizes=(32,),
                activation=activation,
                solver="lbfgs",
                max_iter=1000,
                random_state=0,
            ),
        )
        model.fit(X_train, y_train)
        accuracy = model.score(X_test, y_test)

        display = DecisionBoundaryDisplay.from_estimator(
            model,
            X,
            response_method="predict_proba",
            grid_resolution=200,
            eps=0.5,
            levels=np.linspace(0, 1, 11),
            cmap="RdBu",
            alpha=0.8,
            ax=ax,
        )
        ax.scatter(*X_train.T, c=y_train, cmap="RdBu", edgecolors="k", s=20)
        ax.scatter(*X_test.T, c=y_test, cmap="RdBu", edgecolors="k", marker="^", s=30)
        ax.set_title(f"{name}, {activation}: test accuracy {accuracy:.2f}")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("first feature")
        ax.set_ylabel("second feature")

fig.colorbar(
    display.surface_, ax=axes, shrink=0.6, label="predicted probability of class 1"
)
fig.suptitle("Training points (circles) and test points (triangles)")

# %%
# The ``relu`` network's boundary is made of straight pieces, one bend per
# hidden unit whose kink falls inside the data; ``tanh`` and ``logistic``
# units give smooth, rounded boundaries.  All three networks separate both
# problems; what differs is how they extrapolate away from the data, where
# nothing constrains them.
plt.show()
