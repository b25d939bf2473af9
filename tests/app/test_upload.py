"""Uploading each supported format through the Data page, and overriding column roles."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from components import state
from core.data.roles import Treatment
from tests.app.conftest import texts, upload
from tests.conftest import csv_bytes, parquet_bytes, xlsx_bytes

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
A = pd.DataFrame({"size": np.arange(30), "kind": ["big"] * 25 + ["small"] * 5})
B = pd.DataFrame({"size": np.arange(12), "kind": ["x", "y", "z"] * 4})


def classes(at):
    return json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["x"]


def test_parquet_upload(app):
    upload(app, "a.parquet", parquet_bytes(A), "application/octet-stream")
    assert classes(app) == ["big", "small"]


def test_semicolon_latin1_upload(app):
    frame = A.assign(kind=["café"] * 25 + ["thé"] * 5)
    upload(app, "fr.csv", csv_bytes(frame, sep=";", encoding="latin-1"))
    assert classes(app) == ["café", "thé"]
    assert any("semicolon-separated" in s and "Latin-1" in s for s in texts(app, "success"))


def test_excel_sheet_picker_switches_sheets_and_keeps_them_after_a_page_change(app):
    upload(app, "book.xlsx", xlsx_bytes({"first": A, "second": B}), XLSX_MIME)
    assert classes(app) == ["big", "small"]
    picker = app.selectbox(key="data.sheet")
    assert picker.options == ["first", "second"]
    picker.set_value("second").run()
    assert not app.exception
    assert classes(app) == ["x", "y", "z"]
    app.switch_page("pages/class_balance.py").run()
    assert classes(app) == ["x", "y", "z"]


def test_role_overrides_change_the_feature_plan(app):
    app.selectbox(key="data.sample").set_value("customer_churn")
    app.button(key="data.load_sample").click().run()
    captions = " ".join(texts(app, "caption"))
    assert "7 feature(s) used: 3 numeric, 4 encoded as categories; 2 column(s) left out" in captions
    app.session_state[state.OVERRIDES] = {"support_tickets": Treatment.CATEGORICAL, "contract": Treatment.NUMERIC}
    app.run()
    captions = " ".join(texts(app, "caption"))
    assert "7 feature(s) used: 2 numeric, 5 encoded as categories" in captions
    assert any("'contract' cannot be used as a number" in w for w in texts(app, "warning"))


def test_a_new_upload_resets_the_target_to_its_guess(app):
    app.selectbox(key="data.sample").set_value("customer_churn")
    app.button(key="data.load_sample").click().run()
    app.selectbox(key="data.target").set_value("contract").run()
    upload(app, "b.csv", csv_bytes(B))
    assert app.selectbox(key="data.target").value == "kind"


def test_the_uploader_lets_go_of_each_file_once_read_and_the_table_stays(app):
    def uploaders():
        return [u for u in app.get("file_uploader") if u.key.startswith("data.upload.")]

    upload(app, "a.parquet", parquet_bytes(A), "application/octet-stream")
    (fresh,) = uploaders()
    assert fresh.value is None  # a new, empty uploader: Streamlit no longer holds the file
    assert app.session_state[state.DATASET].name == "a.parquet"
    assert classes(app) == ["big", "small"]
    upload(app, "broken.parquet", b"PAR1 not really parquet", "application/octet-stream")
    assert uploaders()[0].value is None and uploaders()[0].key != fresh.key
    assert any("broken.parquet" in e and "a.parquet" in e for e in texts(app, "error"))
    assert classes(app) == ["big", "small"]  # the table loaded before is still in use
    app.switch_page("pages/class_balance.py").run()
    assert classes(app) == ["big", "small"]


def test_the_data_folder_is_listed_only_when_set_and_opens_only_its_files(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import ROOT

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "churn.csv").write_text(
        "tenure,plan,left\n" + "".join(f"{i},{'ab'[i % 2]},{int(i % 7 == 0)}\n" for i in range(60))
    )
    (tmp_path / "secret.csv").write_text("password,label\nhunter2,a\nx,b\n")
    without = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert "data.folder_file" not in [s.key for s in without.selectbox]  # no setting: no list at all

    monkeypatch.setenv("IE_DATA_DIR", str(folder))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    picker = at.selectbox(key="data.folder_file")
    assert picker.options == ["churn.csv · CSV · <0.1 MB"]
    at.button(key="data.folder_open").click().run()
    assert not at.exception
    assert any("Loaded churn.csv from the data folder: 60 rows × 3 columns" in m for m in texts(at, "success"))
    # a file that vanished after it was listed is refused with a message, and the data stays
    (folder / "gone.csv").write_text("a,b\n1,2\n3,4\n")
    at.run()
    at.selectbox(key="data.folder_file").set_value("gone.csv").run()
    (folder / "gone.csv").unlink()
    at.button(key="data.folder_open").click().run()
    assert not at.exception
    assert any(
        "is not a file of the data folder" in m and "(churn.csv) is still in use" in m for m in texts(at, "error")
    )
