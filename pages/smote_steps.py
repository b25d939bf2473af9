"""SMOTE step by step: how one synthetic row is made."""

from __future__ import annotations

import streamlit as st

from components.cache import cached_split, current
from components.frame import page_guard
from components.messages import show_message
from components.smote_steps_view import smote_steps_panel
from components.split_controls import split_controls
from core.errors import UserFacingError
from core.split import SplitSpec

page_guard()

st.title("SMOTE step by step")
st.caption(
    "SMOTE makes new rows of a small class by drawing points on the lines between a row and its nearest neighbours "
    "of the same class. Here you can watch it happen on the training rows of your data."
)
prepared = current()
if prepared is None or not prepared.ready:
    show_message("error", (prepared.target_error if prepared else None) or "Load data and pick a target first.")
    st.page_link("pages/data.py", label="Go to the Data page", icon=":material/table:")
    st.stop()
with st.expander("Split settings (shared with the Resample page)"):
    spec = split_controls()
try:
    split = cached_split(prepared, spec or SplitSpec())
except UserFacingError as exc:
    show_message("error", str(exc))
    st.stop()
smote_steps_panel(prepared, split)
