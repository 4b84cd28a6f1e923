"""predict_proba throughput on 10^6 rows and its peak extra memory.

A network with 50 inputs and one hidden layer of 256 relu units predicts 10^6
rows, in float64 and float32, with sknn and with
scikit-learn's MLPClassifier holding the same weights.  Rows are processed in
chunks sized from scikit-learn's ``working_memory`` setting, so sknn never
holds the hidden activations of all rows at once.

Peak extra memory is the peak of ``tracemalloc`` (NumPy reports its buffers
to it) during the call, above what was allocated before it: the chunk buffers
plus the returned ``(n, 2)`` array.  Times are medians of ``--repeats`` runs,
alternating the two estimators.

Run::

    python benchmarks/bench_predict.py
    python benchmarks/bench_predict.py --working-memory 16 64 256 1024
"""

import argparse
import time
import tracemalloc
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

import sknn
from sknn import MLPBinaryClassifier

N_ROWS, N_FEATURES, HIDDEN = 1_000_000, 50, (256,)
MIB = 2**20


def fitted_models(dtype):
    """sknn and MLPClassifier with the same (briefly trained) weights."""
    rng = np.random.RandomState(0)
    X = rng.standard_normal((2000, N_FEATURES)).astype(dtype)
    y = (X[:, 0] + X[:, 1] ** 2 > 1).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = MLPBinaryClassifier(HIDDEN, max_iter=5, random_state=0).fit(X, y)
        theirs = MLPClassifier(HIDDEN, max_iter=1, random_state=0).fit(X, y)
    theirs.coefs_ = [W.copy() for W in ours.coefs_]
    theirs.intercepts_ = [b.copy() for b in ours.intercepts_]
    return ours, theirs


def measure(predict, X):
    """(seconds, peak extra MiB) of one call."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    start = time.perf_counter()
    out = predict(X)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    del out
    return seconds, peak / MIB


def run(dtype, repeats, working_memory):
    X = np.random.RandomState(1).standard_normal((N_ROWS, N_FEATURES)).astype(dtype)
    ours, theirs = fitted_models(dtype)
    np.testing.assert_allclose(
        ours.predict_proba(X[:1000]), theirs.predict_proba(X[:1000]), atol=1e-6
    )
    results = {"sknn": [], "MLPClassifier": []}
    with sklearn.config_context(working_memory=working_memory):
        for _ in range(repeats):
            # Time without tracemalloc (it slows allocation), then measure memory.
            for name, model in (("sknn", ours), ("MLPClassifier", theirs)):
                start = time.perf_counter()
                model.predict_proba(X)
                results[name].append(time.perf_counter() - start)
        memory = {
            "sknn": measure(ours.predict_proba, X)[1],
            "MLPClassifier": measure(theirs.predict_proba, X)[1],
        }
    rows = []
    for name, times in results.items():
        seconds = float(np.median(times))
        rows.append(
            (
                name,
                np.dtype(dtype).name,
                working_memory,
                seconds,
                N_ROWS / seconds / 1e6,
                memory[name],
            )
        )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--working-memory",
        type=int,
        nargs="+",
        default=[sklearn.get_config()["working_memory"]],
        help="scikit-learn working_memory values (MiB) to try",
    )
    args = parser.parse_args()
    print(
        f"sknn {sknn.__version__}, scikit-learn {sklearn.__version__}, numpy "
        f"{np.__version__}; {N_ROWS} rows x {N_FEATURES} features, hidden "
        f"layers {HIDDEN}; median of {args.repeats} runs"
    )
    print()
    print(
        "| estimator | dtype | working_memory (MiB) | predict_proba (s) | "
        "million rows/s | peak extra memory (MiB) |"
    )
    print("|---|---|---:|---:|---:|---:|")
    for dtype in (np.float64, np.float32):
        for wm in args.working_memory:
            for name, dt, wm_, seconds, rate, mib in run(dtype, args.repeats, wm):
                print(
                    f"| {name} | {dt} | {wm_} | {seconds:.3f} | {rate:.2f} | "
                    f"{mib:.0f} |"
                )


if __name__ == "__main__":
    main()
