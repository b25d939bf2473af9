"""Plotly figures of a skewed numeric target's strategies: errors by range, predicted against actual, and the
target before and after resampling."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.comparison.number_errors import PARTS, NumberScores
from core.output.style import CLASS_COLORS, STRATEGY_COLORS, legend_below
from core.safe_text import plot_label

__all__ = ["number_errors_figure", "number_histogram_figure", "predicted_actual_figure", "resampled_target_figure"]

_MARGIN = {"l": 10, "r": 10, "t": 50, "b": 10}


def _log_cut(cut: float, log_values: np.ndarray) -> float:
    return float(np.log10(cut)) if cut > 0 else float(log_values.min())


def _log_ticks(edges: np.ndarray) -> dict:
    """Axis ticks at the powers of ten, labelled in the data's units, for values binned as log10."""
    ticks = np.arange(np.floor(edges[0]), np.ceil(edges[-1]) + 1)
    return {"tickvals": ticks, "ticktext": [f"{10**t:,.0f}" if t >= 0 else f"{10**t:g}" for t in ticks]}


def _bars(values: np.ndarray, edges: np.ndarray, *, name: str, color: str, log: bool, **more) -> go.Bar:
    """A histogram drawn as bars counted here (the figure carries 60 counts, not every value); each bar's range in
    the data's units is its hover text, which the chart's text alternative reads."""
    counts, _ = np.histogram(values, bins=edges)
    units = 10**edges if log else edges
    ranges = [f"{_unit(a)} to {_unit(b)}" for a, b in pairwise(units)]
    return go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=counts, width=float(edges[1] - edges[0]), name=name,
                  marker={"color": color, "line": {"width": 0}}, hovertext=ranges,
                  hovertemplate="%{hovertext}: %{y:,} rows<extra></extra>", **more)  # fmt: skip


def _unit(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def number_histogram_figure(
    values: np.ndarray, *, name: str, cut: float | None, side: str | None, log: bool = False, height: int = 320
) -> go.Figure:
    """The distribution of a numeric target, its rare range (beyond ``cut`` on ``side``) shaded; with ``log``, binned
    on a log scale when every value is positive (else the row counts on a log axis)."""
    values = np.asarray(values, dtype=np.float64)
    log_x = log and len(values) > 0 and bool((values > 0).all())
    shown = np.log10(values) if log_x else values
    edges = np.histogram_bin_edges(shown, bins=60) if len(shown) else np.array([0.0, 1.0])
    fig = go.Figure(_bars(shown, edges, name="rows", color=CLASS_COLORS[0], log=log_x))
    if cut is not None and side is not None and len(values):
        at = _log_cut(cut, shown) if log_x else cut
        lo, hi = (at, float(edges[-1])) if side == "above" else (float(edges[0]), at)
        fig.add_vrect(x0=lo, x1=hi, fillcolor=CLASS_COLORS[1], opacity=0.15, line_width=0,
                      annotation_text="rare range", annotation_position="top left")  # fmt: skip
        fig.add_vline(x=at, line={"color": CLASS_COLORS[1], "dash": "dash"})
    fig.update_layout(height=height, bargap=0, margin={"l": 10, "r": 10, "t": 40, "b": 10}, showlegend=False,
                      title={"text": f"Distribution of {plot_label(name, max_len=40)}", "font": {"size": 15}})  # fmt: skip
    fig.update_xaxes(title=plot_label(name, max_len=40) + (" (log scale)" if log_x else ""),
                     **(_log_ticks(edges) if log_x else {}))  # fmt: skip
    fig.update_yaxes(title="rows", type="log" if log and not log_x else "linear")
    return fig


def number_errors_figure(scores: list[NumberScores], *, height: int = 360) -> go.Figure:
    """The median absolute error of each strategy in each part of the test split, with its 95 % interval."""
    fig = go.Figure()
    for i, s in enumerate(scores):
        est = [s.median[p] for p in PARTS]
        fig.add_trace(go.Bar(
            name=s.name, x=[PARTS[p] for p in PARTS], y=[e.value for e in est],
            marker={"color": STRATEGY_COLORS[i % len(STRATEGY_COLORS)]},
            error_y={"type": "data", "symmetric": False, "array": [e.high - e.value for e in est],
                     "arrayminus": [e.value - e.low for e in est]},
        ))  # fmt: skip
    fig.update_layout(barmode="group", height=height, margin=_MARGIN, legend={"orientation": "h", "y": -0.15},
                      title={"text": "Median absolute error by target range (95 % intervals)", "font": {"size": 15}})  # fmt: skip
    fig.update_yaxes(title="median |predicted − actual|", rangemode="tozero")
    return legend_below(fig)


def predicted_actual_figure(
    y_true: np.ndarray, predictions: Mapping[str, np.ndarray], *, name: str, rare_cut: float, side: str,
    log: bool = False, max_points: int = 2500, random_state: int = 0, height: int = 380,
) -> go.Figure:  # fmt: skip
    """Predicted against actual for each strategy side by side, the rare range shaded, the diagonal drawn.

    At most ``max_points`` test rows are drawn (every rare one first, then a random draw of the rest).
    """
    y_true = np.asarray(y_true, dtype=np.float64)
    rare = y_true >= rare_cut if side == "above" else y_true <= rare_cut
    rng = np.random.default_rng(random_state)
    rows = np.flatnonzero(rare)[:max_points]
    rest = np.flatnonzero(~rare)
    if len(rows) + len(rest) > max_points:
        rest = np.sort(rng.choice(rest, size=max(max_points - len(rows), 0), replace=False))
    rows = np.sort(np.concatenate([rows, rest]))
    names = list(predictions)
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=[plot_label(n, max_len=24) for n in names],
                        shared_yaxes=True, horizontal_spacing=0.03)  # fmt: skip
    every = np.concatenate([y_true[rows]] + [np.asarray(predictions[n])[rows] for n in names])
    positive = every[every > 0]
    lo, hi = (
        (float(positive.min()), float(every.max()))
        if log and len(positive)
        else (float(every.min()), float(every.max()))
    )
    for j, n in enumerate(names, start=1):
        pred = np.asarray(predictions[n], dtype=np.float64)[rows]
        for is_rare, label, color in ((False, "common range", CLASS_COLORS[0]), (True, "rare range", CLASS_COLORS[1])):
            keep = rare[rows] == is_rare
            fig.add_trace(go.Scattergl(
                x=y_true[rows][keep], y=pred[keep], mode="markers", name=label, legendgroup=label, showlegend=j == 1,
                marker={"color": color, "size": 4, "opacity": 0.6},
            ), row=1, col=j)  # fmt: skip
        fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", line={"color": "#444", "dash": "dot"},
                                 name="predicted = actual", showlegend=j == 1), row=1, col=j)  # fmt: skip
        x0, x1 = (rare_cut, hi) if side == "above" else (lo, rare_cut)
        fig.add_vrect(x0=x0, x1=x1, fillcolor=CLASS_COLORS[1], opacity=0.08, line_width=0, row=1, col=j)
        fig.update_xaxes(title="actual" if j == 1 else None, type="log" if log else "linear", row=1, col=j)
    fig.update_yaxes(title=f"predicted {plot_label(name, max_len=30)}", type="log" if log else "linear", row=1, col=1)
    for j in range(2, len(names) + 1):
        fig.update_yaxes(type="log" if log else "linear", row=1, col=j)
    fig.update_layout(height=height, margin=_MARGIN, legend={"orientation": "h", "y": -0.2},
                      title={"text": "Predicted against actual on the test split (rare range shaded)",
                             "font": {"size": 15}})  # fmt: skip
    return legend_below(fig)


def resampled_target_figure(
    before: np.ndarray, kept: np.ndarray, synthetic: np.ndarray, *, name: str, rare_cut: float, side: str,
    log: bool = False, height: int = 340,
) -> go.Figure:  # fmt: skip
    """The training target's histogram before resampling beside after it, the synthetic rows stacked on the kept
    original ones, the rare range shaded; with ``log`` (and only positive values), binned on a log scale."""
    values = np.concatenate([before, kept, synthetic])
    log_x = log and bool((values > 0).all())
    if log_x:  # bins even on the log scale, so a long tail and the bulk are both visible
        before, kept, synthetic, values = (np.log10(v) for v in (before, kept, synthetic, values))
        rare_cut = _log_cut(rare_cut, values)
    edges = np.histogram_bin_edges(values, bins=60)
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=["Before: the training rows", "After: kept rows and synthetic rows"])  # fmt: skip
    fig.add_trace(_bars(before, edges, name="original rows", color=CLASS_COLORS[0], log=log_x, legendgroup="original"),
                  row=1, col=1)  # fmt: skip
    fig.add_trace(_bars(kept, edges, name="original rows (kept)", color=CLASS_COLORS[0], log=log_x,
                        legendgroup="original", showlegend=False), row=1, col=2)  # fmt: skip
    fig.add_trace(_bars(synthetic, edges, name="synthetic rows", color=CLASS_COLORS[2], log=log_x), row=1, col=2)
    for col in (1, 2):
        x0, x1 = (rare_cut, float(edges[-1])) if side == "above" else (float(edges[0]), rare_cut)
        fig.add_vrect(x0=x0, x1=x1, fillcolor=CLASS_COLORS[1], opacity=0.12, line_width=0, row=1, col=col)
        fig.update_xaxes(title=plot_label(name, max_len=40) + (" (log scale)" if log_x else ""), row=1, col=col)
        if log_x:
            fig.update_xaxes(**_log_ticks(edges), row=1, col=col)
    fig.update_yaxes(title="rows", row=1, col=1)
    fig.update_layout(barmode="stack", bargap=0, height=height, margin=_MARGIN, legend={"orientation": "h", "y": -0.2},
                      title={"text": f"{plot_label(name, max_len=40)} before and after resampling (rare range shaded)",
                             "font": {"size": 15}})  # fmt: skip
    return legend_below(fig)
