"""Choosing a 2-D view: two different numeric features for a plot's axes, or a projection."""

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


def view_picker(
    label: str, views: dict[str, str], *, key: str, default: str, numeric: list[str], keys_xy: tuple[str, str],
    columns: tuple,
) -> tuple[str, tuple[str, str] | None] | None:  # fmt: skip
    """A horizontal choice of 2-D view in ``columns[0]`` and, for the view ``"features"``, the two feature
    pickers in ``columns[1]`` and ``columns[2]``. Returns the view and the features (``None`` unless
    ``"features"``), or ``None`` when the same feature is picked twice (a hint is shown)."""
    with columns[0]:
        view = st.radio(
            label, list(views), format_func=views.__getitem__, horizontal=True,
            **state.bind_choice(key, list(views), default),
        )  # fmt: skip
    if view != "features":
        return view, None
    pair = feature_pair(numeric, key_x=keys_xy[0], key_y=keys_xy[1], columns=(columns[1], columns[2]))
    return None if pair is None else (view, pair)
