"""A corpus of hostile, broken and awkward input files, generated in memory (nothing binary in git).

Each case says whether the app should load it ("loads") or refuse it with a message ("refused"),
and a fragment of the message or note the user must see. Run as a script to write the files to a
folder for trying them by hand:  python -m tests.corpus /tmp/corpus
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.data.loading import MAX_COLUMNS

CSV, XLSX = "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Case:
    """One input file and what the user must see."""

    id: str
    name: str
    data: bytes
    expect: str  # "loads" or "refused"
    says: str  # a fragment of the message or note shown
    target: str | None = None  # a target to pick after loading (else the guess)
    mime: str = CSV
    where: str = "pages/data.py"  # the page that must say it: the one the file is loaded on, unless a later step


def _csv(frame: pd.DataFrame, **kw) -> bytes:
    return frame.to_csv(index=False, **kw).encode(kw.pop("encoding", "utf-8") if "encoding" in kw else "utf-8")


def _frame(n: int = 120, minority: int = 12, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "x1": rng.normal(size=n).round(4),
            "x2": rng.normal(size=n).round(4),
            "label": ["rare"] * minority + ["common"] * (n - minority),
        }
    )


def cases() -> list[Case]:
    """Every case of the corpus."""
    out: list[Case] = []
    add = out.append
    add(Case("empty", "empty.csv", b"", "refused", "is empty"))
    add(
        Case(
            "binary",
            "junk.csv",
            bytes(np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8)),
            "refused",
            "binary data",
        )
    )
    latin = _frame().assign(city=["Zürich", "Köln", "Café", "Åre"] * 30)
    add(
        Case(
            "latin1-semicolon",
            "latin1.csv",
            latin.to_csv(index=False, sep=";").encode("latin-1"),
            "loads",
            "semicolon-separated",
        )
    )
    add(Case("header-only", "header.csv", b"x1,x2,label\n", "refused", "no data rows"))
    add(Case("one-class", "one.csv", _csv(_frame().assign(label="same")), "loads", "only one class", target="label"))
    add(Case("continuous-target", "cont.csv", _csv(_frame()), "loads", "x1 is a number, and skewed", target="x1"))
    add(
        Case(
            "minority-2",
            "two.csv",
            _csv(_frame(minority=2)),
            "loads",
            "none of them is in the test split",
            where="pages/resample.py",
        )
    )
    add(
        Case(
            "minority-4",
            "four.csv",
            _csv(_frame(minority=5)),
            "loads",
            "k_neighbors lowered",
            where="pages/resample.py",
        )
    )
    nan_inf = _frame()
    nan_inf.loc[[0, 5, 9], "x1"] = np.nan
    nan_inf.loc[[1, 2], "x2"] = [np.inf, -np.inf]
    add(Case("nan-inf", "naninf.csv", _csv(nan_inf), "loads", "infinite value(s)"))
    add(Case("duplicate-columns", "dups.csv", b"x1,x1,label\n" + b"".join(
        f"{i},{i * 2},{'rare' if i < 10 else 'common'}\n".encode() for i in range(80)), "loads", "appears more than once"))  # fmt: skip
    rng = np.random.default_rng(2)
    cats = pd.DataFrame({"color": rng.choice(["red", "blue", "green"], 150), "size": rng.choice(["S", "M", "L"], 150),
                         "label": ["rare"] * 15 + ["common"] * 135})  # fmt: skip
    add(Case("all-categorical", "cats.csv", _csv(cats), "loads", "SMOTE runs as SMOTEN", where="pages/resample.py"))
    roles = _frame().assign(
        row_id=[f"R{i:05d}" for i in range(120)],
        note=[f"customer called about the order number {i} twice" for i in range(120)],
        when=pd.date_range("2025-01-01", periods=120, freq="D").strftime("%Y-%m-%d"),
    )
    add(Case("id-text-date", "roles.csv", _csv(roles), "loads", "2 feature(s) used"))
    missing = _frame().astype({"label": object})
    missing.loc[[3, 30, 60], "label"] = None
    add(Case("missing-target", "gaps.csv", _csv(missing), "loads", "3 row(s) have no value in 'label'"))
    wide = 2_000
    header = ",".join(f"c{i}" for i in range(wide)) + ",label\n"
    add(
        Case(
            "wide-2000",
            "wide.csv",
            (header + ",".join(["1"] * wide) + ",a\n").encode(),
            "refused",
            f"{wide + 1:,} columns",
        )
    )
    add(Case("csv-named-xlsx", "table.xlsx", _csv(_frame()), "refused", "contents are plain text", mime=XLSX))
    buf = io.BytesIO()
    _frame().to_parquet(buf, index=False)
    add(
        Case("parquet", "data.parquet", buf.getvalue(), "loads", "Loaded data.parquet", mime="application/octet-stream")
    )
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        _frame().to_excel(writer, sheet_name="first", index=False)
    add(Case("excel", "data.xlsx", buf.getvalue(), "loads", "Loaded data.xlsx", mime=XLSX))
    add(Case("over-cap", "big.csv", b"x1,label\n" + b"1,a\n" * 400_000, "refused", "upload limit"))
    hostile = pd.DataFrame(
        {
            "<img src=x onerror=alert(1)>": np.arange(60) % 7,
            '=HYPERLINK("http://x")': np.arange(60) % 5,
            "<script>alert(2)</script>": ["<b onmouseover=alert(3)>yes</b>"] * 8 + ["[no](javascript:alert(4))"] * 52,
        }
    )
    add(Case("hostile-names", "<svg onload=alert(5)>.csv", _csv(hostile), "loads", "Loaded <svg onload=alert(5)>.csv"))
    ids = [c.id for c in out]
    assert len(ids) == len(set(ids))
    assert wide > MAX_COLUMNS
    return out


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")
    folder.mkdir(parents=True, exist_ok=True)
    for case in cases():
        safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in case.name)
        (folder / f"{case.id}__{safe}").write_bytes(case.data)
        print(case.id, case.expect, len(case.data))


if __name__ == "__main__":
    main()
