"""``python -m sknn``: print the versions to paste into a bug report."""

from ._show_versions import show_versions

show_versions()
