"""SMOTE step by step: how one synthetic row is made."""

from __future__ import annotations

import streamlit as st

from components.page_setup import page_guard, require_prepared, require_split
from components.smote_walkthrough_view import smote_steps_panel

page_guard()

st.title("SMOTE step by step")
st.caption(
    "SMOTE makes new rows of a small class by drawing points on the lines between a row and its nearest neighbours "
    "of the same class. Watch it one step at a time on a small toy dataset, or on the training rows of your data."
)
prepared = require_prepared()
split = require_split(prepared, folded=True)
smote_steps_panel(prepared, split)
