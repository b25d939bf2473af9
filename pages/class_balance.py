"""Class balance page: how the classes of the target are distributed."""

from __future__ import annotations

import streamlit as st

from components import state
from components.cache import current
from components.class_balance import class_balance_panel
from components.diagnosis_views import diagnosis_panel
from components.messages import plain, show_message
from components.number_target import number_distribution
from components.page_setup import page_guard, require_split

page_guard()

st.title("Class balance")
prepared = current()
if prepared is None or prepared.distribution is None:
    if number_distribution(prepared) is not None:  # a skewed number: its rare range, and the two ways in
        st.page_link(
            "pages/train.py", label="Explore it as a number: train strategies", icon=":material/model_training:"
        )
        st.page_link("pages/data.py", label="Make a rare class of it on the Data page", icon=":material/category:")
        st.stop()
    show_message("error", (prepared.problem if prepared is not None else None) or "No usable target yet.")
    st.page_link("pages/data.py", label="Choose data and a target on the Data page", icon=":material/table:")
    st.stop()

st.caption(f"Target {plain(repr(prepared.target))} in {plain(prepared.dataset.name)}")
log_scale = st.toggle(
    "Log scale",
    key=state.W_LOG_SCALE,
    help="Makes very small classes visible next to a very large one.",
)
class_balance_panel(prepared.distribution, target=prepared.target or "", log_scale=log_scale)

if prepared.ready:
    st.header("Why is it hard?")
    diagnosis_panel(prepared, require_split(prepared, folded=True))
