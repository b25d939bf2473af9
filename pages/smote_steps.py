"""SMOTE step by step: how one synthetic row is made."""

from __future__ import annotations

import streamlit as st

from components.page_setup import page_guard, require_prepared
from components.presenting import presenting
from components.smote_walkthrough_view import smote_steps_panel

page_guard()

st.title("SMOTE step by step")
if not presenting():  # on a projector the steps say it, and the picture stays above the fold
    st.caption(
        "SMOTE makes new rows of a small class by drawing points on the lines between a row and its nearest "
        "neighbours of the same class. Watch it one step at a time on a small toy dataset, or on the training rows of "
        "your data."
    )
smote_steps_panel(require_prepared())
