"""A pair of select boxes choosing two different numeric features for a plot's axes."""

from __future__ import annotations

import streamlit as st

from components import state
from components.messages import show_message


def feature_pair(numeric: list[str], *, key_x: str, key_y: str, columns: tuple) -> tuple[str, str] | None:
    """Draw the x and y pickers in the two given columns; ``None`` (with a hint) when both are the same."""
    with columns[0]:
        fx = st.selectbox("x axis", numeric, **state.bind_choice(key_x, numeric, numeric[0]))
    with columns[1]:
        fy = st.selectbox("y axis", numeric, **state.bind_choice(key_y, numeric, numeric[1]))
    if fx == fy:
        show_message("info", "Pick two different features for the axes.")
        return None
    return fx, fy
