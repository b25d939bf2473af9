"""Read uploaded bytes (CSV/TSV/TXT, Parquet, Excel) into a DataFrame, with clear errors.

Every failure raises :class:`~core.errors.DataLoadError` whose message names the file,
says what is wrong and what to do. Nothing here unpickles: Parquet is read by pyarrow,
Excel by openpyxl, text by pandas' C parser.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from core.data.dataset import Source
from core.errors import DataLoadError

__all__ = [
    "MAX_COLUMNS",
    "SUPPORTED_EXTENSIONS",
    "LoadedTable",
    "dedupe_names",
    "detect_delimiter",
    "detect_encoding",
    "list_excel_sheets",
    "read_table",
    "sniff_content",
]

#: Widest table the explorer accepts; wider files are rejected with a message.
MAX_COLUMNS = 1000
#: File name endings the explorer reads, lower case, without the dot.
SUPPORTED_EXTENSIONS = ("csv", "tsv", "txt", "parquet", "xlsx", "xlsm")

_TEXT_EXT = {"csv", "tsv", "txt"}
_PARQUET_EXT = {"parquet", "pq"}
_EXCEL_EXT = {"xlsx", "xlsm"}
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}

# Leading bytes of formats people upload by mistake.
_MAGIC = (
    (b"PAR1", "parquet"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),
    (b"%PDF", "pdf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"\x1f\x8b", "gzip"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
    (b"\x80\x04", "pickle"),
    (b"\x80\x05", "pickle"),
)
_FORMAT_NAMES = {
    "parquet": "a Parquet file",
    "zip": "a ZIP archive (an Excel .xlsx workbook is one)",
    "xlsx": "an Excel workbook",
    "xls": "an old-style Excel .xls workbook",
    "pdf": "a PDF document",
    "png": "a PNG image",
    "jpeg": "a JPEG image",
    "gif": "a GIF image",
    "gzip": "a gzip-compressed file",
    "executable": "a program",
    "pickle": "a Python pickle",
    "binary": "binary data",
    "text": "plain text",
}


@dataclass(frozen=True)
class LoadedTable:
    """A table read from a file, with what was detected and any visible adjustments."""

    frame: pd.DataFrame
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    source: Source | None = None

    def describe(self) -> str:
        """One line saying how the file was read, for display under the picker."""
        parts = [self.format.upper() if self.format != "excel" else "Excel"]
        if self.encoding:
            parts.append(self.encoding)
        if self.delimiter:
            parts.append(f"{_DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))}-separated")
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        return ", ".join(parts)


def sniff_content(data: bytes) -> str:
    """Guess a file's real format from its first bytes.

    Returns one of ``"parquet"``, ``"xlsx"``, ``"zip"``, ``"xls"``, ``"pdf"``, ``"png"``,
    ``"jpeg"``, ``"gif"``, ``"gzip"``, ``"executable"``, ``"pickle"``, ``"binary"`` or ``"text"``.
    """
    for magic, name in _MAGIC:
        if data.startswith(magic):
            if name == "zip":
                head = data[:65536]
                return "xlsx" if b"xl/" in head or b"[Content_Types].xml" in head else "zip"
            return name
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 with a byte-order mark
    if b"\x00" in head:
        return "binary"
    return "text"


_CHUNK = 1 << 20


def _decodes(data: bytes, codec: str, *, count_control: bool) -> tuple[bool, int]:
    """Whether ``data`` decodes as ``codec`` (checked 1 MB at a time, never holding the whole text),
    and how many control characters (other than tab and line ends) it holds."""
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    control = 0
    try:
        for start in range(0, len(data), _CHUNK):
            chunk = decoder.decode(data[start : start + _CHUNK], final=start + _CHUNK >= len(data))
            if count_control:
                control += len(_CONTROL.findall(chunk))
    except UnicodeDecodeError:
        return False, 0
    return True, control


def detect_encoding(data: bytes, *, filename: str = "the file") -> str:
    """The text encoding of ``data``: UTF-8 (with or without BOM), UTF-16 (with BOM), then Latin-1.

    Returns a name from ``"UTF-8"``, ``"UTF-8 with BOM"``, ``"UTF-16"``, ``"Latin-1 (Windows-1252)"``
    and ``"Latin-1"``. Raises :class:`DataLoadError` when the bytes decode only to control
    characters, i.e. the encoding is not one we can read.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["UTF-8 with BOM"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["UTF-16"]
    else:
        candidates = ["UTF-8", "Latin-1 (Windows-1252)", "Latin-1"]
    for name in candidates:
        latin = name.startswith("Latin-1")
        ok, control = _decodes(data, _CODECS[name], count_control=latin)
        if ok and (not latin or control < 0.001 * max(len(data), 1)):
            return name
        if ok:
            break  # Latin-1 decodes anything: too many control characters means it is not text we can read
    raise DataLoadError(
        f"Could not read the text encoding of {filename!r}: it is not UTF-8, UTF-16 or "
        "Latin-1. Open it in a spreadsheet or text editor, save it as CSV with UTF-8 "
        "encoding, and upload it again."
    )


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # Unicode "Cc" but tab and line ends


def detect_delimiter(text: str, *, preferred: str | None = None) -> str:
    """Pick the field separator (comma, semicolon, tab or pipe) that splits the lines most consistently.

    ``preferred`` wins ties (``"\\t"`` for ``.tsv`` files). A single-column text gives ``","``.
    """
    lines = [ln for ln in text[:65536].splitlines()[:60] if ln.strip()]
    best, best_score = preferred or ",", (0.0, 0)
    for delim in _DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delim)]
        except csv.Error:
            continue
        if not counts:
            continue
        mode, freq = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        score = (freq / len(counts), mode)
        if score > best_score or (score == best_score and delim == preferred):
            best, best_score = delim, score
    return best


def dedupe_names(names: list[object]) -> tuple[list[str], list[str]]:
    """Make column names unique strings; the second and later copies become ``name (2)``, ...

    Returns ``(names, notes)`` where each note says which name was renamed. Blank names
    become ``column_N`` (1-based position).
    """
    out: list[str] = []
    notes: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(names, start=1):
        name = "" if raw is None or (isinstance(raw, float) and pd.isna(raw)) else str(raw).strip()
        if not name:
            name = f"column_{i}"
            notes.append(f"Column {i} has no name; it is called {name!r}.")
        if name in seen:
            n = 2
            while f"{name} ({n})" in seen:
                n += 1
            notes.append(
                f"The column name {name!r} appears more than once; copy {n} is renamed "
                f"{name + f' ({n})'!r}. Rename the columns in your file if they mean different things."
            )
            name = f"{name} ({n})"
        seen.add(name)
        out.append(name)
    return out, notes


def list_excel_sheets(data: bytes) -> list[str]:
    """Return the sheet names of an Excel workbook, in workbook order."""
    try:
        with pd.ExcelFile(io.BytesIO(data), engine="openpyxl") as book:
            return [str(s) for s in book.sheet_names]
    except Exception as exc:
        raise DataLoadError(
            "Could not open the Excel workbook: it may be damaged or password-protected. "
            f"Save it again as .xlsx or CSV and upload it. ({type(exc).__name__})"
        ) from exc


def read_table(
    data: bytes,
    *,
    filename: str,
    sheet: str | None = None,
    max_bytes: int | None = None,
    max_columns: int = MAX_COLUMNS,
) -> LoadedTable:
    """Read an uploaded file into a :class:`LoadedTable`.

    Parameters
    ----------
    data : bytes
        The file's contents.
    filename : str
        The name the user gave the file; its extension says which reader to use and
        is checked against the contents.
    sheet : str, optional
        Excel sheet to read; the first sheet when omitted.
    max_bytes : int, optional
        Upload cap; larger files are refused with a message.
    max_columns : int
        Widest table accepted.
    """
    shown = filename.strip()[:200] or "the file"  # shown as given (escaped by the UI), never used as a path
    ext = os.path.splitext(shown)[1].lower().lstrip(".")
    if max_bytes is not None and len(data) > max_bytes:
        raise DataLoadError(
            f"{shown!r} is {_mb(len(data))}, over the {_mb(max_bytes)} upload limit. "
            "Upload a sample of its rows, or save it as Parquet, which is much smaller."
        )
    if ext == "xls":
        raise DataLoadError(
            f"{shown!r} is an old-style .xls workbook, which the explorer does not read. "
            "Open it in Excel or LibreOffice and save it as .xlsx or CSV."
        )
    if ext not in _TEXT_EXT | _PARQUET_EXT | _EXCEL_EXT:
        raise DataLoadError(
            f"{shown!r} is not a supported file type. Upload a CSV, TSV or TXT table, a "
            "Parquet file, or an Excel .xlsx workbook."
        )
    if not data.strip():
        raise DataLoadError(f"{shown!r} is empty. Choose a file that contains a table with a header row.")

    content = sniff_content(data)
    expected = "text" if ext in _TEXT_EXT else "parquet" if ext in _PARQUET_EXT else "xlsx"
    if content != expected:
        said = {"text": "a text table", "parquet": "a Parquet file", "xlsx": "an Excel workbook"}[expected]
        fix = {
            "parquet": "Rename it to end in .parquet",
            "xlsx": "Rename it to end in .xlsx",
            "zip": "Unzip it and upload the table inside",
            "xls": "Open it in Excel and save it as .xlsx or CSV",
            "text": "If it is a CSV table, rename it to end in .csv",
        }.get(content, "Export your table as CSV, Parquet or .xlsx")
        raise DataLoadError(
            f"{shown!r} is named like {said} but its contents are {_FORMAT_NAMES[content]}. {fix} and upload it again."
        )

    if expected == "text":
        table = _read_text(data, shown=shown, ext=ext, max_columns=max_columns)
    elif expected == "parquet":
        table = _read_parquet(data, shown=shown)
    else:
        table = _read_excel(data, shown=shown, sheet=sheet)
    return _finish(table, shown=shown, max_columns=max_columns)


def _mb(n: int) -> str:
    return f"{n / 2**20:,.1f} MB"


_CODECS = {
    "UTF-8": "utf-8",
    "UTF-8 with BOM": "utf-8-sig",
    "UTF-16": "utf-16",
    "Latin-1 (Windows-1252)": "cp1252",
    "Latin-1": "latin-1",
}


def _read_text(data: bytes, *, shown: str, ext: str, max_columns: int) -> LoadedTable:
    encoding = detect_encoding(data, filename=shown)
    head = data[:65536].decode(_CODECS[encoding], errors="ignore")
    delimiter = detect_delimiter(head, preferred="\t" if ext == "tsv" else None)
    first = next((ln for ln in head.splitlines() if ln.strip()), "")
    header = next(csv.reader([first], delimiter=delimiter), [])
    if len(header) > max_columns:
        raise _too_wide(shown, len(header), max_columns)
    # "a, b, c": skip the blank after each separator only when the file writes one (it slows parsing).
    spaced = head.count(delimiter + " ") >= max(1, head.count(delimiter) // 2)
    try:
        frame = pd.read_csv(
            io.BytesIO(data), sep=delimiter, encoding=_CODECS[encoding], skipinitialspace=spaced, low_memory=False
        )
    except pd.errors.EmptyDataError as exc:
        raise DataLoadError(f"{shown!r} has no table in it. Choose a file with a header row and data rows.") from exc
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as exc:
        detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise DataLoadError(
            f"Could not read {shown!r} as a {_DELIMITER_NAMES.get(delimiter, delimiter)}-separated table "
            f"({detail}). Check that every row has the same number of fields as the header."
        ) from exc
    notes: list[str] = []
    options = (("sep", delimiter), ("encoding", _CODECS[encoding])) + ((("skipinitialspace", True),) if spaced else ())
    source = Source(shown, "read_csv", (*options, ("low_memory", False)))
    if len(header) == frame.shape[1]:
        names, notes = dedupe_names(header)
        if names != list(frame.columns):
            source = replace(source, columns=tuple(names))
        frame.columns = names
    return LoadedTable(
        frame=frame, format=ext, encoding=encoding, delimiter=delimiter, notes=tuple(notes), source=source
    )


def _read_parquet(data: bytes, *, shown: str) -> LoadedTable:
    try:
        frame = pd.read_parquet(io.BytesIO(data), engine="pyarrow")
    except Exception as exc:
        raise DataLoadError(
            f"Could not read {shown!r} as Parquet: the file may be damaged or truncated. "
            f"Write it again and upload it. ({type(exc).__name__})"
        ) from exc
    return LoadedTable(frame=frame, format="parquet", source=Source(shown, "read_parquet"))


def _read_excel(data: bytes, *, shown: str, sheet: str | None) -> LoadedTable:
    sheets = list_excel_sheets(data)
    if not sheets:
        raise DataLoadError(f"{shown!r} has no sheets. Save a workbook with your table on its first sheet.")
    chosen = sheet if sheet in sheets else sheets[0]
    try:
        raw = pd.read_excel(io.BytesIO(data), sheet_name=chosen, header=None, engine="openpyxl")
    except Exception as exc:
        raise DataLoadError(
            f"Could not read sheet {chosen!r} of {shown!r} ({type(exc).__name__}). "
            "Save the workbook again as .xlsx or CSV and upload it."
        ) from exc
    raw = raw.dropna(how="all").dropna(axis=1, how="all")
    if raw.empty:
        raise DataLoadError(f"Sheet {chosen!r} of {shown!r} is empty. Pick the sheet that holds your table.")
    names, notes = dedupe_names(list(raw.iloc[0]))
    frame = raw.iloc[1:].reset_index(drop=True)
    frame.columns = names
    frame = frame.infer_objects()
    for col in frame.columns:
        if frame[col].dtype == object:
            converted = pd.to_numeric(frame[col], errors="coerce")
            if converted.notna().sum() == frame[col].notna().sum():
                frame[col] = converted
    source = Source(shown, "read_excel", (("sheet_name", chosen),), columns=tuple(names))
    return LoadedTable(
        frame=frame, format="excel", sheet=chosen, sheets=tuple(sheets), notes=tuple(notes), source=source
    )


def _too_wide(shown: str, n: int, limit: int) -> DataLoadError:
    return DataLoadError(
        f"{shown!r} has {n:,} columns; the explorer works with up to {limit:,}. Keep the target "
        "and the features you want to study, and upload that smaller table."
    )


def read_parquet_dataset(path, *, shown: str, max_columns: int = MAX_COLUMNS) -> LoadedTable:
    """Read a partitioned Parquet dataset (a directory of ``.parquet`` files) with the same checks as an upload."""
    try:
        frame = pd.read_parquet(path, engine="pyarrow")
    except Exception as exc:
        raise DataLoadError(
            f"Could not read {shown!r} as a Parquet dataset: a part may be damaged, or the parts' columns may "
            f"differ. ({type(exc).__name__})"
        ) from exc
    return _finish(LoadedTable(frame=frame, format="parquet", source=Source(shown, "read_parquet")), shown=shown,
                   max_columns=max_columns)  # fmt: skip


def _finish(table: LoadedTable, *, shown: str, max_columns: int) -> LoadedTable:
    frame = table.frame
    notes = list(table.notes)
    if any(name is not None for name in frame.index.names):  # e.g. a Parquet file written with a named index
        frame = frame.reset_index()
    if frame.shape[1] > max_columns:
        raise _too_wide(shown, frame.shape[1], max_columns)
    source = table.source
    if frame.columns.duplicated().any() or not all(isinstance(c, str) for c in frame.columns):
        names, more = dedupe_names(list(frame.columns))
        frame = frame.set_axis(names, axis=1)
        notes.extend(more)
        if source is not None:
            source = replace(source, columns=tuple(names))
    if len(frame) == 0:
        raise DataLoadError(
            f"{shown!r} has a header row but no data rows. Add the rows of your table and upload it again."
        )
    if frame.shape[1] < 2:
        raise DataLoadError(
            f"{shown!r} has only one column ({frame.columns[0]!r}), so there is no target and feature "
            "to study. If its values are separated by something other than a comma, semicolon, tab "
            "or pipe, save it as a standard CSV and upload it again."
        )
    numeric = frame.select_dtypes("number")
    infinite = numeric.isin([np.inf, -np.inf]).sum()
    if int(infinite.sum()):
        frame = frame.copy()
        for col in infinite[infinite > 0].index:
            frame[col] = frame[col].replace([np.inf, -np.inf], np.nan)
        cols = ", ".join(repr(str(c)) for c in infinite[infinite > 0].index[:5])
        notes.append(
            f"{int(infinite.sum()):,} infinite value(s) (in {cols}) are treated as missing values, which models fill in."
        )
    empty_rows = int(frame.isna().all(axis=1).sum())
    if empty_rows:
        frame = frame.loc[~frame.isna().all(axis=1)].reset_index(drop=True)
        notes.append(f"Left out {empty_rows:,} completely empty row(s).")
    return LoadedTable(
        frame=frame,
        format=table.format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet=table.sheet,
        sheets=table.sheets,
        notes=tuple(notes),
        source=source,
    )
