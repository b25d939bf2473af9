"""Split settings (test share and seed), shared by every page that uses the split."""

from __future__ import annotations

import streamlit as st

from components import state
from components.messages import plain, show_message
from core.data.split import Split, SplitSpec


def split_controls() -> SplitSpec:
    """Draw the test-share slider and seed box; return the chosen split settings."""
    default = SplitSpec()
    left, right = st.columns([3, 1])
    with left:
        test_size = st.slider(
            "Test share (held out, never resampled)",
            min_value=0.1,
            max_value=0.5,
            step=0.05,
            format="%.2f",
            help="The share of rows kept aside, with their real class mix, to evaluate models honestly.",
            **state.bind(state.W_TEST_SIZE, default.test_size),
        )
    with right:
        seed = st.number_input(
            "Split seed",
            min_value=0,
            max_value=2**31 - 1,
            step=1,
            help="The same seed gives the same split on every page.",
            **state.bind(state.W_SPLIT_SEED, default.random_state),
        )
    return SplitSpec(test_size=round(float(test_size), 2), random_state=int(seed))


def shared_spec() -> SplitSpec:
    """The split settings chosen on any page, without drawing them (for a page that only reads the split)."""
    default = SplitSpec()
    return SplitSpec(test_size=round(float(state.kept(state.W_TEST_SIZE, default.test_size)), 2),
                     random_state=int(state.kept(state.W_SPLIT_SEED, default.random_state)))  # fmt: skip


def split_summary(split: Split) -> None:
    """One line with the rows and class mix of each side of the split."""

    def mix(counts: dict[object, int]) -> str:
        return ", ".join(f"{plain(c)} {n:,}" for c, n in counts.items())

    st.caption(
        f"Training split: {len(split.y_train):,} rows ({mix(split.counts('train'))}). "
        f"Test split: {len(split.y_test):,} rows ({mix(split.counts('test'))}), left untouched."
    )
    for note in split.notes:
        show_message("warning", note)
