"""Resample page: split first, then see exactly what a method does to the training rows."""

from __future__ import annotations

import streamlit as st

from components.cache import cached_resample, current
from components.messages import show_message
from components.number_views import is_number_target, number_resample_view
from components.page_setup import page_guard, require_prepared, require_split
from components.presenting import settings_area
from components.resample_views import resample_download, resample_scatter, resample_summary
from components.sampler_controls import sampler_controls
from components.split_controls import split_summary
from core.errors import UserFacingError

page_guard()

st.title("Resample")
st.caption(
    "The data is split first. Resampling changes only the training rows; the test rows keep their real class "
    "mix so that models can be judged honestly."
)
if is_number_target(current()):
    number_resample_view(current())
    st.stop()
prepared = require_prepared()
with settings_area():
    with st.container(border=True):
        split = require_split(prepared, folded=False)
        split_summary(split)
    config = sampler_controls(prepared, split)
try:
    result = cached_resample(prepared, split, config)
except UserFacingError as exc:
    show_message("error", str(exc))
    st.stop()

for note in result.notes:
    show_message("warning" if "removed every" in note else "info", note)
if result.key != "none" and result.key not in {"random_over", "random_under"}:
    st.caption(
        "Before this method runs, numeric features are standardised and missing values filled in, fitted on the "
        "training rows only; categories are one-hot encoded for distance-based methods (SMOTENC/SMOTEN keep them as "
        "categories). Results and downloads are in the original units."
    )

resample_summary(result)
st.header("Where the rows are")
resample_scatter(prepared, split, config, result)
resample_download(prepared, result)
