"""Class counts, imbalance ratio and severity."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.data.distribution import SEVERITY_THRESHOLDS, Severity, class_distribution, severity_for
from core.output.figures import class_distribution_figure


def test_counts_percentages_and_ratio_for_a_binary_target():
    dist = class_distribution(pd.Series(["no"] * 95 + ["yes"] * 5))
    assert dist.table["class"].tolist() == ["no", "yes"]
    assert dist.table["count"].tolist() == [95, 5]
    assert dist.table["percent"].tolist() == pytest.approx([95.0, 5.0])
    assert dist.imbalance_ratio == pytest.approx(19.0)
    assert dist.severity is Severity.SEVERE
    assert (dist.majority, dist.minority) == ("no", "yes")
    assert dist.majority_share == pytest.approx(0.95)
    text = dist.summary(target="churn")
    assert "'yes', is 5.0% of the rows (5 of 100)" in text and "95.0% accurate" in text


def test_multiclass_sorted_by_count_then_name():
    dist = class_distribution(pd.Series(["b"] * 3 + ["a"] * 3 + ["c"] * 10 + ["d"]))
    assert dist.table["class"].tolist() == ["c", "a", "b", "d"]
    assert dist.imbalance_ratio == 10.0
    assert dist.n_classes == 4


def test_balanced_summary_says_so():
    dist = class_distribution(pd.Series(["yes", "no"] * 5))
    assert dist.severity is Severity.BALANCED
    text = dist.summary(target="hired")
    assert "balanced (5 and 5 rows)" in text and "only 5 row(s)" in text


@pytest.mark.parametrize(
    ("ratio", "severity"),
    [
        (1.0, "balanced"),
        (1.49, "balanced"),
        (1.5, "mild"),
        (2.99, "mild"),
        (3, "moderate"),
        (9.9, "moderate"),
        (10, "severe"),
        (500, "severe"),
    ],
)
def test_severity_thresholds(ratio, severity):
    assert severity_for(ratio).value == severity


def test_thresholds_are_increasing():
    bounds = [b for _, b in SEVERITY_THRESHOLDS]
    assert bounds == sorted(bounds)


@given(st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=1, max_size=300))
def test_distribution_invariants_on_random_labels(labels):
    dist = class_distribution(pd.Series(labels))
    assert dist.n_rows == len(labels)
    assert dist.table["percent"].sum() == pytest.approx(100.0)
    assert dist.imbalance_ratio >= 1.0
    counts = dist.table["count"].tolist()
    assert counts == sorted(counts, reverse=True)
    assert dist.imbalance_ratio == pytest.approx(counts[0] / counts[-1])
    assert dist.severity is severity_for(dist.imbalance_ratio)


def test_no_labels_raises():
    with pytest.raises(ValueError):
        class_distribution(pd.Series([None, None]))


def test_figure_escapes_labels_and_uses_category_axis():
    dist = class_distribution(pd.Series(["<b>x</b>"] * 3 + ["=1+1"]))
    fig = class_distribution_figure(dist, target="<script>")
    assert list(fig.data[0].x) == ["&lt;b&gt;x&lt;/b&gt;", "=1+1"]
    assert "<script>" not in fig.layout.title.text
    assert fig.layout.xaxis.type == "category"
    assert list(fig.data[0].y) == [3, 1]
    assert fig.data[0].text[0] == "3 (75.0%)"
