"""The sections both generated scripts share (:mod:`core.output.script` for classes, :mod:`core.output.number_script`
for a number): comments that cannot run, reading the data as the app read it (a file, scikit-learn's bundled
data, or a working sample drawn again by DuckDB), and the preparation of the rows written once as variables.
"""

from __future__ import annotations

from typing import Any

from core.data.dataset import Dataset, Source
from core.output.python_source import SourceWriter, comment_safe

__all__ = ["comment", "load_section", "prepare_variable"]


def comment(text: str, width: int = 100) -> list[str]:
    """``text`` as comment lines, unprintable characters (line breaks) as spaces, so nothing in it runs."""
    out, line = [], "#"
    for word in comment_safe(text).split():
        if len(line) + 1 + len(word) > width:
            out.append(line)
            line = "#"
        line += " " + word
    return [*out, line]


def load_section(dataset: Dataset, w: SourceWriter) -> str:
    """Section 1: read the data as the app read it, into ``frame`` (for a working sample also ``uniform``, which
    rows were drawn uniformly)."""
    return _load_sample(dataset.sample, w) if dataset.sample is not None else _load(dataset.source, w)


def _load_sample(sample, w: SourceWriter) -> str:
    """Section 1 for a working sample: DuckDB draws the same rows from the file (core.data.large_file)."""
    cut, rows = sample.queries(sample.entry)
    small = ", ".join(repr(str(c)) for c in sample.small) or "none"
    return "\n".join([
        "# ---- 1. Read the data as the app read it: a working sample drawn by DuckDB ----",
        "import duckdb  # reads CSV and Parquet without loading the whole file",
        "",
        f"# The app's file ({sample.scan.n_rows:,} rows) from its data folder; the queries read it as {sample.entry!r},",
        "# relative to where this script runs (edit the path in both queries to read it elsewhere).",
        f"# The sample: the {sample.budget:,}-row budget less the small classes' rows, drawn uniformly (the lowest seeded",
        f"# hashes of each row's values), plus every other row of the small classes ({small}).",
        f"CUT_QUERY = {w(cut)}",
        f"ROWS_QUERY = {w(rows)}",
        f"SMALL_CLASSES = {w(list(sample.small))}",
        "cut = duckdb.execute(CUT_QUERY).fetchall()[0][0]",
        "frame = duckdb.execute(ROWS_QUERY, [cut, cut, *SMALL_CLASSES]).df()",
        'uniform = frame.pop("__ie_uniform__")',
        "# As in the app: infinite numbers count as missing values, and completely empty rows are left out.",
        'numbers = frame.select_dtypes("number").columns',
        "frame[numbers] = frame[numbers].replace([np.inf, -np.inf], np.nan)",
        "keep = frame.notna().any(axis=1)",
        "frame, uniform = frame[keep].reset_index(drop=True), uniform[keep].reset_index(drop=True)",
    ])  # fmt: skip


def _load(source: Source | None, w: SourceWriter) -> str:
    head = "# ---- 1. Read the data as the app read it ----"
    if source is None:
        return head + "\nraise SystemExit('This dataset was not read from a file: save it as CSV and read it here.')"
    if source.reader == "load_breast_cancer":
        return "\n".join([
            head, "from sklearn.datasets import load_breast_cancer  # ships with scikit-learn, no download",
            "",
            "bunch = load_breast_cancer(as_frame=True)",
            "frame = bunch.data.copy()",
            'frame["diagnosis"] = pd.Series(bunch.target).map(dict(enumerate(bunch.target_names))).astype(str)',
        ])  # fmt: skip
    lines = [head]
    if source.reader == "generated":
        lines.append("# The app generated this dataset: download it from the app (as CSV) next to this script.")
        reader, options = "read_csv", ()
    else:
        lines.append("# Put the file next to this script, or write its full path here.")
        reader, options = source.reader, source.options
    lines.append(f"DATA_FILE = {w(source.file)}")
    if reader == "read_excel":
        lines += [
            f"raw = pd.read_excel(DATA_FILE, sheet_name={w(dict(options)['sheet_name'])}, header=None)",
            'raw = raw.dropna(how="all").dropna(axis=1, how="all")  # the app skips empty rows and columns',
            "frame = raw.iloc[1:].reset_index(drop=True)  # the first row holds the column names",
            f"frame.columns = {w(list(source.columns or ()))}",
            "frame = frame.infer_objects()",
            "for column in frame.columns:  # a text column whose every value is a number becomes numbers",
            "    if frame[column].dtype == object:",
            '        numbers = pd.to_numeric(frame[column], errors="coerce")',
            "        if numbers.notna().sum() == frame[column].notna().sum():",
            "            frame[column] = numbers",
        ]
    else:
        args = "".join(f", {k}={w(v)}" for k, v in options)
        lines.append(f"frame = pd.{reader}(DATA_FILE{args})")
        if source.columns is not None:
            lines += ["# The column names as the app shows them (it renames repeated and blank names)",
                      f"frame.columns = {w(list(source.columns))}"]  # fmt: skip
    lines += [
        "# As in the app: infinite numbers count as missing values, and completely empty rows are left out.",
        'frame = frame.replace([np.inf, -np.inf], np.nan).dropna(how="all").reset_index(drop=True)',
    ]
    return "\n".join(lines)


def prepare_variable(prepare: Any, writer: SourceWriter, prepares: dict[str, str]) -> str:
    """The variable holding this preparation (each distinct one written once, kept in ``prepares`` as its source ->
    its variable), its column steps' variables too."""
    words = {"num": "numeric_steps", "cat": "categorical_steps"}
    for name, part, _ in prepare.transformers:
        writer.aliases[id(part)] = (part, _variable(writer(part), words.get(name, name), prepares))
    return _variable(writer(prepare), "prepare", prepares)


def _variable(text: str, base: str, known: dict[str, str]) -> str:
    if text not in known:
        taken = sum(1 for v in known.values() if v == base or v.startswith(base + "_"))
        known[text] = base if not taken else f"{base}_{taken + 1}"
    return known[text]
