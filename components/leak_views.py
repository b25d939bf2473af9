"""Too good to be true: the columns that give the answer away, before training (each column alone) and after (a
near-perfect result and the columns its model leaned on), each with one click to drop them and one to undo."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from components import state
from components.messages import show_message
from core.data.leakage import leak_suspects
from core.data.prepared import PreparedData
from core.data.roles import Treatment
from core.data.split import RunIdentity, run_identity

if TYPE_CHECKING:  # the modelling modules load scikit-learn: imported where used (the Data page needs none)
    from core.modelling.evaluation import Evaluation


@st.cache_data(show_spinner=False, max_entries=32)
def _suspects(key: RunIdentity, _prepared: PreparedData):
    return leak_suspects(_prepared.dataset.frame, _prepared.target_check.y, columns=_prepared.plan.features)


def suspects(prepared: PreparedData):
    """The feature columns that alone predict the target almost perfectly (:mod:`core.data.leakage`), once per data,
    target and columns."""
    if not prepared.ready or prepared.target_check is None:
        return ()
    return _suspects(run_identity(prepared), prepared)


def _drop(columns: tuple[str, ...]) -> None:
    """Button callback: leave ``columns`` out of the features, remembering the treatments before, for Undo."""
    before = state.overrides()
    state.set_overrides(before | {c: Treatment.DROP for c in columns})
    st.session_state[state.LEAK_UNDO] = (columns, before)
    st.session_state.pop(state.W_ROLES, None)  # the roles table shows the new treatments


def _undo() -> None:
    _, before = st.session_state.pop(state.LEAK_UNDO)
    state.set_overrides(before)
    st.session_state.pop(state.W_ROLES, None)


def _offer(columns: tuple[str, ...], *, key: str) -> None:
    names = ", ".join(repr(c) for c in columns)
    st.button(f"Drop {names} from the features", key=key, on_click=_drop, args=(columns,), icon=":material/block:",
              help="Sets these columns to 'drop' in the Data page's roles table; one click undoes it.")  # fmt: skip


def undo_note() -> None:
    """After a drop: what was dropped, and Undo."""
    undo = st.session_state.get(state.LEAK_UNDO)
    if undo is None:
        return
    columns, _ = undo
    left, right = st.columns([4, 1])
    with left:
        show_message("info", f"Left out of the features: {', '.join(map(repr, columns))}. Everything is computed "
                     "again without them.")  # fmt: skip
    right.button("Undo", key=state.W_LEAK_UNDO, on_click=_undo, icon=":material/undo:")


def leak_warning(prepared: PreparedData, *, where: str) -> None:
    """Before training: a warning naming every column that alone predicts the target almost perfectly, with its
    number, and one click to drop them all; after a drop, Undo."""
    undo_note()
    found = suspects(prepared)
    if not found:
        return
    target = prepared.target or ""
    lines = " ".join(s.sentence(target) for s in found)
    show_message(
        "warning",
        f"Too good to be true? {lines} A column recorded after the outcome (a decision, a status, a closing date) "
        "hands every model the answer, and it is not there when new cases are scored. If it is known before the "
        "outcome, keep it.",
    )
    _offer(tuple(s.column for s in found), key=f"{state.W_LEAK_DROP}.{where}")


def too_good_warning(evals: list[Evaluation], prepared: PreparedData, *, where: str) -> None:
    """After training: a warning when a strategy is near perfect on the test split, naming the columns its model
    leaned on (and the suspects), with one click to drop them."""
    from core.comparison.too_good import too_good

    found = too_good(evals, columns=prepared.plan.features)
    if found is None:
        return
    show_message("warning", found.sentence())
    # the columns that alone predict the target if there are any, else the one the model leaned on most
    named = tuple(s.column for s in suspects(prepared)) or tuple(c for c, _ in found.columns[:1])
    if named:
        _offer(named, key=f"{state.W_LEAK_DROP}.{where}.after")
