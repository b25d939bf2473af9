"""Plotly figures of trained strategies: confusion matrices, ROC, PR, gains and lift, calibration, costs, importance
and the metrics side by side. Every user string placed in a figure goes through :func:`core.safe_text.plot_label`."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.output.style import CLASS_COLORS, STRATEGY_COLORS, legend_below
from core.safe_text import plot_label

__all__ = [
    "calibration_figure",
    "confusion_grid_figure",
    "cost_figure",
    "curves_figure",
    "decision_curve_figure",
    "gains_figure",
    "importance_figure",
    "metric_bars_figure",
    "thin_curve",
]


def confusion_grid_figure(
    names: list[str],
    matrices: list[np.ndarray],
    *,
    classes: list[str],
    normalize: bool,
    per_row: int = 3,
    height: int | None = None,
) -> go.Figure:
    """Confusion matrices side by side (rows = true class, columns = predicted), one per strategy."""
    from plotly.subplots import make_subplots

    n = len(matrices)
    cols = min(per_row, n)
    rows = -(-n // cols)
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=[plot_label(x, max_len=40) for x in names],
        horizontal_spacing=0.08, vertical_spacing=0.18 if rows > 1 else 0.1,
    )  # fmt: skip
    labels = [plot_label(c, max_len=20) for c in classes]
    for i, cm in enumerate(matrices):
        r, c = i // cols + 1, i % cols + 1
        text = [[f"{v:.0%}" if normalize else f"{int(v):,}" for v in row] for row in cm]
        fig.add_trace(
            go.Heatmap(
                z=cm, x=labels, y=labels, text=text, texttemplate="%{text}", colorscale="Blues", showscale=False,
                name=plot_label(names[i], max_len=40),
                zmin=0, zmax=1 if normalize else None,
                hovertemplate="true %{y}<br>predicted %{x}<br>%{text}<extra></extra>",
            ),
            row=r, col=c,
        )  # fmt: skip
        fig.update_xaxes(title="predicted", type="category", row=r, col=c)
        fig.update_yaxes(title="true" if c == 1 else None, type="category", autorange="reversed", row=r, col=c)
    fig.update_layout(height=height or 340 * rows + 20, margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


def metric_bars_figure(table, *, metrics: list[str], height: int = 380) -> go.Figure:
    """Grouped bars: one group per metric, one bar per strategy, with its interval as error bars.

    ``table`` has a column per metric and, where known, "<metric> low" and "<metric> high" bounds.
    """
    fig = go.Figure()
    for i, (_, row) in enumerate(table.iterrows()):
        values = np.array([row[m] for m in metrics], dtype=float)
        low = np.array([row.get(f"{m} low", np.nan) for m in metrics], dtype=float)
        high = np.array([row.get(f"{m} high", np.nan) for m in metrics], dtype=float)
        fig.add_bar(
            name=plot_label(row["strategy"], max_len=40), x=metrics, y=values,
            marker_color=STRATEGY_COLORS[i % len(STRATEGY_COLORS)],
            customdata=np.column_stack([low, high]),
            hovertemplate="%{x}: %{y:.3f} [%{customdata[0]:.3f}, %{customdata[1]:.3f}]<extra>%{fullData.name}</extra>",
            error_y={"type": "data", "symmetric": False, "array": np.nan_to_num(high - values),
                     "arrayminus": np.nan_to_num(values - low), "thickness": 1.2, "width": 3},
        )  # fmt: skip
    fig.update_layout(
        barmode="group", height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "y": -0.15}, title={"text": "Metrics by strategy", "font": {"size": 15}},
    )  # fmt: skip
    fig.update_yaxes(range=[0, 1.12])
    return legend_below(fig)


def gains_figure(curves: list, *, share: float | None = None, lift: bool = False, height: int = 400) -> go.Figure:
    """Cumulative gains (``lift=False``) or lift curves (:class:`core.comparison.gains.Gains`), one line per strategy.

    Gains: share of the small class caught against share of rows reviewed, with the line of reviewing at
    random and of a perfect ranking. Lift: caught share over reviewed share, from 1 % of the rows on, with
    1 for random. ``share``
    draws the review budget as a dotted vertical line.
    """
    fig = go.Figure()
    for i, g in enumerate(curves):
        x, y = (g.reviewed[1:], g.lift) if lift else (g.reviewed, g.caught)
        if lift:  # below 1 % of the rows lift is the luck of a handful of rows: it would set the scale
            keep = x >= 0.01
            x, y = x[keep], y[keep]
        x, y = thin_curve(x, y)
        fig.add_scatter(
            x=x, y=y, mode="lines", name=plot_label(g.label, max_len=40),
            line={"width": 2.2, "color": STRATEGY_COLORS[i % len(STRATEGY_COLORS)]},
        )  # fmt: skip
    grey = {"dash": "dash", "color": "#9aa5b1"}
    if lift:
        fig.add_scatter(x=[0, 1], y=[1, 1], mode="lines", name="random (lift 1)", line=grey)
    elif curves:
        p = curves[0].prevalence
        fig.add_scatter(x=[0, 1], y=[0, 1], mode="lines", name="random", line=grey)
        fig.add_scatter(x=[0, p, 1], y=[0, 1, 1], mode="lines", name="perfect ranking",
                        line={"dash": "dot", "color": "#50535b"})  # fmt: skip
    if share is not None:
        fig.add_vline(x=share, line={"color": "#50535b", "dash": "dot", "width": 1},
                      annotation_text=f"review {share:.0%}", annotation_position="top right")  # fmt: skip
    fig.update_xaxes(title="share of cases reviewed, highest scores first", range=[0, 1], tickformat=".0%")
    if lift:
        fig.update_yaxes(title="lift (times better than random)", rangemode="tozero")
    else:
        fig.update_yaxes(title="share of the small class caught", range=[0, 1.02], tickformat=".0%")
    fig.update_layout(
        height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10}, legend={"orientation": "h", "y": -0.22},
        title={"text": "Lift" if lift else "Cumulative gains", "font": {"size": 15}},
    )  # fmt: skip
    return legend_below(fig)


def thin_curve(x: np.ndarray, y: np.ndarray, *, max_points: int = 2_000) -> tuple[np.ndarray, np.ndarray]:
    """A curve with at most about ``max_points`` points, as float32, for drawing.

    Keeps the first and last point and every point that moves at least ``1 / max_points`` (in x plus
    y) from the last one kept, so the drawn line is the same to the eye; short curves pass unchanged.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) <= max_points:
        return x.astype(np.float32), y.astype(np.float32)
    step, xs, ys = 1.0 / max_points, x.tolist(), y.tolist()
    keep, last_x, last_y = [0], xs[0], ys[0]
    for i in range(1, len(xs) - 1):
        if abs(xs[i] - last_x) + abs(ys[i] - last_y) >= step:
            keep.append(i)
            last_x, last_y = xs[i], ys[i]
    keep.append(len(xs) - 1)
    return x[keep].astype(np.float32), y[keep].astype(np.float32)


def curves_figure(curves: list, *, kind: str, prevalence: float | None = None, height: int = 420) -> go.Figure:
    """ROC (``kind="roc"``) or precision-recall (``kind="pr"``) curves overlaid, area in the legend.

    ROC gets the chance diagonal; PR gets the prevalence line (the precision of guessing).
    """
    fig = go.Figure()
    for i, curve in enumerate(curves):
        if len(curve.x) == 0:
            continue
        word = "AUC" if kind == "roc" else "AP"
        x, y = thin_curve(curve.x, curve.y)
        fig.add_trace(
            go.Scatter(
                x=x, y=y, mode="lines", name=f"{plot_label(curve.label, max_len=40)} ({word} {curve.area:.3f})",
                line={"width": 2.2, "color": STRATEGY_COLORS[i % len(STRATEGY_COLORS)],
                      "shape": "hv" if kind == "pr" else "linear"},
            )
        )  # fmt: skip
    if kind == "roc":
        fig.add_trace(
            go.Scatter(
                x=[0, 1], y=[0, 1], mode="lines", name="chance (AUC 0.5)", line={"dash": "dash", "color": "#9aa5b1"}
            )
        )
        fig.update_xaxes(title="false positive rate", range=[0, 1])
        fig.update_yaxes(title="true positive rate (recall)", range=[0, 1.02])
    else:
        if prevalence is not None:
            fig.add_trace(
                go.Scatter(
                    x=[0, 1], y=[prevalence, prevalence], mode="lines", name=f"prevalence ({prevalence:.3f}): guessing",
                    line={"dash": "dash", "color": "#9aa5b1"},
                )
            )  # fmt: skip
        fig.update_xaxes(title="recall", range=[0, 1])
        fig.update_yaxes(title="precision", range=[0, 1.02])
    fig.update_layout(
        height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10}, legend={"orientation": "h", "y": -0.2},
        title={"text": "ROC curve" if kind == "roc" else "Precision-recall curve", "font": {"size": 15}},
    )  # fmt: skip
    return legend_below(fig)


def calibration_figure(
    series: list[tuple[str, np.ndarray, np.ndarray]],
    *,
    before: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
    height: int = 380,
    title: str = "Calibration",
    before_word: str = "before",
    before_names: dict[str, str] | None = None,
) -> go.Figure:
    """Reliability curves: mean predicted probability against the observed share, per strategy.

    ``before`` maps a strategy's name to its curve before a repair (calibration, or the prior-shift correction),
    drawn dotted in the strategy's colour and named with ``before_word`` (or by ``before_names``).
    """
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, 1], y=[0, 1], mode="lines", name="perfectly calibrated", line={"dash": "dash", "color": "#9aa5b1"}
        )
    )
    for i, (name, predicted, observed) in enumerate(series):
        fig.add_trace(
            go.Scatter(x=predicted, y=observed, mode="lines+markers", name=plot_label(name, max_len=40),
                       line={"color": STRATEGY_COLORS[i % len(STRATEGY_COLORS)]})
        )  # fmt: skip
        if before and name in before:
            fig.add_trace(
                go.Scatter(x=before[name][0], y=before[name][1], mode="lines+markers",
                           name=(before_names or {}).get(name, f"{before_word}: {plot_label(name, max_len=32)}"),
                           marker={"symbol": "x"},
                           line={"color": STRATEGY_COLORS[i % len(STRATEGY_COLORS)], "dash": "dot"})
            )  # fmt: skip
    fig.update_xaxes(title="predicted probability of the small class", range=[0, 1])
    fig.update_yaxes(title="observed share", range=[0, 1.02])
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10}, legend={"orientation": "h", "y": -0.2},
                      title={"text": title, "font": {"size": 15}})  # fmt: skip
    return legend_below(fig)


def importance_figure(importance, *, top: int = 15, height: int = 420) -> go.Figure:
    """Horizontal bars of the largest feature importances."""
    head = importance.head(top)[::-1]
    fig = go.Figure(
        go.Bar(
            x=head.to_numpy(),
            y=[plot_label(n, max_len=40) for n in head.index],
            orientation="h",
            marker_color=CLASS_COLORS[2],
        )
    )
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      title={"text": f"Feature importance (top {len(head)})", "font": {"size": 15}})  # fmt: skip
    fig.update_xaxes(title="mean decrease in impurity")
    return fig


def cost_figure(
    curve, *, current: float, tuned: float | None = None, points: int = 1_001, height: int = 320
) -> go.Figure:
    """Total cost on the test split against the decision threshold: the current threshold, the one ``tuned`` on
    training folds (if any), and the test split's own minimum, labelled as chosen on the test split.

    ``curve`` is a :class:`~core.modelling.evaluation.CostCurve`. The step function is drawn at ``points``
    evenly spaced thresholds (its value at each is exact), so the figure's size does not grow with
    the test split, which can hold a distinct score per row.
    """
    grid = np.linspace(0.0, 1.0, points)
    fig = go.Figure(go.Scatter(x=grid, y=curve.costs_at(grid), mode="lines", name="total cost", line={"shape": "hv"}))
    best = curve.best
    fig.add_vline(x=best, line={"color": CLASS_COLORS[3], "dash": "dot"},
                  annotation_text=f"test-split minimum {best:.2f} (hindsight)")  # fmt: skip
    if tuned is not None:
        fig.add_vline(x=tuned, line={"color": CLASS_COLORS[2], "dash": "dash"}, annotation_text=f"tuned {tuned:.2f}",
                      annotation_position="top left")  # fmt: skip
    fig.add_vline(x=current, line={"color": CLASS_COLORS[1]}, annotation_text=f"current {current:.2f}",
                  annotation_position="bottom right")  # fmt: skip
    fig.update_xaxes(title="decision threshold", range=[0, 1])
    fig.update_yaxes(title="total cost on the test split")
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, showlegend=False)
    return fig


def decision_curve_figure(
    curves: list[tuple[str, np.ndarray, np.ndarray]], *, thresholds: np.ndarray, everyone: np.ndarray,
    rate: float, marked: float | None = None, height: int = 420,
) -> go.Figure:  # fmt: skip
    """Net benefit against threshold probability per strategy, with "flag everyone" and "flag no one", at the
    production ``rate``; ``marked`` is the threshold probability the cost inputs imply."""
    fig = go.Figure()
    for i, (name, t, nb) in enumerate(curves):
        fig.add_trace(go.Scatter(x=t, y=nb, mode="lines", name=plot_label(name, max_len=40),
                                 line={"width": 2.2, "color": STRATEGY_COLORS[i % len(STRATEGY_COLORS)]}))  # fmt: skip
    fig.add_trace(go.Scatter(x=thresholds, y=everyone, mode="lines", name="flag everyone",
                             line={"dash": "dash", "color": "#6b7785"}))  # fmt: skip
    fig.add_trace(go.Scatter(x=[thresholds[0], thresholds[-1]], y=[0, 0], mode="lines", name="flag no one",
                             line={"dash": "dot", "color": "#3d4751"}))  # fmt: skip
    if marked is not None and 0 < marked < 1:
        fig.add_vline(x=marked, line={"color": CLASS_COLORS[3], "dash": "dot"},
                      annotation_text=f"your costs: {marked:.2f}")  # fmt: skip
    top = max([rate] + [float(np.nanmax(nb)) for _, _, nb in curves if len(nb)])
    fig.update_xaxes(title="threshold probability (at the production rate)", range=[0, 1])
    fig.update_yaxes(title="net benefit per case scored", range=[-0.1 * top, 1.1 * top])
    fig.update_layout(
        height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10}, legend={"orientation": "h", "y": -0.2},
        title={"text": f"Decision curve at a production rate of {rate:.3%}", "font": {"size": 15}},
    )  # fmt: skip
    return legend_below(fig)
