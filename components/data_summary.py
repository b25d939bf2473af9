"""Table preview and missing-value summary."""

from __future__ import annotations

import streamlit as st

from core.data.dataset import Dataset
from core.data.roles import missing_summary

PREVIEW_ROWS = 200


def data_preview(ds: Dataset) -> None:
    """The first rows of the table, as plain cells."""
    st.dataframe(ds.frame.head(PREVIEW_ROWS), width="stretch", height=320)
    st.caption(f"First {min(PREVIEW_ROWS, ds.n_rows):,} of {ds.n_rows:,} rows.")


def missing_values_table(ds: Dataset) -> None:
    """Missing values per column, most-missing first (over every row of the file for a working sample)."""
    summary = missing_summary(ds.frame) if ds.sample is None else ds.sample.scan.missing_table()
    if ds.sample is not None:
        st.caption(f"Counted over all {ds.sample.scan.n_rows:,} rows of the file, not only the working sample.")
    total = int(summary["missing"].sum())
    if total == 0:
        st.success("No missing values in any column.", icon=":material/check_circle:")
    else:
        cols = int((summary["missing"] > 0).sum())
        st.caption(
            f"{total:,} missing cell(s) in {cols:,} column(s). Models fill them in inside the training pipeline."
        )
    st.dataframe(
        summary,
        hide_index=True,
        width="stretch",
        column_config={
            "missing %": st.column_config.ProgressColumn("missing %", format="%.1f%%", min_value=0, max_value=100)
        },
    )
