"""The shared frame drawn around every page: the sidebar with the current dataset."""

from __future__ import annotations

import streamlit as st

from components.cache import cached_split, current
from components.messages import plain, show_message
from components.number_views import is_number_target
from components.split_controls import split_controls
from core.data.prepared import PreparedData
from core.data.split import Split
from core.errors import UserFacingError


def sidebar_dataset(prepared: PreparedData | None) -> None:
    """Show which dataset is loaded, its size, target and class mix in the sidebar."""
    with st.sidebar:
        st.markdown("##### Current dataset")
        if prepared is None:
            st.caption("No data loaded yet: choose one on the Data page.")
            return
        ds = prepared.dataset
        st.markdown(f"**{plain(ds.name)}**")
        origin = {"sample": "bundled sample", "folder": "the server's data folder"}.get(ds.origin, "your upload")
        st.caption(f"{plain(origin)} · {ds.n_rows:,} rows × {ds.n_columns:,} columns")
        if ds.sample is not None:
            st.caption(f"A working sample of the file's {ds.sample.scan.n_rows:,} rows")
        if ds.source is not None and ds.source.reader == "generated" and ds.details:
            st.caption(plain(ds.details))  # a class made from a number: where it came from, on every page
        if prepared.distribution is not None and prepared.target is not None:
            dist = prepared.distribution
            st.caption(
                f"Target {plain(repr(prepared.target))}: {dist.n_classes} classes, "
                f"{dist.severity.value} imbalance ({dist.imbalance_ratio:,.1f} : 1)"
            )
        elif is_number_target(prepared):
            st.caption(f"Target {plain(repr(prepared.target))}: a number (explored as a number, or made a class on "
                       "the Data page)")  # fmt: skip
        else:
            st.caption(":orange[Target not usable yet, see the Data page.]")


def page_guard() -> None:
    """Make sure a page runs inside the router, even when a fresh server is opened at a page's URL.

    With a ``pages/`` folder beside ``app.py``, Streamlit starts in its legacy multipage mode
    and, until some session has run ``st.navigation``, runs a page opened by URL on its own,
    without ``app.py`` (no dataset, no sidebar). This switches the server to ``st.navigation``
    mode and reruns, so ``app.py`` routes to the same page.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # pragma: no cover - a Streamlit without this internal
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def require_prepared() -> PreparedData:
    """The session's prepared data, or a message with a link to the Data page and a stop."""

    prepared = current()
    if prepared is None or not prepared.ready:
        show_message("error", (prepared.problem if prepared else None) or "Load data and pick a target first.")
        st.page_link("pages/data.py", label="Go to the Data page", icon=":material/table:")
        st.stop()
    return prepared


def require_split(prepared: PreparedData, *, folded: bool) -> Split:
    """The split settings (in an expander when ``folded``) and the shared split, or a message and a stop."""

    if folded:
        with st.expander("Split settings (shared with the other pages)"):
            spec = split_controls()
    else:
        spec = split_controls()
    try:
        return cached_split(prepared, spec)
    except UserFacingError as exc:
        show_message("error", str(exc))
        st.stop()
