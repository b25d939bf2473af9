"""Plotly figure builders. Every user string placed in a figure goes through :func:`core.text.plot_label`."""

from __future__ import annotations

import plotly.graph_objects as go

from core.distribution import ClassDistribution
from core.text import plot_label

__all__ = ["CLASS_COLORS", "class_distribution_figure"]

#: Colour-blind-safe palette (Okabe-Ito), majority class first.
CLASS_COLORS = ("#7f8c9a", "#d55e00", "#0072b2", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442")


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
    fig.update_xaxes(type="category", title=None)
    fig.update_yaxes(
        title="rows (log scale)" if log_scale else "rows",
        type="log" if log_scale else "linear",
        rangemode="tozero",
    )
    if not log_scale:
        fig.update_yaxes(range=[0, max(counts) * 1.15])
    return fig
