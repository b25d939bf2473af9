"""Dataset picker: a bundled sample or an uploaded file, with errors shown in the page."""

from __future__ import annotations

import os

import streamlit as st

from components import large_data, state
from components.cache import cached_sample
from components.messages import show_message
from core.data.bundled import SAMPLES
from core.data.data_folder import DataFolder, FolderError, read_entry
from core.data.dataset import Dataset
from core.data.large_file import ENGINE_MIN_BYTES
from core.data.loading import SUPPORTED_EXTENSIONS, LoadedTable, read_table
from core.errors import DataLoadError

_TITLES = {s.key: s.title for s in SAMPLES}


def upload_limit_bytes() -> int:
    """The upload cap configured for the server (``server.maxUploadSize``, in MB)."""
    return int(st.get_option("server.maxUploadSize")) * 2**20


def ensure_dataset() -> Dataset:
    """Return the session's dataset, loading the default sample on a session's first run."""
    ds = state.dataset()
    if ds is None:
        ds = cached_sample(SAMPLES[0].key)
        state.set_dataset(ds)
    return ds


def _load_sample() -> None:
    key = st.session_state[state.W_SAMPLE]
    state.set_dataset(cached_sample(key))
    st.session_state[state.LOAD_MESSAGE] = ("success", f"Loaded the sample: {_TITLES[key]}.")


def _from_table(table: LoadedTable, *, name: str) -> Dataset:
    return Dataset.from_frame(table.frame, name=name, origin="upload", details=table.describe(), notes=table.notes,
                              source=table.source)  # fmt: skip


def _load(read, *, name: str, where: str = "") -> LoadedTable | None:
    """Run ``read()`` and make its table the current dataset with a success message; on a
    :class:`DataLoadError`, keep the data already loaded and say so. Returns the table, or ``None``."""
    try:
        table = read()
    except DataLoadError as exc:
        kept = state.dataset()
        tail = f" The data you had loaded ({kept.name}) is still in use." if kept is not None else ""
        st.session_state[state.LOAD_MESSAGE] = ("error", str(exc) + tail)
        return None
    state.set_dataset(_from_table(table, name=name))
    st.session_state.pop(state.UPLOAD_BYTES, None)
    rows, cols = table.frame.shape
    st.session_state[state.LOAD_MESSAGE] = (
        "success",
        f"Loaded {name}{where}: {rows:,} rows × {cols:,} columns ({table.describe()}).",
    )
    return table


def _read_upload(name: str, data: bytes, *, sheet: str | None = None) -> None:
    table = _load(lambda: read_table(data, filename=name, sheet=sheet, max_bytes=upload_limit_bytes()), name=name)
    if table is not None and table.format == "excel" and len(table.sheets) > 1:
        st.session_state[state.UPLOAD_BYTES] = (name, data, table.sheets)
        st.session_state[state.W_SHEET] = table.sheet


def data_folder() -> DataFolder | None:
    """The server's data folder (``IE_DATA_DIR``), or ``None`` when the server was started without one."""
    return DataFolder.from_setting(os.environ.get(state.DATA_DIR_SETTING))


def _large(entry) -> bool:
    """Whether a folder entry is read by DuckDB into a working sample rather than whole by pandas."""
    return entry.size >= min(ENGINE_MIN_BYTES, upload_limit_bytes())


def _open_from_folder() -> None:
    name = st.session_state.get(state.W_FOLDER_FILE)
    try:
        folder = data_folder()
        entry = folder.open(name)[1] if folder is not None and name is not None else None
    except DataLoadError:
        entry = None  # read() below says why
    if entry is not None and _large(entry):
        large_data.ask(name, target=None)
        return

    def read() -> LoadedTable:
        folder = data_folder()  # read again: the folder may have gone since the list was drawn
        if folder is None:
            raise FolderError("The server has no data folder (IE_DATA_DIR) any more.")
        return read_entry(folder, name, max_bytes=upload_limit_bytes())

    if name is not None:
        _load(read, name=name, where=" from the data folder")


def _folder_picker() -> None:
    """The data folder's CSV and Parquet files, when the server has one (nothing at all otherwise)."""
    try:
        folder = data_folder()
    except DataLoadError as exc:
        show_message("error", str(exc))
        return
    if folder is None:
        return
    st.markdown("**Or open a file from the server's data folder**")
    entries = folder.entries()
    if not entries:
        st.caption("The data folder has no CSV or Parquet files.")
        return
    labels = {e.name: e.label + (" · sampled with DuckDB" if _large(e) else "") for e in entries}
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.selectbox(
        "File in the data folder", list(labels), format_func=labels.__getitem__,
        **state.bind_choice(state.W_FOLDER_FILE, list(labels), entries[0].name),
    )  # fmt: skip
    right.button("Open this file", key=state.W_FOLDER_OPEN, on_click=_open_from_folder, icon=":material/folder_open:")
    st.caption(
        f"Files of {ENGINE_MIN_BYTES // 2**20} MB or more are counted over every row and explored through a working "
        f"sample of {large_data.budget():,} rows (change it on this page once a file is open)."
    )
    large_data.run_request(folder)


def _change_sheet() -> None:
    stored = st.session_state.get(state.UPLOAD_BYTES)
    if stored is None:
        return
    name, data, _ = stored
    _read_upload(name, data, sheet=st.session_state[state.W_SHEET])


def dataset_picker() -> None:
    """Draw the sample selector and the file uploader; load what the user picks.

    A failed upload leaves the previous dataset in place and explains what went wrong.
    """
    current = state.dataset()
    left, right = st.columns([1, 1], gap="large")
    with left:
        st.markdown("**Use a bundled sample**")
        keys = [s.key for s in SAMPLES]
        if state.W_SAMPLE not in st.session_state:
            st.session_state[state.W_SAMPLE] = current.sample_key if current and current.sample_key else keys[0]
        st.selectbox(
            "Sample dataset",
            keys,
            format_func=_TITLES.__getitem__,
            key=state.W_SAMPLE,
            label_visibility="collapsed",
        )
        chosen = next(s for s in SAMPLES if s.key == st.session_state[state.W_SAMPLE])
        st.caption(chosen.blurb)
        st.button("Load this sample", key=state.W_LOAD_SAMPLE, on_click=_load_sample, icon=":material/dataset:")
    with right:
        st.markdown("**Or upload your own table**")
        uploaded = st.file_uploader(
            "Upload a CSV, TSV, TXT, Parquet or Excel file",
            type=list(SUPPORTED_EXTENSIONS),
            key=state.upload_key(),
            help="The first row must hold the column names. Delimiter and text encoding are detected. "
            "Once read, the file is cleared from this box; the table stays loaded.",
            label_visibility="collapsed",
        )
        if uploaded is not None:
            _read_upload(uploaded.name, uploaded.getvalue())
            del uploaded
            state.next_upload_round()  # a new, empty uploader, so Streamlit lets go of the file
            st.rerun()
        stored = st.session_state.get(state.UPLOAD_BYTES)
        current = state.dataset()
        if stored is not None and current is not None and current.origin == "upload" and current.name == stored[0]:
            st.selectbox("Sheet", stored[2], key=state.W_SHEET, on_change=_change_sheet)
    _folder_picker()
    message = st.session_state.get(state.LOAD_MESSAGE)
    if message is not None:
        show_message(*message)
    current = state.dataset()
    if current is not None:
        for note in current.notes:
            show_message("warning", note)
