"""The documentation builds offline with warnings as errors, and reads offline.

``test_sphinx_build_has_no_warnings`` is a quick build that writes the gallery
pages without running the examples (tests/test_examples.py runs them).
``test_full_build_the_readme_way`` is marked slow (``python -m pytest -m
slow``): it builds a fresh copy of the docs exactly as the README says, gallery
included, with the interpreter named by ``SKNN_DOCS_PYTHON`` (default: the one
running the tests).  ``.ci/run`` points it at a virtual environment that has
only the ``docs`` extra, which checks that the extra is enough.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"

# The documentation command of README.md, run word for word by the slow test.
README_DOCS_COMMAND = (
    'python -m pip install ".[docs]" && '
    "python -m sphinx -W -b html docs docs/_build/html"
)

PAGES = (
    "index",
    "user_guide",
    "from_mlpclassifier",
    "getting_started",
    "performance",
    "accuracy",
    "changelog",
    "api",
    "auto_examples/index",
)

# A tag that makes the browser fetch something: a script, a stylesheet, a
# font, an image or a frame.  <a href> links are fine: they are only followed
# when clicked.
FETCHING_TAG = re.compile(r"<(script|link|img|iframe|source)\b[^>]*>", re.IGNORECASE)
NETWORK_URL = re.compile(
    r"""\b(src|href)\s*=\s*["']?\s*(https?:|//)""", flags=re.IGNORECASE
)
CSS_NETWORK_URL = re.compile(
    r"""(url\(\s*["']?\s*(https?:|//))|(@import\s+["'](https?:|//))""",
    flags=re.IGNORECASE,
)
# What sphinx-gallery shows when a code block ends with an expression whose
# value is a matplotlib object.
STRAY_REPR = re.compile(r"object at 0x[0-9a-f]+|\bText\(|&lt;matplotlib\.")


def _require_sphinx():
    for module in ("sphinx", "sphinx_gallery", "numpydoc", "pydata_sphinx_theme"):
        pytest.importorskip(module)


def _network_references(html_dir):
    """Every script, stylesheet, font or image a page would fetch remotely."""
    found = []
    for page in sorted(html_dir.rglob("*.html")):
        for match in FETCHING_TAG.finditer(page.read_text(encoding="utf-8")):
            if NETWORK_URL.search(match.group(0)):
                found.append(f"{page.relative_to(html_dir)}: {match.group(0)}")
    for sheet in sorted(html_dir.rglob("*.css")):
        for match in CSS_NETWORK_URL.finditer(sheet.read_text(encoding="utf-8")):
            found.append(f"{sheet.relative_to(html_dir)}: {match.group(0)}")
    return found


def _assert_offline(html_dir):
    assert _network_references(html_dir) == []
    # Math is typeset by the copy of MathJax in _static, fonts included.
    mathjax = html_dir / "_static" / "mathjax"
    assert (mathjax / "tex-chtml.js").is_file()
    fonts = list((mathjax / "output" / "chtml" / "fonts").rglob("*.woff"))
    assert fonts, "MathJax's fonts were not copied"
    user_guide = (html_dir / "user_guide.html").read_text(encoding="utf-8")
    assert 'src="_static/mathjax/tex-chtml.js"' in user_guide
    assert r"\frac{\partial J}" in user_guide  # the formulas it typesets
    # The execution-time pages of sphinx-gallery load scripts from CDNs.
    assert not list(html_dir.rglob("sg_execution_times.html"))


def test_readme_has_the_documented_docs_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`{README_DOCS_COMMAND}`" in readme


def test_sphinx_build_has_no_warnings(tmp_path):
    _require_sphinx()
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
    for page in PAGES:
        assert (html / f"{page}.html").exists()
    _assert_offline(html)
    # The quickstart listing is shown without the "# %%" cell markers.
    getting_started = (html / "getting_started.html").read_text(encoding="utf-8")
    assert "MLPBinaryClassifier" in getting_started
    assert "# %%" not in getting_started


def _fresh_checkout(destination):
    """The files a documentation build reads, as in a new clone."""
    ignore = shutil.ignore_patterns(
        "_build", "auto_examples", "generated", "sg_execution_times.rst", "__pycache__"
    )
    shutil.copytree(DOCS, destination / "docs", ignore=ignore)
    shutil.copytree(EXAMPLES, destination / "examples", ignore=ignore)
    # conf.py imports sknn from the checkout, as in the repository.
    (destination / "sknn").symlink_to(ROOT / "sknn", target_is_directory=True)
    return destination


@pytest.mark.slow
def test_full_build_the_readme_way(tmp_path):
    python = os.environ.get("SKNN_DOCS_PYTHON", sys.executable)
    if python == sys.executable:
        _require_sphinx()
    checkout = _fresh_checkout(tmp_path / "checkout")
    build_command = README_DOCS_COMMAND.split(" && ")[1].split()
    assert build_command[0] == "python"
    result = subprocess.run(
        [python, *build_command[1:]],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    log = result.stdout[-5000:] + result.stderr[-5000:]
    assert result.returncode == 0, log
    html = checkout / "docs" / "_build" / "html"
    for page in PAGES:
        assert (html / f"{page}.html").exists()
    _assert_offline(html)

    gallery_pages = sorted((html / "auto_examples").glob("plot_*.html"))
    examples = sorted(EXAMPLES.glob("plot_*.py"))
    assert [p.stem for p in gallery_pages] == [p.stem for p in examples]
    for page in gallery_pages:
        text = page.read_text(encoding="utf-8")
        stray = STRAY_REPR.findall(text)
        assert not stray, f"{page.name} shows {stray}"
        # A single run's timing is no measurement: the pages show none.
        assert "Total running time" not in text, page.name
        # Every example ran and drew its figures.
        assert f"sphx_glr_{page.stem}_001.png" in text, page.name
