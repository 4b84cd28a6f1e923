"""``python -m sknn`` and show_versions."""

import io
import os
import subprocess
import sys
from importlib import metadata

import pytest

import sknn
from sknn import show_versions


def test_show_versions_lists_dependencies_and_extras():
    out = io.StringIO()
    show_versions(file=out)
    text = out.getvalue()
    assert text.startswith(f"sknn {sknn.__version__}\n")
    for package in ("numpy", "scipy", "scikit-learn", "joblib"):
        assert f"  {package}: {metadata.version(package)}" in text
    for extra in ("examples", "onnx", "dask", "skops", "docs"):
        assert f"  {extra}: " in text


def test_missing_packages_are_reported(monkeypatch):
    real = metadata.version

    def version(name):
        if name == "skops":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(metadata, "version", version)
    out = io.StringIO()
    show_versions(file=out)
    assert "  skops: not available (skops missing)" in out.getvalue()


def test_python_dash_m_sknn():
    result = subprocess.run(
        [sys.executable, "-m", "sknn"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.startswith(f"sknn {sknn.__version__}")
    assert "scikit-learn" in result.stdout


@pytest.mark.parametrize("value", ["banana", "none", "-1"])
def test_an_invalid_fast_path_switch_is_reported(value):
    env = {**os.environ, "SKNN_FAST_PATH": value}
    result = subprocess.run(
        [sys.executable, "-m", "sknn"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=env,
    )
    line = next(
        line for line in result.stdout.splitlines() if line.startswith("fast path:")
    )
    assert line.startswith(f"fast path: invalid SKNN_FAST_PATH='{value}'")
    assert "1, true, yes, on, 0, false, no, off, always" in line


@pytest.mark.parametrize(("value", "state"), [("0", "off"), ("always", "always")])
def test_the_fast_path_setting_is_reported(value, state, monkeypatch):
    pytest.importorskip("numba")
    monkeypatch.setenv("SKNN_FAST_PATH", value)
    out = io.StringIO()
    show_versions(file=out)
    assert f"fast path: {state} (" in out.getvalue()
