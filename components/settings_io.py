"""Import settings from a JSON file or a link (?s=...), and apply them to the session's widgets."""

from __future__ import annotations

import streamlit as st

from components import state
from components.cache import cached_sample
from components.messages import show_message
from components.strategy_controls import cv_choice
from core.errors import UserFacingError
from core.output.shared_settings import SharedSettings, decode_token, from_json


def apply_settings(settings: SharedSettings) -> None:
    """Load the sample (if named) and set target, split, strategies, folds and seed. Call before widgets run."""
    if settings.sample is not None:
        ds = state.dataset()
        if ds is None or ds.sample_key != settings.sample:
            state.set_dataset(cached_sample(settings.sample))
    if settings.target is not None:
        state.set_target(settings.target)
    state.put(state.W_TEST_SIZE, settings.split.test_size)
    state.put(state.W_SPLIT_SEED, settings.split.random_state)
    state.put(state.W_COMPARE_IDS, list(settings.strategies))
    state.put(state.W_COMPARE_FOLDS, cv_choice(settings.cv_folds, settings.cv_repeats))
    state.put(state.W_COMPARE_SEED, settings.seed)
    state.put(state.W_TUNE_FOLDS, settings.tuning.folds)
    state.put(state.W_COST_FP, settings.tuning.cost_fp)
    state.put(state.W_COST_FN, settings.tuning.cost_fn)
    state.put(state.W_MIN_PRECISION, settings.tuning.min_precision)
    if settings.rate is not None:
        state.put(state.W_PROD_RATE, f"{settings.rate * 100:.6g}")
    else:
        state.forget(state.W_PROD_RATE)
    state.put(state.W_PROD_VOLUME, "" if settings.per_day is None else f"{settings.per_day:g}")


def _import_file() -> None:
    uploaded = st.session_state.get(state.W_SETTINGS_UPLOAD)
    if uploaded is None:
        return
    try:
        settings = from_json(uploaded.getvalue())
    except UserFacingError as exc:
        st.session_state[state.SETTINGS_MESSAGE] = ("error", f"{exc} Your current settings are unchanged.")
        return
    apply_settings(settings)
    st.session_state[state.SETTINGS_MESSAGE] = (
        "success",
        "Settings imported. Press Run comparison to see the results.",
    )


def apply_link_settings() -> None:
    """Apply settings carried by the page address (``?s=...``) once per token; explain a bad token."""
    token = st.query_params.get("s")
    if not token or st.session_state.get(state.APPLIED_TOKEN) == token:
        return
    st.session_state[state.APPLIED_TOKEN] = token
    try:
        settings = decode_token(token)
    except UserFacingError as exc:
        st.session_state[state.SETTINGS_MESSAGE] = ("error", f"{exc} The page opened with your current settings.")
        return
    apply_settings(settings)
    st.session_state[state.SETTINGS_MESSAGE] = ("success", "Opened with the settings from the link.")


def settings_importer() -> None:
    """The settings file uploader and the message of the last import."""
    st.file_uploader(
        "Import settings (JSON exported from this page)",
        type=["json"],
        key=state.W_SETTINGS_UPLOAD,
        on_change=_import_file,
    )
    message = st.session_state.get(state.SETTINGS_MESSAGE)
    if message is not None:
        show_message(*message)
