"""Fit time of sknn against scikit-learn's MLPClassifier doing the same arithmetic.

For each workload (a tiny, a medium, a deep and a wide network), in float64 and
float32, both estimators start from the same weights and train for the same
epochs on the same batches (``shuffle=False``, ``tol=0`` and no early stop),
with scikit-learn's momentum rescaled so that the two trajectories are
identical::

    MLPBinaryClassifier(solver='sgd', learning_rate_init=eta, momentum=beta)
    MLPClassifier(solver='sgd', nesterovs_momentum=False, momentum=beta,
                  learning_rate_init=eta * (1 - beta))

sknn is timed on both of its paths: the NumPy core (``SKNN_FAST_PATH=0``) and,
when numba is installed (``sknn-mlp[fast]``), the compiled kernel
(``SKNN_FAST_PATH=always``, so that it is timed on every workload; the
"default" column says which of the two a default fit takes).  Each round
times the two sknn paths (in alternating order) and MLPClassifier, after one
warm-up round (which also compiles the kernel or loads it from numba's cache);
the table gives the median seconds of each and the medians of the per-round
ratios of each sknn path to MLPClassifier.  The last column is the largest
difference between an sknn model's weights and MLPClassifier's, which shows
that the arithmetic was the same.

The second table gives the achieved GFLOP/s of sknn's fit (the matrix
products' operations over the fit time) against the machine's matrix-multiply
rate (a 2048 x 2048 product in the same dtype, the physical limit on this
machine), measured right before each timed fit so that both see the same
machine; the fraction is the median of the per-fit fractions (the target is
for the wide workload).  The "matmul floor" column is the ratio sknn/sklearn
that a fit doing nothing but its matrix products at that rate would reach: no
implementation of the same arithmetic can go below it.

When PyTorch is installed (it is never a dependency), a column gives the same
network and optimizer in PyTorch on the CPU (``torch.optim.SGD`` with
``dampening=momentum`` is sknn's momentum).

Run::

    python benchmarks/bench_fit.py              # all workloads, 5 pairs each
    python benchmarks/bench_fit.py --repeats 3 --workloads tiny medium
    python benchmarks/bench_fit.py --no-fast   # only the NumPy path
"""

import argparse
import os
import platform
import time
import warnings

import numpy as np
import sklearn
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

import sknn
from sknn import MLPBinaryClassifier

try:  # optional comparison
    import torch
except ImportError:  # pragma: no cover - depends on the machine
    torch = None

ETA, BETA, ALPHA = 0.01, 0.9, 1e-4
FAST_SWITCH = "SKNN_FAST_PATH"

# name: (n_features, hidden_layer_sizes, batch_size, n_samples, epochs)
WORKLOADS = {
    "tiny": (10, (16,), 32, 16_000, 5),
    "medium": (50, (100,), 200, 20_000, 5),
    "deep": (100, (256, 128), 256, 20_000, 3),
    "wide": (784, (512, 256), 128, 10_000, 2),
}


def numba_version():
    from sknn import _fused

    return _fused.numba_version()


def make_data(n_features, n_samples, dtype):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=n_features // 2,
        random_state=0,
    )
    return StandardScaler().fit_transform(X).astype(dtype), y


def fit_flops(layer_sizes, n_samples, epochs):
    """Floating-point operations of the matrix products of a training run.

    Per sample: the forward pass (Z = A @ W), the weight gradients
    (A.T @ D) and the backpropagated deltas (D @ W.T) for every layer but the
    first, each 2 * n_in * n_out.
    """
    products = [a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:])]
    per_sample = 2 * (2 * sum(products) + sum(products[1:]))
    return per_sample * n_samples * epochs


def matmul_gflops(dtype, n=2048, repeats=5):
    """The machine's matrix-multiply rate: median of n x n NumPy products."""
    rng = np.random.RandomState(0)
    a, b = (rng.standard_normal((n, n)).astype(dtype) for _ in range(2))
    out = np.empty((n, n), dtype)
    np.matmul(a, b, out=out)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        np.matmul(a, b, out=out)
        times.append(time.perf_counter() - start)
    return 2 * n**3 / np.median(times) / 1e9


def initial_weights(layer_sizes, dtype):
    net = MLPBinaryClassifier(layer_sizes[1:-1], random_state=0, max_iter=1)
    rng = np.random.RandomState(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        net.fit(rng.standard_normal((4, layer_sizes[0])).astype(dtype), [0, 1, 0, 1])
    return net.coefs_, net.intercepts_


def sknn_model(coefs, intercepts, hidden, batch_size, epochs):
    model = MLPBinaryClassifier(
        hidden,
        solver="sgd",
        batch_size=batch_size,
        learning_rate_init=ETA,
        momentum=BETA,
        alpha=ALPHA,
        max_iter=epochs,
        shuffle=False,
        tol=0.0,
        n_iter_no_change=epochs,
        warm_start=True,
    )
    model.coefs_ = [W.copy() for W in coefs]
    model.intercepts_ = [b.copy() for b in intercepts]
    return model


def sklearn_model(coefs, intercepts, hidden, batch_size, epochs, X, y):
    model = MLPClassifier(
        hidden,
        solver="sgd",
        nesterovs_momentum=False,
        momentum=BETA,
        learning_rate_init=ETA * (1 - BETA),
        learning_rate="constant",
        alpha=ALPHA,
        batch_size=batch_size,
        max_iter=1,
        shuffle=False,
        tol=0.0,
        n_iter_no_change=epochs,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X[:batch_size], y[:batch_size])  # creates the attributes
    model.coefs_ = [W.copy() for W in coefs]
    model.intercepts_ = [b.copy() for b in intercepts]
    model.loss_curve_, model.best_loss_, model.t_ = [], np.inf, 0
    model._no_improvement_count = 0
    model.set_params(warm_start=True, max_iter=epochs)
    return model


def torch_fit(coefs, intercepts, X, y, batch_size, epochs):
    """The same network and optimizer in PyTorch; returns seconds."""
    dtype = torch.float32 if X.dtype == np.float32 else torch.float64
    Ws = [torch.tensor(W, dtype=dtype, requires_grad=True) for W in coefs]
    bs = [torch.tensor(b, dtype=dtype, requires_grad=True) for b in intercepts]
    opt = torch.optim.SGD(Ws + bs, lr=ETA, momentum=BETA, dampening=BETA)
    Xt = torch.from_numpy(X)
    yt = torch.from_numpy(y.astype(X.dtype))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    start = time.perf_counter()
    for _ in range(epochs):
        for lo in range(0, len(X), batch_size):
            xb, yb = Xt[lo : lo + batch_size], yt[lo : lo + batch_size]
            A = xb
            for W, b in zip(Ws[:-1], bs[:-1]):
                A = torch.relu(A @ W + b)
            z = (A @ Ws[-1] + bs[-1])[:, 0]
            loss = loss_fn(z, yb) + ALPHA / (2 * len(xb)) * sum(
                (W * W).sum() for W in Ws
            )
            opt.zero_grad(set_to_none=False)
            loss.backward()
            opt.step()
    return time.perf_counter() - start


def timed_fit(model, X, y):
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    return time.perf_counter() - start


def fast_path_available():
    from sknn import _fused

    return _fused.available()


def timed_sknn_fit(model, X, y, path):
    """Fit on the given path (the switch is read when a fit starts)."""
    previous = os.environ.get(FAST_SWITCH)
    # "always": the kernel even where the default keeps the NumPy path.
    os.environ[FAST_SWITCH] = {"numpy": "0", "fast": "always"}[path]
    try:
        return timed_fit(model, X, y)
    finally:
        if previous is None:
            del os.environ[FAST_SWITCH]
        else:
            os.environ[FAST_SWITCH] = previous


def run_workload(name, dtype, repeats, fast):
    n_features, hidden, batch_size, n_samples, epochs = WORKLOADS[name]
    X, y = make_data(n_features, n_samples, dtype)
    layer_sizes = (n_features, *hidden, 1)
    coefs, intercepts = initial_weights(layer_sizes, dtype)
    flops = fit_flops(layer_sizes, n_samples, epochs)
    times = {"numpy": [], "fast": [], "sklearn": [], "torch": []}
    ratios = {"numpy": [], "fast": []}
    fractions = {"numpy": [], "fast": []}
    peaks = []
    paths = ["numpy", "fast"] if fast else ["numpy"]
    for rep in range(repeats + 1):  # the first round is a warm-up (and compiles)
        models = {
            path: sknn_model(coefs, intercepts, hidden, batch_size, epochs)
            for path in paths
        }
        b = sklearn_model(coefs, intercepts, hidden, batch_size, epochs, X, y)
        peak = matmul_gflops(dtype, repeats=3)
        # Alternate which sknn path goes first, so neither always follows
        # MLPClassifier or the other.
        order = paths if rep % 2 else paths[::-1]
        t = {path: timed_sknn_fit(models[path], X, y, path) for path in order}
        t["sklearn"] = timed_fit(b, X, y)
        t["torch"] = (
            torch_fit(coefs, intercepts, X, y, batch_size, epochs) if torch else None
        )
        if rep:
            for key, value in t.items():
                times[key].append(value)
            for path in paths:
                ratios[path].append(t[path] / t["sklearn"])
                fractions[path].append(flops / t[path] / 1e9 / peak)
            peaks.append(peak)
    diffs = {
        path: max(
            float(np.max(np.abs(p - q)))
            for p, q in zip(
                models[path].coefs_ + models[path].intercepts_,
                b.coefs_ + b.intercepts_,
            )
        )
        for path in paths
    }

    def median(values):
        return float(np.median(values)) if values and values[0] is not None else None

    return {
        "workload": name,
        "dtype": np.dtype(dtype).name,
        "default": default_path(layer_sizes, batch_size, dtype) if fast else "NumPy",
        "numpy": median(times["numpy"]),
        "fast": median(times["fast"]),
        "sklearn": median(times["sklearn"]),
        "ratio_numpy": median(ratios["numpy"]),
        "ratio_fast": median(ratios["fast"]),
        # The ratio if sknn did nothing but its matrix products, at the
        # 2048^2 rate: no implementation of the same arithmetic goes below it.
        "floor": flops / float(np.median(peaks)) / 1e9 / median(times["sklearn"]),
        "torch": median(times["torch"]),
        "max_weight_diff": max(diffs.values()),
        "gflops_numpy": flops / median(times["numpy"]) / 1e9,
        "gflops_fast": flops / median(times["fast"]) / 1e9 if fast else None,
        "peak_gflops": float(np.median(peaks)),
        "fraction_numpy": median(fractions["numpy"]),
        "fraction_fast": median(fractions["fast"]),
    }


def default_path(layer_sizes, batch_size, dtype):
    """Which path a fit takes by default: 'kernel' or 'NumPy'."""
    from sknn import _fused
    from sknn._network import Network

    network = Network(layer_sizes, "relu", dtype)
    return "kernel" if _fused.kernel_by_default(network, batch_size) else "NumPy"


def blas_threads():
    """Threads of each BLAS library loaded (NumPy's; SciPy's, which numba uses)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # pragma: no cover
        return "unknown"
    return ", ".join(
        f"{os.path.basename(os.path.dirname(i['filepath']))} "
        f"{i.get('internal_api')} {i.get('num_threads')} threads"
        f" ({i.get('architecture')})"
        for i in threadpool_info()
        if i.get("user_api") == "blas"
    )


def cell(value, fmt):
    return "-" if value is None else format(value, fmt)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed pairs (>= 3)")
    parser.add_argument(
        "--workloads", nargs="+", choices=list(WORKLOADS), default=list(WORKLOADS)
    )
    parser.add_argument(
        "--dtypes",
        nargs="+",
        choices=["float64", "float32"],
        default=["float64", "float32"],
    )
    parser.add_argument(
        "--no-fast", action="store_true", help="time only sknn's NumPy path"
    )
    args = parser.parse_args()
    if args.repeats < 3:
        parser.error("--repeats must be at least 3")

    fast = fast_path_available() and not args.no_fast
    import scipy.linalg  # noqa: F401  (loads SciPy's BLAS, which numba calls)

    print(
        f"sknn {sknn.__version__}, scikit-learn {sklearn.__version__}, "
        f"numpy {np.__version__}"
        + (f", numba {numba_version()}" if fast else ", no fast path")
        + (f", torch {torch.__version__}" if torch else "")
        + f"; {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs; {args.repeats} timed rounds after a warm-up"
    )
    print(f"BLAS: {blas_threads()}")
    print()
    rows = [
        run_workload(w, dt, args.repeats, fast)
        for w in args.workloads
        for dt in args.dtypes
    ]
    torch_header = " torch CPU (s) |" if torch else ""
    print(
        "| workload | dtype | default | sknn NumPy (s) | sknn fast (s) | "
        "MLPClassifier (s) | NumPy/sklearn | fast/sklearn | matmul floor of the ratio |"
        + torch_header
        + " max weight diff |"
    )
    print(
        "|---|---|---|---:|---:|---:|---:|---:|---:|"
        + ("---:|" if torch else "")
        + "---:|"
    )
    for r in rows:
        torch_cell = f" {r['torch']:.3f} |" if torch else ""
        print(
            f"| {r['workload']} | {r['dtype']} | {r['default']} | {r['numpy']:.3f} | "
            f"{cell(r['fast'], '.3f')} | {r['sklearn']:.3f} | "
            f"{r['ratio_numpy']:.2f} | {cell(r['ratio_fast'], '.2f')} | "
            f"{r['floor']:.2f} |{torch_cell} {r['max_weight_diff']:.1e} |"
        )
    print()
    print(
        "| workload | dtype | NumPy path GFLOP/s | fast path GFLOP/s | "
        "matmul GFLOP/s (2048^2) | NumPy path fraction | fast path fraction |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['workload']} | {r['dtype']} | {r['gflops_numpy']:.1f} | "
            f"{cell(r['gflops_fast'], '.1f')} | {r['peak_gflops']:.1f} | "
            f"{r['fraction_numpy']:.0%} | "
            f"{cell(r['fraction_fast'], '.0%')} |"
        )


if __name__ == "__main__":
    main()
