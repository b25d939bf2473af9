"""Downloads that are safe to open in a spreadsheet.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be run as a
formula by Excel, LibreOffice or Google Sheets (CSV/formula injection). Such text cells, and
column names, get a leading apostrophe, which spreadsheets show as plain text. Numbers are
left alone, so a negative number stays a number.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["FORMULA_PREFIXES", "neutralise_cell", "safe_csv_bytes"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "|")


def neutralise_cell(value: object) -> object:
    """Return ``value`` with a leading apostrophe if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Write ``frame`` as UTF-8 CSV (with BOM, so spreadsheets detect the encoding), formulas neutralised."""
    out = frame.copy()
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    for col in out.columns:
        series = out[col]
        if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)):
            out[col] = series.map(neutralise_cell).astype(object)
    return out.to_csv(index=False).encode("utf-8-sig")
