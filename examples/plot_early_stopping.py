"""
Early stopping on a validation set
==================================

Train a network with a validation set, plot its training and validation loss
curves, and see which epoch's weights early stopping keeps.
"""

# %%
# A problem on which a large network overfits
# -------------------------------------------
# 600 samples with 20 features, of which only 5 are informative, and 10% of
# the labels flipped at random.  Half of the samples train the network, a
# quarter is the validation set that early stopping watches, and the last
# quarter is a test set that training never sees.
import matplotlib.pyplot as plt
import numpy as np
from sklearn import config_context
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sknn import MLPBinaryClassifier

X, y = make_classification(
    n_samples=600, n_features=20, n_informative=5, flip_y=0.1, random_state=0
)
X_rest, X_test, y_rest, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=1 / 3, stratify=y_rest, random_state=0
)

# %%
# Fit with ``X_val`` and ``y_val``
# --------------------------------
# Passing ``X_val`` and ``y_val`` to ``fit`` turns early stopping on against
# that set: after every epoch the network records the validation log-loss and
# accuracy, stops once the validation loss has not improved for more than
# ``n_iter_no_change`` epochs, and restores the weights of the epoch with the
# lowest validation loss.  ``n_iter_no_change=50`` (instead of 10) lets
# training run on well past the best epoch, to show what happens after it.
#
# The validation set must be scaled like the training set.  In a
# :class:`~sklearn.pipeline.Pipeline`, metadata routing and
# ``transform_input=["X_val"]`` send ``X_val`` through the scaler fitted on
# ``X_train``.
with config_context(enable_metadata_routing=True):
    net = MLPBinaryClassifier(
        alpha=1e-4, max_iter=500, n_iter_no_change=50, random_state=0
    ).set_fit_request(X_val=True, y_val=True)
    model = Pipeline(
        [("scale", StandardScaler()), ("net", net)], transform_input=["X_val"]
    )
    model.fit(X_train, y_train, X_val=X_val, y_val=y_val)

best_epoch = int(np.argmin(net.validation_loss_curve_)) + 1
print(f"epochs run: {net.n_iter_}, weights kept from epoch {best_epoch}")
print(f"best validation loss: {net.best_validation_loss_:.4f}")
print(f"best_validation_score_: {net.best_validation_score_:.4f}")
print(f"validation accuracy of the fitted model: {model.score(X_val, y_val):.4f}")
print(f"test accuracy of the fitted model: {model.score(X_test, y_test):.4f}")

# %%
# The learning curves
# -------------------
# Two different quantities are recorded per epoch.  ``loss_curve_`` is the
# training *objective* that the optimizer minimises: the log-loss on the
# training set plus the L2 penalty.  ``validation_loss_curve_`` is the
# validation *log-loss* alone, without the penalty; ``validation_scores_`` is
# the validation accuracy.
epochs = np.arange(1, net.n_iter_ + 1)
fig, (ax_loss, ax_score) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
ax_loss.plot(epochs, net.loss_curve_, label="training objective (log-loss + L2)")
ax_loss.plot(epochs, net.validation_loss_curve_, label="validation log-loss")
ax_loss.set_ylabel("loss")
ax_loss.set_title("Losses")
ax_score.plot(epochs, net.validation_scores_, color="C1")
ax_score.set_ylim(0.5, 1)  # from chance level, not zoomed in on the wiggles
ax_score.set_ylabel("validation accuracy")
ax_score.set_title("Validation accuracy")
for ax in (ax_loss, ax_score):
    ax.axvline(best_epoch, color="k", linestyle="--", label=f"kept: epoch {best_epoch}")
    ax.set_xlabel("epoch")
    ax.legend()
fig.suptitle("Early stopping on a validation set")

# %%
# The training objective keeps falling while the validation log-loss reaches
# its minimum and then rises: from there on the network fits the noise of
# the training set.  The validation accuracy moves much less meanwhile; the
# rising log-loss shows the network growing more confident, also on the
# validation points it gets wrong.  Training stopped once the validation loss
# had not improved for more than ``n_iter_no_change`` epochs, and the fitted
# model has the weights of the dashed line: its validation accuracy is
# ``best_validation_score_``, not the accuracy of the last epoch.

# %%
# Without a separate validation set
# ---------------------------------
# ``early_stopping=True`` holds out a stratified ``validation_fraction`` of
# the training data instead, and does the same.
auto = Pipeline(
    [
        ("scale", StandardScaler()),
        ("net", MLPBinaryClassifier(alpha=1e-4, early_stopping=True, random_state=0)),
    ]
)
auto.fit(X_rest, y_rest)
print(
    f"early_stopping=True: {auto[-1].n_iter_} epochs, weights kept from epoch "
    f"{np.argmin(auto[-1].validation_loss_curve_) + 1}, "
    f"test accuracy {auto.score(X_test, y_test):.4f}"
)
plt.show()
