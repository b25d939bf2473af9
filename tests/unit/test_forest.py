"""The capped forest: per-tree samples keep small classes whole, weights keep the real class mix."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import cross_val_score, train_test_split

from core.modelling.fitting import evaluate
from core.modelling.forest import TREE_BATCH, CappedForestClassifier, GrowingForestClassifier, per_tree_sample
from core.modelling.strategies import ForestSettings, Strategy, build_pipeline
from core.resampling.catalogue import SamplerConfig
from tests.unit.test_resampling import BINARY, MULTI, split_of


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=400), min_size=2, max_size=5),
    max_rows=st.integers(min_value=2, max_value=900),
    seed=st.integers(min_value=0, max_value=2**16),
)
def test_per_tree_sample_keeps_each_class_at_its_real_weight(sizes, max_rows, seed):
    y = np.repeat(np.arange(len(sizes)), sizes)
    np.random.default_rng(seed).shuffle(y)
    idx, weight = per_tree_sample(y, max_rows=max_rows, random_state=np.random.RandomState(seed))
    assert len(idx) == len(weight)
    if len(y) <= max_rows:  # a plain bootstrap
        assert len(idx) == len(y) and np.all(weight == 1)
        return
    assert len(idx) <= max(max_rows, len(sizes))
    drawn = np.bincount(y[idx], minlength=len(sizes))
    for c, size in enumerate(sizes):
        assert drawn[c] >= 1  # no class left out of a tree
        assert weight[y[idx] == c].sum() == pytest.approx(size)  # each class weighs its real size
    smallest = int(np.argmin(sizes))
    if sizes[smallest] * len(sizes) <= max_rows:
        assert drawn[smallest] == sizes[smallest]  # a small class is drawn at its own size, weight 1


def imbalanced(n: int, *, minority: float, seed: int = 0):
    X, y = make_classification(
        n_samples=n, n_features=12, n_informative=6, n_redundant=2, weights=[1 - minority], flip_y=0,
        class_sep=1.0, random_state=seed,
    )  # fmt: skip
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=seed)


def test_ranks_better_than_a_uniform_cap_when_the_small_class_is_rare():
    X_train, X_test, y_train, y_test = imbalanced(30_000, minority=0.005)
    cap = 2_000
    uniform = RandomForestClassifier(n_estimators=60, max_samples=cap / len(y_train), n_jobs=-1, random_state=0)
    capped = CappedForestClassifier(n_estimators=60, max_rows=cap, n_jobs=-1, random_state=0)
    auc_uniform = roc_auc_score(y_test, uniform.fit(X_train, y_train).predict_proba(X_test)[:, 1])
    auc_capped = roc_auc_score(y_test, capped.fit(X_train, y_train).predict_proba(X_test)[:, 1])
    assert auc_capped > auc_uniform + 0.03


def test_probabilities_keep_the_real_class_mix():
    X_train, _, y_train, _ = imbalanced(6_000, minority=0.02)
    model = CappedForestClassifier(n_estimators=20, max_rows=500, random_state=0).fit(X_train, y_train)
    assert all(table is not None for _, table in model.trees_)
    # Leaf probabilities are counted on every training row, so they average to the class shares.
    assert np.allclose(model.predict_proba(X_train).mean(axis=0), np.bincount(y_train) / len(y_train))
    balanced = CappedForestClassifier(n_estimators=20, max_rows=500, class_weight="balanced", random_state=0)
    shifted = balanced.fit(X_train, y_train).predict_proba(X_train)[:, 1].mean()
    assert shifted > 5 * y_train.mean()  # class weights, unlike the cap, do move the probabilities


def test_a_sample_that_keeps_the_class_mix_uses_the_trees_own_leaves():
    X_train, _, y_train, _ = imbalanced(4_000, minority=0.02)
    rare = np.flatnonzero(y_train == 1)
    balanced = np.concatenate([np.flatnonzero(y_train == 0)[: len(rare)], rare])  # 1:1, as after SMOTE
    model = CappedForestClassifier(n_estimators=5, max_rows=60, random_state=0)
    model.fit(X_train[balanced], y_train[balanced])
    assert all(table is None for _, table in model.trees_)


@pytest.mark.parametrize(
    ("minority", "weighting", "recounted"),
    [(0.02, None, True), (0.02, "balanced", True), (0.5, None, False)],
    ids=["skewed", "skewed, balanced weights", "even classes"],
)
def test_progress_is_reported_by_batch_and_changes_nothing(minority, weighting, recounted):
    X_train, X_test, y_train, _ = imbalanced(5_000, minority=minority)
    kw = {"n_estimators": 2 * TREE_BATCH + 3, "max_rows": 600, "class_weight": weighting, "random_state": 4}
    quiet = CappedForestClassifier(**kw).fit(X_train, y_train)
    seen: list[tuple[int, int]] = []
    reported = CappedForestClassifier(**kw).fit(X_train, y_train, on_trees=lambda g, t: seen.append((g, t)))
    total = kw["n_estimators"]
    assert seen == [(TREE_BATCH, total), (2 * TREE_BATCH, total), (total, total)]
    assert np.array_equal(reported.predict_proba(X_test), quiet.predict_proba(X_test))
    assert np.allclose(reported.feature_importances_, quiet.feature_importances_)
    assert reported.recounted_leaves_ is quiet.recounted_leaves_ is recounted


def test_stopping_between_batches_starts_no_more_trees(monkeypatch):
    import core.modelling.forest

    X_train, _, y_train, _ = imbalanced(3_000, minority=0.05)
    calls: list[tuple[bool, bool]] = []  # (stopped when the call began, grew a tree)
    grow = core.modelling.forest._grow

    def recorded(*args):
        stopped = args[-1].is_set()
        out = grow(*args)
        calls.append((stopped, out is not None))
        return out

    monkeypatch.setattr(core.modelling.forest, "_grow", recorded)

    def stop(grown: int, total: int) -> None:
        raise KeyboardInterrupt  # as Streamlit's "Stop training" rerun interrupts the script

    model = CappedForestClassifier(n_estimators=300, max_rows=500, n_jobs=2, random_state=0)
    with pytest.raises(KeyboardInterrupt):
        model.fit(X_train, y_train, on_trees=stop)
    time.sleep(0.3)  # let anything already handed to a thread run out
    grown = [call for call in calls if call[1]]
    assert all(not stopped for stopped, _ in grown)  # no tree is grown once the fit has stopped
    assert all(not grew for stopped, grew in calls if stopped)
    assert TREE_BATCH <= len(grown) < TREE_BATCH + 10  # the batch that was reported, plus those in flight
    assert not hasattr(model, "trees_")  # a stopped forest is not fitted


def test_small_data_is_a_plain_bootstrap_with_every_class_column():
    X = np.vstack([np.random.default_rng(0).normal(size=(60, 3)), [[5, 5, 5]]])
    y = np.array(["a"] * 40 + ["b"] * 20 + ["c"])  # "c" has one row: most trees never see it
    model = CappedForestClassifier(n_estimators=15, max_rows=1_000, random_state=0).fit(X, y)
    assert all(table is None for _, table in model.trees_)
    assert list(model.classes_) == ["a", "b", "c"]
    proba = model.predict_proba(X)
    assert proba.shape == (61, 3) and np.allclose(proba.sum(axis=1), 1)
    assert model.predict(X[-1:])[0] in {"a", "b", "c"}
    assert model.feature_importances_.shape == (3,)


def test_weightings_match_scikit_learn_names():
    X_train, X_test, y_train, _ = imbalanced(3_000, minority=0.05)
    kw = {"n_estimators": 10, "max_rows": 600, "random_state": 0}
    per_tree = CappedForestClassifier(class_weight="balanced_subsample", **kw).fit(X_train, y_train)
    balanced = CappedForestClassifier(class_weight="balanced", **kw).fit(X_train, y_train)
    assert np.array_equal(per_tree.predict_proba(X_test), balanced.predict_proba(X_test))
    custom = CappedForestClassifier(class_weight={0: 1.0, 1: 10.0}, **kw).fit(X_train, y_train)
    plain = CappedForestClassifier(**kw).fit(X_train, y_train)
    assert custom.predict_proba(X_test)[:, 1].mean() > plain.predict_proba(X_test)[:, 1].mean()
    with pytest.raises(TypeError, match="sample_weight"):
        plain.fit(X_train, y_train, sample_weight=np.ones(len(y_train)))


def test_works_in_an_imbalanced_learn_pipeline_with_cross_validation():
    X_train, _, y_train, _ = imbalanced(3_000, minority=0.05)
    pipe = Pipeline(
        [("resample", SMOTE(random_state=0)), ("model", CappedForestClassifier(n_estimators=10, max_rows=500))]
    )
    scores = cross_val_score(clone(pipe), X_train, y_train, cv=3, scoring="roc_auc")
    assert scores.min() > 0.7


@pytest.mark.parametrize("weighting", [None, "balanced", "balanced_subsample", {0: 1.0, 1: 7.0}],
                         ids=["none", "balanced", "balanced per tree", "custom"])  # fmt: skip
def test_the_growing_forest_is_scikit_learns_forest_grown_in_batches(weighting):
    X_train, X_test, y_train, _ = imbalanced(2_000, minority=0.05)
    kw = {"n_estimators": TREE_BATCH + 3, "class_weight": weighting, "n_jobs": -1, "random_state": 5}
    reference = RandomForestClassifier(**kw).fit(X_train, y_train)
    seen: list[tuple[int, int]] = []
    grown = GrowingForestClassifier(**kw).fit(X_train, y_train, on_trees=lambda g, t: seen.append((g, t)))
    assert seen == [(TREE_BATCH, TREE_BATCH + 3), (TREE_BATCH + 3, TREE_BATCH + 3)]
    assert np.array_equal(grown.predict_proba(X_test), reference.predict_proba(X_test))
    assert np.array_equal(grown.feature_importances_, reference.feature_importances_)
    assert grown.get_params() == GrowingForestClassifier(**kw).get_params()  # batch settings put back


def test_the_growing_forest_reports_progress_from_inside_an_imbalanced_learn_pipeline():
    X_train, X_test, y_train, _ = imbalanced(2_000, minority=0.05)
    pipe = Pipeline([("resample", SMOTE(random_state=0)),
                     ("model", GrowingForestClassifier(n_estimators=2 * TREE_BATCH, random_state=0))])  # fmt: skip
    seen: list[int] = []
    pipe.fit(X_train, y_train, model__on_trees=lambda g, t: seen.append(g))
    assert seen == [TREE_BATCH, 2 * TREE_BATCH]
    plain = clone(pipe).fit(X_train, y_train)
    assert np.array_equal(pipe.predict_proba(X_test), plain.predict_proba(X_test))


def test_the_pipeline_uses_the_exact_forest_without_a_cap_and_the_capped_one_with_it():
    prepared, _ = split_of(BINARY)
    args = {"plan": prepared.plan, "counts": {0: 300, 1: 50}, "names": {0: "common", 1: "rare"}, "n_rows": 350}
    exact, _ = build_pipeline(Strategy(forest=ForestSettings(max_rows_per_tree=None)), **args)
    assert isinstance(exact.named_steps["model"], GrowingForestClassifier)
    small, _ = build_pipeline(Strategy(forest=ForestSettings(max_rows_per_tree=100)), **args)
    assert isinstance(small.named_steps["model"], GrowingForestClassifier)  # 350 rows: below where the cap pays
    capped, _ = build_pipeline(Strategy(forest=ForestSettings(max_rows_per_tree=100, cap_from_rows=0)), **args)
    assert isinstance(capped.named_steps["model"], CappedForestClassifier)
    assert capped.named_steps["model"].max_rows == 100


@pytest.mark.parametrize("frame", [BINARY, MULTI], ids=["binary", "multi-class"])
def test_the_cap_is_said_only_when_it_applied(frame):
    prepared, split = split_of(frame)
    n_train = len(split.y_train)
    capped = evaluate(
        Strategy(forest=ForestSettings(n_estimators=10, max_rows_per_tree=100, cap_from_rows=0)),
        split,
        plan=prepared.plan,
    )
    assert any(
        f"at most 100 of the {n_train:,} training rows" in n and "small classes is kept" in n for n in capped.notes
    )
    smote = evaluate(
        Strategy(SamplerConfig("smote"), forest=ForestSettings(n_estimators=5, max_rows_per_tree=100, cap_from_rows=0)), split,
        plan=prepared.plan,
    )  # fmt: skip
    assert any("drawn from every class in proportion" in n for n in smote.notes)  # classes equal after SMOTE
    assert np.allclose(capped.proba.sum(axis=1), 1)
    roomy = evaluate(
        Strategy(forest=ForestSettings(n_estimators=10, max_rows_per_tree=5_000, cap_from_rows=0)),
        split,
        plan=prepared.plan,
    )
    assert not any("training rows" in n for n in roomy.notes)


def test_the_cap_starts_where_it_saves_time():
    forest = ForestSettings()
    assert forest.rows_per_tree(31_652) == 31_652  # SMOTE on the bundled fraud sample: the exact forest
    assert forest.rows_per_tree(forest.cap_from_rows) == forest.cap_from_rows
    assert forest.rows_per_tree(forest.cap_from_rows + 1) == forest.max_rows_per_tree
    assert ForestSettings(max_rows_per_tree=None).rows_per_tree(10**6) == 10**6
    assert ForestSettings(max_rows_per_tree=80_000).rows_per_tree(70_000) == 70_000  # a cap above the rows
