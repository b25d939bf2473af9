"""Imbalance Explorer: the router and the shared frame. Pages live in ``pages/``."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components.cache import current
from components.dataset_picker import ensure_dataset
from components.large_data import sample_line
from components.page_setup import sidebar_dataset
from components.presenting import presentation_toggle, walkthrough_nav
from components.state import PRESENT_PARAM
from components.warmup import warm_up

st.set_page_config(
    page_title="Imbalance Explorer", page_icon=":material/balance:", layout="wide",
    initial_sidebar_state="collapsed" if st.query_params.get(PRESENT_PARAM) == "1" else "auto",
)  # fmt: skip

pages = {
    "Explore": [
        st.Page("pages/data.py", title="Data", icon=":material/table:", default=True),
        st.Page("pages/class_balance.py", title="Class balance", icon=":material/bar_chart:"),
        st.Page("pages/resample.py", title="Resample", icon=":material/scatter_plot:"),
    ],
    "Model": [
        st.Page("pages/train.py", title="Train & evaluate", icon=":material/model_training:"),
        st.Page("pages/compare.py", title="Compare & report", icon=":material/leaderboard:"),
    ],
    "Learn": [
        st.Page("pages/lesson.py", title="Lesson", icon=":material/school:"),
        st.Page("pages/smote_steps.py", title="SMOTE step by step", icon=":material/timeline:"),
    ],
}
page = st.navigation(pages)
ensure_dataset()
st.logo(str(Path(__file__).parent / "assets" / "logo.svg"), size="large")
sidebar_dataset(current())
presentation_toggle()
sample_line(current())
walkthrough_nav([*pages["Explore"], *pages["Model"]], page)
try:
    page.run()
finally:  # after the first page is drawn, not before: it would compete with it
    warm_up()
