"""Shared test helpers: small files built in memory."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def csv_bytes(frame: pd.DataFrame, *, sep: str = ",", encoding: str = "utf-8") -> bytes:
    """A frame written as delimited text in the given encoding."""
    return frame.to_csv(index=False, sep=sep).encode(encoding)


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """A workbook with one sheet per entry."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return buf.getvalue()


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """A frame written as Parquet."""
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()
