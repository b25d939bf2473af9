"""A large file of the data folder, end to end: counted by DuckDB, explored through a working sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import PAGES, ROOT, texts

ROWS, RARE = 24_000, 0.02


@pytest.fixture
def large(tmp_path, monkeypatch) -> tuple[AppTest, pd.DataFrame]:
    """The app with a data folder holding a Parquet log of 24,000 rows, every file treated as large and a budget
    of 4,000 rows; the log opened."""
    rng = np.random.default_rng(0)
    y = (rng.random(ROWS) < RARE).astype(int)
    frame = pd.DataFrame({"amount": rng.normal(size=ROWS) + 2 * y, "step": rng.integers(0, 50, ROWS),
                          "type": rng.choice(["CASH", "TRANSFER"], ROWS), "isFraud": y})  # fmt: skip
    frame.loc[::100, "amount"] = np.nan
    folder = tmp_path / "data"
    folder.mkdir()
    frame.to_parquet(folder / "log.parquet")
    monkeypatch.setenv("IE_DATA_DIR", str(folder))
    monkeypatch.setattr("components.dataset_picker.ENGINE_MIN_BYTES", 1)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.session_state["ie.keep.data.row_budget"] = 4_000
    at.run()
    assert "sampled with DuckDB" in at.selectbox(key="data.folder_file").options[0]
    at.button(key="data.folder_open").click().run()
    assert not at.exception
    return at, frame


def test_a_large_file_opens_as_a_working_sample_on_every_page(large):
    at, frame = large
    rare = int(frame["isFraud"].sum())
    opened = next(m for m in texts(at, "success") if "Opened log.parquet" in m)
    assert f"Working sample of {ROWS:,} rows in log.parquet" in opened
    ds = at.session_state["ie.dataset"]
    assert ds.sample is not None and len(ds.frame) <= 4_000 and int(ds.frame["isFraud"].sum()) == rare
    # counts over every row: the class chart and the missing values are the file's
    assert at.session_state["ie.dataset"].default_target == "isFraud"
    assert any(f"{ROWS:,} rows of the file" in c for c in texts(at, "caption"))
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        assert any(f"Working sample of {ROWS:,} rows" in c for c in texts(at, "caption")), page
    at.switch_page("pages/data.py").run()
    assert any(f"({rare:,} of {ROWS:,})" in m for m in texts(at, "markdown"))  # the summary of the file's mix


def test_the_budget_and_the_target_draw_the_sample_again(large):
    at, _frame = large
    redraw = at.button(key="data.sample_redraw")
    assert redraw.disabled  # nothing changed yet
    at.number_input(key="data.row_budget").set_value(6_000).run()
    at.button(key="data.sample_redraw").click().run()
    assert not at.exception
    assert at.session_state["ie.dataset"].sample.budget == 6_000
    assert 4_000 < len(at.session_state["ie.dataset"].frame) <= 6_000
    at.selectbox(key="data.target").set_value("type").run()
    assert any("drawn for the target 'isFraud'" in m for m in texts(at, "info"))
    at.button(key="data.sample_redraw").click().run()
    ds = at.session_state["ie.dataset"]
    assert ds.sample.target == "type" and at.selectbox(key="data.target").value == "type"


def test_stopping_keeps_the_data_loaded_before(large, monkeypatch):
    at, _ = large
    before = at.session_state["ie.dataset"]

    def stopped(*_a, **_k):
        import streamlit as st

        st.rerun()  # what pressing Stop does: a rerun, raised inside the progress report

    monkeypatch.setattr("components.large_data.draw_sample", stopped)
    at.number_input(key="data.row_budget").set_value(6_000).run()
    at.button(key="data.sample_redraw").click().run()
    assert not at.exception
    assert at.session_state["ie.dataset"] is before
    assert any("Stopped sampling log.parquet" in m and "is still in use" in m for m in texts(at, "warning"))


def test_a_file_duckdb_cannot_read_is_explained_and_the_data_kept(large):
    at, _ = large
    before = at.session_state["ie.dataset"]
    folder = at.session_state["ie.dataset"].sample.scan.path.rsplit("/", 1)[0]
    with open(f"{folder}/broken.parquet", "wb") as fh:
        fh.write(b"PAR1" + b"\x00 not really parquet " * 100)
    at.run()
    picker = at.selectbox(key="data.folder_file")
    picker.set_value("broken.parquet").run()
    at.button(key="data.folder_open").click().run()
    assert not at.exception
    assert at.session_state["ie.dataset"] is before
    errors = texts(at, "error")
    assert any("broken.parquet could not be read" in m and "(log.parquet) is still in use" in m for m in errors)
    assert not any(folder in m for m in errors)  # the server's folder is not shown


def test_the_report_says_it_comes_from_a_working_sample(large):
    from components.compare_views import _file_rows, report_split_text
    from core.data.prepared import prepare
    from core.data.split import make_split

    at, _ = large
    prepared = prepare(at.session_state["ie.dataset"], target="isFraud", overrides={})
    text = report_split_text(prepared, make_split(prepared, test_size=0.2, random_state=42))
    assert f"Working sample of {ROWS:,} rows" in text and "keeps the file's class mix" in text
    assert _file_rows(prepared) == ROWS
