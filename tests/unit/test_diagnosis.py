"""Kinds of small-class rows on constructed cases, and the complexity measures against problexity itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import problexity as px
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.data.dataset import Dataset
from core.data.prepared import prepare
from core.data.split import make_split
from core.teaching.diagnosis import (
    KINDS,
    Kinds,
    complexity,
    encoded_training,
    kinds_of_rows,
    row_kinds,
    stratified_sample,
)

SAFE, BORDERLINE, RARE, OUTLIER = range(4)


def _layout():
    """A tight minority cluster at (10, 10), a majority cloud around the origin, one minority row alone in it,
    and a minority row at the cloud's edge with exactly two minority neighbours among its five."""
    rng = np.random.default_rng(0)
    majority = rng.normal(0, 1, size=(300, 2))
    cluster = np.array([[10, 10], [10.1, 10], [10, 10.1], [9.9, 10], [10, 9.9], [10.1, 10.1], [9.9, 9.9]])
    alone = np.array([[0.0, 0.0]])
    X = np.vstack([majority, cluster, alone])
    codes = np.r_[np.zeros(300, int), np.ones(len(cluster) + 1, int)]
    return X, codes, 300, 300 + len(cluster)  # first cluster row, the lone row


def test_a_row_inside_a_minority_cluster_is_safe_and_an_isolated_one_is_an_outlier():
    X, codes, first, lone = _layout()
    kind = kinds_of_rows(X, codes, rows=np.array([first, lone]))
    assert kind.tolist() == [SAFE, OUTLIER]


@pytest.mark.parametrize(("same", "expected"), [(5, SAFE), (4, SAFE), (3, BORDERLINE), (2, BORDERLINE),
                                                 (1, RARE), (0, OUTLIER)])  # fmt: skip
def test_the_rule_counts_same_class_rows_among_the_five_nearest(same, expected):
    # One row at the origin; five neighbours at distances 1..5 on a line, the first `same` of them its class;
    # the rest of the data far away.
    X = np.vstack([[0.0, 0.0], [[d, 0.0] for d in range(1, 6)], [[100.0 + i, 100.0] for i in range(20)]])
    codes = np.zeros(len(X), int)
    codes[0] = 1
    codes[1 : 1 + same] = 1
    assert kinds_of_rows(X, codes, rows=np.array([0])).tolist() == [expected]


def test_an_exact_duplicate_counts_as_a_neighbour_and_the_row_itself_does_not():
    # Row 0 and row 1 are the same point, both minority; the other four nearest are majority.
    X = np.vstack([[0.0, 0.0], [0.0, 0.0], [[1.0 + i / 10, 0.0] for i in range(4)], [[50.0, 50.0]] * 5])
    codes = np.array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    assert kinds_of_rows(X, codes, rows=np.array([0, 1])).tolist() == [RARE, RARE]


def test_the_reading_follows_the_mix():
    def reading(kind):
        return Kinds(table=pd.DataFrame(), rows=np.arange(len(kind)), kind=np.array(kind)).reading()

    assert reading([SAFE] * 6 + [OUTLIER] * 4).startswith("Mostly safe (60% safe")
    assert "Borderline-SMOTE" in reading([BORDERLINE] * 5 + [SAFE] * 3 + [RARE] * 2)
    assert "resampling mostly copies or interpolates noise" in reading([RARE] * 3 + [OUTLIER] * 4 + [SAFE] * 3)


def _split(n=3_000, minority=0.05, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < minority).astype(int)
    frame = pd.DataFrame(
        {"a": rng.normal(size=n) + 1.5 * y, "b": rng.normal(size=n), "colour": rng.choice(["r", "g"], n)}
    )
    frame["label"] = np.where(y == 1, "rare", "common")
    prepared = prepare(Dataset.from_frame(frame, name="t", origin="upload"), target="label", overrides={})
    return prepared, make_split(prepared, test_size=0.25, random_state=1)


def test_row_kinds_labels_every_small_class_training_row_and_the_table_adds_up():
    prepared, split = _split()
    kinds = row_kinds(split, prepared.plan)
    (row,) = kinds.table.to_dict("records")
    assert row["class"] == "rare" and row["training rows"] == row["labelled"] == int((split.y_train == "rare").sum())
    assert sum(row[k] for k in KINDS) == row["labelled"]
    assert sum(row[f"{k} %"] for k in KINDS) == pytest.approx(100.0)
    assert set(split.y_train.iloc[kinds.rows]) == {"rare"}


def test_measures_are_problexity_s_own_on_the_same_rows():
    prepared, split = _split()
    result = complexity(split, prepared.plan)
    X, codes, _ = encoded_training(split, prepared.plan)
    Xs, ys = X[result.rows], codes[result.rows]
    expected = {
        "F1": px.f1(Xs, ys),
        "N1": px.n1(Xs, ys),
        "N3": px.n3(Xs, ys),
        "C1": px.c1(X, codes),
        "C2": px.c2(X, codes),
    }
    got = dict(zip(result.table["measure"], result.table["value"], strict=True))
    assert got == pytest.approx(expected)
    assert result.sample_rows == 2_000 and result.training_rows == len(split.y_train)
    assert 0 < got["C2"] < 1 and got["N3"] > 0  # imbalanced and overlapping, as built


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(1, 3_000), min_size=2, max_size=5),
    size=st.integers(50, 2_000),
    floor=st.integers(1, 300),
)
def test_stratified_sample_keeps_floors_and_size(counts, size, floor):
    codes = np.repeat(np.arange(len(counts)), counts)
    rows = stratified_sample(codes, size=size, min_per_class=floor, random_state=0)
    assert len(np.unique(rows)) == len(rows)
    if len(codes) <= size:
        assert len(rows) == len(codes)
        return
    picked = np.bincount(codes[rows], minlength=len(counts))
    assert (picked >= np.minimum(counts, floor)).all()  # every class keeps its floor
    assert len(rows) <= max(size, int(np.minimum(counts, floor).sum()))
