"""Fit time of sknn against scikit-learn's MLPClassifier doing the same arithmetic.

For each workload of SPEC section 6, in float64 and float32, both estimators
start from the same weights and train for the same epochs on the same batches
(``shuffle=False``, ``tol=0`` and no early stop), with scikit-learn's momentum
rescaled so that the two trajectories are identical::

    MLPBinaryClassifier(learning_rate_init=eta, momentum=beta)
    MLPClassifier(solver='sgd', nesterovs_momentum=False, momentum=beta,
                  learning_rate_init=eta * (1 - beta))

Runs alternate (sknn, sklearn, sknn, sklearn, ...) after one warm-up pair, and
the table gives the median seconds of each and the median of the per-pair
ratios sknn/sklearn.  The last column is the largest difference between the two
fitted models' weights, which shows that the arithmetic was the same.

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
``dampening=momentum`` is the notes' momentum).

Run::

    python benchmarks/bench_fit.py              # all workloads, 5 pairs each
    python benchmarks/bench_fit.py --repeats 3 --workloads tiny medium
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

# name: (n_features, hidden_layer_sizes, batch_size, n_samples, epochs)
WORKLOADS = {
    "tiny": (10, (16,), 32, 16_000, 5),
    "medium": (50, (100,), 200, 20_000, 5),
    "deep": (100, (256, 128), 256, 20_000, 3),
    "wide": (784, (512, 256), 128, 10_000, 2),
}


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
    """The machine's matrix-multiply rate: median of n x n products."""
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


def run_workload(name, dtype, repeats):
    n_features, hidden, batch_size, n_samples, epochs = WORKLOADS[name]
    X, y = make_data(n_features, n_samples, dtype)
    layer_sizes = (n_features, *hidden, 1)
    coefs, intercepts = initial_weights(layer_sizes, dtype)
    flops = fit_flops(layer_sizes, n_samples, epochs)
    ours, theirs, torch_times, ratios, peaks, fractions = [], [], [], [], [], []
    for rep in range(repeats + 1):  # the first pair is a warm-up
        a = sknn_model(coefs, intercepts, hidden, batch_size, epochs)
        b = sklearn_model(coefs, intercepts, hidden, batch_size, epochs, X, y)
        peak = matmul_gflops(dtype, repeats=3)
        t_a, t_b = timed_fit(a, X, y), timed_fit(b, X, y)
        t_c = torch_fit(coefs, intercepts, X, y, batch_size, epochs) if torch else None
        if rep:
            ours.append(t_a)
            theirs.append(t_b)
            ratios.append(t_a / t_b)
            torch_times.append(t_c)
            peaks.append(peak)
            fractions.append(flops / t_a / 1e9 / peak)
    diff = max(
        float(np.max(np.abs(p - q)))
        for p, q in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_)
    )
    return {
        "workload": name,
        "dtype": np.dtype(dtype).name,
        "sknn": float(np.median(ours)),
        "sklearn": float(np.median(theirs)),
        "ratio": float(np.median(ratios)),
        # The ratio if sknn did nothing but its matrix products, at the
        # 2048^2 rate: no implementation of the same arithmetic goes below it.
        "floor": flops / float(np.median(peaks)) / 1e9 / float(np.median(theirs)),
        "torch": float(np.median(torch_times)) if torch else None,
        "max_weight_diff": diff,
        "gflops": flops / float(np.median(ours)) / 1e9,
        "peak_gflops": float(np.median(peaks)),
        "fraction": float(np.median(fractions)),
    }


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
    args = parser.parse_args()
    if args.repeats < 3:
        parser.error("--repeats must be at least 3")

    print(
        f"sknn {sknn.__version__}, scikit-learn {sklearn.__version__}, "
        f"numpy {np.__version__}"
        + (f", torch {torch.__version__}" if torch else "")
        + f"; {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs; {args.repeats} timed pairs after a warm-up"
    )
    print()
    rows = [
        run_workload(w, dt, args.repeats) for w in args.workloads for dt in args.dtypes
    ]
    torch_header = " torch CPU (s) |" if torch else ""
    print(
        "| workload | dtype | sknn (s) | MLPClassifier (s) | ratio sknn/sklearn | "
        "matmul floor of the ratio |" + torch_header + " max weight diff |"
    )
    print("|---|---|---:|---:|---:|---:|" + ("---:|" if torch else "") + "---:|")
    for r in rows:
        torch_cell = f" {r['torch']:.3f} |" if torch else ""
        print(
            f"| {r['workload']} | {r['dtype']} | {r['sknn']:.3f} | "
            f"{r['sklearn']:.3f} | {r['ratio']:.2f} | {r['floor']:.2f} |{torch_cell} "
            f"{r['max_weight_diff']:.1e} |"
        )
    print()
    print(
        "| workload | dtype | sknn fit GFLOP/s | matmul GFLOP/s (2048^2) | fraction |"
    )
    print("|---|---|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['workload']} | {r['dtype']} | {r['gflops']:.1f} | "
            f"{r['peak_gflops']:.1f} | {r['fraction']:.0%} |"
        )


if __name__ == "__main__":
    main()
