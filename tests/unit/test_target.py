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
    with pytest.raises(TargetError, match=r"is a number \(.*explore it as a number, or make a rare class of it"):
        check_target(frame, target="price")


def test_too_many_classes_is_refused():
    frame = pd.DataFrame({"code": [f"k{i}" for i in range(MAX_CLASSES + 1)] * 2, "x": range(2 * (MAX_CLASSES + 1))})
    with pytest.raises(TargetError, match=f"{MAX_CLASSES + 1} distinct values"):
        check_target(frame, target="code")


def test_a_whole_number_with_many_values_is_a_number_by_the_one_rule_and_said_so():
    """An integer column with more than MAX_CLASSES values is a number to every page: its message offers the number
    views, never "group its classes"."""
    from core.data.dataset import Dataset
    from core.data.prepared import TargetKind, prepare
    from core.data.target import is_number

    rooms = pd.Series(rng.integers(1, 60, 300))
    frame = pd.DataFrame({"rooms": rooms, "x": range(300)})
    assert is_number(rooms)
    assert (
        prepare(Dataset.from_frame(frame, name="f", origin="upload"), target="rooms", overrides={}).kind
        is TargetKind.NUMBER
    )
    with pytest.raises(TargetError, match=r"is a number \(") as info:
        check_target(frame, target="rooms")
    assert "group" not in str(info.value) and "up to" not in str(info.value)
    few = pd.Series(rng.integers(1, MAX_CLASSES + 1, 300))  # whole numbers, at most MAX_CLASSES values: classes
    assert not is_number(few) and check_target(pd.DataFrame({"k": few}), target="k").y.nunique() <= MAX_CLASSES


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


def test_the_guess_prefers_an_outcome_like_binary_column_over_the_last_columns_levels_and_says_why():
    """Tables like the ones users brought: the last column was education, clarity or colour; the target elsewhere."""
    from core.data.target import target_guess

    n = 300
    mortgages = pd.DataFrame({"approve": rng.choice([0, 1], n, p=[0.12, 0.88]), "income": rng.normal(size=n),
                              "education": rng.choice(["hs", "ba", "ma", "phd", "none", "assoc", "prof"], n)})  # fmt: skip
    assert guess_target(mortgages) == "approve"
    said = target_guess(mortgages).why
    assert "two classes" in said and "answer yes or no" in said and "name names an outcome" in said
    health = pd.DataFrame({"poor_health": rng.choice(["yes", "no"], n, p=[0.07, 0.93]), "gender": rng.choice(["f", "m"], n),
                           "age": rng.integers(18, 90, n), "ethnicity": rng.choice(list("abcde"), n)})  # fmt: skip
    assert guess_target(health) == "poor_health"  # two binary columns: the one whose values answer yes or no
    diamonds = pd.DataFrame({"carat": rng.gamma(2, 0.4, n), "expensive": rng.choice([True, False], n),
                             "clarity": rng.choice(["IF", "VVS1", "VVS2", "VS1", "VS2", "SI1", "SI2", "I1"], n)})  # fmt: skip
    assert guess_target(diamonds) == "expensive"
    plain_last = pd.DataFrame({"x": rng.normal(size=n), "grade": rng.choice(list("abc"), n)})
    assert guess_target(plain_last) == "grade" and "last column" in target_guess(plain_last).why


def test_a_number_is_guessed_by_its_name_only():
    """scikit-learn's diabetes table: ten measurements, a binary ``sex`` and the number to predict, ``target``."""
    from sklearn.datasets import load_diabetes

    from core.data.target import target_guess

    diabetes = load_diabetes(as_frame=True).frame
    guess = target_guess(diabetes)
    assert guess.column == "target" and "it is a number" in guess.why and "label's" in guess.why
    amounts = pd.DataFrame({"amount": rng.gamma(2, 100, 300), "label": rng.choice(["a", "b"], 300)})
    assert guess_target(amounts) == "label"  # a label's name with classes beats an amount with no such name
    unnamed = pd.DataFrame({"sex": rng.choice([0, 1], 300), "price": rng.gamma(2, 100, 300)})
    assert guess_target(unnamed) == "sex"  # an amount without a target's name is never guessed


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (list(range(21)) * 3, "number"),  # whole numbers, more values than a class target may have
        (list(range(20)) * 3, "classes"),  # whole numbers, at most MAX_CLASSES values: classes
        ([0.5, 1.5] * 30, "classes"),  # two values, not whole: still two classes
        (list(np.linspace(0, 1, 12)) * 3, "number"),  # more than ten values, not whole: a measurement
        ([True, False] * 30, "classes"),  # yes/no is never a number
        ([f"k{i}" for i in range(30)] * 2, "classes"),  # text with too many values: classes, refused as such
        (["a"] * 60, "classes"),  # one class: classes, refused for having one
    ],
)
def test_the_targets_kind_is_decided_once_by_one_rule(values, kind):
    """The boundary cases of :class:`core.data.prepared.TargetKind`, each page asks it."""
    from core.data.dataset import Dataset
    from core.data.prepared import prepare

    frame = pd.DataFrame({"t": values, "x": np.arange(len(values))})
    assert prepare(Dataset.from_frame(frame, name="f", origin="upload"), target="t", overrides={}).kind == kind
