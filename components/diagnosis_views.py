"""Why is this data hard? The kinds of small-class rows and complexity measures, on request."""

from __future__ import annotations

import streamlit as st

from components import state
from components.cache import cached_boundaries, cached_complexity, cached_kinds
from components.charts import show_chart
from components.feature_pair import view_picker
from components.messages import plain
from core.data.prepared import PreparedData
from core.data.split import Split, run_identity
from core.output.figures import boundaries_figure, kinds_figure
from core.teaching.boundaries import MAX_TEST_SHOWN, MAX_TRAIN, MODELS
from core.teaching.diagnosis import KINDS, MAX_LABELLED, RULE


def diagnosis_panel(prepared: PreparedData, split: Split) -> None:
    """A button, then the kinds (table, chart, reading) and the complexity measures, cached per data and split."""
    st.write(
        "How rare the small class is does not say how hard it is to learn. What decides it is where its rows "
        "sit: in regions of their own, at the edge of another class, or alone among another class's rows."
    )
    key = run_identity(prepared, split.spec)
    st.button(
        "Diagnose the training rows", key=state.W_DIAGNOSE, icon=":material/stethoscope:",
        on_click=state.put_value, args=(state.DIAGNOSE_ASKED, key),
    )  # fmt: skip
    if st.session_state.get(state.DIAGNOSE_ASKED) != key:
        st.caption(f"Uses the {len(split.y_train):,} training rows of the shared split; a few seconds on large data.")
        return
    with st.spinner("Finding each small-class row's nearest neighbours…", show_time=True):
        kinds = cached_kinds(prepared, split)
    st.subheader("Kinds of small-class rows")
    st.caption(
        f"Each row of a small class is labelled by its neighbours ({RULE}). Distances are on the training rows "
        "with numbers standardised and categories one-hot encoded. "
        f"Classes with more than {MAX_LABELLED:,} rows are labelled on a random {MAX_LABELLED:,} of them."
    )
    table = kinds.table
    shown = table[["class", "training rows", "labelled"]].copy()
    for kind in KINDS:
        shown[kind] = [f"{n:,} ({p:.0f}%)" for n, p in zip(table[kind], table[f"{kind} %"], strict=True)]
    shown["class"] = shown["class"].astype(str)
    st.dataframe(shown, hide_index=True, width="stretch")
    show_chart(kinds_figure(table), key="kinds_chart")
    st.info(plain(kinds.reading()), icon=":material/lightbulb:")
    st.page_link(
        "pages/resample.py", label="See them on the Resample page (Colour small-class rows by kind)",
        icon=":material/scatter_plot:",
    )  # fmt: skip
    with st.spinner("Computing complexity measures…", show_time=True):
        measures = cached_complexity(prepared, split)
    st.subheader("Complexity measures")
    st.caption(
        "Established measures of how hard the classes are to separate (Ho & Basu), computed by the problexity "
        f"package: F1, N1 and N3 on {measures.sample_rows:,} of the {measures.training_rows:,} training rows "
        "(each class at its share, but at least 200 rows or all it has), C1 and C2 from every training row's "
        "class. All run from 0 (easy) to 1 (hard). N1 and N3 count every row alike, so on imbalanced data they "
        "mostly describe the large class: low values can sit beside a small class made of outliers, which the "
        "kinds above show."
    )
    st.markdown(
        "\n".join(
            f"- **{m} = {v:.3f}** ({n:,} rows): {plain(meaning)}"
            for m, v, n, meaning in measures.table[["measure", "value", "rows used", "meaning"]].itertuples(index=False)
        )
    )
    st.subheader("Decision regions")
    # Drawn when opened (and cached): four heatmaps take about 2 s to draw in the browser, on every revisit.
    regions = st.expander(
        "One model, four ways of handling the imbalance, on a plane", icon=":material/grid_on:",
        key=state.W_REGIONS_OPEN, on_change="rerun",
    )  # fmt: skip
    with regions:
        if regions.open:
            boundaries_panel(prepared, split)


_PLANES = {"pca": "PCA plane (all features)", "features": "two features"}


@st.fragment
def boundaries_panel(prepared: PreparedData, split: Split, *, key_prefix: str = "") -> None:
    """One model's decision regions with no handling, class weights, SMOTE and under-sampling, side by side.

    A fragment: changing the model or the plane redraws this panel alone (each choice is cached).
    """
    numeric = list(prepared.plan.numeric)
    model = st.selectbox(
        "Model", list(MODELS), format_func=MODELS.__getitem__,
        **state.bind_choice(key_prefix + state.W_BOUNDARY_MODEL, list(MODELS), "logistic"),
    )  # fmt: skip
    planes = _PLANES if len(numeric) >= 2 else {"pca": _PLANES["pca"]}
    picked = view_picker(
        "Plane", planes, key=key_prefix + state.W_BOUNDARY_VIEW, default="pca", numeric=numeric,
        keys_xy=(key_prefix + state.W_BOUNDARY_X, key_prefix + state.W_BOUNDARY_Y), columns=tuple(st.columns([2, 1, 1])),
    )  # fmt: skip
    if picked is None:
        return
    b = cached_boundaries(prepared, split, model=model, features=picked[1])
    order = [str(c) for c in split.counts("train")]
    show_chart(boundaries_figure(b, class_order=order), key=key_prefix + "boundaries_chart")
    missing = [h for h in ("class weights", "SMOTE") if h not in b.proba]
    never = [h for h, p in b.proba.items() if (p < 0.5).all()]
    st.caption(
        f"Each panel is {plain(MODELS[model].lower())} trained on these two coordinates only (a model on all "
        "features has regions in more dimensions than a screen shows), on "
        + (f"{b.train_rows:,} training rows" if b.train_rows == len(split.y_train) else
           f"a sample of {b.train_rows:,} training rows (every small-class row up to {MAX_TRAIN // 2:,})")
        + f". Shading: the probability of {plain(repr(b.positive))}; the line: where it is 0.5. Dots: the test rows "
        + ("" if b.test_rows <= MAX_TEST_SHOWN else f"(every small-class row and a sample of the rest, of {b.test_rows:,}) ")
        + "with their real class. Resampling and weights move the boundary towards the large class: more of the "
        "small class is caught, and more of the large one flagged."
        + (f" Left out: {', '.join(missing)} ({'k-NN takes no class weights' if model == 'knn' else 'too few rows'})."
           if missing else "")
        + (f" No line in {', '.join(never)}: the model never reaches 0.5 on this plane, so it answers "
           f"{plain(repr(order[0]))} everywhere." if never else "")
    )  # fmt: skip
