"""Every session-state key in one place, and small typed accessors.

Widget keys are cleared by Streamlit when a page that does not draw the widget runs, so
choices that must survive page changes live under separate "persistent" keys here.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.dataset import Dataset
from core.roles import Treatment

# Persistent values (survive page changes).
DATASET = "ie.dataset"  # Dataset
TARGET = "ie.target"  # str | None, the chosen target column
OVERRIDES = "ie.overrides"  # dict[str, Treatment], user's column treatments
OVERRIDE_PROBLEMS = "ie.override_problems"  # list[str], why the last refused overrides were refused
UPLOAD_SEEN = "ie.upload_seen"  # file_id of the last processed upload
UPLOAD_BYTES = "ie.upload_bytes"  # (name, bytes) of the last workbook, for the sheet picker
LOAD_MESSAGE = "ie.load_message"  # (kind, text) shown under the picker after a load attempt

# Widget keys.
W_SAMPLE = "data.sample"
W_LOAD_SAMPLE = "data.load_sample"
W_UPLOAD = "data.upload"
W_SHEET = "data.sheet"
W_TARGET = "data.target"
W_ROLES = "data.roles"
W_LOG_SCALE = "balance.log_scale"


def get(key: str, default: Any = None) -> Any:
    """Read a session-state value."""
    return st.session_state.get(key, default)


def dataset() -> Dataset | None:
    """The dataset being explored, if any."""
    return st.session_state.get(DATASET)


def set_dataset(ds: Dataset) -> None:
    """Make ``ds`` the current dataset; the target resets to its guess and overrides clear."""
    st.session_state[DATASET] = ds
    st.session_state[TARGET] = None
    st.session_state[OVERRIDES] = {}
    st.session_state[OVERRIDE_PROBLEMS] = []
    for key in (W_TARGET, W_ROLES):
        st.session_state.pop(key, None)


def target() -> str | None:
    """The chosen target column."""
    return st.session_state.get(TARGET)


def set_target(column: str) -> None:
    """Choose the target column; column overrides are kept for the other columns."""
    st.session_state[TARGET] = column


def overrides() -> dict[str, Treatment]:
    """The user's column treatments that differ from the detected defaults."""
    return dict(st.session_state.get(OVERRIDES, {}))


def set_overrides(value: dict[str, Treatment]) -> None:
    """Store the user's column treatments."""
    st.session_state[OVERRIDES] = dict(value)
