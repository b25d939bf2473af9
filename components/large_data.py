"""Large files of the data folder: a working sample drawn by DuckDB, with progress, a Stop button and a line on
every page saying the pages show a sample (see :mod:`core.data.large_file`)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from components import state
from components.messages import plain, show_message
from core.data.dataset import Dataset
from core.data.large_file import (
    DEFAULT_BUDGET,
    LargeTableError,
    class_counts,
    describe_table,
    draw_sample,
    guess_target_of_scan,
    scan_table,
)
from core.data.prepared import PreparedData
from core.data.target import MAX_CLASSES
from core.errors import DataLoadError

#: Smallest and largest row budgets the Data page offers.
BUDGETS = (2_000, 2_000_000)


@dataclass(frozen=True)
class LargeRequest:
    """Sample the data folder's ``entry`` for ``target`` (guessed when ``None``) with ``budget`` rows."""

    entry: str
    target: str | None
    budget: int


def budget() -> int:
    """The row budget the user chose (kept across pages)."""
    return int(state.kept(state.W_ROW_BUDGET, DEFAULT_BUDGET))


def ask(entry: str, *, target: str | None) -> None:
    """Ask the Data page's body to sample ``entry`` (from a button callback, which cannot show progress)."""
    st.session_state[state.LARGE_REQUEST] = LargeRequest(entry, target, budget())


def run_request(folder) -> None:
    """Carry out a pending :class:`LargeRequest` with a progress bar and a Stop button, then rerun.

    The request is taken off first, and the message saying it was stopped is set before the work starts:
    pressing Stop (or anything else) reruns the page, which interrupts the query and leaves that message,
    with the data loaded before still in use.
    """
    request: LargeRequest | None = st.session_state.pop(state.LARGE_REQUEST, None)
    if request is None:
        return
    kept = state.dataset()
    still = f" The data you had loaded ({kept.name}) is still in use." if kept is not None else ""
    st.session_state[state.LOAD_MESSAGE] = ("warning", f"Stopped sampling {request.entry}.{still}")
    with st.container(border=True):
        bar = st.progress(0.0, text=f"Opening {plain(request.entry)}…")
        st.button("Stop", key=state.W_LARGE_STOP, icon=":material/stop:")

        def report(fraction: float, message: str) -> None:
            bar.progress(fraction, text=plain(message))

        try:
            path, entry = folder.open(request.entry)
            same = kept is not None and kept.sample is not None and kept.sample.entry == request.entry
            scan = kept.sample.scan if same else describe_table(path, kind=entry.kind)
            # A target named like one is counted first (a fraction of a second), so its classes are on the
            # page before the pass that counts missing and distinct values.
            target = request.target or guess_target_of_scan(scan)
            counts = _counted(scan, target, report, chosen=request.target is not None)
            if not same:
                scan = scan_table(path, kind=entry.kind, progress=report, described=scan)
            if counts is None:
                target = guess_target_of_scan(scan) or scan.columns[-1]
                counts = class_counts(scan, target=target, progress=report)
                _show_counts(target, counts)
            frame, info = draw_sample(
                scan, entry=request.entry, target=target, budget=request.budget, counts=counts, progress=report
            )
        except DataLoadError as exc:
            st.session_state[state.LOAD_MESSAGE] = ("error", f"{exc}{still}")
            st.rerun()
    seconds = scan.seconds + (info.seconds if info is not None else 0.0)
    details = f"{entry.kind}, read by DuckDB in {seconds:,.1f} s"
    state.set_dataset(Dataset.from_frame(
        frame, name=request.entry, origin="folder", details=details, default_target=target, sample=info,
    ))  # fmt: skip
    how = info.line() if info is not None else f"all {len(frame):,} rows fit in the row budget"
    st.session_state[state.LOAD_MESSAGE] = ("success", f"Opened {request.entry} from the data folder. {how}")
    st.rerun()


def _show_counts(target: str, counts: dict) -> None:
    total = sum(counts.values())
    st.markdown(
        f"**Classes of {plain(repr(target))} over every row of the file** ({total:,} labelled): "
        + " · ".join(f"{plain(repr(str(c)))} {n:,} ({n / total:.2%})" for c, n in counts.items())
    )


def _counted(scan, target: str | None, report, *, chosen: bool) -> dict | None:
    """The class counts of ``target`` over every row, shown at once; ``None`` when there is no such target.
    A target the user ``chosen`` that is no class label is refused with the reason, never swapped."""
    if target is None:
        return None
    try:
        counts = class_counts(scan, target=target, progress=report)
    except LargeTableError:
        if chosen:
            raise
        return None
    _show_counts(target, counts)
    return counts


def sample_line(prepared: PreparedData | None) -> None:
    """The one line every page shows when it works on a working sample."""
    if prepared is None or prepared.dataset.sample is None:
        return
    st.caption(f":material/filter_alt: {plain(prepared.dataset.sample.line())}")


def working_sample_panel(prepared: PreparedData) -> None:
    """On the Data page: the row budget, and drawing the sample again (for another budget or target)."""
    sample = prepared.dataset.sample
    if sample is None:
        return
    with st.container(border=True):
        st.markdown("**Working sample**")
        enriched = ", ".join(f"{plain(repr(str(c)))} {k:,.0f}× as common as in the file"
                             for c, k in sample.enrichment().items())  # fmt: skip
        st.caption(
            f"{sample.n_rows:,} of {sample.scan.n_rows:,} rows, drawn in {sample.seconds:,.1f} s. The test split comes "
            "from the uniformly drawn rows only, so its scores estimate the whole file's."
            + (f" In the training rows: {enriched}." if enriched else "")
        )
        st.number_input(
            "Rows in the working sample", min_value=BUDGETS[0], max_value=BUDGETS[1], step=50_000,
            help="More rows give tighter estimates and slower pages. Every row of the small classes is kept "
            "while they fit in half of this budget.",
            **state.bind(state.W_ROW_BUDGET, DEFAULT_BUDGET),
        )  # fmt: skip
        wanted = prepared.target or sample.target
        column = dict(zip(sample.scan.columns, sample.scan.distinct, strict=True)).get(wanted, 0)
        other_target = wanted != sample.target and 2 <= column <= MAX_CLASSES
        if other_target:
            show_message("info", f"The sample was drawn for the target {sample.target!r}. Draw it again for "
                         f"{wanted!r} to keep every row of its small classes.")  # fmt: skip
        changed = other_target or budget() != sample.budget
        st.button(
            "Draw the sample again", key=state.W_SAMPLE_REDRAW, on_click=ask, args=(sample.entry,),
            kwargs={"target": wanted if other_target else sample.target}, disabled=not changed,
            type="primary" if changed else "secondary", icon=":material/refresh:",
        )  # fmt: skip
