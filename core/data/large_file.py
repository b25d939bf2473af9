"""Large tables: counts over every row and a working sample, both computed by DuckDB inside the file.

DuckDB reads CSV and Parquet out of core (no extension download), so nothing here holds the whole
file in memory: :func:`scan_table` and :func:`class_counts` return counts, :func:`draw_sample`
returns at most about ``budget`` rows as a pandas frame.

The working sample has two parts, told apart by :attr:`WorkingSample.uniform`:

- the **uniform part**: rows drawn uniformly from the whole file. Each row is ranked by a seeded
  hash of its values and the ``n`` lowest are kept, so the same file, budget and seed give the same
  rows on any machine and with any number of threads (identical rows share a hash and are drawn
  together; each row's chance of being drawn is still the same);
- every **other row of the small classes** (:func:`small_classes`), which would otherwise be too
  few to learn from.

:func:`core.data.split.make_split` draws the test split from the uniform part only, so the test rows
keep the file's real class mix and every test metric (precision, PR-AUC, ...) estimates the whole
file's; the training split is the rest of the uniform part plus the extra rows of the small classes.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from core.data.loading import detect_delimiter, detect_encoding
from core.data.target import MAX_CLASSES, looks_like_target
from core.errors import DataLoadError

__all__ = [
    "DEFAULT_BUDGET",
    "ENGINE_MIN_BYTES",
    "Progress",
    "TableScan",
    "WorkingSample",
    "class_counts",
    "describe_table",
    "draw_sample",
    "guess_target_of_scan",
    "sample_queries",
    "scan_table",
    "small_classes",
]

#: Folder files at least this large are read with DuckDB; smaller ones take the upload path (pandas).
#: Chosen by measuring both engines (``benchmarks/large_data.py``, docs/benchmarks.md).
ENGINE_MIN_BYTES = 50 * 2**20
#: Rows in a working sample unless the user asks for another number.
DEFAULT_BUDGET = 200_000
#: The column DuckDB adds to say which rows are in the uniform part (never shown).
_UNIFORM = "__ie_uniform__"
#: Memory DuckDB may use for one query before it spills to disk.
MEMORY_LIMIT = "1GB"

#: ``progress(fraction, message)``; may raise to stop (the running query is interrupted first).
Progress = Callable[[float, str], None]


class LargeTableError(DataLoadError):
    """A large table DuckDB cannot read or sample, with what to do."""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class TableScan:
    """What one pass over every row of a file found.

    ``missing`` and ``distinct`` are per column, in ``columns`` order; ``distinct`` is DuckDB's
    HyperLogLog estimate (within a few percent), exact counts would need memory that grows with the file.
    """

    path: str
    kind: str  # "CSV", "Parquet" or "Parquet (partitioned)"
    n_rows: int
    columns: tuple[str, ...]
    types: tuple[str, ...]
    missing: tuple[int, ...]
    distinct: tuple[int, ...]
    csv_options: tuple[tuple[str, str], ...] = ()
    parts: str = ".parquet"  # a partitioned dataset's part files end so (found once, by describe_table)
    seconds: float = 0.0

    @property
    def source(self) -> str:
        """The DuckDB table expression that reads the file."""
        return self.reader(self.path)

    def reader(self, path: str) -> str:
        """The DuckDB table expression that reads the file at ``path`` as this one was read (for a script)."""
        if self.kind == "CSV":
            options = "".join(f", {k} = {_literal(v)}" for k, v in self.csv_options)
            return f"read_csv({_literal(path)}, header = true{options})"
        if self.kind == "Parquet (partitioned)":  # its Parquet parts only (not Spark's _SUCCESS and the like)
            return f"read_parquet({_literal(path.rstrip('/') + '/**/*' + self.parts)}, hive_partitioning = true)"
        return f"read_parquet({_literal(path)})"

    def missing_table(self) -> pd.DataFrame:
        """Per-column missing counts over all rows, most-missing first (as :func:`core.data.roles.missing_summary`)."""
        n = max(self.n_rows, 1)
        out = pd.DataFrame({
            "column": list(self.columns), "type": list(self.types), "missing": list(self.missing),
            "missing %": [round(m / n * 100, 1) for m in self.missing],
        })  # fmt: skip
        return out.sort_values(["missing", "column"], ascending=[False, True], kind="stable").reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class WorkingSample:
    """How a working sample was drawn from a file, and the file's class counts over all rows.

    ``uniform[i]`` is true when row ``i`` of the sample's frame is in the uniform part. ``counts``
    are the target's classes over every labelled row of the file, largest first.
    """

    scan: TableScan
    entry: str  # the data folder entry it came from
    target: str
    counts: tuple[tuple[object, int], ...]
    small: tuple[object, ...]
    budget: int
    seed: int
    uniform: np.ndarray = field(repr=False)
    seconds: float = 0.0

    @property
    def n_rows(self) -> int:
        """Rows in the sample."""
        return len(self.uniform)

    @property
    def n_uniform(self) -> int:
        """Rows in the uniform part."""
        return int(self.uniform.sum())

    def queries(self, path: str) -> tuple[str, str]:
        """:func:`sample_queries` that draw this sample again from the file at ``path`` (for a script)."""
        drawn = self.budget - sum(n for c, n in self.counts if c in self.small)
        return sample_queries(self.scan, target=self.target, n_uniform=drawn, small=self.small,
                              random_state=self.seed, path=path)  # fmt: skip

    def line(self) -> str:
        """One sentence for the top of every page: that it is a sample, how it was drawn, from how many rows."""
        small = ", ".join(repr(str(c)) for c in self.small)
        extra = self.n_rows - self.n_uniform
        how = f"{self.n_uniform:,} rows drawn uniformly"
        if self.small:
            how += f" plus the other {extra:,} rows of class{'es' if len(self.small) > 1 else ''} {small}"
        return (
            f"Working sample of {self.scan.n_rows:,} rows in {self.entry}: {self.n_rows:,} rows ({how}). "
            "Class counts and missing values are over all rows; the test split keeps the file's class mix."
        )

    def enrichment(self) -> dict[object, float]:
        """How many times more common each small class is in the sample than in the file."""
        total = sum(n for _, n in self.counts)
        share = {c: n / total for c, n in self.counts}
        out = {}
        for c in self.small:
            rows = dict(self.counts)[c]
            out[c] = (rows / self.n_rows) / share[c]
        return out


def sample_queries(scan: TableScan, *, target: str, n_uniform: int, small: Sequence[object], random_state: int,
                   path: str | None = None) -> tuple[str, str]:  # fmt: skip
    """The two queries that draw a working sample, over the file at ``path`` (default: ``scan``'s).

    The first returns the hash cut of the uniform part (one value); the second, given the cut twice and then
    the ``small`` classes as parameters, returns the rows with a last column ``__ie_uniform__``.
    """
    source = scan.reader(path or scan.path)
    digest = "hash(" + ", ".join(_quote(c) for c in scan.columns) + f", {int(random_state)})"
    cut = f"SELECT max(h) FROM (SELECT {digest} AS h FROM {source} ORDER BY h LIMIT {int(n_uniform)})"
    keep = f"{digest} <= ?"
    if small:
        keep += f" OR {_quote(target)} IN ({', '.join('?' for _ in small)})"
    return cut, f"SELECT *, {digest} <= ? AS {_UNIFORM} FROM {source} WHERE {keep}"


def tidy(frame: pd.DataFrame, uniform: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """As for uploads: infinite numbers become missing values and completely empty rows are left out."""
    numeric = frame.select_dtypes("number").columns
    if len(numeric):
        frame[numeric] = frame[numeric].replace([np.inf, -np.inf], np.nan)
    keep = frame.notna().any(axis=1).to_numpy()
    return frame[keep].reset_index(drop=True), uniform[keep]


def _connect():
    import duckdb

    spill = Path(tempfile.gettempdir()) / "ie-duckdb"
    spill.mkdir(exist_ok=True)
    con = duckdb.connect(config={
        "memory_limit": MEMORY_LIMIT, "temp_directory": str(spill), "autoinstall_known_extensions": False,
    })  # fmt: skip
    con.execute("SET enable_progress_bar = true")  # so that query_progress() follows a running query
    con.execute("SET enable_progress_bar_print = false")
    return con


def _unreadable(exc: Exception, path: str) -> LargeTableError:
    """DuckDB's reason, with the server's path replaced by the file's name, and what to do."""
    reason = str(exc).splitlines()[0].replace(path, Path(path).name).split(" Error: ", 1)[-1].rstrip(".")
    return LargeTableError(
        f"{Path(path).name} could not be read ({reason}). Check that it is a complete CSV or Parquet file, "
        "or save it again from the program that wrote it."
    )


def _run(con, sql: str, params: Sequence[object], fetch: str, *, progress: Progress | None, what: str, path: str):
    """Run one query (``fetch`` = "all" or "df") in a thread, reporting DuckDB's progress and an estimate.

    If ``progress`` raises (the user pressed Stop, or the page reran), the query is interrupted
    and the exception passes on.
    """
    import duckdb

    if progress is None:
        try:
            cur = con.execute(sql, list(params))
            return cur.fetchall() if fetch == "all" else cur.df()
        except duckdb.Error as exc:
            raise _unreadable(exc, path) from exc
    out: dict[str, object] = {}

    def work() -> None:
        try:
            cur = con.execute(sql, list(params))
            out["value"] = cur.fetchall() if fetch == "all" else cur.df()
        except BaseException as exc:  # handed to the caller's thread
            out["error"] = exc

    start = time.perf_counter()
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    try:
        progress(0.0, what)
        done = 0.0
        while thread.is_alive():
            thread.join(0.25)
            done = max(done, float(con.query_progress()) / 100)  # -1 once the query has ended: keep the last
            spent = time.perf_counter() - start
            left = f", about {spent / done - spent:,.0f} s left" if 0.05 < done < 1 else ""
            progress(min(done, 1.0), f"{what} ({spent:,.0f} s{left})")
    except BaseException:
        con.interrupt()
        thread.join()
        raise
    if "error" in out:
        exc = out["error"]
        if isinstance(exc, duckdb.Error):
            raise _unreadable(exc, path) from exc
        raise exc  # type: ignore[misc]
    return out["value"]


def describe_table(path: Path, *, kind: str) -> TableScan:
    """The file's columns and their types, read from its header or metadata (no pass over the rows; the
    counts of the result are empty). ``kind`` is the data folder's: "CSV", "Parquet" or "Parquet (partitioned)".
    A CSV's delimiter and encoding are detected from its first 64 KiB, as for uploads."""
    csv_options: tuple[tuple[str, str], ...] = ()
    if kind == "CSV":
        with open(path, "rb") as fh:
            head = fh.read(65536)
        encoding = detect_encoding(head).lower().replace("_", "-")
        duck = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "ascii": "utf-8", "utf-16": "utf-16"}.get(encoding, "latin-1")
        text = head.decode(encoding if duck != "latin-1" else "latin-1", errors="replace")
        csv_options = (("delim", detect_delimiter(text)), ("encoding", duck))
    parts = ".pq" if kind == "Parquet (partitioned)" and not any(Path(path).rglob("*.parquet")) else ".parquet"
    bare = TableScan(str(path), kind, 0, (), (), (), (), csv_options, parts)
    con = _connect()
    try:
        described = _run(
            con, f"DESCRIBE SELECT * FROM {bare.source}", (), "all", progress=None, what="", path=bare.path
        )
    finally:
        con.close()
    if not described:
        raise LargeTableError(f"{Path(path).name} has no columns.")
    return replace(bare, columns=tuple(str(r[0]) for r in described), types=tuple(str(r[1]) for r in described))


def scan_table(
    path: Path, *, kind: str, progress: Progress | None = None, described: TableScan | None = None
) -> TableScan:
    """Count rows, and per column its missing values and (about) its distinct values, over every row.

    ``described`` is :func:`describe_table` of the file, when already made.
    """
    start = time.perf_counter()
    scan = described or describe_table(path, kind=kind)
    parts = ", ".join(f"count({_quote(c)}), approx_count_distinct({_quote(c)})" for c in scan.columns)
    con = _connect()
    try:
        row = _run(con, f"SELECT count(*), {parts} FROM {scan.source}", (), "all", progress=progress,
                   what="Counting rows and missing values over the whole file", path=scan.path)[0]  # fmt: skip
    finally:
        con.close()
    n = int(row[0])
    return replace(
        scan, n_rows=n, missing=tuple(n - int(p) for p in row[1::2]), distinct=tuple(int(d) for d in row[2::2]),
        seconds=time.perf_counter() - start,
    )  # fmt: skip


def guess_target_of_scan(scan: TableScan) -> str | None:
    """The target column by name among columns with 2 to ``MAX_CLASSES`` values, else the last such column.

    Before the rows are counted (:func:`describe_table`), only a column named like a label is guessed.
    """
    if not scan.distinct:
        return next((c for c in scan.columns if looks_like_target(c)), None)
    plausible = [c for c, d in zip(scan.columns, scan.distinct, strict=True) if 2 <= d <= MAX_CLASSES]
    named = [c for c in plausible if looks_like_target(c)]
    return (named or plausible[-1:] or [None])[0]


def class_counts(scan: TableScan, *, target: str, progress: Progress | None = None) -> dict[object, int]:
    """Rows per class of ``target`` over every labelled row of the file, largest first.

    Raises :class:`LargeTableError` when the column has more than ``MAX_CLASSES`` values.
    """
    column = _quote(target)
    con = _connect()
    try:
        rows = _run(
            con, f"SELECT {column}, count(*) AS n FROM {scan.source} WHERE {column} IS NOT NULL GROUP BY 1 "
            f"ORDER BY n DESC LIMIT {MAX_CLASSES + 1}", (), "all", progress=progress,
            what=f"Counting the classes of {target!r} over the whole file", path=scan.path,
        )  # fmt: skip
    finally:
        con.close()
    if len(rows) > MAX_CLASSES:
        raise LargeTableError(
            f"{target!r} has more than {MAX_CLASSES} different values, so it is not a class label. "
            "Pick another target column."
        )
    return {value: int(n) for value, n in sorted(rows, key=lambda r: (-int(r[1]), str(r[0])))}


def small_classes(counts: dict[object, int], *, budget: int) -> tuple[object, ...]:
    """The classes kept whole: smallest first, never the largest, together at most half of ``budget``."""
    out, total = [], 0
    for label, n in sorted(list(counts.items())[1:], key=lambda kv: (kv[1], str(kv[0]))):
        if total + n > budget // 2:
            break
        out.append(label)
        total += n
    return tuple(out)


def draw_sample(
    scan: TableScan,
    *,
    entry: str,
    target: str,
    budget: int = DEFAULT_BUDGET,
    random_state: int = 0,
    counts: dict[object, int] | None = None,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, WorkingSample | None]:
    """The working sample of ``scan``'s file for ``target``: a frame of about ``budget`` rows and how it was drawn.

    When the file has at most ``budget`` rows, all of them are read and the second item is ``None``
    (the frame *is* the data). Otherwise the uniform part has ``budget`` minus the small classes'
    rows, and the frame's columns are the file's. ``counts`` are :func:`class_counts` of ``target`` when
    already known (they are counted otherwise).
    """
    if budget < 1_000:
        raise LargeTableError("The row budget must be at least 1,000 rows.")
    start = time.perf_counter()
    if counts is None:
        counts = class_counts(scan, target=target, progress=progress)
    con = _connect()
    try:
        if scan.n_rows <= budget:
            frame = _run(con, f"SELECT * FROM {scan.source}", (), "df", progress=progress,
                         what=f"Reading all {scan.n_rows:,} rows", path=scan.path)  # fmt: skip
            return tidy(frame, np.ones(len(frame), dtype=bool))[0], None
        small = small_classes(counts, budget=budget)
        n_uniform = budget - sum(counts[c] for c in small)
        cut_sql, rows_sql = sample_queries(scan, target=target, n_uniform=n_uniform, small=small,
                                           random_state=random_state)  # fmt: skip
        cut = _run(
            con, cut_sql, (), "all", progress=progress, what=f"Drawing {n_uniform:,} rows uniformly", path=scan.path
        )[0][0]
        frame = _run(
            con,
            rows_sql,
            [cut, cut, *small],
            "df",
            progress=progress,
            what="Reading the working sample",
            path=scan.path,
        )
    finally:
        con.close()
    frame, uniform = tidy(frame, frame.pop(_UNIFORM).to_numpy(dtype=bool))
    return frame, WorkingSample(
        scan=scan, entry=entry, target=target, counts=tuple(counts.items()), small=small, budget=budget,
        seed=int(random_state), uniform=uniform, seconds=time.perf_counter() - start,
    )  # fmt: skip
