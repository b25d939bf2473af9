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
from core.data.prepared import PreparedData
from core.data.split import Split
from core.output.figures import smote_steps_figure
from core.resampling.smote_steps import smote_steps

_VIEWS = {"pca": "PCA of all features", "features": "two features"}
MAX_OTHERS = 3_000


def _pick_random(n: int) -> None:
    rng = np.random.default_rng()
    state.put(state.W_STEPS_POINT, int(rng.integers(0, n)))


def smote_steps_panel(prepared: PreparedData, split: Split) -> None:
    """Controls, picture and a table of the generated rows."""
    classes = [str(c) for c in split.counts("train")]
    labels = split.y_train.astype(str).to_numpy()
    numeric = list(prepared.plan.numeric)
    c1, c2, c3, c4 = st.columns([1.2, 1.4, 1, 1])
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
        return
    _, features = picked
    xy, x_title, y_title = cached_embedding(prepared, split, features=features)
    if features is not None:  # put both axes on one scale so distances look like distances
        xy = (xy - np.nanmean(xy, axis=0)) / np.where(np.nanstd(xy, axis=0) > 0, np.nanstd(xy, axis=0), 1)
        x_title, y_title = f"{x_title} (standardised)", f"{y_title} (standardised)"
    usable = ~np.isnan(xy).any(axis=1)
    in_class = (labels == label) & usable
    points, others = xy[in_class], xy[~in_class & usable]
    if len(points) < 2:
        show_message(
            "warning",
            f"Class {label!r} has {len(points)} training row(s) with values in this plane; SMOTE needs at least two. "
            "Pick another class or plane.",
        )
        return
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
        st.button(
            "Pick a random row",
            key=state.W_STEPS_RANDOM,
            on_click=_pick_random,
            args=(len(points),),
            icon=":material/casino:",
        )
    with s4:
        seed = st.number_input("Seed", min_value=0, max_value=2**31 - 1, step=1, **state.bind(state.W_STEPS_SEED, 0))
    steps = smote_steps(points, index=int(index), k=int(k), n_new=int(n_new), random_state=int(seed))
    zoom = st.toggle("Zoom to the chosen row and its neighbours", **state.bind(state.W_STEPS_ZOOM, True))
    if len(others) > MAX_OTHERS:  # the other classes are background; a sample keeps the picture readable
        others = others[np.random.default_rng(0).choice(len(others), size=MAX_OTHERS, replace=False)]
    show_chart(
        smote_steps_figure(steps, others=others, label=label, x_title=x_title, y_title=y_title, zoom=zoom),
        key="steps_chart",
    )
    st.markdown(
        f"1. Take row {int(index)} of class **{plain(label)}** (the star).\n"
        f"2. Find its **{int(k)}** nearest rows of the same class (circled) and draw a line to each.\n"
        f"3. For each of the **{int(n_new)}** new rows: pick one of those neighbours at random, pick a number *g* "
        "between 0 and 1, and put the new row at *g* of the way along the line (green diamonds).\n\n"
        "Real SMOTE does this for many rows of the class, in all features at once; here it works in the plane you see, "
        "so every step is visible. New rows can land in the other class's territory when a line crosses it."
    )
    table = pd.DataFrame(
        {
            "new row": np.arange(1, len(steps.new_points) + 1),
            "towards row": steps.parents,
            "g (share of the way)": steps.gaps.round(3),
            "x": steps.new_points[:, 0].round(3),
            "y": steps.new_points[:, 1].round(3),
        }
    )
    with st.expander("The generated rows"):
        st.dataframe(table, hide_index=True, width="stretch")
