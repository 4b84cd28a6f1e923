"""
Momentum and batch size
=======================

Compare training loss curves of gradient descent with different momentum
values, and of full-batch against minibatch gradient descent, on the breast
cancer data.
"""

# %%
# The update rule
# ---------------
# With ``solver='sgd'`` the network uses momentum in the form of an
# exponential moving average of the gradients.  For every batch, with
# :math:`\beta` = ``momentum`` and :math:`\eta` = ``learning_rate_init``:
#
# .. math::
#
#    V \leftarrow \beta V + (1 - \beta) \frac{\partial J}{\partial \theta},
#    \qquad \theta \leftarrow \theta - \eta V
#
# :math:`V` starts at zero and is an exponential moving average of the
# gradients, so ``momentum=0`` is plain gradient descent.  ``batch_size`` sets
# how many rows each gradient is computed on; ``batch_size=n_samples`` is
# full-batch gradient descent, one update per epoch.
#
# To compare curves, every network below uses ``solver='sgd'``, has one
# hidden layer of 32 units, starts from the same weights (``random_state=0``)
# and trains for exactly 100 epochs: ``tol=0`` and
# ``n_iter_no_change=max_iter`` switch the stopping rule off.
# ``loss_curve_`` holds, for each epoch, the mean objective (log-loss plus
# L2 penalty) of the batches seen during that epoch.
#
# The L2 penalty is small (``alpha=1e-4``) because, as in scikit-learn, the
# penalty in a batch's loss is divided by the number of rows in the batch:
# with a larger ``alpha``, 32-row minibatches would be regularized
# :math:`569 / 32 \approx 18` times more strongly than the full batch, and
# their loss curves would not measure the same objective.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

from sknn import MLPBinaryClassifier

X, y = load_breast_cancer(return_X_y=True)
X = StandardScaler().fit_transform(X)
n_samples = X.shape[0]
n_epochs = 100


def loss_curve(**params):
    """Training loss of every epoch of a fixed-length run."""
    clf = MLPBinaryClassifier(
        solver="sgd",
        hidden_layer_sizes=(32,),
        alpha=1e-4,
        init="he",  # zero biases: the curves below start from the same loss
        max_iter=n_epochs,
        tol=0,
        n_iter_no_change=n_epochs,
        random_state=0,
        **params,
    )
    # Training stops after max_iter epochs on purpose: silence the warning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    return clf.loss_curve_


epochs = np.arange(1, n_epochs + 1)

# %%
# Momentum
# --------
# Full-batch gradient descent with three momentum values, at the step size
# 0.5 and at a seven times larger one, 3.5.
momenta = [0, 0.5, 0.9]
step_sizes = [0.5, 3.5]

fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True, layout="constrained")
for ax, step_size in zip(axes, step_sizes):
    for momentum in momenta:
        curve = loss_curve(
            momentum=momentum, learning_rate_init=step_size, batch_size=n_samples
        )
        ax.plot(epochs, curve, label=f"momentum={momentum}")
    ax.set_yscale("log")
    ax.set_title(f"Full batch, learning_rate_init={step_size}")
    ax.set_xlabel("epoch (= update)")
    ax.legend()
axes[0].set_ylabel("training objective (log-loss + L2)")

# %%
# Because :math:`V` is an *average* of gradients rather than a sum, momentum
# does not lengthen the steps: at step size 0.5 the three curves nearly
# coincide.  ``momentum=0.9`` starts slower, since :math:`V` starts at
# zero and its first steps are only :math:`1 - \beta` = 10% of a gradient
# step; it takes about :math:`1 / (1 - \beta)` updates to build up.
#
# Momentum pays off at large step sizes.  At ``learning_rate_init=3.5`` plain
# gradient descent (``momentum=0``) overshoots along the steepest directions
# of the loss, where the gradient flips sign from one step to the next: its
# loss climbs by three orders of magnitude within ten epochs and is still
# several times higher than the others after 100.  The moving average cancels
# those alternating components, so with momentum the same step size converges
# smoothly, to a much lower loss than at step size 0.5.

# %%
# Batch size
# ----------
# Full-batch gradient descent against minibatches of 32 rows, both with the
# default step size and momentum.  With minibatches the rows are visited in a
# new random order each epoch, seeded by ``random_state``.
batch_sizes = [n_samples, 32]

fig, (ax_epoch, ax_update) = plt.subplots(
    1, 2, figsize=(10, 4), sharey=True, layout="constrained"
)
for batch_size in batch_sizes:
    curve = loss_curve(batch_size=batch_size)
    updates_per_epoch = int(np.ceil(n_samples / batch_size))
    label = "full batch" if batch_size == n_samples else f"batch_size={batch_size}"
    ax_epoch.plot(epochs, curve, label=label)
    ax_update.plot(epochs * updates_per_epoch, curve, label=label)
ax_epoch.set_xlabel("epoch")
ax_epoch.set_ylabel("training objective (log-loss + L2)")
ax_epoch.set_title("Per epoch (one pass over the data)")
ax_update.set_xlabel("number of updates")
ax_update.set_xscale("log")
ax_update.set_title("Per update")
for ax in (ax_epoch, ax_update):
    ax.set_yscale("log")
    ax.legend()

# %%
# Per epoch (left), minibatches win by far: an epoch of 32-row batches makes
# :math:`\lceil 569 / 32 \rceil = 18` updates where full-batch gradient
# descent makes one, for the same amount of computation.  Per update (right,
# on a log scale), the two curves nearly meet: on this data a gradient
# computed on 32 rows is almost as good a direction as one computed on all
# 569, at an 18th of the cost.  It is a noisy estimate of the full gradient,
# though, which is why the minibatch curve is not smooth.
plt.show()
