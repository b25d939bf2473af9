"""The before/after projection shares one transform; display thinning; the SMOTE teaching generator."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.decomposition import PCA

from core.resampling.catalogue import SamplerConfig
from core.resampling.projection import _pca_xy, display_rows, embed_training, project
from core.resampling.resample import resample
from core.resampling.smote_steps import nearest_neighbours, smote_steps
from tests.unit.test_resampling import BINARY, MIXED, split_of


def merged(projection):
    before = projection.before.set_index("row")[["x", "y"]]
    kept = projection.after[projection.after["provenance"] != "synthetic"].set_index("row")[["x", "y"]]
    return before, kept


@pytest.mark.parametrize("key", ["smote", "random_under", "smote_enn"])
def test_pca_after_panel_reuses_the_before_transform(key):
    prepared, split = split_of(BINARY)
    result = resample(split, plan=prepared.plan, config=SamplerConfig(key))
    proj = project(result, plan=prepared.plan, method="pca")
    before, kept = merged(proj)
    assert np.allclose(kept.to_numpy(), before.loc[kept.index].to_numpy())
    assert proj.x_title.startswith("PC1") and "fit on the original training rows" in proj.fitted_on
    assert (proj.after["provenance"] == "synthetic").sum() == result.is_synthetic.sum()
    assert len(proj.removed) == len(result.removed)
    for points in (proj.before, proj.after, proj.removed):  # kept compact while cached: 14 bytes a point
        assert list(points.dtypes.astype(str)) == ["float32", "float32", "category", "category", "int32"]


def test_pca_of_mixed_data_places_synthetic_rows_with_the_same_encoder():
    prepared, split = split_of(MIXED)
    result = resample(split, plan=prepared.plan, config=SamplerConfig("smote"))
    proj = project(result, plan=prepared.plan, method="pca")
    before, kept = merged(proj)
    assert np.allclose(kept.to_numpy(), before.loc[kept.index].to_numpy())
    assert proj.after[["x", "y"]].notna().all().all()


def test_two_features_view_uses_raw_values():
    prepared, split = split_of(BINARY)
    result = resample(split, plan=prepared.plan, config=SamplerConfig("smote"))
    proj = project(result, plan=prepared.plan, method="features", features=("f0", "f2"))
    syn = proj.after[proj.after["provenance"] == "synthetic"]
    assert np.allclose(
        syn[["x", "y"]].to_numpy(), result.resampled_frame()[result.is_synthetic][["f0", "f2"]].to_numpy()
    )
    assert (proj.x_title, proj.y_title) == ("f0", "f2")


def test_tsne_embeds_originals_and_synthetic_rows_once_for_both_panels():
    prepared, split = split_of(BINARY)
    result = resample(split, plan=prepared.plan, config=SamplerConfig("smote"))
    proj = project(result, plan=prepared.plan, method="tsne")
    before, kept = merged(proj)
    assert np.allclose(kept.to_numpy(), before.loc[kept.index].to_numpy())
    assert (proj.after["provenance"] == "synthetic").sum() > 0
    assert "it cannot place new points" in proj.fitted_on


def test_display_keeps_every_small_class_row_and_thins_the_largest():
    labels = pd.Series(["big"] * 9000 + ["small"] * 300 + ["tiny"] * 20)
    rows = display_rows(labels, budget=2000, random_state=0)
    shown = labels.iloc[rows].value_counts()
    assert shown["small"] == 300 and shown["tiny"] == 20
    assert shown["big"] == 2000 - 320
    assert np.array_equal(rows, np.unique(rows))
    assert len(display_rows(labels.head(100), budget=2000, random_state=0)) == 100


def test_large_scatter_caption_says_what_is_shown():
    frame = pd.concat([BINARY] * 20, ignore_index=True)
    frame[["f0", "f1"]] += np.random.default_rng(0).normal(0, 0.01, (len(frame), 2))
    prepared, split = split_of(frame)
    result = resample(split, plan=prepared.plan, config=SamplerConfig("smote"))
    proj = project(result, plan=prepared.plan, method="pca", budget=1000)
    assert f"Showing {len(proj.before):,} of {len(result.y_train):,} training rows" in proj.caption
    assert "thinned at random" in proj.caption
    assert (proj.before["label"] == "rare").sum() == result.counts("before")["rare"]
    # The synthetic rows are thinned at the largest class's rate, so the after panel keeps the real proportions.
    common = result.counts("before")["common"]
    rate = (proj.before["label"] == "common").sum() / common
    shown = (proj.after["provenance"] == "synthetic").sum()
    assert shown == round(result.is_synthetic.sum() * rate) < result.is_synthetic.sum()
    assert "synthetic rows at the same rate, so the picture keeps the real proportions" in proj.caption


def test_embed_training_pca_and_features():
    prepared, split = split_of(MIXED)
    xy, xt, _ = embed_training(split.X_train, plan=prepared.plan)
    assert xy.shape == (len(split.X_train), 2) and xt.startswith("PC1")
    xy2, xt2, yt2 = embed_training(split.X_train, plan=prepared.plan, features=("amount", "amount"))
    assert (xt2, yt2) == ("amount", "amount") and np.allclose(xy2[:, 0], split.X_train["amount"])


@settings(max_examples=60, deadline=None)
@given(
    points=arrays(np.float64, st.tuples(st.integers(2, 25), st.integers(1, 4)), elements=st.floats(-100, 100)),
    data=st.data(),
)
def test_every_generated_row_lies_on_a_segment_to_one_of_the_k_nearest(points, data):
    n = len(points)
    index = data.draw(st.integers(0, n - 1))
    k = data.draw(st.integers(1, n - 1))
    n_new = data.draw(st.integers(0, 12))
    steps = smote_steps(points, index=index, k=k, n_new=n_new, random_state=data.draw(st.integers(0, 99)))
    assert len(steps.new_points) == n_new and len(steps.neighbours) == k
    assert index not in steps.neighbours
    assert set(steps.parents.tolist()) <= set(steps.neighbours.tolist())
    assert ((steps.gaps >= 0) & (steps.gaps < 1)).all()
    x = points[index]
    for new, parent, gap in zip(steps.new_points, steps.parents, steps.gaps, strict=True):
        assert np.allclose(new, x + gap * (points[parent] - x))  # on the segment, at its gap


def test_neighbours_are_the_k_nearest_by_brute_force():
    rng = np.random.default_rng(5)
    points = rng.normal(size=(40, 3))
    got = nearest_neighbours(points, index=7, k=6)
    d = np.linalg.norm(points - points[7], axis=1)
    d[7] = np.inf
    assert list(got) == list(np.argsort(d, kind="stable")[:6])


@pytest.mark.parametrize(
    ("n", "index", "k", "message"),
    [(1, 0, 1, "at least two"), (5, 5, 2, "index"), (5, 0, 5, "k must be"), (5, 0, 0, "k must be")],
)
def test_bad_steps_settings_are_refused(n, index, k, message):
    with pytest.raises(ValueError, match=message):
        smote_steps(np.zeros((n, 2)) + np.arange(n)[:, None], index=index, k=k, n_new=1, random_state=0)


def test_synthetic_rows_are_thinned_for_display_above_the_cap_and_the_caption_says_so(monkeypatch):
    import core.resampling.projection as projection

    monkeypatch.setattr(projection, "MAX_SYNTHETIC_DISPLAY", 50)
    prepared, split = split_of(BINARY)
    result = resample(split, plan=prepared.plan, config=SamplerConfig("smote"))
    proj = project(result, plan=prepared.plan, method="pca")
    assert (proj.after["provenance"] == "synthetic").sum() == 50 < result.is_synthetic.sum()
    assert f"50 of {result.is_synthetic.sum():,} synthetic rows" in proj.caption
    assert "synthetic rows are thinned at random" in proj.caption
    assert len(proj.before) == len(result.y_train)  # every original row still drawn


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pca_coordinates_match_scikit_learns_transform(dtype):
    Z = (np.random.default_rng(0).normal(size=(500, 6)) * [1, 2, 3, 4, 5, 6] + 10).astype(dtype)
    pca = PCA(n_components=2, random_state=0).fit(Z)
    assert np.allclose(_pca_xy(pca, Z), pca.transform(Z), atol=1e-3 if dtype is np.float32 else 1e-9)
    one = PCA(n_components=1).fit(Z[:, :1])
    xy = _pca_xy(one, Z[:, :1])
    assert xy.shape == (500, 2) and np.all(xy[:, 1] == 0) and np.allclose(xy[:, 0], one.transform(Z[:, :1])[:, 0])


def test_neighbours_are_found_in_every_feature_and_new_rows_drawn_in_the_plane():
    from core.resampling.smote_steps import smote_steps

    rng = np.random.default_rng(4)
    space = rng.normal(size=(40, 6))
    plane = space[:, :2]  # a flat view: two of the six features
    steps = smote_steps(plane, index=3, k=4, n_new=7, random_state=1, space=space)
    d = np.linalg.norm(space - space[3], axis=1)
    d[3] = np.inf
    np.testing.assert_array_equal(steps.neighbours, np.argsort(d)[:4])  # nearest in all six, not in the plane
    x = plane[3]
    np.testing.assert_allclose(steps.new_points, x + steps.gaps[:, None] * (plane[steps.parents] - x))
    with pytest.raises(ValueError, match="one row per point"):
        smote_steps(plane, index=0, k=2, n_new=1, random_state=0, space=space[:5])


def test_the_toy_rows_are_fixed_and_the_formula_shows_the_numbers_of_the_step():
    from core.resampling.smote_steps import formula_text, smote_steps, toy_points

    small, large = toy_points()
    assert small.shape == (12, 2) and large.shape == (80, 2)
    np.testing.assert_array_equal(toy_points()[0], small)
    steps = smote_steps(small, index=0, k=5, n_new=3, random_state=0)
    text = formula_text(steps, 0)
    assert text.startswith(f"x_new = x + g · (x_nn − x) = ({small[0, 0]:.2f}, {small[0, 1]:.2f}) + {steps.gaps[0]:.2f}")
    assert text.endswith(f"= ({steps.new_points[0, 0]:.2f}, {steps.new_points[0, 1]:.2f})")
