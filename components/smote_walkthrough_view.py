"""SMOTE step by step: pick a row of a small class and watch new rows being drawn towards its neighbours."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from components import state
from components.cache import cached_embedding
from components.charts import show_chart
from components.feature_pair import view_picker
from components.messages import plain, show_message
from components.page_setup import require_split
from components.presenting import presenting, settings_area
from core.data.prepared import PreparedData
from core.data.split import Split
from core.output.figures import SMOTE_STAGES, smote_steps_figure
from core.resampling.smote_steps import formula_text, smote_steps, toy_points

_VIEWS = {"pca": "PCA of all features", "features": "two features"}
MAX_OTHERS = 3_000


def _pick_random(n: int) -> None:
    rng = np.random.default_rng()
    state.put(state.W_STEPS_POINT, int(rng.integers(0, n)))


#: Where the rows come from: a clean toy dataset (the default) or the user's training rows.
_SOURCES = {"toy": "A small toy dataset (two features)", "data": "The training rows of your data"}
#: What each stage of the reveal says.
_SAYS = (
    "These are the rows of the small class. SMOTE will add new ones between them.",
    "1. Take one row of the small class: x (the star).",
    "2. Find its k nearest rows of the same class (n1 is the nearest) and draw a line to each.",
    "3. Pick one of those neighbours at random and a number g between 0 and 1; the new row sits a share g of the "
    "way from x to it:",
    "4. Repeat for every new row: each is on one of the lines. Real SMOTE does this for many rows of the class.",
)


def _stage(delta: int | None) -> None:
    last = len(SMOTE_STAGES) - 1
    now = int(st.session_state.get(state.W_STEPS_STAGE, 0))
    st.session_state[state.W_STEPS_STAGE] = last if delta is None else min(max(now + delta, 0), last)


def _toy() -> tuple[np.ndarray, np.ndarray, np.ndarray | None, str, str, str]:
    small, large = toy_points()
    return small, large, None, "small", "feature 1", "feature 2"


def _from_data(prepared: PreparedData, split: Split, columns) -> tuple | None:
    """The user's training rows of one class in a plane, with every numeric feature (standardised) to find
    neighbours in; None when there is nothing to show (said why)."""
    classes = [str(c) for c in split.counts("train")]
    labels = split.y_train.astype(str).to_numpy()
    numeric = list(prepared.plan.numeric)
    c1, c2, c3, c4 = columns
    with c1:
        label = st.selectbox(
            "Class to over-sample", classes, **state.bind_choice(state.W_STEPS_CLASS, classes, classes[-1])
        )
    views = list(_VIEWS) if len(numeric) >= 2 else ["pca"]
    picked = view_picker(
        "Plane", {v: _VIEWS[v] for v in views}, key=state.W_STEPS_VIEW, default=views[0], numeric=numeric,
        keys_xy=(state.W_STEPS_X, state.W_STEPS_Y), columns=(c2, c3, c4),
    )  # fmt: skip
    if picked is None:
        return None
    _, features = picked
    xy, x_title, y_title = cached_embedding(prepared, split, features=features)
    if features is not None:  # put both axes on one scale so distances look like distances
        xy = (xy - np.nanmean(xy, axis=0)) / np.where(np.nanstd(xy, axis=0) > 0, np.nanstd(xy, axis=0), 1)
        x_title, y_title = f"{x_title} (standardised)", f"{y_title} (standardised)"
    usable = ~np.isnan(xy).any(axis=1)
    in_class = (labels == label) & usable
    space = None
    if len(numeric) >= 2:  # neighbours as SMOTE finds them: in every numeric feature, standardised
        full = split.X_train[numeric].to_numpy(dtype=np.float64, na_value=np.nan)
        spread = np.nanstd(full, axis=0)
        full = np.nan_to_num((full - np.nanmean(full, axis=0)) / np.where(spread > 0, spread, 1))
        space = full[in_class]
    points, others = xy[in_class], xy[~in_class & usable]
    if len(points) < 2:
        show_message(
            "warning",
            f"Class {label!r} has {len(points)} training row(s) with values in this plane; SMOTE needs at least two. "
            "Pick another class or plane.",
        )
        return None
    return points, others, space, label, x_title, y_title


def smote_steps_panel(prepared: PreparedData) -> None:
    """The split settings, the source and the controls (folded away together when presenting), the picture revealed
    one step at a time, the formula with its numbers, and a table of the generated rows."""
    with settings_area():
        split = require_split(prepared, folded=not presenting())
        made = _controls(prepared, split)
    if made is None:
        return
    steps, others, label, x_title, y_title, source, k, space, zoom = made
    stage = int(st.session_state.get(state.W_STEPS_STAGE, 0))
    last = len(SMOTE_STAGES) - 1
    with st.container(horizontal=True, vertical_alignment="center"):  # buttons as wide as their words, wrapping
        st.button("Back", key=state.W_STEPS_BACK, on_click=_stage, args=(-1,), disabled=stage == 0,
                  icon=":material/arrow_back:")  # fmt: skip
        st.button("Next step", key=state.W_STEPS_NEXT, on_click=_stage, args=(1,), disabled=stage == last,
                  type="primary", icon=":material/arrow_forward:")  # fmt: skip
        st.button("Show all", key=state.W_STEPS_ALL, on_click=_stage, args=(None,), disabled=stage == last)
        st.markdown(f"**Step {stage} of {last}: {SMOTE_STAGES[stage]}**", width="content")
    st.markdown(plain(_SAYS[stage]).replace(" k ", f" {int(k)} "))
    if stage >= 3:
        st.code(formula_text(steps, 0), language=None)
        st.caption(f"New row 1 went towards neighbour n{int(np.flatnonzero(steps.neighbours == steps.parents[0])[0]) + 1}"
                   f" with g = {steps.gaps[0]:.2f}.")  # fmt: skip
    show_chart(
        smote_steps_figure(steps, others=others, label=label, x_title=x_title, y_title=y_title, zoom=zoom,
                           stage=stage),
        key="steps_chart",
    )  # fmt: skip
    if source == "data":
        st.caption(
            "The neighbours are found in every numeric feature, standardised, as SMOTE finds them; the picture is a "
            "flat view of those features, so a neighbour can look farther away than a row that is not one."
            if space is not None
            else "With fewer than two numeric features, the neighbours are found in this plane."
        )
    if stage == last:
        table = pd.DataFrame({
            "new row": np.arange(1, len(steps.new_points) + 1),
            "towards": [f"n{int(np.flatnonzero(steps.neighbours == p)[0]) + 1} (row {p})" for p in steps.parents],
            "g (share of the way)": steps.gaps.round(3),
            "x": steps.new_points[:, 0].round(3),
            "y": steps.new_points[:, 1].round(3),
        })  # fmt: skip
        with st.expander("The generated rows"):
            st.dataframe(table, hide_index=True, width="stretch")


def _controls(prepared: PreparedData | None, split: Split | None) -> tuple | None:
    """The source and the controls; the steps and what the picture needs, or None (said why)."""
    options = list(_SOURCES) if prepared is not None else ["toy"]
    source = st.radio("Rows to work on", options, format_func=_SOURCES.get, horizontal=True,
                      **state.bind_choice(state.W_STEPS_SOURCE, options, "toy"))  # fmt: skip
    if source == "toy":
        got = _toy()
    else:
        got = _from_data(prepared, split, st.columns([1.2, 1.4, 1, 1]))
        if got is None:
            return None
    points, others, space, label, x_title, y_title = got
    k_max = min(15, len(points) - 1)
    s1, s2, s3, s4 = st.columns([1.2, 1.2, 1, 1])
    with s1:
        if k_max == 1:  # a slider needs two distinct ends
            k = 1
            st.caption(f"k = 1: class {plain(repr(label))} has only two rows in this plane.")
        else:
            if int(st.session_state.get(state.W_STEPS_K, 5)) > k_max:
                state.forget(state.W_STEPS_K)
            k = st.slider("k nearest neighbours", 1, k_max, **state.bind(state.W_STEPS_K, min(5, k_max)))
    with s2:
        n_new = st.slider("New rows to generate", 1, 30, **state.bind(state.W_STEPS_N, 5))
    with s3:
        if int(st.session_state.get(state.W_STEPS_POINT, 0)) >= len(points):
            state.forget(state.W_STEPS_POINT)
        index = st.number_input(
            f"Chosen row (0–{len(points) - 1})", min_value=0, max_value=len(points) - 1, step=1,
            **state.bind(state.W_STEPS_POINT, 0),
        )  # fmt: skip
        st.button("Pick a random row", key=state.W_STEPS_RANDOM, on_click=_pick_random, args=(len(points),),
                  icon=":material/casino:")  # fmt: skip
    with s4:
        seed = st.number_input(
            "Seed", min_value=0, max_value=2**31 - 1, step=1, **state.bind(state.W_STEPS_SEED, 3)
        )  # its first new row lands mid-way
    steps = smote_steps(points, index=int(index), k=int(k), n_new=int(n_new), random_state=int(seed), space=space)
    zoom = st.toggle("Zoom to the chosen row and its neighbours", **state.bind(state.W_STEPS_ZOOM, True))
    if len(others) > MAX_OTHERS:  # the other classes are background; a sample keeps the picture readable
        others = others[np.random.default_rng(0).choice(len(others), size=MAX_OTHERS, replace=False)]
    return steps, others, label, x_title, y_title, source, k, space, zoom
