"""Reading uploads: formats, encodings, delimiters, and every bad file's message."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.data.dataset import Dataset
from core.data.loading import MAX_COLUMNS, dedupe_names, detect_delimiter, detect_encoding, read_table, sniff_content
from core.errors import DataLoadError
from tests.conftest import csv_bytes, parquet_bytes, xlsx_bytes

FRAME = pd.DataFrame(
    {"age": [31, 45, 22, 60], "city": ["Zürich", "Köln", "Åre", "Café"], "label": ["a", "b", "a", "a"]}
)


@pytest.mark.parametrize(
    ("sep", "name"), [(",", "d.csv"), (";", "d.csv"), ("\t", "d.tsv"), ("|", "d.txt"), ("\t", "d.txt")]
)
def test_delimiter_is_detected(sep, name):
    table = read_table(csv_bytes(FRAME, sep=sep), filename=name)
    assert table.delimiter == sep
    assert list(table.frame.columns) == ["age", "city", "label"]
    assert table.frame["age"].tolist() == [31, 45, 22, 60]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (csv_bytes(FRAME, encoding="utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + csv_bytes(FRAME, encoding="utf-8"), "UTF-8 with BOM"),
        (csv_bytes(FRAME, encoding="latin-1"), "Latin-1"),
        (csv_bytes(FRAME, encoding="utf-16"), "UTF-16"),
    ],
)
def test_encoding_is_detected_and_text_survives(raw, expected):
    table = read_table(raw, filename="d.csv")
    assert table.encoding.startswith(expected)
    assert table.frame["city"].tolist() == ["Zürich", "Köln", "Åre", "Café"]
    assert table.frame.columns[0] == "age"  # no BOM glued to the first name


def test_parquet_and_excel_round_trip():
    assert read_table(parquet_bytes(FRAME), filename="d.parquet").frame.equals(FRAME)
    table = read_table(xlsx_bytes({"first": FRAME, "second": FRAME.head(2)}), filename="d.xlsx")
    assert table.sheets == ("first", "second")
    assert table.sheet == "first"
    assert table.frame["age"].tolist() == [31, 45, 22, 60]
    assert pd.api.types.is_numeric_dtype(table.frame["age"])
    second = read_table(xlsx_bytes({"first": FRAME, "second": FRAME.head(2)}), filename="d.xlsx", sheet="second")
    assert len(second.frame) == 2


def test_duplicate_column_names_are_renamed_with_a_note():
    table = read_table(b"x,x,y\n1,2,a\n3,4,b\n", filename="d.csv")
    assert list(table.frame.columns) == ["x", "x (2)", "y"]
    assert any("'x'" in n and "more than once" in n for n in table.notes)


def test_fully_empty_rows_are_dropped_with_a_note():
    table = read_table(b"a,b\n1,x\n,\n2,y\n", filename="d.csv")
    assert len(table.frame) == 2
    assert any("empty row" in n for n in table.notes)


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"", "d.csv", "is empty"),
        (b"   \n\n", "d.csv", "is empty"),
        (b"\x00\x01\x02\x03binary\x00stuff" * 20, "d.csv", "binary data"),
        (b"%PDF-1.7\n...", "report.csv", "PDF document"),
        (b"a,b\n" + bytes(range(0x80, 0xA0)) * 20 + b"\n", "d.csv", "text encoding"),
        (b"a,b,label\n", "d.csv", "no data rows"),
        (b"only\n1\n2\n", "d.csv", "only one column"),
        (b"a,b\n1,2\n3,4,5,6\n", "d.csv", "same number of fields"),
        (b"a,b\n1,2\n", "d.json", "not a supported file type"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", ".xls"),
        (b"a,b\n1,2\n", "d.parquet", "If it is a CSV table, rename it"),
        (b"PAR1" + b"\x00" * 50, "d.parquet", "damaged"),
        (b"not a workbook at all", "d.xlsx", "contents are plain text"),
    ],
)
def test_bad_files_raise_a_message_that_names_the_problem(data, name, fragment):
    with pytest.raises(DataLoadError) as info:
        read_table(data, filename=name)
    assert fragment in str(info.value)


def test_a_workbook_named_csv_is_called_out():
    with pytest.raises(DataLoadError, match=r"contents are an Excel workbook\. Rename it to end in \.xlsx"):
        read_table(xlsx_bytes({"s": FRAME}), filename="sales.csv")


def test_parquet_named_csv_is_called_out():
    with pytest.raises(DataLoadError, match="contents are a Parquet file"):
        read_table(parquet_bytes(FRAME), filename="d.csv")


def test_file_over_the_cap_is_refused_before_parsing():
    with pytest.raises(DataLoadError, match=r"is 0\.0 MB, over the 0\.0 MB upload limit"):
        read_table(csv_bytes(FRAME), filename="d.csv", max_bytes=10)


def test_very_wide_file_is_refused_with_the_count():
    header = ",".join(f"c{i}" for i in range(MAX_COLUMNS + 5))
    data = (header + "\n" + ",".join("1" for _ in range(MAX_COLUMNS + 5)) + "\n").encode()
    with pytest.raises(DataLoadError, match=f"{MAX_COLUMNS + 5:,} columns"):
        read_table(data, filename="wide.csv")


def test_names_with_html_and_formulas_load_verbatim():
    data = b'"<img src=x onerror=alert(1)>",=SUM(A1:A9),label\n1,2,"<b>yes</b>"\n3,4,=cmd\n'
    frame = read_table(data, filename="evil.csv").frame
    assert list(frame.columns) == ["<img src=x onerror=alert(1)>", "=SUM(A1:A9)", "label"]
    assert frame["label"].tolist() == ["<b>yes</b>", "=cmd"]


def test_sniff_content_recognises_formats():
    assert sniff_content(parquet_bytes(FRAME)) == "parquet"
    assert sniff_content(xlsx_bytes({"s": FRAME})) == "xlsx"
    assert sniff_content(b"a,b\n1,2") == "text"
    assert sniff_content(b"a\x00b") == "binary"


def test_detect_encoding_refuses_control_garbage_and_broken_text():
    with pytest.raises(DataLoadError):
        detect_encoding(bytes(range(0x80, 0xA0)) * 10)
    with pytest.raises(DataLoadError):
        detect_encoding(b"\xef\xbb\xbfa,b\n\xff\xfe,1\n")  # a UTF-8 BOM, then bytes that are not UTF-8


@pytest.mark.parametrize(
    ("text", "codec", "name"),
    [
        ("é,ü\n1,2\n", "utf-8", "UTF-8"),
        ("é,ü\n1,2\n", "utf-8-sig", "UTF-8 with BOM"),
        ("é,ü\n1,2\n", "utf-16", "UTF-16"),
        ("é,€\n1,2\n", "cp1252", "Latin-1 (Windows-1252)"),
        ("é,\x81\n" + "1,2\n" * 1000, "latin-1", "Latin-1"),  # one byte cp1252 lacks, in a long file
    ],
)
def test_detect_encoding_names_the_encoding(text, codec, name):
    assert detect_encoding(text.encode(codec)) == name


def test_detect_encoding_checks_multibyte_characters_across_chunk_boundaries():
    data = ("a," + "é" * (1 << 20) + "\n").encode()  # 2 MB of two-byte characters: chunks split some of them
    assert detect_encoding(data) == "UTF-8"
    assert detect_encoding(data[:-2] + b"\xff\n") == "Latin-1 (Windows-1252)"


@given(st.lists(st.one_of(st.none(), st.text(max_size=8)), min_size=1, max_size=30))
def test_dedupe_names_always_gives_unique_non_empty_strings(names):
    out, _ = dedupe_names(names)
    assert len(out) == len(names)
    assert len(set(out)) == len(out)
    assert all(isinstance(n, str) and n for n in out)


@settings(max_examples=60)
@given(
    st.sampled_from([",", ";", "\t", "|"]),
    st.integers(min_value=2, max_value=6),
    st.integers(min_value=1, max_value=15),
)
def test_detect_delimiter_finds_the_separator_of_numeric_tables(sep, n_cols, n_rows):
    lines = [sep.join(f"col{i}" for i in range(n_cols))]
    lines += [sep.join(str(r * n_cols + c) for c in range(n_cols)) for r in range(n_rows)]
    assert detect_delimiter("\n".join(lines)) == sep


def test_file_names_are_reported_whole_even_with_slashes():
    with pytest.raises(DataLoadError, match=r"'<b>evil</b>\.csv' is empty"):
        read_table(b"", filename="<b>evil</b>.csv")


def test_infinite_values_become_missing_with_a_note():
    table = read_table(b"a,b,y\n1,inf,x\n-inf,2,y\n3,4,x\n", filename="inf.csv")
    assert table.frame["b"].isna().tolist() == [True, False, False]
    assert table.frame["a"].isna().tolist() == [False, True, False]
    assert any("2 infinite value(s)" in n for n in table.notes)


def test_a_blank_after_each_separator_is_skipped():
    table = read_table(b"a, b, label\n1, x, yes\n2, y, no\n", filename="spaced.csv")
    assert list(table.frame.columns) == ["a", "b", "label"]
    assert table.frame["b"].tolist() == ["x", "y"] and table.frame["a"].tolist() == [1, 2]


def test_a_column_that_turns_to_text_late_in_a_large_file_gets_one_type():
    data = ("a,b\n" + "1,2\n" * 300_000 + "x,3\n").encode()  # pandas parses this in several chunks
    frame = read_table(data, filename="late.csv").frame
    assert frame["a"].map(type).nunique() == 1
    assert frame["a"].iloc[-1] == "x" and frame["a"].iloc[0] == "1"
    assert pd.api.types.is_integer_dtype(frame["b"])


def test_a_named_parquet_index_becomes_a_column_and_a_repeated_index_is_renumbered():
    indexed = FRAME.set_index(pd.Index([f"id{i}" for i in range(len(FRAME))], name="id"))
    buf = io.BytesIO()
    indexed.to_parquet(buf, index=True)
    frame = read_table(buf.getvalue(), filename="d.parquet").frame
    assert list(frame.columns) == ["id", *FRAME.columns]
    repeated = FRAME.set_axis([0] * len(FRAME), axis=0)
    dataset = Dataset.from_frame(repeated, name="r", origin="upload")
    assert dataset.frame.index.is_unique and dataset.frame.reset_index(drop=True).equals(FRAME)


def test_whole_numbers_that_meet_a_gap_far_into_the_file_become_decimals():
    raw = ("a,b\n" + "1,2\n" * 5_000 + ",3\n" + "4,5\n" * 5_000).encode()  # the gap is far past the first block
    frame = read_table(raw, filename="gap.csv").frame
    assert frame["a"].dtype == "float64" and frame["b"].dtype == "int64"
    assert frame["a"].isna().sum() == 1 and frame["a"].iloc[-1] == 4 and len(frame) == 10_001


def test_a_header_one_field_short_keeps_the_first_column_as_pandas_reads_it():
    raw = ("a,label\n" + "".join(f"r{i},{i},{'x' if i % 2 else 'y'}\n" for i in range(3_000))).encode()
    frame = read_table(raw, filename="labels.csv").frame
    pd.testing.assert_frame_equal(frame, pd.read_csv(io.BytesIO(raw)))
