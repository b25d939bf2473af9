"""Decision regions: four fits on one plane, trained on training rows only, showing the real test rows."""

from __future__ import annotations

import numpy as np
import pytest

from core.data.generated import generate
from core.data.prepared import prepare
from core.data.split import make_split
from core.teaching.boundaries import HANDLING, boundaries


@pytest.fixture(scope="module")
def rare_overlapping():
    prepared = prepare(generate(n_rows=2_000, n_features=4, ratio=20, class_sep=0.5, random_state=0), target="label",
                       overrides={})  # fmt: skip
    return prepared, make_split(prepared, test_size=0.25, random_state=0)


def test_resampling_and_weights_give_the_small_class_more_of_the_plane(rare_overlapping):
    prepared, split = rare_overlapping
    b = boundaries(split, prepared.plan, model="logistic", grid=60)
    assert list(b.proba) == list(HANDLING) and b.positive == "minority"
    area = {h: float((p >= 0.5).mean()) for h, p in b.proba.items()}
    for handled in ("class weights", "SMOTE", "under-sampling"):
        assert area[handled] > area["no handling"] + 0.05, area
    assert all(p.shape == (60, 60) and ((p >= 0) & (p <= 1)).all() for p in b.proba.values())


def test_the_test_rows_are_the_real_ones_and_two_features_name_the_axes(rare_overlapping):
    prepared, split = rare_overlapping
    b = boundaries(split, prepared.plan, model="knn", features=("x1", "x2"), grid=30)
    assert "class weights" not in b.proba  # k-NN takes no weights: left out, not replaced
    assert b.x_title.startswith("x1") and b.y_title.startswith("x2")
    assert b.test["label"].value_counts().to_dict() == split.y_test.value_counts().to_dict()
    assert b.train_rows == len(split.y_train) and b.test_rows == len(split.y_test)
    # the grid covers every shown row
    assert b.xs[0] <= b.test["x"].min() and b.test["x"].max() <= b.xs[-1]


def test_an_unknown_model_is_refused(rare_overlapping):
    prepared, split = rare_overlapping
    with pytest.raises(ValueError, match="unknown model"):
        boundaries(split, prepared.plan, model="svm", grid=10)
    assert np.isfinite(boundaries(split, prepared.plan, model="forest", grid=10).proba["SMOTE"]).all()
