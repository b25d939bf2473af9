"""Presentation mode for classrooms and meetings: larger type, settings tucked away, one chart per width.

Opened with ``?present=1`` in the address or the sidebar toggle (the two stay in step, so a link can
be shared). The same pages run; only the frame changes: a style sheet that enlarges the type and
stacks side-by-side charts, settings blocks folded into a "Settings" expander, and charts drawn with
larger text.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

import streamlit as st

from components import state

#: A fixed style sheet (no user text ever reaches it). Streamlit sizes its type in rem, so the root
#: size scales every text; columns holding a chart are stacked so each chart gets the full width.
_STYLE = """
<style>
html { font-size: 21px; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-left: 3rem; padding-right: 3rem; }
[data-testid="stHorizontalBlock"]:has([data-testid="stPlotlyChart"]) { flex-direction: column; }
[data-testid="stHorizontalBlock"]:has([data-testid="stPlotlyChart"]) > [data-testid="stColumn"] {
  width: 100% !important; flex: 1 1 100% !important;
}
</style>
"""
#: Text size of charts when presenting (plotly's default is 12).
CHART_FONT = 17


def presenting() -> bool:
    """Whether this session is in presentation mode."""
    return bool(st.session_state.get(state.W_PRESENT, False))


def _sync_param() -> None:
    if st.session_state.get(state.W_PRESENT):
        st.query_params[state.PRESENT_PARAM] = "1"
    elif state.PRESENT_PARAM in st.query_params:
        del st.query_params[state.PRESENT_PARAM]


def presentation_toggle() -> None:
    """The sidebar toggle; ``?present=1`` switches it on when a session starts or the link is opened again."""
    if st.query_params.get(state.PRESENT_PARAM) == "1":
        st.session_state[state.W_PRESENT] = True
    with st.sidebar:
        st.toggle(
            "Presentation mode", key=state.W_PRESENT, on_change=_sync_param,
            help="Larger type, settings folded away and one chart per screen width, for a projector. "
            "Share it as a link with ?present=1.",
        )  # fmt: skip
    if presenting():
        _sync_param()  # page changes drop the query string; keep the link shareable
        st.html(_STYLE)


def walkthrough_nav(steps: list, current) -> None:
    """When presenting: where this page is in the walkthrough (Data → Class balance → Resample → Train → Compare),
    with Back and Next links, so the presenter never opens the folded sidebar. ``steps`` are the
    :func:`st.Page` objects in order; a page outside them gets nothing."""
    if not presenting():
        return
    titles = [p.title for p in steps]
    if current.title not in titles:
        return
    i = titles.index(current.title)
    back, where, forward = st.columns([2, 3, 2], vertical_alignment="center")
    if i > 0:
        back.page_link(steps[i - 1], label=f"Back: {steps[i - 1].title}", icon=":material/arrow_back:")
    where.markdown(f"**Step {i + 1} of {len(steps)}: {current.title}**", text_alignment="center")
    if i + 1 < len(steps):
        forward.page_link(steps[i + 1], label=f"Next: {steps[i + 1].title}", icon=":material/arrow_forward:")


def settings_area(label: str = "Settings") -> AbstractContextManager:
    """Where a page's settings go: in place normally, folded in an expander when presenting."""
    if presenting():
        return st.expander(label, icon=":material/tune:")
    return nullcontext()
