"""Fit time per epoch and peak memory at scale, against MLPClassifier and others.

Cases (each run in a fresh subprocess, so that its peak resident memory is
its own):

* ``dense64`` / ``dense32``: 10^6 rows x 100 features, float64 / float32;
* ``sparse``: 10^5 x 10^5 CSR with 0.1% nonzeros (10^7 values), float64.

Estimators:

* ``sknn``: ``MLPBinaryClassifier`` with its defaults, except ``max_iter``
  (a few epochs, not to convergence) and ``random_state``; timed on the fast
  path (when numba is installed) and on the NumPy path (``SKNN_FAST_PATH=0``).
* ``MLPClassifier`` doing the same arithmetic as sknn's defaults: the
  parameters of sknn's own conversion ``to_sklearn()`` (the same hidden
  layers, activation, alpha, batch size and, for 'sgd' with momentum ``b``
  and step ``eta``, ``solver='sgd', nesterovs_momentum=False, momentum=b,
  learning_rate_init=eta * (1 - b)``), so a change of sknn's defaults is
  followed.
* ``HistGradientBoostingClassifier`` (dense only; it takes no sparse input),
  for reference: the column gives seconds per boosting iteration.
* PyTorch on the CPU, when installed: the same network and sknn's
  momentum (``torch.optim.SGD(dampening=momentum)``); dense only.

The table gives the wall time per epoch (the fit time divided by the epochs
run; for HistGradientBoosting per iteration), for sknn the time of a first
one-epoch fit on 400 rows made before (the first use of the fast path in a
process imports numba and loads the compiled kernel), the peak resident
memory of the
process, and the peak during the fit above the memory in use once the data
was made (Linux's VmHWM, reset after making the data), which is what the fit
itself needed.

Run::

    python benchmarks/bench_scale.py                    # every case, 2 epochs
    python benchmarks/bench_scale.py --cases dense32 --estimators sknn sklearn
    python benchmarks/bench_scale.py --epochs 3 --rows 200000   # a smaller run
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import warnings

CASES = ("dense64", "dense32", "sparse")
ESTIMATORS = ("sknn-fast", "sknn-numpy", "sklearn", "hgb", "torch")
HGB_ITERATIONS = 20


def rss_mib():
    """Peak resident memory of this process, in MiB.

    Linux's VmHWM, which :func:`reset_peak` can reset; elsewhere ru_maxrss
    (the peak since the process started).
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak():
    """Reset the peak resident memory to the current one (Linux only)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:  # pragma: no cover - not Linux
        pass


def current_rss_mib():
    """Resident memory now, in MiB (from /proc; the peak where unavailable)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # pragma: no cover - not Linux
        return rss_mib()


def make_data(case, rows, features, density):
    import numpy as np
    import scipy.sparse

    rng = np.random.default_rng(0)
    if case == "sparse":
        X = scipy.sparse.random(
            rows,
            features,
            density=density,
            format="csr",
            dtype=np.float64,
            random_state=rng,
            data_rvs=rng.standard_normal,
        )
        w = rng.standard_normal(features)
        score = X @ w
    else:
        dtype = np.float32 if case == "dense32" else np.float64
        X = rng.standard_normal((rows, features), dtype=dtype)
        w = rng.standard_normal(features).astype(dtype)
        score = X @ w
    y = (score + rng.standard_normal(rows) > 0).astype(np.int64)
    return X, y


def sklearn_equivalent(epochs):
    """An MLPClassifier doing the arithmetic of sknn's defaults.

    sknn's own conversion (``to_sklearn``, on a model fitted to a few rows)
    gives the equivalent parameters, with the momentum rescaled and 'auto'
    values resolved, so a change of sknn's defaults is followed.
    """
    import numpy as np
    from sklearn.neural_network import MLPClassifier

    from sknn import MLPBinaryClassifier

    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3))
    params = MLPBinaryClassifier(max_iter=1).fit(X, X[:, 0] > 0).to_sklearn()
    params = params.get_params()
    params.update(max_iter=epochs, tol=0.0, n_iter_no_change=epochs + 1, random_state=0)
    return MLPClassifier(**params)


def effective_params():
    """sknn's default hyperparameters with 'auto' step size and batch resolved."""
    from sknn import MLPBinaryClassifier

    params = MLPBinaryClassifier().get_params()
    sklearn_params = sklearn_equivalent(1).get_params()
    if params["solver"] == "sgd":
        params["learning_rate_init"] = sklearn_params["learning_rate_init"] / (
            1 - params["momentum"]
        )
    else:
        params["learning_rate_init"] = sklearn_params["learning_rate_init"]
    return params


def torch_epochs(X, y, params, epochs):
    """The same network trained by PyTorch on the CPU; returns seconds per epoch."""
    import numpy as np
    import torch

    hidden = params["hidden_layer_sizes"]
    hidden = (hidden,) if isinstance(hidden, int) else tuple(hidden)
    sizes = (X.shape[1], *hidden, 1)
    dtype = torch.float32 if X.dtype == np.float32 else torch.float64
    gen = torch.Generator().manual_seed(0)
    Ws = [
        torch.randn(a, b, generator=gen, dtype=dtype).mul_((2 / a) ** 0.5)
        for a, b in zip(sizes[:-1], sizes[1:])
    ]
    for W in Ws:
        W.requires_grad_()
    bs = [torch.zeros(b, dtype=dtype, requires_grad=True) for b in sizes[1:]]
    beta, eta, alpha = params["momentum"], params["learning_rate_init"], params["alpha"]
    batch = params["batch_size"]
    batch = min(200, len(X)) if batch == "auto" else batch
    opt = torch.optim.SGD(Ws + bs, lr=eta, momentum=beta, dampening=beta)
    act = {"relu": torch.relu, "tanh": torch.tanh, "logistic": torch.sigmoid}.get(
        params["activation"], lambda a: a
    )
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y.astype(X.dtype))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(X), generator=gen)
        for lo in range(0, len(X), batch):
            rows = order[lo : lo + batch]
            A = Xt[rows]
            for W, b in zip(Ws[:-1], bs[:-1]):
                A = act(A @ W + b)
            z = (A @ Ws[-1] + bs[-1])[:, 0]
            loss = loss_fn(z, yt[rows]) + alpha / (2 * len(rows)) * sum(
                (W * W).sum() for W in Ws
            )
            opt.zero_grad(set_to_none=False)
            loss.backward()
            opt.step()
    return (time.perf_counter() - start) / epochs


def run_case(case, estimator, epochs, rows, features, sparse_rows, sparse_features):
    """Make the data, fit, and return the measurements (in this process)."""
    import numpy as np
    from sklearn.exceptions import ConvergenceWarning

    from sknn import MLPBinaryClassifier

    if case == "sparse":
        X, y = make_data(case, sparse_rows, sparse_features, 0.001)
    else:
        X, y = make_data(case, rows, features, None)
    import gc

    gc.collect()
    base = current_rss_mib()
    peak_with_data = rss_mib()
    reset_peak()
    result = {"case": case, "estimator": estimator, "shape": list(X.shape)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if estimator.startswith("sknn"):
            # "always": the kernel from the first epoch (by default a fit
            # starts on the NumPy path until the kernel is loaded).
            os.environ["SKNN_FAST_PATH"] = "always" if estimator == "sknn-fast" else "0"
            # First use in the process (numba's import and cached kernel on
            # the fast path), timed apart from the epochs.
            start = time.perf_counter()
            MLPBinaryClassifier(max_iter=1, random_state=0).fit(X[:400], y[:400])
            result["first_use"] = time.perf_counter() - start
            model = MLPBinaryClassifier(max_iter=epochs, random_state=0)
            start = time.perf_counter()
            model.fit(X, y)
            seconds = time.perf_counter() - start
            result["per_epoch"] = seconds / model.n_iter_
            result["units"] = model.n_iter_
        elif estimator == "sklearn":
            model = sklearn_equivalent(epochs)
            start = time.perf_counter()
            model.fit(X, y)
            seconds = time.perf_counter() - start
            result["per_epoch"] = seconds / model.n_iter_
            result["units"] = model.n_iter_
        elif estimator == "hgb":
            from sklearn.ensemble import HistGradientBoostingClassifier

            model = HistGradientBoostingClassifier(
                max_iter=HGB_ITERATIONS, early_stopping=False, random_state=0
            )
            start = time.perf_counter()
            model.fit(X, y)
            seconds = time.perf_counter() - start
            result["per_epoch"] = seconds / model.n_iter_
            result["units"] = model.n_iter_
        else:  # torch
            result["per_epoch"] = torch_epochs(X, y, effective_params(), epochs)
            result["units"] = epochs
    peak = rss_mib()
    result["peak_rss_mib"] = max(peak, peak_with_data)
    result["peak_extra_mib"] = peak - base
    result["data_mib"] = (
        X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
        if case == "sparse"
        else X.nbytes
    ) / 2**20
    result["accuracy"] = (
        float(np.mean(model.predict(X[:100_000]) == y[:100_000]))
        if estimator != "torch"
        else None
    )
    return result


def available(estimator, case):
    if estimator == "hgb" or estimator == "torch":
        if case == "sparse":
            return False, "no sparse input"
    if estimator == "torch":
        try:
            import torch  # noqa: F401
        except ImportError:
            return False, "not installed"
    if estimator == "sknn-fast":
        from sknn import _fused

        if not _fused.available():
            return False, "numba not installed"
        if case == "sparse":
            return False, "sparse stays on NumPy"
    return True, ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument(
        "--estimators", nargs="+", choices=ESTIMATORS, default=list(ESTIMATORS)
    )
    parser.add_argument("--epochs", type=int, default=2, help="epochs per fit")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=100)
    parser.add_argument("--sparse-rows", type=int, default=100_000)
    parser.add_argument("--sparse-features", type=int, default=100_000)
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--_child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args._child:  # one case in this (fresh) process
        case, estimator = args._child.split(":")
        result = run_case(
            case,
            estimator,
            args.epochs,
            args.rows,
            args.features,
            args.sparse_rows,
            args.sparse_features,
        )
        print("RESULT " + json.dumps(result))
        return

    import numpy as np
    import sklearn

    import sknn
    from sknn import MLPBinaryClassifier

    params = MLPBinaryClassifier().get_params()
    print(
        f"sknn {sknn.__version__}, scikit-learn {sklearn.__version__}, "
        f"numpy {np.__version__}; {os.cpu_count()} CPUs; {args.epochs} epochs per "
        f"fit; sknn defaults: hidden_layer_sizes={params['hidden_layer_sizes']}, "
        f"solver={params['solver']}, batch_size={params['batch_size']}, "
        f"learning_rate_init={params['learning_rate_init']}, "
        f"momentum={params['momentum']}, alpha={params['alpha']}, "
        f"early_stopping={params['early_stopping']}"
    )
    print()
    print(
        "| case | estimator | s per epoch | first use (s) | peak RSS (MiB) | "
        "peak above data (MiB) | train accuracy (first 10^5 rows) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    results = []
    for case in args.cases:
        for estimator in args.estimators:
            ok, why = available(estimator, case)
            if not ok:
                print(f"| {case} | {estimator} | n/a ({why}) | | | | |", flush=True)
                continue
            command = [
                sys.executable,
                __file__,
                "--_child",
                f"{case}:{estimator}",
                "--epochs",
                str(args.epochs),
                "--rows",
                str(args.rows),
                "--features",
                str(args.features),
                "--sparse-rows",
                str(args.sparse_rows),
                "--sparse-features",
                str(args.sparse_features),
            ]
            proc = subprocess.run(command, capture_output=True, text=True)
            lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
            if proc.returncode or not lines:
                tail = proc.stderr.strip().splitlines()[-1:] or ["no output"]
                print(f"| {case} | {estimator} | failed: {tail[0]} | | | | |")
                continue
            r = json.loads(lines[0][len("RESULT ") :])
            results.append(r)
            unit = " (per iteration)" if estimator == "hgb" else ""
            accuracy = "-" if r["accuracy"] is None else f"{r['accuracy']:.3f}"
            first = f"{r['first_use']:.2f}" if "first_use" in r else "-"
            print(
                f"| {case} {r['shape'][0]}x{r['shape'][1]} | {estimator} | "
                f"{r['per_epoch']:.2f}{unit} | {first} | {r['peak_rss_mib']:.0f} | "
                f"{r['peak_extra_mib']:.0f} | {accuracy} |",
                flush=True,
            )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
