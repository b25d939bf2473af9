"""What a resampling did: counts before/after, the two scatter panels, and the download."""

from __future__ import annotations

import streamlit as st

from components import state
from components.cache import cached_kinds, cached_projection
from components.charts import show_chart
from components.feature_pair import view_picker
from components.messages import plain
from core.data.prepared import PreparedData
from core.data.split import Split
from core.output.figures import resample_counts_figure, resample_scatter_figure
from core.output.safe_download import safe_csv_bytes
from core.resampling.catalogue import SamplerConfig
from core.resampling.resample import ResampleResult
from core.teaching.diagnosis import KINDS, RULE

_VIEWS = {"pca": "PCA (all features)", "tsne": "t-SNE (a sample, non-linear)", "features": "two features"}


def resample_summary(result: ResampleResult) -> None:
    """Counts before and after as grouped bars, with a few headline numbers."""
    before, after = result.counts("before"), result.counts("after")
    n_syn = int(result.is_synthetic.sum())
    n_dup = int((result.provenance == "duplicate").sum())
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(
        "Training rows", f"{len(result.y_resampled):,}", delta=f"{len(result.y_resampled) - len(result.y_train):+,}"
    )
    m2.metric("Synthetic rows", f"{n_syn:,}")
    m3.metric("Duplicated rows", f"{n_dup:,}")
    m4.metric("Removed rows", f"{len(result.removed):,}")
    show_chart(resample_counts_figure(before, after, method=result.method), key="resample_counts")
    first, *warnings = result.after_notes()
    st.caption(plain(first))
    for text in warnings:
        st.warning(plain(text), icon=":material/warning:")


@st.fragment
def resample_scatter(prepared: PreparedData, split: Split, config: SamplerConfig, result: ResampleResult) -> None:
    """The before/after scatter with its view controls and a caption saying what is shown.

    A fragment: changing the view or a feature reruns this panel alone.
    """
    numeric = list(prepared.plan.numeric)
    views = list(_VIEWS) if len(numeric) >= 2 else ["pca", "tsne"]
    picked = view_picker(
        "View", {v: _VIEWS[v] for v in views}, key=state.W_VIEW, default="pca", numeric=numeric,
        keys_xy=(state.W_FEATURE_X, state.W_FEATURE_Y), columns=tuple(st.columns([2, 1, 1])),
    )  # fmt: skip
    if picked is None:
        return
    view, features = picked
    projection = cached_projection(prepared, result, split, config, method=view, features=features)
    order = [str(c) for c in result.counts("before")]
    by_kind = st.toggle(
        "Colour small-class rows by kind",
        help=f"Safe, borderline, rare or outlier: {RULE}.",
        **state.bind(state.W_BY_KIND, False),
    )
    kinds = None
    if by_kind:
        with st.spinner("Finding each small-class row's nearest neighbours…"):
            found = cached_kinds(prepared, split)
        kinds = (found.rows, [KINDS[k] for k in found.kind])
    show_chart(
        resample_scatter_figure(projection, method=result.method, class_order=order, kinds=kinds),
        key="resample_scatter",
    )
    if by_kind:
        st.caption(plain(found.reading()) + " The Class balance page has the counts (Why is it hard?).")
    st.caption(
        plain(projection.caption)
        + " "
        + plain(projection.fitted_on)
        + " Each class has its own colour and shape; diamonds are synthetic rows, open squares duplicated rows, dark "
        "crosses rows the method removed."
    )


def resample_download(prepared: PreparedData, result: ResampleResult) -> None:
    """Download button for the resampled training set, with is_synthetic and origin columns.

    The CSV is written when the button is pressed (it can be hundreds of MB on large data), not on
    every rerun of the page.
    """
    target = prepared.target or "target"
    st.download_button(
        "Download the resampled training set (CSV)",
        data=lambda: safe_csv_bytes(result.export_frame(target=target)),
        file_name=f"resampled_{result.key}.csv",
        mime="text/csv",
        key=state.W_DOWNLOAD,
        icon=":material/download:",
        help="Every row has is_synthetic (true for generated rows) and origin (original, duplicate or synthetic). "
        "Text that a spreadsheet would run as a formula is prefixed with an apostrophe.",
        on_click="ignore",
    )
