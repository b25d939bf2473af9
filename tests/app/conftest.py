"""AppTest helpers: the real app from app.py, with the default dataset loaded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


def plain(text: str) -> str:
    """Undo Markdown escaping so assertions can read messages as the user does."""
    return re.sub(r"\\(.)", r"\1", text)


def texts(at: AppTest, kind: str) -> list[str]:
    """Plain texts of every element of a kind (error, warning, success, markdown, caption...)."""
    return [plain(e.value) for e in getattr(at, kind)]


def score_tables(at: AppTest) -> tuple:
    """The scores table, shown in parts a page wide, joined back into one; and the index of the next table."""
    tables = [t.value for t in at.dataframe]
    first = next(i for i, t in enumerate(tables) if list(t.columns[:1]) == ["strategy"])
    out, nxt = tables[first], first + 1
    for t in tables[first + 1 :]:
        same_rows = list(t.columns[:1]) == ["strategy"] and t["strategy"].tolist() == out["strategy"].tolist()
        if not same_rows or set(t.columns[1:]) & set(out.columns):
            break
        out, nxt = out.join(t.drop(columns="strategy")), nxt + 1
    return out, nxt


def scores(at: AppTest):
    """The scores on the test split, every metric column (see :func:`score_tables`)."""
    return score_tables(at)[0]


def table_with(at: AppTest, column: str):
    """The first table on the page that has ``column`` (charts add their own "Chart as numbers" tables)."""
    return next(t.value for t in at.dataframe if column in t.value.columns)


def upload(at: AppTest, name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    """Put a file in the Data page's uploader and rerun."""
    uploader = next(u for u in at.get("file_uploader") if u.key.startswith("data.upload."))
    uploader.set_value((name, data, mime))
    return at.run()


@pytest.fixture
def app() -> AppTest:
    """The app, first run, on the Data page with the default sample loaded."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def values(array) -> list:
    """A plotly array from a figure's JSON: a plain list, or plotly's base64 typed array."""
    import base64

    import numpy as np

    if isinstance(array, dict) and "bdata" in array:
        data = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        return data.tolist()  # flat: a 2-D array comes back row after row
    return list(array)


@pytest.fixture
def deferred(monkeypatch) -> dict:
    """Every deferred download (a button whose ``data`` is a callable) drawn while the test runs, by key. AppTest has
    no server to register them with, so the callables are kept here; calling one from the test's thread calls it as
    Streamlit does when the button is pressed: outside the script's run, where no session state can be read."""
    import streamlit as st
    from streamlit.elements.widgets.button import ButtonMixin

    kept: dict = {}
    real = ButtonMixin.download_button

    def recording(self, label, data, *args, **kwargs):
        if callable(data):
            kept[kwargs.get("key")] = data
        return real(self, label, data, *args, **kwargs)

    monkeypatch.setattr(ButtonMixin, "download_button", recording)
    monkeypatch.setattr(st, "download_button", lambda *a, **k: recording(st._main, *a, **k))
    return kept
