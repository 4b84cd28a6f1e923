"""Sphinx configuration for the sknn documentation.

Build with ``sphinx-build -W -b html docs docs/_build/html`` (warnings are
errors).  The build needs no network: no intersphinx, and MathJax is only
loaded by the browser that shows the pages.
"""

import os
import sys
from datetime import date

sys.path.insert(0, os.path.abspath(".."))
os.environ.setdefault("MPLBACKEND", "Agg")

import sknn  # noqa: E402

project = "sknn"
author = "The sknn developers"
copyright = f"{date.today().year}, {author}"
release = sknn.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py"]
templates_path = ["_templates"]

# API pages: our own methods only.  Methods inherited from scikit-learn
# (get_params, set_params, score, set_fit_request, ...) are not repeated here;
# their docstrings point into scikit-learn's documentation.
autosummary_generate = True
autodoc_default_options = {"inherited-members": False}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

html_theme = "pydata_sphinx_theme"
html_title = f"sknn {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_static_path = []

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"quickstart\.py",
    "download_all_examples": False,
    "remove_config_comments": True,
    "reference_url": {},  # no links into other projects' docs: offline build
    "within_subsection_order": "FileNameSortKey",
}
