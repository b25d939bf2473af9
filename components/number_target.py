"""A numeric target on the Data page: where its rare range lies, and a rare class made from it."""

from __future__ import annotations

import re
from dataclasses import replace

import streamlit as st

from components import state
from components.charts import show_chart
from components.messages import plain, show_message
from components.number_views import rare_setting
from core.data.dataset import Dataset, Source
from core.data.numeric_target import NumberSummary, describe_number, make_class
from core.data.prepared import PreparedData, TargetKind
from core.data.target import TargetError
from core.output.number_figures import number_histogram_figure

_HOW = {"top": "the top share of values", "bottom": "the bottom share of values", "value": "values at or above"}


def _make(ds: Dataset, target: str) -> None:
    how = st.session_state.get(state.W_NUMBER_HOW, "top")
    share = float(st.session_state.get(state.W_NUMBER_SHARE, 5.0)) / 100
    threshold = {"top": {"top": share}, "bottom": {"bottom": share},
                 "value": {"value": float(st.session_state.get(state.W_NUMBER_VALUE, 0.0))}}[how]  # fmt: skip
    try:
        frame, label, said = make_class(ds.frame, target=target, name=st.session_state.get(state.W_NUMBER_NAME, ""),
                                        **threshold)  # fmt: skip
    except TargetError as exc:
        st.session_state[state.LOAD_MESSAGE] = ("error", f"{exc} The data is unchanged.")
        return
    slug = re.sub(r"[^a-z0-9]+", "-", f"{ds.name} {label}".lower()).strip("-")[:60] or "data"
    made = Dataset.from_frame(frame, name=f"{ds.name}: {label}", origin=ds.origin, details=said, default_target=label,
                              source=Source(file=f"{slug}.csv", reader="generated"))  # fmt: skip
    state.set_dataset(made)
    st.session_state[state.LOAD_MESSAGE] = ("success", f"Made a class from {target!r}: {said}")


def number_distribution(prepared: PreparedData | None) -> NumberSummary | None:
    """When the chosen target is a continuous number: its skewness, its rare range and its histogram (log option);
    returns the summary (None when the target is not such a number, or cannot be summarised: said why)."""
    if prepared is None or prepared.kind is not TargetKind.NUMBER:
        return None
    target = prepared.target
    series = prepared.dataset.frame[target]
    try:
        summary = describe_number(series)
    except TargetError as exc:
        show_message("error", str(exc))
        return None
    chosen = rare_setting(prepared)  # the user's threshold (shared with Train and Resample), or the box-plot rule
    if chosen is not None:
        share = float(chosen.mask(series.dropna()).mean()) if summary.n else 0.0
        summary = replace(summary, side=chosen.side, cut=chosen.cut, share=share, rule=chosen.rule)
    st.markdown(
        f"**{plain(target)} is a number, and skewed numbers are imbalance too.** {plain(summary.sentence(target))}"
    )
    if summary.side is not None:  # the sentence's numbers, shown on their own
        a, b, c = st.columns(3)
        a.metric("Rare range", summary.words())
        b.metric("Rows in it", f"{summary.share:.1%}", help=f"of the {summary.n:,} rows with a value")
        c.metric("Skewness", f"{summary.skewness:.1f}")
    log = st.toggle("Log scale", **state.bind(state.W_NUMBER_LOG, summary.skewness > 2))
    values = series.dropna().to_numpy(dtype=float)
    show_chart(number_histogram_figure(values, name=target, cut=summary.cut, side=summary.side, log=log),
               key="number_histogram")  # fmt: skip
    return summary


def number_target_panel(prepared: PreparedData) -> None:
    """When the chosen target is a continuous number: its distribution and rare range, and "Make it a class"."""
    summary = number_distribution(prepared)
    if summary is None:
        return
    target = prepared.target
    values = prepared.dataset.frame[target].dropna().to_numpy(dtype=float)
    st.markdown("**Make it a class**: a rare class and a common one ('other') at a threshold you set; every page "
                "then works on it.")  # fmt: skip
    a, b, c = st.columns(3)
    how = a.radio("The rare class is", list(_HOW), format_func=_HOW.get, **state.bind_choice(state.W_NUMBER_HOW,
                  list(_HOW), "top" if summary.side != "below" else "bottom"))  # fmt: skip
    if how == "value":
        b.number_input("Threshold", **state.bind(state.W_NUMBER_VALUE, float(summary.cut or values.mean())),
                       format="%.4g")  # fmt: skip
    else:
        default = round(min(max(summary.share * 100, 1.0), 25.0), 1)
        b.number_input("Share (%)", 0.1, 50.0, step=0.5, **state.bind(state.W_NUMBER_SHARE, default))
    c.text_input("Name of the rare class", **state.bind(state.W_NUMBER_NAME, f"high {target}"[:40]))
    st.button("Make it a class", key=state.W_NUMBER_MAKE, type="primary", icon=":material/category:",
              on_click=_make, args=(prepared.dataset, target))  # fmt: skip
    st.markdown("**Or explore it as a number**: strategies that predict the number itself, judged in the rare range "
                "and in the common one, and what SMOTER and SMOGN do to it.")  # fmt: skip
    left, right = st.columns(2)
    left.page_link("pages/train.py", label="Train strategies for the number", icon=":material/model_training:")
    right.page_link("pages/resample.py", label="Resample it (SMOTER, SMOGN)", icon=":material/scatter_plot:")
    st.caption(
        "The number itself leaves the features (it would give the class away). Unless you set a threshold, the rare range follows the "
        "box-plot rule SMOGN uses by default: values beyond Q3 + 1.5 × IQR (or below Q1 − 1.5 × IQR)."
    )
