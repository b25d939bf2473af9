"""The loaded dataset: its table, name, origin and content fingerprint."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from core.data.large_file import WorkingSample

__all__ = ["Dataset", "Source", "fingerprint"]

Origin = Literal["sample", "upload", "folder"]


def fingerprint(frame: pd.DataFrame) -> str:
    """Return a short hex digest of a frame's content, column names and dtypes.

    Two frames with equal values, names and dtypes share a fingerprint; any change to a
    cell, a name or a type gives a different one. Used as the cache key for expensive work.
    """
    digest = hashlib.sha256()
    digest.update("\x1f".join(map(str, frame.columns)).encode("utf-8", "surrogatepass"))
    digest.update("\x1f".join(map(str, frame.dtypes)).encode())
    digest.update(str(frame.shape).encode())
    if len(frame):
        rows = pd.util.hash_pandas_object(frame, index=False).to_numpy()
        digest.update(np.ascontiguousarray(rows).tobytes())
    return digest.hexdigest()[:16]


def _with_sample(digest: str, sample: WorkingSample | None) -> str:
    """A frame's fingerprint, extended by which of its rows form a working sample's uniform part."""
    if sample is None:
        return digest
    more = hashlib.sha256(digest.encode())
    more.update(repr((sample.target, sample.seed, sample.budget)).encode())
    more.update(np.packbits(sample.uniform).tobytes())
    return more.hexdigest()[:16]


@dataclass(frozen=True)
class Source:
    """How a dataset was read, so that a script can read it again the same way.

    ``reader`` is the pandas (or scikit-learn) function that read it: ``"read_csv"``,
    ``"read_parquet"``, ``"read_excel"`` (then the app's own steps for a header row, see
    :mod:`core.data.loading`), ``"load_breast_cancer"``, or ``"generated"`` (made in the app; a script
    reads a CSV copy). ``options`` are that function's keyword arguments; ``columns`` the names the
    app gave the columns when they differ from the file's (duplicates renamed, blanks named).
    """

    file: str
    reader: str
    options: tuple[tuple[str, Any], ...] = ()
    columns: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Dataset:
    """A table the user is exploring.

    Attributes
    ----------
    frame : DataFrame
        The data as loaded (never modified in place).
    name : str
        What the user sees: the sample's title or the uploaded file's name.
    origin : {"sample", "upload"}
        Where it came from.
    fingerprint : str
        Content digest from :func:`fingerprint`.
    details : str
        How it was read ("CSV, UTF-8, comma-separated").
    notes : tuple of str
        Visible adjustments made while loading (renamed duplicate columns, ...).
    default_target : str or None
        The target column a bundled sample declares.
    sample_key : str or None
        The bundled sample's key, for samples.
    source : Source or None
        How to read it again (for the generated script).
    sample : WorkingSample or None
        Set when ``frame`` is a working sample of a larger file (:mod:`core.data.large_file`): how it
        was drawn, and the file's counts over all rows. The split then tests on its uniform part only.
    """

    frame: pd.DataFrame = field(repr=False)
    name: str
    origin: Origin
    fingerprint: str
    details: str = ""
    notes: tuple[str, ...] = ()
    default_target: str | None = None
    sample_key: str | None = None
    source: Source | None = None
    sample: WorkingSample | None = None

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        name: str,
        origin: Origin,
        details: str = "",
        notes: tuple[str, ...] = (),
        default_target: str | None = None,
        sample_key: str | None = None,
        source: Source | None = None,
        sample: WorkingSample | None = None,
    ) -> Dataset:
        """Build a dataset, computing its fingerprint; a repeated row index is replaced by row numbers."""
        if not frame.index.is_unique:
            frame = frame.reset_index(drop=True)
        return cls(
            frame=frame,
            name=name,
            origin=origin,
            fingerprint=_with_sample(fingerprint(frame), sample),
            details=details,
            notes=notes,
            default_target=default_target,
            sample_key=sample_key,
            source=source,
            sample=sample,
        )

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return int(self.frame.shape[0])

    @property
    def n_columns(self) -> int:
        """Number of columns."""
        return int(self.frame.shape[1])
