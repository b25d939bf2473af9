"""Every chart with its text alternative: the figure, then the same figure's numbers in an expander."""

from __future__ import annotations

from contextlib import nullcontext

import plotly.graph_objects as go
import streamlit as st

from components import state
from components.messages import plain
from components.presenting import CHART_FONT, presenting
from core.output.chart_text import chart_text
from core.output.style import legend_below

CONFIG = {"displaylogo": False}
#: The text colour of charts when presenting: near black, not the theme's light grey.
INK = "#111111"


def _for_projector(fig: go.Figure) -> go.Figure:
    """A copy (the figure may be cached) with larger text, a taller plot, and a legend under the axis laid out again
    for the larger text (:func:`core.output.figures.legend_below`)."""
    big = go.Figure(fig)
    big.update_layout(
        font={"size": CHART_FONT, "color": INK}, title_font_size=CHART_FONT + 3,
        height=int((fig.layout.height or 450) * 1.3),
    )  # fmt: skip
    big.update_xaxes(tickfont_color=INK, title_font_color=INK)  # high contrast from the back of a room
    big.update_yaxes(tickfont_color=INK, title_font_color=INK)
    if big.layout.legend.yref == "container":
        legend_below(big)
    return big


def show_chart(fig: go.Figure, *, key: str, where=None) -> None:
    """Draw ``fig`` (in the container ``where``, else here) with "Chart as numbers" below it.

    The expander holds :func:`core.output.chart_text.chart_text` of the very figure drawn, so the words a
    screen reader or a projector audience gets always match the picture. It is filled when opened.
    """
    if presenting():
        fig = _for_projector(fig)
    with where if where is not None else nullcontext():
        st.plotly_chart(fig, key=key, config=CONFIG)
        # Filled only when opened: a closed expander's tables would still be built, sent and mounted by the
        # browser on every rerun (about 0.1 s a table in software-rendered Chromium, 10 of them on Train).
        numbers = st.expander("Chart as numbers", icon=":material/table_rows:", key=state.numbers_key(key),
                              on_change="rerun")  # fmt: skip
        with numbers:
            if numbers.open:
                text = chart_text(fig)
                st.caption(plain(text.summary))
                for table in (text.points, text.clouds):
                    if table is not None:
                        st.dataframe(table, hide_index=True, width="stretch", height="auto")
