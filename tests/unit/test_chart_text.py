"""The text alternative of a chart is read off the same figure: its numbers are the drawn numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from core.data.distribution import class_distribution
from core.output.chart_text import MAX_POINTS, chart_text
from core.output.figures import class_distribution_figure
from core.output.result_figures import confusion_grid_figure, curves_figure, metric_bars_figure


def test_bars_list_every_count_with_the_class_name_as_written():
    dist = class_distribution(pd.Series(["ok"] * 90 + ["<b>fraud</b> & co"] * 10))
    text = chart_text(class_distribution_figure(dist, target="label"))
    table = text.points
    assert list(table.iloc[:, 0]) == ["ok", "<b>fraud</b> & co"]  # decoded from the figure's escaped text
    assert list(table.iloc[:, 1]) == [90.0, 10.0]
    assert "<" not in text.summary.replace("<b>fraud</b>", "")


def test_confusion_grid_lists_every_cell_of_every_panel_as_drawn():
    matrices = [np.array([[50, 3], [7, 9]]), np.array([[40, 13], [2, 14]])]
    text = chart_text(confusion_grid_figure(["No handling", "SMOTE"], matrices, classes=["0", "1"], normalize=False))
    t = text.points
    assert list(t.columns) == ["series", "predicted", "true", "value"]
    for name, cm in zip(["No handling", "SMOTE"], matrices, strict=True):
        part = t[t["series"] == name]
        got = {(r.true, r.predicted): int(r.value) for r in part.itertuples()}
        assert got == {(a, b): int(cm[int(a), int(b)]) for a in "01" for b in "01"}
    assert "No handling" in text.summary and "SMOTE" in text.summary


class _Curve:
    def __init__(self, label, x, y, area):
        self.label, self.x, self.y, self.area = label, x, y, area


def test_a_long_curve_is_listed_at_evenly_spaced_drawn_points_with_both_ends():
    x = np.linspace(0, 1, 500)
    curve = _Curve("RF", x, np.sqrt(x), 0.9)
    fig = curves_figure([curve], kind="roc")
    t = chart_text(fig).points
    rf = t[t["series"].str.startswith("RF")]
    assert len(rf) == MAX_POINTS
    drawn = fig.data[0]
    assert rf["false positive rate"].iloc[0] == drawn.x[0] and rf["false positive rate"].iloc[-1] == drawn.x[-1]
    assert np.allclose(rf["true positive rate (recall)"], np.sqrt(rf["false positive rate"]), atol=1e-6)
    # the chance line is short: both of its points are there
    assert len(t[t["series"].str.startswith("chance")]) == 2


def test_interval_bars_carry_their_bounds():
    table = pd.DataFrame({
        "strategy": ["A", "B"], "recall": [0.5, 0.7], "recall low": [0.4, 0.6], "recall high": [0.6, 0.75],
    })  # fmt: skip
    t = chart_text(metric_bars_figure(table, metrics=["recall"])).points
    assert t[["low", "high"]].to_numpy() == pytest.approx(np.array([[0.4, 0.6], [0.6, 0.75]]))


def test_a_large_point_cloud_is_summarised_not_listed():
    rng = np.random.default_rng(0)
    xy = rng.normal(size=(1_000, 2))
    fig = go.Figure(go.Scattergl(x=xy[:, 0], y=xy[:, 1], mode="markers", name="fraud · synthetic"))
    fig.add_scatter(x=[0.0, 1.0], y=[2.0, 3.0], mode="markers", name="removed")
    fig.update_xaxes(title="PC 1")
    fig.update_yaxes(title="PC 2")
    text = chart_text(fig)
    row = text.clouds.iloc[0]
    assert row["series"] == "fraud · synthetic" and row["points"] == 1_000
    assert row["PC 1 mean"] == pytest.approx(xy[:, 0].mean()) and row["PC 2 max"] == pytest.approx(xy[:, 1].max())
    assert list(text.points["PC 1"]) == [0.0, 1.0]
    assert "fraud · synthetic: 1,000 points" in text.summary


def test_a_large_heatmap_is_described_as_a_surface():
    z = np.outer(np.linspace(0, 1, 50), np.ones(40))
    fig = go.Figure(go.Heatmap(x=np.arange(40.0), y=np.arange(50.0), z=z, name="P(fraud)"))
    text = chart_text(fig)
    (row,) = text.clouds.to_dict("records")
    assert row["points"] == 2_000 and (row["value min"], row["value max"]) == (0.0, 1.0)
    assert row["value mean"] == pytest.approx(0.5) and text.points is None
    assert "a 40 × 50 grid of values from 0.00 to 1.00" in text.summary
