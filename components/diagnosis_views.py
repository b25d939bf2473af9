"""Why is this data hard? The kinds of small-class rows and complexity measures, on request."""

from __future__ import annotations

import streamlit as st

from components import state
from components.cache import cached_complexity, cached_kinds
from components.charts import show_chart
from components.messages import plain
from core.diagnosis import KINDS, MAX_LABELLED, RULE
from core.figures import kinds_figure
from core.prepared import PreparedData
from core.split import Split


def diagnosis_panel(prepared: PreparedData, split: Split) -> None:
    """A button, then the kinds (table, chart, reading) and the complexity measures, cached per data and split."""
    st.write(
        "How rare the small class is does not say how hard it is to learn. What decides it is where its rows "
        "sit: in regions of their own, at the edge of another class, or alone among another class's rows."
    )
    key = (prepared.dataset.fingerprint, prepared.target, split.spec)
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
