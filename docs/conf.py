"""Sphinx configuration for the sknn documentation.

Build with ``python -m sphinx -W -b html docs docs/_build/html`` after
``python -m pip install ".[docs]"`` (warnings are errors).  The ``docs``
extra is all the build needs, and neither the build nor the pages it writes
use the network:

* no intersphinx, and sphinx-gallery links into no other project's docs;
* MathJax is served from the build's ``_static/mathjax``: the
  ``sphinx-mathjax-offline`` package ships MathJax 3 (Apache-2.0) and copies
  it there, instead of the page loading it from a CDN;
* sphinx-gallery's execution-time pages, which load jQuery, DataTables and
  Bootstrap from CDNs, are not written.  Timings belong on the performance
  page anyway, measured by the benchmark scripts.

``tests/test_docs.py`` checks all of this on a full build.
"""

import os
import re
import sys
from datetime import date
from pathlib import Path

from docutils import nodes
from sphinx.directives.code import LiteralInclude
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.abspath(".."))
os.environ.setdefault("MPLBACKEND", "Agg")

import sknn  # noqa: E402

# The gallery runs in this process.  Its networks are small: several BLAS
# threads gain nothing on their matrix products and, on a busy machine,
# mostly wait for each other (2-4x slower on a loaded 2-core machine).  One
# thread keeps the build's time steady; the examples print no timings, so
# nothing shown depends on it.
threadpool_limits(limits=1, user_api="blas")

project = "sknn"
author = "The sknn developers"
copyright = f"{date.today().year}, {author}"
release = sknn.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    # Sets mathjax_path to the copy of MathJax it puts in _static/mathjax.
    "sphinx-mathjax-offline",
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
# "On this page" of the API page lists "fit()", not "MLPBinaryClassifier.fit()",
# which the column would cut off.
toc_object_entries_show_parents = "hide"

html_theme = "pydata_sphinx_theme"
html_title = f"sknn {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    # The example pages are mostly code and figures: give them the width of
    # the right-hand "On this page" column (the left one lists the examples).
    "secondary_sidebar_items": {
        "**": ["page-toc", "edit-this-page", "sourcelink"],
        **{
            f"auto_examples/{example.stem}": []
            for example in (Path(__file__).parent / "../examples").glob("plot_*.py")
        },
    },
}
html_static_path = ["_static"]
html_css_files = ["sknn.css"]
# The left sidebar ("Section Navigation") lists a page's subpages; only the
# gallery and the API reference have any.  Elsewhere it would be an empty
# column taking width from the page (and from the wide parameter table of
# from_mlpclassifier): every other top-level page goes without it, a new
# page included.
html_sidebars = {
    page.stem: [] for page in Path(__file__).parent.glob("*.rst") if page.stem != "api"
}

# The example gallery.  Every example runs during the build, the two Dask
# ones included: the docs extra installs dask[distributed] and dask-ml, their
# local clusters run in this process (threads), listen on 127.0.0.1 only and
# are closed by the example, and each takes a few seconds.  Rendering them
# without running them would leave their pages without output or figures.
# No example measures time: speed is the performance page's subject.
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"quickstart\.py",
    "download_all_examples": False,
    "remove_config_comments": True,
    "reference_url": {},  # no links into other projects' docs: offline build
    "within_subsection_order": "FileNameSortKey",
    # Show what the examples print, never the repr of a block's last
    # expression (``<matplotlib.legend.Legend object at 0x...>``, ``Text(...)``).
    "capture_repr": (),
    # The sg_execution_times pages load jQuery, DataTables and Bootstrap from
    # CDNs, and a single run's timings are no measurement: no timing pages,
    # and no "Total running time of the script" under any example (only
    # runs longer than min_reported_time seconds would report it).
    "write_computation_times": False,
    "min_reported_time": 24 * 3600,
}


# Defaults, read from the estimators themselves so that the pages never
# disagree with the code: ``|sknn-alpha|`` is MLPBinaryClassifier's default
# ``alpha`` as a literal, ``|sklearn-alpha|`` MLPClassifier's.
def _default_substitutions():
    from sklearn.neural_network import MLPClassifier

    lines = []
    for prefix, estimator in (
        ("sknn", sknn.MLPBinaryClassifier()),
        ("sklearn", MLPClassifier()),
    ):
        for name, value in estimator.get_params().items():
            lines.append(f".. |{prefix}-{name}| replace:: ``{value!r}``")
    return "\n".join(lines) + "\n"


rst_prolog = _default_substitutions()


class ExampleInclude(LiteralInclude):
    """``literalinclude`` for an example script, without its ``# %%`` lines.

    The examples mark their cells with ``# %%`` comments for editors and
    sphinx-gallery; in a listing they are noise.
    """

    _CELL_MARKER = re.compile(r"^# %%.*\n", flags=re.MULTILINE)

    def run(self):
        result = super().run()
        for node in result:
            for block in node.findall(nodes.literal_block):
                text = self._CELL_MARKER.sub("", block.astext())
                block.rawsource = text
                block.children = [nodes.Text(text)]
        return result


def setup(app):
    app.add_directive("example-include", ExampleInclude)
