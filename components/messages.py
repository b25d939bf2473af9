"""Show messages that may contain user strings, escaped so nothing renders as Markdown or HTML."""

from __future__ import annotations

from typing import Literal

import streamlit as st

from core.text import escape_markdown

Kind = Literal["error", "warning", "info", "success"]


def show_message(kind: Kind, text: str, *, icon: str | None = None) -> None:
    """Show ``text`` in an alert box of the given kind, as plain text."""
    box = {"error": st.error, "warning": st.warning, "info": st.info, "success": st.success}[kind]
    default_icon = {
        "error": ":material/error:",
        "warning": ":material/warning:",
        "info": ":material/info:",
        "success": ":material/check_circle:",
    }[kind]
    box(escape_markdown(text), icon=icon or default_icon)


def plain(text: object) -> str:
    """Escape a user string for any Streamlit call that renders Markdown (labels, captions, titles)."""
    return escape_markdown(text)
