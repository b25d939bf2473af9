"""The data folder lists its CSV and Parquet files and opens nothing else."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from core.data.data_folder import DataFolder, FolderError, read_entry


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "data"
    (root / "sub").mkdir(parents=True)
    (root / "parts").mkdir()
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "label": ["a", "b", "a", "a"]})
    frame.to_csv(root / "small.csv", index=False)
    frame.to_parquet(root / "sub" / "table.parquet")
    frame.iloc[:2].to_parquet(root / "parts" / "part-0.parquet")
    frame.iloc[2:].to_parquet(root / "parts" / "part-1.parquet")
    (root / ".hidden.csv").write_text("x,label\n1,a\n")
    (root / "notes.md").write_text("not a table")
    outside = tmp_path / "secret.csv"
    outside.write_text("password,label\nhunter2,a\n")
    os.symlink(outside, root / "link-out.csv")
    os.symlink(root / "small.csv", root / "link-in.csv")
    return root


def test_entries_are_the_tables_inside_and_a_partitioned_dataset_is_one(tree):
    folder = DataFolder.from_setting(str(tree))
    names = {e.name: e.kind for e in folder.entries()}
    assert names == {"small.csv": "CSV", "link-in.csv": "CSV", "sub/table.parquet": "Parquet",
                     "parts": "Parquet (partitioned)"}  # fmt: skip


@pytest.mark.parametrize(
    "name", ["../secret.csv", "/etc/passwd", "link-out.csv", ".hidden.csv", "sub/../../secret.csv", "notes.md",
             "", "parts/part-0.parquet", str(os.sep) + "tmp"],
)  # fmt: skip
def test_anything_else_is_refused(tree, name):
    with pytest.raises(FolderError, match="data folder"):
        DataFolder.from_setting(str(tree)).open(name)


def test_entries_read_like_uploads_and_large_ones_are_refused_with_a_reason(tree):
    folder = DataFolder.from_setting(str(tree))
    assert read_entry(folder, "small.csv", max_bytes=10_000).frame.shape == (4, 2)
    parts = read_entry(folder, "parts", max_bytes=10_000)
    assert parts.frame["x"].tolist() == [1.0, 2.0, 3.0, 4.0] and parts.source.file == "parts"
    with pytest.raises(FolderError, match="through a working sample"):
        read_entry(folder, "small.csv", max_bytes=10)


def test_the_setting_is_optional_but_must_name_a_directory(tmp_path):
    assert DataFolder.from_setting(None) is None and DataFolder.from_setting("") is None
    with pytest.raises(FolderError, match="not a directory"):
        DataFolder.from_setting(str(tmp_path / "missing"))


def test_a_dataset_directory_holding_a_link_is_not_offered(tree, tmp_path):
    pd.DataFrame({"x": [9.0], "label": ["z"]}).to_parquet(tmp_path / "outside.parquet")
    os.symlink(tmp_path / "outside.parquet", tree / "parts" / "part-2.parquet")
    folder = DataFolder.from_setting(str(tree))
    assert "parts" not in {e.name for e in folder.entries()}
    with pytest.raises(FolderError):
        read_entry(folder, "parts", max_bytes=10_000)
