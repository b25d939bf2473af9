"""A server-side data folder: the CSV and Parquet files under one configured directory, and nothing else.

The browser only ever names an entry of :meth:`DataFolder.entries` (a path relative to the folder).
:meth:`DataFolder.open` accepts nothing else: no absolute path, no ``..``, no hidden file, and no
symbolic link whose target lies outside the folder (links inside it are followed). A partitioned
Parquet dataset (see :func:`_is_dataset`) is one entry.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from core.data.loading import LoadedTable, read_parquet_dataset, read_table
from core.errors import DataLoadError

__all__ = ["DataFolder", "FolderEntry", "FolderError", "read_entry"]

#: File endings listed, and what they are read as.
KINDS = {".csv": "CSV", ".tsv": "CSV", ".txt": "CSV", ".parquet": "Parquet", ".pq": "Parquet"}


class FolderError(DataLoadError):
    """A name that is not a file of the data folder."""


@dataclass(frozen=True)
class FolderEntry:
    """One readable table: ``name`` relative to the folder (with ``/``), its ``kind`` and its size in bytes."""

    name: str
    kind: str
    size: int

    @property
    def label(self) -> str:
        """How the picker shows it: name, kind and size."""
        mb = self.size / 2**20
        return f"{self.name} · {self.kind} · {mb:,.1f} MB" if mb >= 0.1 else f"{self.name} · {self.kind} · <0.1 MB"


def _is_dataset(base: Path, dirs: list[str], files: list[str]) -> bool:
    """A directory read as one Parquet dataset: named ``*.parquet`` (as Spark writes them), partitioned in
    ``key=value`` subdirectories (Hive style), or holding only Parquet parts, at least two of them."""
    if base.suffix == ".parquet" or any("=" in d for d in dirs):
        return True
    tables = [f for f in files if not f.startswith(".") and Path(f).suffix.lower() in KINDS]
    return len(tables) >= 2 and all(KINDS[Path(f).suffix.lower()] == "Parquet" for f in tables)


@dataclass(frozen=True)
class DataFolder:
    """The folder at ``root`` (made absolute and resolved once)."""

    root: Path

    @classmethod
    def from_setting(cls, value: str | None) -> DataFolder | None:
        """The folder named by a setting (``IE_DATA_DIR``), ``None`` when unset or empty.

        Raises :class:`FolderError` when the setting names no directory, so a misconfigured server says so.
        """
        if not value:
            return None
        root = Path(value).expanduser()
        if not root.is_dir():
            raise FolderError(f"The data folder {value!r} (IE_DATA_DIR) is not a directory on the server.")
        return cls(root.resolve())

    def _inside(self, path: Path) -> bool:
        try:
            return path.resolve(strict=True).is_relative_to(self.root)
        except (OSError, RuntimeError):  # a broken or looping link
            return False

    def entries(self, *, max_entries: int = 1_000) -> list[FolderEntry]:
        """Every CSV and Parquet file (and partitioned Parquet directory) inside the folder, sorted by name."""
        out: list[FolderEntry] = []
        for here, dirs, files in os.walk(self.root, followlinks=False):
            base = Path(here)
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            if base != self.root and _is_dataset(base, dirs, files):
                # a partitioned dataset: one entry for the directory, its parts not listed on their own
                dirs[:] = []
                inside = list(base.rglob("*"))
                if any(p.is_symlink() for p in inside):  # the Parquet reader would follow a link anywhere
                    continue
                size = sum(p.stat().st_size for p in inside if p.suffix.lower() in (".parquet", ".pq"))
                out.append(FolderEntry(base.relative_to(self.root).as_posix(), "Parquet (partitioned)", size))
                continue
            for f in sorted(files):
                path = base / f
                kind = KINDS.get(path.suffix.lower())
                if kind is None or f.startswith(".") or not self._inside(path) or not path.is_file():
                    continue
                out.append(FolderEntry(path.relative_to(self.root).as_posix(), kind, path.stat().st_size))
            if len(out) >= max_entries:
                break
        return sorted(out, key=lambda e: e.name)[:max_entries]

    def open(self, name: str) -> tuple[Path, FolderEntry]:
        """The path of the entry called ``name``; :class:`FolderError` for anything that is not one."""
        pure = PurePosixPath(name)
        if not name or pure.is_absolute() or ".." in pure.parts or any(p.startswith(".") for p in pure.parts):
            raise FolderError(f"{name!r} is not a file of the data folder: pick one from the list.")
        path = self.root.joinpath(*pure.parts)
        if not self._inside(path):
            raise FolderError(f"{name!r} is not a file of the data folder: pick one from the list.")
        for entry in self.entries():
            if entry.name == pure.as_posix():
                return path, entry
        raise FolderError(f"{name!r} is not a CSV or Parquet file of the data folder: pick one from the list.")


def read_entry(folder: DataFolder, name: str, *, max_bytes: int) -> LoadedTable:
    """Read the folder's entry ``name`` as an upload is read (same checks and messages), up to ``max_bytes``.

    Larger files are refused with a message: reading them whole into memory is what the upload cap
    prevents. The app opens those with :mod:`core.data.large_file` instead.
    """
    path, entry = folder.open(name)
    if entry.size > max_bytes:
        raise FolderError(
            f"{name!r} is {entry.size / 2**20:,.0f} MB, more than the {max_bytes / 2**20:,.0f} MB read whole into "
            "memory. Open it through a working sample instead."
        )
    if entry.kind == "Parquet (partitioned)":
        return read_parquet_dataset(path, shown=name)
    return read_table(path.read_bytes(), filename=name)
