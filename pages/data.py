"""Data page: load a dataset, pick the target, check column roles, preview the table."""

from __future__ import annotations

import streamlit as st

from components.cache import current
from components.class_balance import class_distribution_chart, severity_badge
from components.column_roles import column_roles_table, target_picker
from components.data_summary import data_preview, missing_values_table
from components.dataset_picker import dataset_picker
from components.large_data import working_sample_panel
from components.leak_views import leak_warning
from components.messages import plain, show_message
from components.number_target import number_target_panel
from components.page_setup import page_guard
from components.presenting import settings_area

page_guard()

st.title("Data")
st.caption("Load a table, choose what to predict (a class or a number), and check how each column will be used.")

with settings_area("Choose data"):
    dataset_picker()
prepared = current()
if prepared is None:
    st.stop()

st.divider()
st.header(plain(prepared.dataset.name))
ds = prepared.dataset
st.caption(f"{ds.n_rows:,} rows × {ds.n_columns:,} columns · {plain(ds.details)}")

left, right = st.columns([2, 3], gap="large")
with left:
    target_picker(prepared)
    working_sample_panel(prepared)
    if prepared.target_check is not None:
        for note in prepared.target_check.notes:
            show_message("warning", note)
    if prepared.target_error is not None:
        show_message("error", prepared.target_error)
    elif prepared.distribution is not None:
        severity_badge(prepared.distribution)
        st.write(plain(prepared.distribution.summary(target=prepared.target or "")))
        st.page_link("pages/class_balance.py", label="See the class balance in detail", icon=":material/bar_chart:")
with right:
    if prepared.distribution is not None:
        class_distribution_chart(prepared.distribution, target=prepared.target or "", key="data_dist_chart")

number_target_panel(prepared)  # a numeric target: its rare range, and "Make it a class"
leak_warning(prepared, where="data")  # a column that alone gives the answer away

roles_tab, preview_tab, missing_tab = st.tabs(["Columns and roles", "Preview", "Missing values"])
with roles_tab:
    column_roles_table(prepared)
with preview_tab:
    data_preview(ds)
with missing_tab:
    missing_values_table(ds)
