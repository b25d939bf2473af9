"""Every bad input shows a clear message in the page and keeps the loaded data."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from streamlit import config as st_config

from components import state
from core.data.loading import MAX_COLUMNS
from tests.app.conftest import texts, upload
from tests.conftest import csv_bytes, parquet_bytes, xlsx_bytes

GOOD = pd.DataFrame({"x1": np.arange(40) % 7, "x2": np.arange(40) * 0.5, "outcome": ["rare"] * 6 + ["common"] * 34})


def first_chart_classes(at):
    return json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["x"]


def assert_still_has_default_sample(at):
    assert first_chart_classes(at) == ["legit", "fraud"]
    assert any("Credit-card fraud" in m for m in texts(at, "header"))


def test_uploading_a_csv_replaces_the_distribution(app):
    upload(app, "mine.csv", csv_bytes(GOOD))
    assert not app.exception
    assert first_chart_classes(app) == ["common", "rare"]
    assert app.selectbox(key="data.target").value == "outcome"
    assert any("Loaded mine.csv: 40 rows × 3 columns" in s for s in texts(app, "success"))


WIDE = (",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)) + "\n" + ",".join("1" * (MAX_COLUMNS + 1)) + "\n").encode()


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("empty.csv", b"", "is empty"),
        ("image.csv", b"\x89PNG\r\n\x1a\n" + bytes(200), "contents are a PNG image"),
        ("blob.csv", bytes(range(256)) * 4, "binary data"),
        ("garbled.csv", b"a,b\n" + bytes(range(0x80, 0xA0)) * 20, "Could not read the text encoding"),
        ("lies.csv", xlsx_bytes({"s": GOOD}), "named like a text table but its contents are an Excel workbook"),
        ("lies.parquet", csv_bytes(GOOD), "named like a Parquet file but its contents are plain text"),
        ("lies.xlsx", parquet_bytes(GOOD), "named like an Excel workbook but its contents are a Parquet file"),
        ("header.csv", b"x1,x2,outcome\n", "has a header row but no data rows"),
        ("wide.csv", WIDE, f"{MAX_COLUMNS + 1:,} columns"),
        ("ragged.csv", b"a,b\n1,2\n3,4,5\n", "same number of fields"),
    ],
)
def test_bad_files_explain_themselves_and_keep_the_previous_data(app, name, data, fragment):
    upload(app, name, data)
    assert not app.exception
    errors = texts(app, "error")
    assert any(fragment in e for e in errors), errors
    assert any("is still in use" in e for e in errors)
    assert_still_has_default_sample(app)


def test_a_file_over_the_upload_cap_is_refused(app):
    old = st_config.get_option("server.maxUploadSize")
    st_config.set_option("server.maxUploadSize", 1)
    try:
        upload(app, "big.csv", b"a,b\n" + b"1,2\n" * 300_000)
    finally:
        st_config.set_option("server.maxUploadSize", old)
    assert any("over the 1.0 MB upload limit" in e for e in texts(app, "error"))
    assert_still_has_default_sample(app)


def test_a_one_class_target_is_explained_and_the_data_stays(app):
    frame = GOOD.assign(region=["north"] * 40)
    upload(app, "one.csv", csv_bytes(frame))
    app.selectbox(key="data.target").set_value("region").run()
    assert not app.exception
    assert any("only one class ('north')" in e for e in texts(app, "error"))
    app.selectbox(key="data.target").set_value("outcome").run()
    assert first_chart_classes(app) == ["common", "rare"]


def test_a_continuous_target_is_explained_as_no_class_and_offered_as_a_number(app):
    upload(app, "cont.csv", csv_bytes(GOOD))
    app.selectbox(key="data.target").set_value("x2").run()
    assert any("x2 is a number, and skewed numbers are imbalance too" in m for m in texts(app, "markdown"))
    assert not texts(app, "error") and app.button(key=state.W_NUMBER_MAKE)  # no class error; "Make it a class"
    app.switch_page("pages/class_balance.py").run()
    assert not app.exception and not texts(app, "error")
    assert any("x2 is a number, and skewed numbers are imbalance too" in m for m in texts(app, "markdown"))
    app.switch_page("pages/smote_steps.py").run()  # a page with no number view says what to do
    assert any("'x2' is a number, not classes: explore it as a number" in e for e in texts(app, "error"))


def test_missing_target_values_are_left_out_visibly(app):
    frame = GOOD.astype({"outcome": object})
    frame.loc[[0, 10, 20], "outcome"] = None
    upload(app, "gaps.csv", csv_bytes(frame))
    assert any("3 row(s) have no value in 'outcome'" in w for w in texts(app, "warning"))
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert sum(spec["data"][0]["y"]) == 37


def test_duplicate_columns_are_renamed_with_a_warning(app):
    upload(app, "dups.csv", b"x,x,outcome\n1,2,a\n3,4,b\n5,6,a\n")
    assert not texts(app, "error")
    assert any("'x' appears more than once" in w for w in texts(app, "warning"))


def test_html_and_formula_names_are_shown_as_plain_text(app):
    frame = pd.DataFrame(
        {
            "<img src=x onerror=alert(1)>": np.arange(30),
            '=HYPERLINK("http://x")': np.arange(30) % 3,
            "**label**": ["<b>bold</b>"] * 10 + ["[click](javascript:alert(1))"] * 20,
        }
    )
    upload(app, "<script>alert(1)</script>.csv", csv_bytes(frame))
    assert not app.exception
    for raw in [*(e.value for e in app.markdown), *(e.value for e in app.caption), *(e.value for e in app.success)]:
        # Every Markdown-significant character coming from the user is backslash-escaped.
        assert not re.search(r"(?<!\\)<", raw), raw
        assert not re.search(r"(?<!\\)\[click", raw), raw
        assert not re.search(r"(?<!\\)\*\*label", raw), raw
    assert any("<script>alert(1)</script>.csv" in m for m in texts(app, "header"))
    assert app.selectbox(key="data.target").options == [
        "<img src=x onerror=alert(1)>",
        '=HYPERLINK("http://x")',
        "**label**",
    ]
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["x"] == ["[click](javascript:alert(1))", "&lt;b&gt;bold&lt;/b&gt;"]
