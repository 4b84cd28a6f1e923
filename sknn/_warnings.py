"""Warnings that point at the user's code."""

import sys
import warnings

__all__ = ["warn"]


def warn(message, category=UserWarning):
    """Warn, pointing at the first caller outside sknn (and sklearn.callback)."""
    frame, level = sys._getframe(0), 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith(
        ("sknn.", "sklearn.callback")
    ):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
