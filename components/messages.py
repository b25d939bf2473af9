"""Show messages that may contain user strings, escaped so nothing renders as Markdown or HTML."""

from __future__ import annotations

from typing import Literal

import streamlit as st

from core.safe_text import escape_markdown

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


def made_when_asked(key: object, *, asked: str, store: str, working: str, make, kind: Kind = "error"):
    """The result of ``make()`` kept in ``st.session_state[store]`` for ``key``, made once a button has put ``key``
    in ``st.session_state[asked]`` (``None`` until then).

    While it runs a spinner says ``working``; a :class:`~core.errors.UserFacingError` is shown as a message of
    ``kind`` (not a traceback) and the request is cleared, so pressing the button again retries.
    """
    from core.errors import UserFacingError

    ready = st.session_state.get(store)
    if st.session_state.get(asked) == key and (ready is None or ready[0] != key):
        try:
            with st.spinner(working, show_time=True):
                st.session_state[store] = ready = (key, make())
        except UserFacingError as exc:
            st.session_state.pop(asked, None)
            show_message(kind, str(exc))
    return ready[1] if ready is not None and ready[0] == key else None
