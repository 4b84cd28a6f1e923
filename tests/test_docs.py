"""The documentation builds offline with warnings as errors."""

import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_sphinx_build_has_no_warnings(tmp_path):
    pytest.importorskip("sphinx")
    pytest.importorskip("sphinx_gallery")
    pytest.importorskip("numpydoc")
    pytest.importorskip("pydata_sphinx_theme")
    # The examples are run by tests/test_examples.py; here the gallery pages
    # are generated without running them again.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-b",
            "html",
            "-D",
            "plot_gallery=0",
            "-d",
            str(tmp_path / "doctrees"),
            str(DOCS),
            str(tmp_path / "html"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    html = tmp_path / "html"
    api = (html / "generated" / "sknn.MLPBinaryClassifier.html").read_text()
    for method in ("fit", "partial_fit", "predict_proba", "to_sklearn"):
        assert f'id="sknn.MLPBinaryClassifier.{method}"' in api
    for page in (
        "user_guide",
        "from_mlpclassifier",
        "getting_started",
        "performance",
        "accuracy",
        "changelog",
        "auto_examples/index",
    ):
        assert (html / f"{page}.html").exists()
