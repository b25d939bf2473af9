"""Lesson: class imbalance in ten minutes, one step at a time, for a classroom or a first visit."""

from __future__ import annotations

import streamlit as st

from components.cache import current
from components.lesson_views import (
    generator_panel,
    glossary,
    hardness_panel,
    leakage_panel,
    lesson_nav,
    lesson_step,
    number_lesson_panel,
    paradox_panel,
    production_lesson_panel,
    smote_lesson_panel,
    sweep_panel,
    threshold_lesson_panel,
    tour,
)
from components.messages import show_message
from components.page_setup import page_guard
from components.split_controls import shared_spec

page_guard()

st.title("Lesson: class imbalance in ten minutes")
st.caption(
    "Seven short steps, each with one thing to do and one thing to look for. Below them: a data generator, what "
    "the imbalance ratio changes, a glossary and a tour of the app."
)
prepared = current()


def on_classes(panel):
    """A step that reads the current data's classes; with a number or no target it says so, and Next still works."""
    if prepared is not None and prepared.ready:
        return lambda: panel(prepared)
    return lambda: show_message("info", "This step reads the current data's classes. Load data with a class target "
                                "on the Data page, or make a dataset with the generator below; Next and Back work.")  # fmt: skip


step = lesson_step()
st.header(step.title)
{
    "paradox": on_classes(paradox_panel),
    "smote": smote_lesson_panel,
    "leakage": on_classes(leakage_panel),
    "thresholds": on_classes(lambda p: threshold_lesson_panel(p, shared_spec())),
    "production": on_classes(lambda p: production_lesson_panel(p, shared_spec())),
    "hardness": hardness_panel,
    "numbers": number_lesson_panel,
}[step.key]()
lesson_nav(where=".below")

st.divider()
st.header("More to explore")
with st.expander("Make a dataset with the imbalance you want", icon=":material/casino:"):
    generator_panel()
with st.expander("How the imbalance ratio changes things", icon=":material/trending_up:"):
    sweep_panel()
with st.expander("Glossary", icon=":material/menu_book:", expanded=True):
    glossary()
with st.expander("A tour of the app", icon=":material/flag:"):
    tour()
