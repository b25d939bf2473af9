"""Cached wrappers around core calls, keyed by data fingerprint and parameters.

Cached values are shared between sessions only when the key (a content fingerprint) is
equal, i.e. only for identical data; per-user state lives in ``st.session_state``.
"""

from __future__ import annotations

import streamlit as st

from components import state
from core.dataset import Dataset
from core.prepared import PreparedData, prepare
from core.roles import ColumnInfo, detect_roles
from core.samples import load_sample


@st.cache_data(show_spinner="Loading the sample…", max_entries=16)
def cached_sample(key: str) -> Dataset:
    """Load a bundled sample once per server; each session gets its own copy."""
    return load_sample(key)


@st.cache_data(show_spinner=False, max_entries=64)
def _roles(fingerprint: str, target: str | None, _frame) -> list[ColumnInfo]:
    return detect_roles(_frame, target=target)


def cached_roles(dataset: Dataset, target: str | None) -> list[ColumnInfo]:
    """Column roles of ``dataset`` with ``target`` left out, cached by content fingerprint."""
    return _roles(dataset.fingerprint, target, dataset.frame)


def current() -> PreparedData | None:
    """The session's dataset prepared with its target and column choices, or None."""
    ds = state.dataset()
    if ds is None:
        return None
    return prepare(ds, target=state.target(), overrides=state.overrides(), roles=cached_roles)
