"""Target picker and the column-roles table, where the user can change each column's treatment."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import state
from components.messages import plain, show_message
from core.data.prepared import PreparedData
from core.data.roles import Treatment
from core.data.target import target_guess

_TREATMENTS = [t.value for t in Treatment]


def _on_target_change() -> None:
    state.set_target(st.session_state[state.W_TARGET])


def target_picker(prepared: PreparedData) -> None:
    """Select box for the target column, starting at the current (or guessed) target."""
    columns = [str(c) for c in prepared.dataset.frame.columns]
    if st.session_state.get(state.W_TARGET) not in columns:
        st.session_state[state.W_TARGET] = prepared.target
    st.selectbox(
        "Target column (what to predict)",
        columns,
        key=state.W_TARGET,
        on_change=_on_target_change,
        help="A column of classes (a rare one among them), or a number whose rare values matter. Guessed from the "
        "column names and values; change it if the guess is wrong.",
    )
    if state.target() is None and prepared.dataset.default_target is None:  # the app's guess: say why
        guess = target_guess(prepared.dataset.frame)
        if guess is not None and guess.column == prepared.target:
            st.caption(f"Guessed: {plain(guess.why)}. Change it if it is wrong.")


def column_roles_table(prepared: PreparedData) -> None:
    """Editable table of each column's detected role and treatment; edits become overrides.

    An override that cannot work (text used as a number) is undone at once and the reason
    stays on screen until the next change.
    """
    if prepared.override_problems:
        kept = {k: v for k, v in state.overrides().items() if k not in prepared.override_problems}
        state.set_overrides(kept)
        st.session_state[state.OVERRIDE_PROBLEMS] = list(prepared.override_problems.values())
        st.session_state.pop(state.W_ROLES, None)
        st.rerun()
    frame = pd.DataFrame(
        {
            "column": [c.name for c in prepared.columns],
            "detected role": [c.role.value for c in prepared.columns],
            "treatment": [c.treatment.value for c in prepared.columns],
            "why": [c.reason for c in prepared.columns],
            "missing": [c.n_missing for c in prepared.columns],
            "distinct": [c.n_unique for c in prepared.columns],
            "example": [c.example for c in prepared.columns],
        }
    )
    edited = st.data_editor(
        frame,
        key=state.W_ROLES,
        hide_index=True,
        width="stretch",
        disabled=["column", "detected role", "why", "missing", "distinct", "example"],
        column_config={
            "treatment": st.column_config.SelectboxColumn(
                "treatment",
                options=_TREATMENTS,
                required=True,
                help="What the app does with the column: use it as a number, one-hot encode it, or leave it out.",
            ),
        },
    )
    detected = {c.name: c.detected for c in prepared.columns}
    current = state.overrides()
    changed = {
        name: Treatment(value)
        for name, value in zip(edited["column"], edited["treatment"], strict=True)
        if Treatment(value) is not detected.get(name)
    }
    if changed != current:
        state.set_overrides(changed)
        st.session_state[state.OVERRIDE_PROBLEMS] = []
        st.rerun()
    for problem in st.session_state.get(state.OVERRIDE_PROBLEMS, []):
        show_message("warning", problem)
    plan = prepared.plan
    st.caption(
        f"{len(plan.features):,} feature(s) used: {len(plan.numeric):,} numeric, "
        f"{len(plan.categorical):,} encoded as categories; {len(plan.dropped):,} column(s) left out."
    )
    if not plan.features:
        show_message(
            "error",
            "Every column is left out, so there is nothing to learn from. Set at least one column to 'use as number' or 'encode as category'.",
        )
