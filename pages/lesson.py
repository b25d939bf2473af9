"""Lesson: class imbalance without code, for a classroom or a first visit."""

from __future__ import annotations

import streamlit as st

from components.lesson_views import (
    generator_panel,
    glossary,
    hardness_panel,
    leakage_panel,
    paradox_panel,
    production_lesson_panel,
    sweep_panel,
    tour,
)
from components.page_setup import page_guard, require_prepared
from components.split_controls import shared_spec

page_guard()

st.title("Lesson: class imbalance")
st.caption(
    "Six short steps through the app, a data generator, two classic traps, what the ratio changes, why rare is "
    "not the same as hard, and a glossary."
)

st.header("Guided tour")
tour()
st.header("Make a dataset with the imbalance you want")
generator_panel()
prepared = require_prepared()
st.header("Trap 1: the accuracy paradox")
paradox_panel(prepared)
st.header("Trap 2: leakage from resampling before the split")
leakage_panel(prepared)
st.header("How the imbalance ratio changes things")
sweep_panel()
st.header("Rare is not the same as hard")
hardness_panel()
st.header("Scores in the data, scores in production")
production_lesson_panel(prepared, shared_spec())
st.header("Glossary")
glossary()
