"""Make user-supplied strings (column names, labels, file names) safe to display.

Streamlit renders Markdown and plotly renders a subset of HTML in labels, so a column
called ``<img src=x onerror=...>`` or ``[click](javascript:...)`` must be neutralised
before it reaches either. Downloads get their own protection in :mod:`core.output.safe_download`.
"""

from __future__ import annotations

import html
import re

__all__ = ["escape_markdown", "plot_label", "shorten"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def escape_markdown(text: object) -> str:
    """Return ``text`` with every Markdown/HTML-significant character backslash-escaped.

    The result shows the original characters literally when passed to ``st.markdown``,
    widget labels or captions.
    """
    s = str(text).replace("\r", " ").replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", s)


def plot_label(text: object, *, max_len: int = 60) -> str:
    """Return ``text`` shortened and HTML-escaped for use as plotly text, tick or hover label."""
    return html.escape(shorten(str(text), max_len=max_len), quote=True)


def shorten(text: str, *, max_len: int = 60) -> str:
    """Cut ``text`` to ``max_len`` characters, ending with an ellipsis when cut."""
    return text if len(text) <= max_len else text[: max_len - 1] + "…"
