"""A text alternative for any plotly figure: a sentence and tables read off the figure's own traces.

Charts cannot be read by a screen reader, and a projector can wash out a colour. Every chart the app
draws is therefore shown with :func:`chart_text` of the same figure object, so the words and numbers
can never disagree with the picture.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

__all__ = ["ChartText", "chart_text"]

#: Traces with more points than this are shortened: curves to evenly spaced points, point clouds to a summary.
MAX_POINTS = 25


@dataclass(frozen=True)
class ChartText:
    """What a chart shows, in words and numbers.

    ``summary`` names the chart, its axes and each series with its size. ``points`` holds the drawn
    values (every point of short series; evenly spaced points, first and last included, of long
    curves; every cell of a small heatmap). ``clouds`` has one row per long point cloud (a scatter of
    data rows) or large heatmap (a surface): its size, the range (and mean) of each coordinate, and a
    surface's lowest, mean and highest value. Either table may be ``None``.
    """

    summary: str
    points: pd.DataFrame | None
    clouds: pd.DataFrame | None


def _clean(text: object) -> str:
    """Figure text as plain words: line breaks to spaces, the app's tags dropped, entities decoded.

    User strings reach figures HTML-escaped (:func:`core.safe_text.plot_label`), so every literal tag is the app's.
    """
    return html.unescape(re.sub(r"<[^>]*>", "", re.sub(r"<br\s*/?>", " ", str(text)))).strip()


def _title(obj) -> str:
    text = getattr(getattr(obj, "title", None), "text", None)
    return _clean(text) if text else ""


def _axis_titles(fig: go.Figure, trace) -> tuple[str, str]:
    xa = (getattr(trace, "xaxis", None) or "x").replace("x", "xaxis", 1)
    ya = (getattr(trace, "yaxis", None) or "y").replace("y", "yaxis", 1)
    return _title(fig.layout[xa]), _title(fig.layout[ya])


def _values(seq) -> list:
    if seq is None:
        return []
    if isinstance(seq, np.ndarray):
        return [float(v) if np.issubdtype(seq.dtype, np.number) else _clean(v) for v in seq.tolist()]
    return [float(v) if isinstance(v, (int, float, np.number)) and not isinstance(v, bool) else _clean(v) for v in seq]


def _spaced(n: int, k: int) -> np.ndarray:
    return np.unique(np.linspace(0, n - 1, num=min(n, k)).round().astype(int))


def _bar_rows(trace, name: str) -> list[dict]:
    x, y = _values(trace.x), _values(trace.y)
    if trace.hovertext is not None and not isinstance(trace.hovertext, str) and len(trace.hovertext) == len(x):
        x = [_clean(t) for t in trace.hovertext]  # a histogram's bars: each one's range, in the data's units
    if trace.orientation == "h":
        x, y = y, x
    rows = [{"series": name, "x": a, "y": b} for a, b in zip(x, y, strict=False)]
    err = trace.error_y
    if err is not None and err.array is not None:
        plus = _values(err.array)
        minus = _values(err.arrayminus) if err.arrayminus is not None else plus
        for row, p, m in zip(rows, plus, minus, strict=False):
            if isinstance(row["y"], float) and not np.isnan(row["y"]):
                row["low"], row["high"] = row["y"] - m, row["y"] + p
    return rows


def _heatmap_rows(trace, name: str) -> list[dict]:
    z = np.asarray(trace.z, dtype=float)
    xs = _values(trace.x) or list(range(z.shape[1]))
    ys = _values(trace.y) or list(range(z.shape[0]))
    text = trace.text
    rows = []
    for i, yv in enumerate(ys):
        for j, xv in enumerate(xs):
            shown = _clean(text[i][j]) if text is not None else f"{z[i, j]:g}"
            rows.append({"series": name, "x": xv, "y": yv, "value": shown})
    return rows


def _panel(trace, panels: list[str]) -> str:
    """The subplot title over ``trace`` (``make_subplots`` writes them in the order of the x axes), or ""."""
    axis = getattr(trace, "xaxis", None) or "x"
    index = int(axis[1:] or 1) - 1
    return panels[index] if len(panels) > 1 and index < len(panels) else ""


def chart_text(fig: go.Figure, *, max_points: int = MAX_POINTS) -> ChartText:
    """Describe ``fig`` in a sentence and tables taken from its traces (see :class:`ChartText`).

    Bars give one row per bar (with ``low``/``high`` from asymmetric error bars); heatmaps one row per
    cell with the text drawn in it; scatter traces of at most ``max_points`` points every point; longer
    line traces ``max_points`` evenly spaced points including both ends; longer marker-only traces, and
    heatmaps of more than ``max_points²`` cells (a surface), a row in ``clouds``. Column names are the
    axis titles when every trace shares one pair of axes.
    """
    point_rows: list[dict] = []
    cloud_rows: list[dict] = []
    parts: list[str] = []
    axes: set[tuple[str, str]] = set()
    panels = [_clean(a.text) for a in (fig.layout.annotations or ()) if a.text and a.xref == "paper"]
    for i, trace in enumerate(fig.data):
        name = _clean(trace.name) if trace.name else f"series {i + 1}"
        panel = _panel(trace, panels)
        if panel and panel != name:
            name = f"{panel}: {name}"
        axes.add(_axis_titles(fig, trace))
        if trace.type == "bar":
            rows = _bar_rows(trace, name)
            point_rows += rows
            parts.append(f"{name}: {len(rows)} bars")
        elif trace.type == "heatmap" and np.asarray(trace.z).size > max_points * max_points:
            z = np.asarray(trace.z, dtype=float)  # a surface, not a table: its extent and its values' spread
            xs, ys = np.asarray(_values(trace.x), dtype=float), np.asarray(_values(trace.y), dtype=float)
            cloud_rows.append({
                "series": name, "points": z.size, "x min": xs.min(), "x max": xs.max(), "y min": ys.min(),
                "y max": ys.max(), "value min": np.nanmin(z), "value mean": np.nanmean(z), "value max": np.nanmax(z),
            })  # fmt: skip
            parts.append(
                f"{name}: a {z.shape[1]} × {z.shape[0]} grid of values from {np.nanmin(z):.2f} to {np.nanmax(z):.2f}"
            )
        elif trace.type == "heatmap":
            rows = _heatmap_rows(trace, name)
            point_rows += rows
            parts.append(f"{name}: {len(rows)} cells")
        elif trace.type in {"scatter", "scattergl"}:
            x, y = np.asarray(_values(trace.x)), np.asarray(_values(trace.y))
            n = len(x)
            if n == 0:
                continue
            mode = trace.mode or "markers"
            if n <= max_points or "lines" in mode:
                keep = _spaced(n, max_points)
                point_rows += [{"series": name, "x": x[k], "y": y[k]} for k in keep]
                shown = "" if len(keep) == n else f", {len(keep)} evenly spaced of them listed"
                parts.append(f"{name}: {n:,} points{shown}")
            else:
                xf, yf = x.astype(float), y.astype(float)
                cloud_rows.append({
                    "series": name, "points": n,
                    "x min": np.nanmin(xf), "x mean": np.nanmean(xf), "x max": np.nanmax(xf),
                    "y min": np.nanmin(yf), "y mean": np.nanmean(yf), "y max": np.nanmax(yf),
                })  # fmt: skip
                parts.append(f"{name}: {n:,} points")
    title = _title(fig.layout)
    head = title or "Chart"
    if panels and not title:
        head += " in panels " + ", ".join(panels)
    # Panels without their own axis title (a grid's inner panels) share the titled one's.
    x_titles, y_titles = {a[0] for a in axes if a[0]}, {a[1] for a in axes if a[1]}
    axis_words = (
        "; ".join(
            [f"x: {', '.join(sorted(x_titles))}"] * bool(x_titles)
            + [f"y: {', '.join(sorted(y_titles))}"] * bool(y_titles)
        )
        or "Axes without titles"
    )
    summary = f"{head}. {axis_words}. " + "; ".join(parts) + "." if parts else f"{head}: nothing drawn."
    points = pd.DataFrame(point_rows) if point_rows else None
    clouds = pd.DataFrame(cloud_rows) if cloud_rows else None
    xt = next(iter(x_titles)) if len(x_titles) == 1 else "x"
    yt = next(iter(y_titles)) if len(y_titles) == 1 else "y"
    if xt != yt:
        if points is not None:
            points = points.rename(columns={"x": xt, "y": yt})
        if clouds is not None:
            stats = ("min", "mean", "max")
            clouds = clouds.rename(columns={f"{a} {s}": f"{t} {s}" for a, t in (("x", xt), ("y", yt)) for s in stats})
    if points is not None and "series" in points and points["series"].nunique() == 1:
        points = points.drop(columns="series")
    return ChartText(summary=summary, points=points, clouds=clouds)
