"""Plotly figures of the data, the resampling and the lessons (their palettes and legends: :mod:`core.output.style`).

The figures of trained strategies are in :mod:`core.output.result_figures`. Every user string placed in a figure goes
through :func:`core.safe_text.plot_label`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.data.distribution import ClassDistribution
from core.output.style import CLASS_COLORS, CLASS_SYMBOLS, STRATEGY_COLORS, legend_below
from core.resampling.smote_steps import SmoteSteps
from core.safe_text import plot_label

__all__ = [
    "KIND_COLORS",
    "boundaries_figure",
    "class_distribution_figure",
    "kinds_figure",
    "resample_counts_figure",
    "resample_scatter_figure",
    "smote_steps_figure",
    "sweep_figure",
]


def class_distribution_figure(
    dist: ClassDistribution,
    *,
    target: str,
    log_scale: bool = False,
    height: int = 340,
) -> go.Figure:
    """Bar chart of class counts, largest first, each bar labelled with its count and percentage."""
    labels = [plot_label(c, max_len=30) for c in dist.table["class"]]
    counts = dist.table["count"].tolist()
    pcts = dist.table["percent"].tolist()
    colors = [CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(len(labels))]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=counts,
            marker_color=colors,
            text=[f"{c:,} ({p:.1f}%)" for c, p in zip(counts, pcts, strict=True)],
            textposition="outside",
            cliponaxis=False,
            customdata=pcts,
            hovertemplate="class %{x}<br>%{y:,} rows (%{customdata:.2f}%)<extra></extra>",
        )
    )
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        title={"text": f"Rows per class of {plot_label(target, max_len=40)}", "font": {"size": 15}},
        showlegend=False,
        bargap=0.35,
    )
    fig.update_xaxes(type="category", title="class")
    fig.update_yaxes(
        title="rows (log scale)" if log_scale else "rows",
        type="log" if log_scale else "linear",
        rangemode="tozero",
    )
    if not log_scale:
        fig.update_yaxes(range=[0, max(counts) * 1.15])
    return fig


#: Colours of the kinds of small-class rows (Okabe-Ito), easiest first.
KIND_COLORS = {"safe": "#009e73", "borderline": "#e69f00", "rare": "#cc79a7", "outlier": "#0072b2"}


def kinds_figure(table, *, height: int | None = None) -> go.Figure:
    """Stacked horizontal bars: for each small class, the share of its rows of each kind (safe to outlier).

    ``table`` is :attr:`core.teaching.diagnosis.Kinds.table` (a row per class with "<kind>" counts and "<kind> %").
    """
    fig = go.Figure()
    labels = [plot_label(c, max_len=30) for c in table["class"]]
    for kind, colour in KIND_COLORS.items():
        fig.add_bar(
            name=kind, y=labels, x=table[f"{kind} %"], orientation="h", marker_color=colour,
            customdata=table[kind], text=[f"{v:.0f}%" for v in table[f"{kind} %"]], textposition="inside",
            hovertemplate=f"class %{{y}}<br>{kind}: %{{customdata:,}} rows (%{{x:.1f}}%)<extra></extra>",
        )  # fmt: skip
    fig.update_layout(
        barmode="stack", height=height or 140 + 40 * len(labels), margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right", "traceorder": "normal"},
        title={"text": "Kinds of small-class rows", "font": {"size": 15}},
    )  # fmt: skip
    fig.update_xaxes(title="share of the class's rows (%)", range=[0, 100])
    fig.update_yaxes(title="class", type="category")
    return fig


def resample_counts_figure(
    before: dict[str, int], after: dict[str, int], *, method: str, height: int = 320
) -> go.Figure:
    """Grouped bars of rows per class before and after resampling, each labelled with its count."""
    labels = [plot_label(c, max_len=30) for c in before]
    fig = go.Figure()
    fig.add_bar(
        name="before (training split)",
        offsetgroup="before",
        x=labels,
        y=list(before.values()),
        marker={
            "color": "#e3e7eb",
            "line": {"color": "#7f8c9a", "width": 1},
            "pattern": {"shape": "/", "fgcolor": "#9aa5b1"},
        },
        text=[f"{v:,}" for v in before.values()],
        textposition="outside",
        cliponaxis=False,
    )
    for i, (label, c) in enumerate(
        zip(labels, before, strict=True)
    ):  # one trace per class: the legend shows its colour
        fig.add_bar(
            name=f"after {plot_label(method)}: {label}",
            x=[label],
            y=[after.get(c, 0)],
            offsetgroup="after",
            marker_color=CLASS_COLORS[i % len(CLASS_COLORS)],
            marker_line={"color": "#31333f", "width": 0.5},
            text=[f"{after.get(c, 0):,}"],
            textposition="outside",
            cliponaxis=False,
        )
    top = max([*before.values(), *after.values(), 1])
    fig.update_layout(
        barmode="group",
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        title={"text": "Training rows per class, before and after", "font": {"size": 15}},
        legend={"orientation": "h", "y": -0.3},
    )
    fig.update_xaxes(type="category", title="class")
    fig.update_yaxes(title="rows", range=[0, top * 1.18])
    return legend_below(fig)


def resample_scatter_figure(
    projection, *, method: str, class_order: list[str], kinds: tuple | None = None, height: int = 520
) -> go.Figure:
    """Two panels on shared axes: the training rows before, and after resampling.

    Originals have their class's shape (:data:`CLASS_SYMBOLS`) and colour, synthetic rows are diamonds
    with a dark outline (legend "synthetic"), duplicates are squares, removed rows are grey crosses in
    the "after" panel. With ``kinds`` = (training-row positions, kind names), the small classes' original
    rows are coloured by their kind (:data:`KIND_COLORS`) instead, keeping their class's shape; rows
    not labelled keep their class colour. Drawn with WebGL (``Scattergl``). Hover shows the class,
    the kind and where the row came from.
    """
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=1,
        cols=2,
        shared_xaxes=True,
        shared_yaxes=True,
        horizontal_spacing=0.04,
        subplot_titles=("Before: the training split", f"After: {plot_label(method)}"),
    )
    color = {c: CLASS_COLORS[i % len(CLASS_COLORS)] for i, c in enumerate(class_order)}
    shape = {c: CLASS_SYMBOLS[i % len(CLASS_SYMBOLS)] for i, c in enumerate(class_order)}

    def add(points, *, col: int, name: str, label: str, symbol: str, size: int, opacity: float,
            line: dict | None = None, fill: str | None = None, group: str, show: bool = True,
            kind: str = "") -> None:  # fmt: skip
        if points.empty:
            return
        kind = str(points["provenance"].iloc[0])
        cls = f"class {plot_label(label, max_len=30)}{kind}<br>" if label else ""
        origin = {
            "synthetic": "synthetic (new row)",
            "duplicate": "duplicate of training row %{customdata}",
            "removed": "removed training row %{customdata}",
        }.get(kind, "original training row %{customdata}")
        fig.add_trace(
            go.Scattergl(
                x=points["x"].to_numpy(dtype="float32"),
                y=points["y"].to_numpy(dtype="float32"),
                mode="markers",
                name=name,
                legendgroup=group,
                showlegend=show,
                marker={
                    "symbol": symbol,
                    "size": size,
                    "opacity": opacity,
                    "color": fill or color.get(label, "#555"),
                    "line": line or {"width": 0},
                },
                customdata=None if kind == "synthetic" else points["row"].to_numpy(dtype="int32"),
                hovertemplate=f"{cls}{origin}<extra></extra>",
            ),
            row=1,
            col=col,
        )

    before, after, removed = projection.before, projection.after, projection.removed
    n_synthetic = int((after["provenance"] == "synthetic").sum())
    crowded = n_synthetic > 1500
    syn_style = {"size": 5 if crowded else 8, "opacity": 0.35 if crowded else 0.8}
    syn_line = {"width": 0.4 if crowded else 1, "color": "#222"}
    # Drawing order, bottom to top: the largest class, removed rows, synthetic rows, the smaller classes,
    # so the rare rows stay visible.

    kind_of = None if kinds is None else pd.Series(np.asarray(kinds[1]), index=np.asarray(kinds[0]))

    def by_kind(points, c: str):
        """(name suffix, fill colour, points) per kind of class ``c``'s rows, or one group without kinds."""
        if kind_of is None or c == class_order[0]:
            return [("", None, points)]
        labels = points["row"].map(kind_of)
        groups = [(f" · {k}", KIND_COLORS[k], points[labels == k]) for k in KIND_COLORS]
        return [*groups, (" · not labelled", None, points[labels.isna()])]

    def originals(c: str) -> None:
        label = plot_label(c, max_len=30)
        for suffix, fill, pts in by_kind(before[before["label"].astype(str) == c], c):
            add(pts, col=1, name=label + suffix, label=c, symbol=shape[c], size=9 if suffix else 6, opacity=0.8,
                group=f"class-{c}{suffix}", fill=fill, kind=suffix)  # fmt: skip
        part = after[after["label"].astype(str) == c]
        for suffix, fill, pts in by_kind(part[part["provenance"] == "original"], c):
            add(pts, col=2, name=label + suffix, label=c, symbol=shape[c], size=9 if suffix else 6, opacity=0.8,
                group=f"class-{c}{suffix}", show=False, fill=fill, kind=suffix)  # fmt: skip
        add(part[part["provenance"] == "duplicate"], col=2, name=f"duplicate {label}", label=c,
            symbol="square-open", size=9, opacity=0.9, group=f"duplicate-{c}")  # fmt: skip

    if class_order:
        originals(class_order[0])
    add(removed, col=2, name="removed (was in training split)", label="", symbol="x-thin-open", size=7,
        opacity=0.7, fill="#3d4550", line={"width": 1.2, "color": "#3d4550"}, group="removed")  # fmt: skip
    for c in class_order:
        part = after[after["label"].astype(str) == c]
        add(part[part["provenance"] == "synthetic"], col=2, name=f"synthetic {plot_label(c, max_len=30)}", label=c,
            symbol="diamond", line=syn_line, group=f"synthetic-{c}", **syn_style)  # fmt: skip
    for c in class_order[1:]:
        originals(c)
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "y": -0.12, "itemsizing": "constant"},
        hovermode="closest",
    )
    fig.update_xaxes(title=plot_label(projection.x_title, max_len=50))
    fig.update_yaxes(title=plot_label(projection.y_title, max_len=50), row=1, col=1)
    fig.update_layout(xaxis2={"matches": "x"}, yaxis2={"matches": "y"})  # same axes in both panels
    return legend_below(fig)


#: The reveal of the SMOTE picture, one stage at a time.
SMOTE_STAGES = ("the small class", "take one row", "find its nearest neighbours", "draw one new row", "draw the rest")


def smote_steps_figure(
    steps: SmoteSteps,
    *,
    others: np.ndarray,
    label: str,
    x_title: str,
    y_title: str,
    zoom: bool = True,
    stage: int = len(SMOTE_STAGES) - 1,
    height: int = 560,
) -> go.Figure:
    """The SMOTE teaching picture up to ``stage`` (an index of :data:`SMOTE_STAGES`): the small class, the chosen
    row (labelled x), its neighbours (n1, n2, … nearest first) with segments, then the first new row and the rest
    (labelled 1, 2, …). With ``zoom`` the axes frame the chosen row and its neighbours (one scale on both axes)."""
    fig = go.Figure()
    name = plot_label(label, max_len=30)
    if len(others):
        fig.add_trace(
            go.Scattergl(
                x=others[:, 0], y=others[:, 1], mode="markers", name="other classes",
                marker={"size": 5, "color": "#c5ccd3", "opacity": 0.45}, hoverinfo="skip",
            )
        )  # fmt: skip
    pts, c = steps.points, steps.points[steps.chosen]
    fig.add_trace(
        go.Scatter(
            x=pts[:, 0], y=pts[:, 1], mode="markers", name=f"class {name}",
            marker={"size": 7, "color": CLASS_COLORS[1], "opacity": 0.6},
            customdata=np.arange(len(pts)), hovertemplate="row %{customdata}<extra></extra>",
        )
    )  # fmt: skip
    nb = pts[steps.neighbours]
    if stage >= 2:
        seg_x: list[float | None] = []
        seg_y: list[float | None] = []
        for j in steps.neighbours:
            seg_x += [c[0], pts[j, 0], None]
            seg_y += [c[1], pts[j, 1], None]
        fig.add_trace(
            go.Scatter(x=seg_x, y=seg_y, mode="lines", name="lines to the k neighbours",
                       line={"color": CLASS_COLORS[1], "dash": "dot", "width": 1.5}, hoverinfo="skip")
        )  # fmt: skip
        fig.add_trace(
            go.Scatter(
                x=nb[:, 0], y=nb[:, 1], mode="markers+text", name=f"its {len(nb)} nearest neighbours (n1 nearest)",
                marker={"size": 13, "color": "rgba(0,0,0,0)", "line": {"width": 2, "color": "#0072b2"}},
                text=[f"n{i}" for i in range(1, len(nb) + 1)], textposition="top right",
                textfont={"color": "#0072b2", "size": 12},
                customdata=np.column_stack([steps.neighbours, np.arange(1, len(nb) + 1)]),
                hovertemplate="neighbour n%{customdata[1]} (row %{customdata[0]})<extra></extra>",
            )
        )  # fmt: skip
    if stage >= 1:
        fig.add_trace(
            go.Scatter(
                x=[c[0]], y=[c[1]], mode="markers+text", name="chosen row x",
                marker={"size": 16, "symbol": "star", "color": "#111", "line": {"width": 1, "color": "#fff"}},
                text=["x"], textposition="bottom left", textfont={"size": 14, "color": "#111"},
                hovertemplate=f"chosen row {steps.chosen}<extra></extra>",
            )
        )  # fmt: skip
    shown = 0 if stage < 3 else 1 if stage == 3 else len(steps.new_points)
    new = steps.new_points[:shown]
    if len(new):
        fig.add_trace(
            go.Scatter(
                x=new[:, 0], y=new[:, 1], mode="markers+text", name="synthetic (new rows)",
                marker={"size": 11, "symbol": "diamond", "color": "#009e73", "line": {"width": 1, "color": "#111"}},
                text=[str(i) for i in range(1, len(new) + 1)], textposition="top left",
                textfont={"color": "#006b4f", "size": 12},
                customdata=np.column_stack([np.arange(1, len(new) + 1), steps.gaps[:shown]]),
                hovertemplate="new row %{customdata[0]}: %{customdata[1]:.2f} of the way<extra></extra>",
            )
        )  # fmt: skip
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.12},
        hovermode="closest",
    )
    fig.update_xaxes(title=plot_label(x_title, max_len=50))
    fig.update_yaxes(title=plot_label(y_title, max_len=50), scaleanchor="x", scaleratio=1)
    if zoom:
        focus = np.vstack([c[None, :], nb, steps.new_points]) if len(steps.new_points) else np.vstack([c[None, :], nb])
        lo, hi = focus.min(axis=0), focus.max(axis=0)
        centre, half = (lo + hi) / 2, max(float((hi - lo).max()) * 0.65, 1e-6)
        fig.update_xaxes(range=[centre[0] - half, centre[0] + half])
        fig.update_yaxes(range=[centre[1] - half, centre[1] + half])
    return legend_below(fig)


def boundaries_figure(b, *, class_order: list[str], height: int = 430) -> go.Figure:
    """Side-by-side decision regions (:class:`core.teaching.boundaries.Boundaries`), one panel per way of handling.

    The background is the model's probability for the smallest class (white 0 to orange 1), the solid
    line its 0.5 boundary; the test rows sit on top in their class's colour and shape.
    """
    from plotly.subplots import make_subplots

    names = list(b.proba)
    fig = make_subplots(rows=1, cols=len(names), shared_xaxes=True, shared_yaxes=True, horizontal_spacing=0.02,
                        subplot_titles=names)  # fmt: skip
    colour = {c: CLASS_COLORS[i % len(CLASS_COLORS)] for i, c in enumerate(class_order)}
    shape = {c: CLASS_SYMBOLS[i % len(CLASS_SYMBOLS)] for i, c in enumerate(class_order)}
    positive = plot_label(b.positive, max_len=30)
    for j, name in enumerate(names, start=1):
        z = b.proba[name]
        fig.add_trace(
            go.Heatmap(
                x=b.xs, y=b.ys, z=z.astype(np.float32), zmin=0, zmax=1, name=f"P({positive})",
                colorscale=[[0, "#ffffff"], [1, "#e69f00"]], showscale=j == len(names), zsmooth="best",
                colorbar={"title": {"text": f"P({positive})"}, "thickness": 12},
                hovertemplate=f"P({positive}) %{{z:.2f}}<extra>{name}</extra>",
            ),
            row=1, col=j,
        )  # fmt: skip
        fig.add_trace(
            go.Contour(
                x=b.xs, y=b.ys, z=z, contours={"start": 0.5, "end": 0.5, "size": 1, "coloring": "lines"},
                colorscale=[[0, "#3d4550"], [1, "#3d4550"]], line={"width": 2}, showscale=False, hoverinfo="skip",
                showlegend=False,
                name=f"{name}: boundary (0.5)",
            ),
            row=1, col=j,
        )  # fmt: skip
        for c in class_order:
            pts = b.test[b.test["label"] == c]
            if pts.empty:
                continue
            small = c != class_order[0]
            fig.add_trace(
                go.Scattergl(
                    x=pts["x"].to_numpy(np.float32), y=pts["y"].to_numpy(np.float32), mode="markers",
                    name=f"test rows: {plot_label(c, max_len=30)}", legendgroup=c, showlegend=j == 1,
                    marker={"symbol": shape[c], "color": colour[c], "size": 8 if small else 4,
                            "opacity": 0.95 if small else 0.35,
                            "line": {"width": 0.8 if small else 0, "color": "#222"}},
                    hovertemplate=f"test row, class {plot_label(c, max_len=30)}<extra></extra>",
                ),
                row=1, col=j,
            )  # fmt: skip
    fig.update_xaxes(title=plot_label(b.x_title, max_len=50), range=[b.xs[0], b.xs[-1]])
    fig.update_yaxes(title=plot_label(b.y_title, max_len=50), range=[b.ys[0], b.ys[-1]], col=1)
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 50, "b": 10},
                      legend={"orientation": "h", "y": -0.2})  # fmt: skip
    return legend_below(fig)


def _error_bars(part, metric: str) -> dict | None:
    """Plotly error bars from a table's "<metric> low" and "<metric> high" columns, where it has them."""
    if f"{metric} low" not in part:
        return None
    return {"type": "data", "array": (part[f"{metric} high"] - part[metric]).to_numpy(),
            "arrayminus": (part[metric] - part[f"{metric} low"]).to_numpy(), "thickness": 1}  # fmt: skip


def sweep_figure(table, *, height: int = 380) -> go.Figure:
    """Recall, precision and PR-AUC against the imbalance ratio (log scale), one line per strategy, with each
    point's 95 % interval as an error bar."""
    from plotly.subplots import make_subplots

    metrics = ["recall", "precision", "PR-AUC"]
    fig = make_subplots(rows=1, cols=3, subplot_titles=metrics, shared_yaxes=True, horizontal_spacing=0.05)
    for i, (name, part) in enumerate(table.groupby("strategy", sort=False)):
        for j, metric in enumerate(metrics, start=1):
            fig.add_trace(
                go.Scatter(
                    x=part["ratio"], y=part[metric], mode="lines+markers", name=plot_label(name, max_len=40),
                    legendgroup=name, showlegend=j == 1, line={"color": STRATEGY_COLORS[i % len(STRATEGY_COLORS)]},
                    error_y=_error_bars(part, metric),
                    hovertemplate=f"{plot_label(name)}<br>ratio %{{x:g}} : 1<br>{metric} %{{y:.2f}}<extra></extra>",
                ),
                row=1, col=j,
            )  # fmt: skip
    ratios = sorted(table["ratio"].unique())
    fig.update_xaxes(type="log", title="imbalance ratio", tickvals=ratios, ticktext=[f"{r:g}:1" for r in ratios])
    fig.update_yaxes(range=[0, 1.05])
    fig.update_layout(
        height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10}, legend={"orientation": "h", "y": -0.25}
    )
    return legend_below(fig)
