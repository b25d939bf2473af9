"""Guessing and checking the target column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.data.target import MAX_CLASSES, check_target, guess_target
from core.errors import TargetError

rng = np.random.default_rng(1)


def test_a_column_named_like_a_label_is_guessed_first():
    frame = pd.DataFrame({"Class": ["a", "b"] * 10, "x": rng.normal(size=20), "other": [0, 1] * 10})
    assert guess_target(frame) == "Class"


def test_otherwise_the_last_column_with_few_values():
    frame = pd.DataFrame({"x": rng.normal(size=20), "grade": ["a", "b", "c", "d"] * 5, "amount": rng.normal(size=20)})
    assert guess_target(frame) == "grade"


def test_no_plausible_target_gives_none():
    assert guess_target(pd.DataFrame({"x": rng.normal(size=30), "z": rng.normal(size=30)})) is None


def test_one_class_is_refused_with_its_name():
    frame = pd.DataFrame({"y": ["yes"] * 5, "x": range(5)})
    with pytest.raises(TargetError, match=r"only one class \('yes'\).*at least two classes"):
        check_target(frame, target="y")


def test_continuous_target_is_refused_with_examples():
    frame = pd.DataFrame({"price": rng.normal(100, 20, 50), "x": range(50)})
    with pytest.raises(TargetError, match=r"looks continuous.*explore it as a number, or make a rare class of it"):
        check_target(frame, target="price")


def test_too_many_classes_is_refused():
    frame = pd.DataFrame({"code": [f"k{i}" for i in range(MAX_CLASSES + 1)] * 2, "x": range(2 * (MAX_CLASSES + 1))})
    with pytest.raises(TargetError, match=f"{MAX_CLASSES + 1} distinct values"):
        check_target(frame, target="code")


def test_all_missing_is_refused():
    with pytest.raises(TargetError, match="has no values"):
        check_target(pd.DataFrame({"y": [None, None], "x": [1, 2]}), target="y")


def test_missing_labels_are_left_out_with_a_note():
    frame = pd.DataFrame({"y": ["a", None, "b", "a", None], "x": range(5)})
    check = check_target(frame, target="y")
    assert check.n_missing == 2
    assert check.y.tolist() == ["a", "b", "a"]
    assert "2 row(s) have no value in 'y'" in check.notes[0]


def test_integer_classes_are_fine():
    check = check_target(pd.DataFrame({"y": [0, 1, 2, 0, 0, 1], "x": range(6)}), target="y")
    assert sorted(check.y.unique().tolist()) == [0, 1, 2]


def test_mixed_label_types_become_text_with_a_note():
    frame = pd.DataFrame({"y": pd.Series([1, "a", 1, "a"], dtype=object), "x": range(4)})
    check = check_target(frame, target="y")
    assert set(check.y) == {"1", "a"}
    assert "mix numbers and text" in check.notes[0]
