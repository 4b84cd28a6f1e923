"""Accuracy suite: sknn defaults against scikit-learn's MLPClassifier defaults.

Five clean, mostly small problems (bundled with scikit-learn or generated, so
nothing is downloaded).  The first defaults were chosen on them; the
defaults are now chosen on the real-data benchmark (``realdata.py``), and
this suite is a regression check that reports them (docs/accuracy.rst).

Each dataset is scored by 5-fold stratified cross-validation (shuffled with
``random_state=0``) of ``make_pipeline(StandardScaler(), estimator)``, both
estimators with otherwise default parameters: the accuracy and the log loss,
means over ``random_state`` = 0, 1, 2 (``SEEDS``) of each estimator.

Run::

    python benchmarks/accuracy_suite.py
    python benchmarks/accuracy_suite.py --solver adam
    python benchmarks/accuracy_suite.py --seeds 10
    python benchmarks/accuracy_suite.py --sweep learning_rate_init=0.1,0.3,0.5

The first prints the table in ``docs/accuracy.rst`` (accuracy, and log loss in
parentheses); ``--solver`` compares both
estimators with the same solver ('sgd', 'adam' or 'lbfgs').  ``--seeds`` repeats the
comparison with ``random_state`` = 0..9 for both estimators (the folds stay
fixed) and prints the mean accuracies: a check that the defaults are not
tuned to one seed.  ``--sweep`` scores sknn with each value of one parameter
(the rest at their defaults), which is how the defaults were explored.
"""

import argparse
import warnings

import numpy as np
from joblib import Parallel, delayed
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    load_wine,
    make_circles,
    make_moons,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknn import MLPBinaryClassifier


def datasets():
    """The suite's binary problems, as ``{name: (X, y)}``."""
    X_bc, y_bc = load_breast_cancer(return_X_y=True)
    X_wine, y_wine = load_wine(return_X_y=True)
    X_dig, y_dig = load_digits(return_X_y=True)
    return {
        "breast cancer": (X_bc, y_bc),
        "wine (class 0 vs rest)": (X_wine, (y_wine == 0).astype(int)),
        "digits (odd vs even)": (X_dig, y_dig % 2),
        "moons (n=1000, noise=0.3)": make_moons(1000, noise=0.3, random_state=0),
        "circles (n=1000, noise=0.2, factor=0.5)": make_circles(
            1000, noise=0.2, factor=0.5, random_state=0
        ),
    }


#: The random states the table and the regression test average over.
SEEDS = (0, 1, 2)


def _cv(estimator, X, y, scoring):
    """``cross_validate`` of the suite's pipeline with its folds."""
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return cross_validate(
            make_pipeline(StandardScaler(), estimator), X, y, cv=cv, scoring=scoring
        )


def cv_accuracy(estimator, X, y):
    """Mean 5-fold stratified CV accuracy behind a StandardScaler."""
    return _cv(estimator, X, y, "accuracy")["test_score"].mean()


def cv_log_loss(estimator, X, y):
    """Mean 5-fold stratified CV log loss behind a StandardScaler."""
    return -_cv(estimator, X, y, "neg_log_loss")["test_score"].mean()


def cv_scores(estimator, X, y):
    """``(accuracy, log loss)``, means of the folds of the same 5-fold CV."""
    scores = _cv(estimator, X, y, ("accuracy", "neg_log_loss"))
    return scores["test_accuracy"].mean(), -scores["test_neg_log_loss"].mean()


def mean_scores(cls, X, y, seeds=SEEDS, **params):
    """:func:`cv_scores` of ``cls(random_state=s, **params)``, mean over ``seeds``."""
    runs = [cv_scores(cls(random_state=s, **params), X, y) for s in seeds]
    return tuple(float(v) for v in np.mean(runs, axis=0))


def compare(solver=None, seeds=SEEDS):
    """Rows of (dataset, (accuracy, log loss) of sknn, the same of sklearn).

    Both estimators at their defaults, or both with ``solver`` and otherwise
    their defaults; means over ``random_state`` in ``seeds``.
    """
    params = {} if solver is None else {"solver": solver}
    rows = []
    for name, (X, y) in datasets().items():
        scores = [
            mean_scores(cls, X, y, seeds, **params)
            for cls in (MLPBinaryClassifier, MLPClassifier)
        ]
        rows.append((name, *scores))
    return rows


def print_table(rows, solver=None):
    ours = "sknn defaults" if solver is None else f"sknn solver={solver!r}"
    theirs = (
        "MLPClassifier()" if solver is None else f"MLPClassifier(solver={solver!r})"
    )
    print(f"| dataset | {ours} | {theirs} | accuracy difference |")
    print("|---|---:|---:|---:|")
    for name, (acc, ll), (acc_sk, ll_sk) in rows:
        print(
            f"| {name} | {acc:.4f} ({ll:.4f}) | {acc_sk:.4f} ({ll_sk:.4f}) | "
            f"{acc - acc_sk:+.4f} |"
        )


def seed_means(n_seeds, n_jobs=2):
    """Mean CV accuracy over random_state = 0..n_seeds-1, for both estimators."""
    data = datasets()

    def score(kind, seed, name):
        est = (
            MLPBinaryClassifier(random_state=seed)
            if kind == "sknn"
            else MLPClassifier(random_state=seed)
        )
        return kind, name, cv_accuracy(est, *data[name])

    jobs = [
        delayed(score)(kind, seed, name)
        for kind in ("sknn", "sklearn")
        for seed in range(n_seeds)
        for name in data
    ]
    results = Parallel(n_jobs=n_jobs)(jobs)
    print(
        f"| dataset | sknn defaults, mean of {n_seeds} seeds | "
        f"MLPClassifier(), mean of {n_seeds} seeds | difference |"
    )
    print("|---|---:|---:|---:|")
    for name in data:
        ours = np.mean([a for k, n, a in results if k == "sknn" and n == name])
        theirs = np.mean([a for k, n, a in results if k == "sklearn" and n == name])
        print(f"| {name} | {ours:.4f} | {theirs:.4f} | {ours - theirs:+.4f} |")


def sweep(spec):
    """Score sknn for each value of one parameter, ``name=v1,v2,...``."""
    name, values = spec.split("=")
    parsed = [_parse(v) for v in values.split(",")]
    data = datasets()
    baseline = {
        k: cv_accuracy(MLPClassifier(random_state=0), X, y)
        for k, (X, y) in data.items()
    }
    print(f"| {name} | " + " | ".join(data) + " | worst margin |")
    print("|---" * (len(data) + 2) + "|")
    print(
        "| MLPClassifier() | " + " | ".join(f"{baseline[k]:.4f}" for k in data) + " | |"
    )
    for value in parsed:
        accs = {
            k: cv_accuracy(MLPBinaryClassifier(random_state=0, **{name: value}), X, y)
            for k, (X, y) in data.items()
        }
        margin = min(accs[k] - baseline[k] for k in data)
        print(
            f"| {value!r} | "
            + " | ".join(f"{accs[k]:.4f}" for k in data)
            + f" | {margin:+.4f} |"
        )


def _parse(text):
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", help="name=v1,v2,... : score sknn for each value")
    parser.add_argument("--seeds", type=int, help="mean over this many random states")
    parser.add_argument(
        "--solver",
        choices=["sgd", "adam", "lbfgs"],
        help="compare both estimators with this solver (other parameters default)",
    )
    args = parser.parse_args()
    if args.sweep:
        sweep(args.sweep)
        return
    if args.seeds:
        seed_means(args.seeds)
        return
    rows = compare(args.solver)
    print_table(rows, args.solver)
    behind = [name for name, ours, theirs in rows if ours[0] < theirs[0]]
    reference = "MLPClassifier()" if args.solver is None else "MLPClassifier"
    print()
    print(
        "sknn's accuracy is behind on: " + ", ".join(behind)
        if behind
        else f"sknn's accuracy matches or beats {reference} on every dataset."
    )


if __name__ == "__main__":
    main()
