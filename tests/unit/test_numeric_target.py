"""A skewed numeric target: its rare range by the box-plot rule, and a rare class made at a threshold."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.data.numeric_target import MIN_SIDE, describe_number, make_class
from core.data.target import TargetError, is_number


def test_the_rare_range_is_beyond_the_upper_whisker_by_hand():
    values = pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 100, 200], dtype=float)
    q1, q3 = 3.25, 7.75  # numpy's linear quantiles of 1..8, 100, 200
    s = describe_number(values)
    assert s.side == "above" and s.cut == pytest.approx(q3 + 1.5 * (q3 - q1)) and s.share == pytest.approx(0.2)
    assert "20.0% of the 10 rows hold values at or above 14.5 (the box-plot rule on all 10 rows" in s.sentence("amount")
    assert describe_number(pd.Series(np.arange(50.0))).side is None  # uniform: nothing beyond the whiskers


def test_a_class_from_the_top_share_a_value_or_the_bottom_share_and_the_number_leaves_the_features():
    frame = pd.DataFrame({"x": np.arange(200.0), "amount": np.arange(200.0) ** 2 + 0.5})
    out, label, said = make_class(frame, target="amount", name="large", top=0.1)
    assert "amount" not in out and list(out[label].value_counts().sort_index()) == [20, 180]
    assert (out.loc[out[label] == "large", "x"] >= 180).all() and "the top 10.0% of amount" in said
    out, _, _ = make_class(frame, target="amount", name="small", bottom=0.25)
    assert (out["small"] == "small").sum() == 50
    out, _, said = make_class(frame, target="amount", name="big", value=150.0**2)
    assert (out["big"] == "big").sum() == 50 and "amount ≥ 22,500" in said


@pytest.mark.parametrize(
    "kwargs,says",
    [
        ({"name": "large", "top": 0.001}, f"each side needs at least {MIN_SIDE}"),
        ({"name": "large", "value": 1e12}, "puts 0 rows in 'large'"),
        ({"name": "  ", "top": 0.1}, "Name the rare class"),
        ({"name": "x", "top": 0.1}, "already a column 'x'"),
        ({"name": "other", "top": 0.1}, "'other' names the common class"),
        ({"name": "large", "top": 1.5}, "between 0 % and 100 %"),
        ({"name": "large"}, "Give one threshold"),
    ],
)
def test_a_threshold_that_cannot_make_two_classes_is_refused_with_what_to_change(kwargs, says):
    frame = pd.DataFrame({"x": np.arange(200.0), "amount": np.arange(200.0) ** 2 + 0.5})
    with pytest.raises(TargetError, match=says):
        make_class(frame, target="amount", **kwargs)


def test_constant_and_empty_numbers_are_refused_and_classes_are_not_numbers():
    with pytest.raises(TargetError, match="nothing to predict"):
        describe_number(pd.Series([3.0] * 40))
    with pytest.raises(TargetError, match="no numeric values"):
        describe_number(pd.Series([np.nan] * 5))
    assert is_number(pd.Series(np.linspace(0, 1, 50)))
    assert not is_number(pd.Series([0, 1] * 30)) and not is_number(pd.Series(["a", "b"] * 30))
