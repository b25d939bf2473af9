"""Every number a sentence states, found in what the page shows beside it: its tables, its charts' data, its metrics
and its settings.

A page's **pool** is every number it shows outside sentences: each cell of each table (``st.table``,
``st.dataframe``) and each numeric column's total, every number in every chart's figure (data arrays, text, titles, annotations), every metric
and every widget's value. A sentence's number is **found** when some number of the pool, rounded as the
sentence rounds it (its decimals; as a share or as a percentage), is the same. What is left over is a number
the page says without showing: a figure fixed in the text, or one computed apart from the table it stands
beside. Class names and column names (quoted) are not numbers, nor the fixed units and levels of the
method listed in :data:`FIXED` (each with why).
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Iterable

import numpy as np

#: Phrases whose numbers are the method's, not the data's: stated by the app's design, the same on any data.
FIXED = (
    r"95 ?%",  # the intervals' level
    r"per 10,000 cases",  # the unit the production figures are counted in
    r"[Ss]tep \d+ of \d+",  # where a walkthrough is
    r"\d+ (?:stratified )?folds?",  # the cross-validation or tuning folds chosen in the settings
    r"\d+ trees",  # the forest's setting
    r"k = \d+",
    r"top \d+ ?%",  # the review budget's slider
    r"0\.50?\b",  # the fixed threshold
    r"a 50 % chance",  # what a score of 0.5 would mean (the lesson's point, not a figure of the data)
    r"\b1\.5\b|\b3\b–\b10\b|\b10 or more",  # the severity thresholds the page states
    r"Q[13]|1\.5 × IQR",
    r"\d{4}\)",  # a year in a citation: (Vickers & Elkin 2006)
    r"\bAUC 0\.5\b",
    r"\d+–\d+ %",  # a measured coverage range of the method (the simulation's, the same on any data)
    r"\d+ to [\d,]+ rows of the rare range",  # the simulation's sizes
    # a paired difference with its own interval, signed (+0.120 [+0.050, +0.190]): the value itself, made by the
    # interval module for the sentence (a table of differences shows the same where there is one)
    r"[+-][\d,]+(?:\.\d+)? \[[+-][\d,]+(?:\.\d+)?, [+-][\d,]+(?:\.\d+)?\]",
)

_NUMBER = re.compile(r"(?<![\w.'])[-+−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|(?<![\w.'])[-+−]?\d+(?:\.\d+)?%?")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def numbers_in(text: str, *, fixed: bool = True) -> list[tuple[str, float, int, bool]]:
    """The numbers a text states: ``(as written, value, decimals, is a percentage)``, quoted names left out, and
    (``fixed``) the fixed phrases of :data:`FIXED`."""
    text = _QUOTED.sub(" ", text)
    for pattern in FIXED if fixed else ():
        text = re.sub(pattern, " ", text)
    out = []
    for m in _NUMBER.finditer(text):
        raw = m.group(0)
        clean = raw.replace(",", "").replace("−", "-").rstrip("%")
        try:
            value = float(clean)
        except ValueError:
            continue
        decimals = len(clean.split(".")[1]) if "." in clean else 0
        out.append((raw, value, decimals, raw.endswith("%")))
    return out


def _floats(value) -> Iterable[float]:
    """Every number inside a figure's JSON (plotly's base64 typed arrays included) or a table cell."""
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | float):
        if math.isfinite(value):
            yield float(value)
    elif isinstance(value, str):
        for _, v, _, percent in numbers_in(value, fixed=False):
            yield v / 100 if percent else v
            if percent:
                yield v
    elif isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            yield from (float(x) for x in data[np.isfinite(data)])
        else:
            for v in value.values():
                yield from _floats(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _floats(v)
    elif isinstance(value, np.generic):
        yield from _floats(value.item())


class Pool:
    """The numbers a page shows outside its sentences, kept rounded to every precision a sentence may use."""

    def __init__(self, values: Iterable[float]):
        self.rounded: set[tuple[int, float]] = set()
        for v in values:
            for d in range(5):
                for x in (v, abs(v), v * 100, abs(v) * 100):
                    self.rounded.add((d, round(x, d) + 0.0))

    def holds(self, value: float, decimals: int, percent: bool) -> bool:
        """Whether a number written with ``decimals`` decimals (a percentage or not) is shown in the pool."""
        d = min(decimals, 4)
        return any((d, round(v, d) + 0.0) in self.rounded for v in (value, abs(value)))


def page_pool(at, facts: Iterable[float] = ()) -> Pool:
    """The pool of an AppTest page: tables, dataframes, charts (their numbers, and how many points each draws),
    metrics, widgets, and ``facts`` of the data the page works on (its rows, columns and class counts, the split's
    sizes: what a caption describing the data states)."""
    values: list[float] = list(facts)
    for kind in ("table", "dataframe"):
        for t in getattr(at, kind):
            frame = t.value
            values += list(_floats([str(c) for c in frame.columns]))
            values += list(_floats([str(i) for i in frame.index]))
            for column in frame.columns:
                values += list(_floats(frame[column].tolist()))
                numbers = frame[column]
                if numbers.dtype.kind in "iuf":  # a table of counts shows its total too
                    values.append(float(numbers.sum()))
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        values += list(_floats(spec))
        lengths = [len(list(_floats(t.get("x", [])))) for t in spec.get("data", [])]
        values += [float(n) for n in lengths] + [float(sum(lengths))]  # the points a chart draws, and all of them
    for m in at.metric:
        values += list(_floats([m.value, m.label]))
    for kind in ("number_input", "slider", "text_input", "selectbox"):
        for w in getattr(at, kind):
            values += list(_floats([w.value]))
    return Pool(values)


def page_sentences(at) -> list[str]:
    """Every sentence-bearing element of an AppTest page: Markdown, captions and messages."""
    out = []
    for kind in ("markdown", "caption", "info", "warning", "success", "error"):
        out += [str(e.value) for e in getattr(at, kind)]
    return out


def data_facts(prepared, split=None) -> list[float]:
    """The facts of the data a page works on: rows, columns, each class's count and share, the imbalance ratio; with
    a split, its sizes and each part's class counts."""
    ds = prepared.dataset
    out = [float(ds.n_rows), float(ds.n_columns)]
    if prepared.distribution is not None:
        table = prepared.distribution.table
        out += [float(x) for x in table["count"]] + [float(table["count"].sum())]
        out += [float(x) / 100 for x in table["percent"]] + [float(prepared.distribution.imbalance_ratio)]
    if split is not None:
        for part in ("train", "test"):
            counts = split.counts(part)
            total = float(sum(counts.values()))
            out += [float(v) for v in counts.values()] + [total] + [float(v) / total for v in counts.values()]
    return out


def unmatched(at, *, facts: Iterable[float] = (), ignore: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Every ``(number, sentence)`` whose number the page does not show elsewhere (nor is a fact of its data);
    sentences containing one of ``ignore`` are skipped."""
    pool = page_pool(at, facts)
    out = []
    for sentence in page_sentences(at):
        if any(i in sentence for i in ignore):
            continue
        plain = re.sub(r"\\(.)", r"\1", sentence)
        for raw, value, decimals, percent in numbers_in(plain):
            if not pool.holds(value, decimals, percent):
                out.append((raw, plain[:300]))
    return out
