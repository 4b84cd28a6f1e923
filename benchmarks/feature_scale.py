"""Feature scale: how large must features be before training suffers?

The evidence behind ``UnscaledFeaturesWarning``'s threshold (``UNSCALED_RMS``
in ``sknn/_inputs.py``).  Standardized data (breast cancer, wine class 0 vs
rest, digits odd vs even, and a synthetic ``make_classification`` problem)
has some of its features multiplied by a factor k in 1, 3, 10, 30, 100, 300,
1000, or shifted by k:

- ``one``: the first feature that varies times k;
- ``quarter``: every fourth feature times k;
- ``all``: every feature times k;
- ``shift``: every feature plus k (spread 1, values around k).

Each variant is scored by 5-fold stratified cross-validation (shuffled with
``random_state=0``), the model fitted on the variant as it is (no scaler),
and compared with k = 1 (the standardized data).  The data as they come
(breast cancer, wine and digits unscaled, and a synthetic bag-of-words
count matrix, sparse) are compared with the same data behind a
``StandardScaler`` (``with_mean=False`` for the sparse counts).  With
``--realdata``, the same comparison on the real-data corpus
(``realdata.py``, the ``bench`` extra): numeric columns imputed and left in
their own units, or imputed and standardized, categorical ones one-hot
encoded in both.

The models, all ``MLPBinaryClassifier(hidden_layer_sizes=(100,),
activation='relu', init='he', max_iter=200, tol=1e-4, n_iter_no_change=10,
random_state=0)`` with (``--solver``):

- ``adam-prior``: ``solver='adam', learning_rate_init=0.005, batch_size=64``
  (``beta_1=0.9, beta_2=0.999, epsilon=1e-8``) and ``alpha = 10 /
  n_batches`` of the training fold, a prior of fixed total strength (what
  ``alpha='auto'`` means today, stated explicitly);
- ``lbfgs-prior``: ``solver='lbfgs', alpha=10`` (one batch);
- ``adam``, ``sgd``, ``lbfgs``: ``alpha=1e-3``; ``sgd`` with
  ``learning_rate_init=0.2, momentum=0.9, batch_size=64`` (a fixed step, as
  a user who sets it; a run that diverges scores as a failure).  On the noisy
  real data, ``alpha=1e-3`` overfits standardized features (log losses up to
  2.3), which makes unscaled ones look better: use the ``-prior`` models
  there.

For each run the script prints the mean CV accuracy and log loss, their
change against the standardized data, and statistics of the data a fit
sees: the largest feature root mean square (``max rms``), the largest
absolute value (``max |x|``) and the ratio of the largest to the median
feature root mean square.

The threshold's evidence (the comment at ``UNSCALED_RMS``) is::

    python benchmarks/feature_scale.py --solver adam-prior --n-jobs 2
    python benchmarks/feature_scale.py --realdata --solver adam-prior \
        --solver lbfgs-prior --n-jobs 2

Other runs::

    python benchmarks/feature_scale.py     # adam, sgd, lbfgs: minutes
    python benchmarks/feature_scale.py --solver adam --dataset digits
    python benchmarks/feature_scale.py --n-jobs 2 --json results.jsonl
    python benchmarks/feature_scale.py --realdata --solver adam
"""

import argparse
import json
import warnings

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    load_wine,
    make_classification,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler

from sknn import MLPBinaryClassifier
from sknn.exceptions import TrainingDivergedError, UnscaledFeaturesWarning

FACTORS = (1, 3, 10, 30, 100, 300, 1000)
MODES = ("one", "quarter", "all", "shift")
COMMON = dict(
    hidden_layer_sizes=(100,),
    activation="relu",
    init="he",
    max_iter=200,
    tol=1e-4,
    n_iter_no_change=10,
    random_state=0,
)
# alpha=None: 10 / n_batches of the training fold (batches of 64; one batch
# for lbfgs), a prior of fixed total strength, which noisy real data needs
# (it is what alpha='auto' means today, stated here explicitly).
SOLVERS = {
    "adam": dict(solver="adam", learning_rate_init=0.005, batch_size=64, alpha=1e-3),
    "sgd": dict(
        solver="sgd", learning_rate_init=0.2, momentum=0.9, batch_size=64, alpha=1e-3
    ),
    "lbfgs": dict(solver="lbfgs", alpha=1e-3),
    "adam-prior": dict(
        solver="adam", learning_rate_init=0.005, batch_size=64, alpha=None
    ),
    "lbfgs-prior": dict(solver="lbfgs", alpha=None),
}


def make_model(solver, n_samples):
    """The model of ``solver`` (a key of SOLVERS) for ``n_samples`` training rows."""
    params = dict(SOLVERS[solver])
    if params["alpha"] is None:
        batch = (
            params.get("batch_size", n_samples)
            if params["solver"] != "lbfgs"
            else n_samples
        )
        params["alpha"] = 10.0 / -(-n_samples // batch)
    return MLPBinaryClassifier(**COMMON, **params)


def bag_of_words(n_samples=1000, n_words=300, random_state=0):
    """Sparse word counts of two classes of documents (CSR, float64).

    Word frequencies follow Zipf's law; documents have about 150 words; each
    class draws a few words more often than the other.
    """
    rng = np.random.RandomState(random_state)
    base = 1.0 / np.arange(1, n_words + 1)
    y = rng.randint(0, 2, size=n_samples)
    tilt = np.ones((2, n_words))
    topical = rng.choice(n_words, size=40, replace=False)
    tilt[0, topical[:20]] = 1.8
    tilt[1, topical[20:]] = 1.8
    rows = []
    for label in y:
        p = base * tilt[label]
        rows.append(rng.multinomial(rng.poisson(150), p / p.sum()))
    return sp.csr_matrix(np.array(rows, dtype=np.float64)), y


def datasets():
    """Standardized binary problems, as ``{name: (X, y)}``."""
    X_bc, y_bc = load_breast_cancer(return_X_y=True)
    X_wine, y_wine = load_wine(return_X_y=True)
    X_dig, y_dig = load_digits(return_X_y=True)
    X_syn, y_syn = make_classification(
        1000, n_features=20, n_informative=6, random_state=0
    )
    data = {
        "breast cancer": (X_bc, y_bc),
        "wine": (X_wine, (y_wine == 0).astype(int)),
        "digits": (X_dig, y_dig % 2),
        "synthetic": (X_syn, y_syn),
    }
    return {
        name: (StandardScaler().fit_transform(X), y) for name, (X, y) in data.items()
    }


def raw_datasets():
    """The data as they come, ``{name: (X, y, scaler)}``."""
    X_bc, y_bc = load_breast_cancer(return_X_y=True)
    X_wine, y_wine = load_wine(return_X_y=True)
    X_dig, y_dig = load_digits(return_X_y=True)
    X_bow, y_bow = bag_of_words()
    return {
        "breast cancer (raw)": (X_bc, y_bc, StandardScaler()),
        "wine (raw)": (X_wine, (y_wine == 0).astype(int), StandardScaler()),
        "digits (raw pixels 0-16)": (X_dig, y_dig % 2, StandardScaler()),
        "word counts (sparse)": (X_bow, y_bow, StandardScaler(with_mean=False)),
    }


def scaled_variant(X, mode, factor):
    """``X`` with features multiplied (or shifted) by ``factor``."""
    X = X.copy()
    if mode == "one":
        X[:, np.flatnonzero(X.std(axis=0) > 0)[0]] *= factor  # digits: not pixel 0
    elif mode == "quarter":
        X[:, ::4] *= factor
    elif mode == "all":
        X *= factor
    elif mode == "shift":
        X += factor - 1  # factor 1: unchanged
    return X


def statistics(X):
    """Largest feature RMS, largest |value|, largest / median feature RMS."""
    if sp.issparse(X):
        square = np.asarray(X.multiply(X).mean(axis=0)).ravel()
        largest = float(abs(X).max())
    else:
        square = (X**2).mean(axis=0)
        largest = float(np.abs(X).max())
    rms = np.sqrt(square)
    return {
        "max_rms": float(rms.max()),
        "max_abs": largest,
        "rms_ratio": float(rms.max() / max(np.median(rms), 1e-12)),
    }


def cv_scores(X, y, solver, scaler=None):
    """Mean CV accuracy and log loss (NaN when a fit diverges), failures."""
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    accuracies, losses, failures = [], [], 0
    for train, test in cv.split(np.zeros(len(y)), y):
        X_train, X_test = X[train], X[test]
        if scaler is not None:
            scaler.fit(X_train)
            X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
        model = make_model(solver, len(train))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", UnscaledFeaturesWarning)
            warnings.simplefilter("ignore", UserWarning)
            try:
                model.fit(X_train, y[train])
            except TrainingDivergedError:
                failures += 1
                accuracies.append(np.nan)
                losses.append(np.nan)
                continue
        proba = model.predict_proba(X_test)[:, 1]
        accuracies.append(accuracy_score(y[test], proba >= 0.5))
        losses.append(log_loss(y[test], proba, labels=[0, 1]))
    return float(np.mean(accuracies)), float(np.mean(losses)), failures


def run_variant(name, X, y, solver, mode, factor):
    Xk = scaled_variant(X, mode, factor)
    accuracy, loss, failures = cv_scores(Xk, y, solver)
    return dict(
        dataset=name,
        solver=solver,
        mode=mode,
        factor=factor,
        accuracy=accuracy,
        log_loss=loss,
        failures=failures,
        **statistics(Xk),
    )


def run_raw(name, X, y, scaler, solver):
    records = []
    for scaled in (False, True):
        accuracy, loss, failures = cv_scores(
            X, y, solver, scaler=scaler if scaled else None
        )
        Xs = scaler.fit_transform(X) if scaled else X
        records.append(
            dict(
                dataset=name,
                solver=solver,
                mode="scaled" if scaled else "as given",
                factor=None,
                accuracy=accuracy,
                log_loss=loss,
                failures=failures,
                **statistics(Xs),
            )
        )
    return records


def run_realdata(name, solver):
    """Raw against standardized numeric columns on one corpus dataset."""
    import realdata  # benchmarks/realdata.py, beside this script

    X, y, numeric, categorical = realdata.load(realdata.BY_NAME[name])
    records = []
    for scaled in (False, True):
        pre = realdata.make_preprocessor(numeric, categorical)
        if not scaled:
            pre.set_params(num__scale="passthrough")
        cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
        accuracies, losses, failures = [], [], 0
        for train, test in cv.split(np.zeros(len(y)), y):
            X_train = pre.fit_transform(X.iloc[train])
            X_test = pre.transform(X.iloc[test])
            model = make_model(solver, len(train))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    model.fit(X_train, y[train])
                except TrainingDivergedError:
                    failures += 1
                    continue
                proba = model.predict_proba(X_test)[:, 1]
            accuracies.append(accuracy_score(y[test], proba >= 0.5))
            losses.append(log_loss(y[test], proba, labels=[0, 1]))
        records.append(
            dict(
                dataset=f"realdata: {name}",
                solver=solver,
                mode="scaled" if scaled else "as given",
                factor=None,
                accuracy=float(np.mean(accuracies)) if accuracies else np.nan,
                log_loss=float(np.mean(losses)) if losses else np.nan,
                failures=failures,
                **statistics(pre.fit_transform(X)),
            )
        )
    return records


def print_tables(records):
    base = {
        (r["dataset"], r["solver"]): r
        for r in records
        if r["factor"] == 1 and r["mode"] == "one"
    }
    print(
        "| dataset | solver | mode | k | accuracy | change | log loss | change "
        "| max rms | max abs | rms ratio | diverged |"
    )
    print("|---" * 12 + "|")
    for r in records:
        if r["factor"] is None:
            continue
        b = base.get((r["dataset"], r["solver"]))
        d_acc = r["accuracy"] - b["accuracy"] if b else np.nan
        d_ll = r["log_loss"] - b["log_loss"] if b else np.nan
        print(
            f"| {r['dataset']} | {r['solver']} | {r['mode']} | {r['factor']} | "
            f"{r['accuracy']:.4f} | {d_acc:+.4f} | {r['log_loss']:.4f} | "
            f"{d_ll:+.4f} | {r['max_rms']:.3g} | {r['max_abs']:.3g} | "
            f"{r['rms_ratio']:.3g} | {r['failures']} |"
        )
    print()
    print(
        "| data | solver | as given: accuracy, log loss | scaled: accuracy, "
        "log loss | max rms as given | max abs | rms ratio |"
    )
    print("|---" * 7 + "|")
    raw = [r for r in records if r["factor"] is None]
    for given in (r for r in raw if r["mode"] == "as given"):
        scaled = next(
            r
            for r in raw
            if r["mode"] == "scaled"
            and (r["dataset"], r["solver"]) == (given["dataset"], given["solver"])
        )
        print(
            f"| {given['dataset']} | {given['solver']} | {given['accuracy']:.4f}, "
            f"{given['log_loss']:.4f} | {scaled['accuracy']:.4f}, "
            f"{scaled['log_loss']:.4f} | {given['max_rms']:.3g} | "
            f"{given['max_abs']:.3g} | {given['rms_ratio']:.3g} |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solver", choices=sorted(SOLVERS), action="append")
    parser.add_argument("--dataset", action="append", help="a name from datasets()")
    parser.add_argument("--mode", choices=MODES, action="append")
    parser.add_argument(
        "--realdata", action="store_true", help="only the real-data corpus comparison"
    )
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--json", help="also write the records to this file")
    args = parser.parse_args()
    solvers = args.solver or ["adam", "sgd", "lbfgs"]
    modes = args.mode or list(MODES)
    data = datasets()
    raw = raw_datasets()
    if args.realdata:
        import realdata

        names = args.dataset or [d.name for d in realdata.CORPUS]
        data, raw = {}, {}
        extra = [
            delayed(run_realdata)(name, solver) for name in names for solver in solvers
        ]
    else:
        extra = []
    if args.dataset and not args.realdata:
        data = {k: v for k, v in data.items() if k in args.dataset}
        raw = {k: v for k, v in raw.items() if k.split(" (")[0] in args.dataset}
    jobs = [
        delayed(run_variant)(name, X, y, solver, mode, factor)
        for name, (X, y) in data.items()
        for solver in solvers
        for mode in modes
        for factor in FACTORS
    ]
    jobs += [
        delayed(run_raw)(name, X, y, scaler, solver)
        for name, (X, y, scaler) in raw.items()
        for solver in solvers
    ]
    jobs += extra
    records = []
    for result in Parallel(n_jobs=args.n_jobs)(jobs):
        records.extend(result if isinstance(result, list) else [result])
    if args.json:
        with open(args.json, "w") as out:
            for record in records:
                out.write(json.dumps(record) + "\n")
    print_tables(records)


if __name__ == "__main__":
    main()
