"""Thresholds tuned on training folds only, calibration, the new models, intervals, and a bare-library cross-check."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, balanced_accuracy_score, brier_score_loss, f1_score
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV
from sklearn.pipeline import Pipeline as SkPipeline
from sklearn.preprocessing import StandardScaler

from core.comparison.compare import leaderboard
from core.data.bundled import load_sample
from core.data.prepared import prepare
from core.data.split import make_split
from core.modelling.estimators import ClassWeighted
from core.modelling.evaluation import metrics, score
from core.modelling.fit_cost import fit_count
from core.modelling.fitting import evaluate
from core.modelling.strategies import ForestSettings, Strategy, TuningSettings, build_pipeline
from core.modelling.thresholds import OBJECTIVES, fold_curve, objective_score, scorer
from core.resampling.catalogue import SamplerConfig
from tests.unit.test_resampling import BINARY, MIXED, split_of

SMALL = ForestSettings(n_estimators=20)
SETTINGS = TuningSettings(folds=3, cost_fp=1.0, cost_fn=7.0, min_precision=0.4)


@pytest.mark.parametrize("objective", list(OBJECTIVES))
def test_fold_curve_counts_the_same_objective_as_scikit_learns_scorer(objective):
    rng = np.random.default_rng(1)
    y = (rng.random(400) < 0.15).astype(int)
    s = np.round(rng.random(400) * 0.7 + 0.3 * y, 2)  # ties on purpose
    thresholds, values = fold_curve(y, s, objective=objective, settings=SETTINGS)
    expected = [objective_score(y, (s >= t).astype(int), objective=objective, settings=SETTINGS) for t in thresholds]
    np.testing.assert_allclose(values, expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("objective", list(OBJECTIVES))
def test_tuned_threshold_is_the_one_tuned_threshold_classifier_cv_chooses_on_the_same_folds(objective):
    """Held to scikit-learn: a change in how TunedThresholdClassifierCV chooses shows here."""
    prepared, split = split_of(BINARY)
    strategy = Strategy(model="logreg", threshold=objective, tuning=SETTINGS)
    ev = evaluate(strategy, split, plan=prepared.plan)
    X = split.model_input(split.train_rows)
    y = (split.y_train == "rare").to_numpy(dtype=int)
    pipeline, _ = build_pipeline(strategy, plan=prepared.plan, counts={0: 1, 1: 1}, names={0: "common", 1: "rare"},
                                 n_rows=len(y))  # fmt: skip
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    reference = TunedThresholdClassifierCV(pipeline, scoring=scorer(objective, SETTINGS), cv=folds).fit(X, y)
    assert ev.threshold == pytest.approx(reference.best_threshold_, abs=1e-12)
    assert ev.tuned.best == pytest.approx(reference.best_score_, abs=1e-12)
    assert len(ev.tuned.per_fold) == 3 and ev.tuned.per_fold.min() <= ev.tuned.per_fold.max()


def test_the_tuned_threshold_never_sees_the_test_split():
    prepared, split = split_of(BINARY)
    strategy = Strategy(forest=SMALL, threshold="f1")
    ev = evaluate(strategy, split, plan=prepared.plan)
    rng = np.random.default_rng(0)
    shuffled = dataclasses.replace(split, y_test=pd.Series(rng.permutation(split.y_test.to_numpy()),
                                                           index=split.y_test.index))  # fmt: skip
    frame = split.frame.copy()
    frame.iloc[split.test_rows, 0] = rng.normal(size=len(split.test_rows)) * 100  # and other test features
    moved = dataclasses.replace(shuffled, frame=frame)
    again = evaluate(strategy, moved, plan=prepared.plan)
    assert again.threshold == ev.threshold
    np.testing.assert_array_equal(again.tuned.per_fold, ev.tuned.per_fold)
    assert not np.array_equal(again.y_test, ev.y_test)  # the test split did change


def test_a_tuned_strategy_reuses_the_fixed_fit_and_cross_validation_scores_each_fold_on_the_others():
    prepared, split = split_of(BINARY)
    fixed = evaluate(Strategy(forest=SMALL), split, plan=prepared.plan)
    tuned = evaluate(Strategy(forest=SMALL, threshold="balanced_accuracy"), split, plan=prepared.plan, fitted=fixed)
    np.testing.assert_array_equal(tuned.proba, fixed.proba)
    assert tuned.threshold != 0.5 and metrics(tuned)["recall"] == score(tuned.y_test, tuned.proba,
                                                                         threshold=tuned.threshold)["recall"]  # fmt: skip
    with_cv = evaluate(Strategy(forest=SMALL, threshold="f1"), split, plan=prepared.plan, cv_folds=4)
    assert len(with_cv.cv) == 4 and len(with_cv.tuned.per_fold) == 4  # tuned on the cross-validation folds
    assert fit_count(Strategy(threshold="f1"), cv_folds=4) == 5 and fit_count(Strategy(threshold="f1"), cv_folds=0) == 4


def test_repeated_cross_validation_and_a_fold_without_the_small_class_is_left_out_and_said():
    prepared, split = split_of(BINARY)
    ev = evaluate(Strategy(model="logreg"), split, plan=prepared.plan, cv_folds=5, cv_repeats=2)
    assert len(ev.cv) == 10 and ev.cv_notes == ()
    frame = pd.DataFrame({"x": np.random.default_rng(0).normal(size=120), "y": ["a"] * 114 + ["b"] * 6})
    prepared, split = split_of(frame)  # 4 or 5 training rows of 'b' for 10 folds
    ev = evaluate(Strategy(model="logreg"), split, plan=prepared.plan, cv_folds=10)
    assert ev.cv_notes and all("no rows of 'b'" in n and "left out of every" in n for n in ev.cv_notes)
    assert len(ev.cv) == 10 - len(ev.cv_notes) and not ev.cv[["recall", "roc_auc", "pr_auc"]].isna().any().any()


def test_a_sampler_that_cannot_run_in_a_fold_says_fold_and_keeps_the_test_split_result():
    frame = pd.DataFrame(
        {
            "x": np.random.default_rng(1).normal(size=100),
            "z": np.random.default_rng(2).normal(size=100),
            "y": ["a"] * 97 + ["b"] * 3,
        }
    )
    prepared, split = split_of(frame)
    ev = evaluate(Strategy(SamplerConfig("smote"), forest=SMALL), split, plan=prepared.plan, cv_folds=5)
    assert ev.cv is None and len(ev.cv_notes) == 2
    note = ev.cv_notes[0]
    assert (
        "in cross-validation fold" in note and "its training part has" in note and "test-split result is kept" in note
    )
    # its own tuning folds were tried for the fold scores and failed the same way: said, and nothing to tune on
    assert "threshold-tuning fold" in ev.cv_notes[1] and "No threshold can be tuned" in ev.cv_notes[1]
    assert ev.oof is None and ev.proba.shape == (len(split.y_test), 2)  # the test-split result is there


def test_calibration_fits_on_held_out_rows_and_keeps_the_probabilities_before():
    prepared, split = split_of(BINARY)
    ev = evaluate(Strategy(SamplerConfig("random_over"), forest=SMALL, calibration="isotonic"), split,
                  plan=prepared.plan)  # fmt: skip
    plain = evaluate(Strategy(SamplerConfig("random_over"), forest=SMALL), split, plan=prepared.plan)
    np.testing.assert_allclose(ev.proba_uncalibrated, plain.proba)  # the same pipeline, refitted on every row
    assert not np.allclose(ev.proba, plain.proba)
    assert ev.name == "RandomOverSampler + RF, calibrated (isotonic)"


def test_new_models_take_class_weights_and_boosting_keeps_categories_as_codes():
    prepared, split = split_of(MIXED)
    for ident in ("none:logreg:balanced", "none:hgb:balanced", "none:adaboost:balanced", "random_under:hgb:none"):
        ev = evaluate(Strategy.from_id(ident), split, plan=prepared.plan)
        assert ev.proba.shape == (len(split.y_test), 2) and np.allclose(ev.proba.sum(axis=1), 1)
    counts, names = {0: 150, 1: 30}, {0: "a", 1: "b"}
    hgb, _ = build_pipeline(Strategy(model="hgb", weighting="balanced"), plan=prepared.plan, counts=counts,
                            names=names, n_rows=180)  # fmt: skip
    assert hgb.named_steps["model"].categorical_features == prepared.plan.categorical_positions
    assert hgb.named_steps["model"].class_weight == "balanced"
    tomek, _ = build_pipeline(Strategy(SamplerConfig("tomek"), model="hgb"), plan=prepared.plan, counts=counts,
                              names=names, n_rows=180)  # fmt: skip
    assert tomek.named_steps["model"].categorical_features is None  # a distance-based sampler needs one-hot columns
    ada, _ = build_pipeline(Strategy(model="adaboost", weighting="balanced"), plan=prepared.plan, counts=counts,
                            names=names, n_rows=180)  # fmt: skip
    assert isinstance(ada.named_steps["model"], ClassWeighted)


def test_class_weighted_passes_balanced_sample_weights():
    X = np.random.default_rng(0).normal(size=(60, 2))
    y = np.array([0] * 50 + [1] * 10)
    seen = {}

    class Spy(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            seen["w"] = sample_weight
            return super().fit(X, y, sample_weight=sample_weight)

    ClassWeighted(Spy(), class_weight="balanced").fit(X, y)
    assert seen["w"][0] == pytest.approx(60 / (2 * 50)) and seen["w"][-1] == pytest.approx(60 / (2 * 10))


def test_untuned_strategies_ignore_tuning_settings_so_changing_them_does_not_retrain():
    a = Strategy(tuning=TuningSettings(min_precision=0.9, cost_fn=50))
    assert a == Strategy() and hash(a) == hash(Strategy())
    cost = Strategy(threshold="cost", tuning=TuningSettings(min_precision=0.9, cost_fn=50))
    assert cost.tuning == TuningSettings(cost_fn=50)
    assert Strategy.from_id(cost.id, tuning=cost.tuning) == cost and cost.id == "none:rf:none:cost:none"


def test_the_leaderboards_intervals_hold_their_values():
    prepared, split = split_of(BINARY)
    evals = [evaluate(Strategy(model="logreg"), split, plan=prepared.plan),
             evaluate(Strategy(model="logreg", weighting="balanced"), split, plan=prepared.plan)]  # fmt: skip
    table = leaderboard(evals)
    for label in ("recall (small class)", "PR-AUC", "Brier score", "MCC"):
        assert (table[f"{label} low"] <= table[label] + 1e-12).all() and (
            table[label] <= table[f"{label} high"] + 1e-12
        ).all()


def test_every_number_matches_a_bare_scikit_learn_and_imbalanced_learn_script_on_a_bundled_sample():
    ds = load_sample("credit_card_fraud")
    prepared = prepare(ds, target=None, overrides={})
    split = make_split(prepared, test_size=0.2, random_state=42)
    X = split.model_input(split.train_rows)
    X_test = split.model_input(split.test_rows)
    small = split.y_train.value_counts().idxmin()
    y, y_test = (split.y_train == small).to_numpy(int), (split.y_test == small).to_numpy(int)
    numeric = list(prepared.plan.numeric)
    prep = ColumnTransformer([("num", SkPipeline([("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
                                                  ("scale", StandardScaler())]), numeric)])  # fmt: skip
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    forest = RandomForestClassifier(n_estimators=30, random_state=0, n_jobs=-1)
    bare = {
        "none:logreg:balanced": Pipeline(
            [("p", prep), ("m", LogisticRegression(class_weight="balanced", max_iter=1000, random_state=0))]
        ),
        "none:hgb:balanced": Pipeline(
            [("p", prep), ("m", HistGradientBoostingClassifier(class_weight="balanced", random_state=0))]
        ),
        "random_under:rf:none": Pipeline([("p", prep), ("r", RandomUnderSampler(random_state=0)), ("m", forest)]),
    }
    bare["none:hgb:balanced:f1:none"] = TunedThresholdClassifierCV(bare["none:hgb:balanced"], scoring="f1", cv=folds)
    bare["none:logreg:balanced:fixed:sigmoid"] = CalibratedClassifierCV(bare["none:logreg:balanced"], method="sigmoid",
                                                                        cv=folds, ensemble=False)  # fmt: skip
    for ident, reference in bare.items():
        ev = evaluate(Strategy.from_id(ident, forest=ForestSettings(n_estimators=30)), split, plan=prepared.plan)
        reference.fit(X, y)
        inner = reference.estimator_ if isinstance(reference, TunedThresholdClassifierCV) else reference
        p = inner.predict_proba(X_test)[:, 1]
        threshold = getattr(reference, "best_threshold_", 0.5)
        pred = (p >= threshold).astype(int)
        assert ev.threshold == pytest.approx(threshold, abs=1e-12), ident
        np.testing.assert_allclose(ev.proba[:, 1], p, rtol=0, atol=1e-12, err_msg=ident)
        m = metrics(ev)
        assert m["f1"] == pytest.approx(f1_score(y_test, pred)), ident
        assert m["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(y_test, pred)), ident
        assert m["pr_auc"] == pytest.approx(average_precision_score(y_test, p)), ident
        assert m["brier"] == pytest.approx(brier_score_loss(y_test, p)), ident


def test_auto_tuning_folds_use_two_on_large_training_splits():
    assert TuningSettings().folds_for(99_999) == 3 and TuningSettings().folds_for(100_000) == 2
    assert TuningSettings(folds=5).folds_for(1_000_000) == 5
    assert fit_count(Strategy(threshold="cost"), cv_folds=0, n_rows=200_000) == 3
    # a calibrated model: its fit and its three tuning folds, each a calibration over three folds and a refit
    assert fit_count(Strategy(calibration="sigmoid"), cv_folds=0, n_rows=1_000) == 16
    assert fit_count(Strategy(calibration="sigmoid"), cv_folds=0, n_rows=1_000, n_classes=3) == 4
