"""Column role detection, default treatments and user overrides."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.pandas import column, data_frames

from core.data.roles import Role, Treatment, apply_overrides, detect_roles, feature_plan, missing_summary

N = 60
rng = np.random.default_rng(0)
FRAME = pd.DataFrame(
    {
        "customer_id": [f"C{i:05d}" for i in range(N)],
        "row": np.arange(N),
        "income": rng.normal(50, 10, N),
        "visits": rng.integers(0, 5, N),
        "plan": rng.choice(["basic", "pro", "team"], N),
        "member": rng.choice([True, False], N),
        "joined": pd.date_range("2024-01-01", periods=N, freq="D").strftime("%Y-%m-%d"),
        "joined_ts": pd.date_range("2024-01-01", periods=N, freq="D"),
        "comment": ["the delivery was late and the box was damaged again"] * N,
        "country": "CH",
        "empty": np.nan,
        "target": rng.choice(["yes", "no"], N),
    }
)


def roles():
    return {i.name: i for i in detect_roles(FRAME, target="target")}


def test_each_kind_of_column_gets_its_role_and_treatment():
    r = roles()
    expected = {
        "customer_id": (Role.ID, Treatment.DROP),
        "row": (Role.ID, Treatment.DROP),
        "income": (Role.NUMERIC, Treatment.NUMERIC),
        "visits": (Role.NUMERIC, Treatment.NUMERIC),
        "plan": (Role.CATEGORICAL, Treatment.CATEGORICAL),
        "member": (Role.CATEGORICAL, Treatment.CATEGORICAL),
        "joined": (Role.DATETIME, Treatment.DROP),
        "joined_ts": (Role.DATETIME, Treatment.DROP),
        "comment": (Role.CONSTANT, Treatment.DROP),
        "country": (Role.CONSTANT, Treatment.DROP),
        "empty": (Role.CONSTANT, Treatment.DROP),
    }
    assert {k: (v.role, v.treatment) for k, v in r.items()} == expected
    assert "target" not in r


def test_free_text_is_recognised_when_it_varies():
    words = ["late delivery and damaged box", "great service, will order again", "refund took three weeks to arrive"]
    frame = pd.DataFrame({"comment": [words[i % 3] + f" order {i}" for i in range(N)], "y": [0, 1] * (N // 2)})
    (info,) = detect_roles(frame, target="y")
    assert info.role is Role.TEXT and info.treatment is Treatment.DROP


def test_high_cardinality_categories_are_not_encoded_by_default():
    frame = pd.DataFrame({"city": [f"town{i % 80}" for i in range(400)], "y": [0, 1] * 200})
    (info,) = detect_roles(frame, target="y")
    assert info.role is Role.CATEGORICAL and info.treatment is Treatment.DROP
    assert "80 categories" in info.reason


def test_numbers_stored_as_text_are_not_dates():
    frame = pd.DataFrame({"code": ["1", "22", "333", "1", "22"] * 5, "y": [0, 1] * 12 + [0]})
    (info,) = detect_roles(frame, target="y")
    assert info.role is Role.CATEGORICAL


def test_missing_and_distinct_counts_are_reported():
    frame = pd.DataFrame({"x": [1.0, np.nan, 3.0, 3.0], "y": [0, 1, 0, 1]})
    (info,) = detect_roles(frame, target="y")
    assert (info.n_missing, info.n_unique, info.example) == (1, 2, "1.0")


def test_overrides_change_treatment_and_are_marked():
    infos, problems = apply_overrides(
        detect_roles(FRAME, target="target"),
        {"visits": Treatment.CATEGORICAL, "customer_id": Treatment.CATEGORICAL, "plan": Treatment.DROP},
        frame=FRAME,
    )
    by = {i.name: i for i in infos}
    assert problems == {}
    assert by["visits"].treatment is Treatment.CATEGORICAL and by["visits"].overridden
    assert by["plan"].treatment is Treatment.DROP and by["plan"].overridden
    assert not by["income"].overridden
    plan = feature_plan(infos)
    assert plan.numeric == ("income",)
    assert set(plan.categorical) == {"customer_id", "visits", "member"}
    assert plan.kind == "mixed"


def test_text_cannot_be_forced_to_numbers_and_the_refusal_says_why():
    infos, problems = apply_overrides(detect_roles(FRAME, target="target"), {"plan": Treatment.NUMERIC}, frame=FRAME)
    assert list(problems) == ["plan"] and "'plan' cannot be used as a number" in problems["plan"]
    assert next(i for i in infos if i.name == "plan").treatment is Treatment.CATEGORICAL


def test_numeric_text_can_be_used_as_numbers():
    frame = pd.DataFrame({"code": ["1", "2", "3", "4"], "y": [0, 1, 0, 1]})
    infos, problems = apply_overrides(detect_roles(frame, target="y"), {"code": Treatment.NUMERIC}, frame=frame)
    assert problems == {} and infos[0].treatment is Treatment.NUMERIC


def test_feature_plan_kinds():
    assert feature_plan([]).kind == "none"
    frame = pd.DataFrame({"a": ["x", "y"] * 5, "b": ["p", "q", "r", "s", "t"] * 2, "y": [0, 1] * 5})
    assert feature_plan(detect_roles(frame, target="y")).kind == "categorical"


def test_missing_summary_sorts_most_missing_first():
    frame = pd.DataFrame({"a": [1, None, None], "b": [None, 2, 3], "c": [1, 2, 3]})
    summary = missing_summary(frame)
    assert summary["column"].tolist() == ["a", "b", "c"]
    assert summary["missing"].tolist() == [2, 1, 0]
    assert summary["missing %"].tolist() == [66.7, 33.3, 0.0]


@settings(max_examples=40, deadline=None)
@given(
    data_frames(
        [
            column("num", dtype=float),
            column("cat", elements=st.sampled_from(["a", "b", "c", None])),
            column("txt", elements=st.text(max_size=12)),
            column("int", dtype=int),
        ]
    )
)
def test_every_column_gets_exactly_one_role_on_random_frames(frame):
    infos = detect_roles(frame, target=None)
    assert [i.name for i in infos] == list(frame.columns)
    plan = feature_plan(infos)
    assert sorted(plan.numeric + plan.categorical + plan.dropped) == sorted(frame.columns)
    for info in infos:
        assert info.n_missing == int(frame[info.name].isna().sum())
