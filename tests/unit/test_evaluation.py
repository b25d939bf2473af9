"""Strategies as pipelines: the test split is never resampled; metrics, thresholds, costs and curves."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.metrics import geometric_mean_score
from imblearn.over_sampling import RandomOverSampler
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    f1_score,
    matthews_corrcoef,
    precision_score,
    recall_score,
    roc_auc_score,
)

from core.data.preprocessing import categorical_as_text
from core.modelling.estimators import AnomalyClassifier
from core.modelling.evaluation import (
    Evaluation,
    confusion,
    cost_curve,
    metrics,
    per_class_table,
    pr_curves,
    predict,
    roc_curves,
    score,
)
from core.modelling.fit_cost import estimate_seconds
from core.modelling.fitting import evaluate
from core.modelling.forest import TREE_BATCH, CappedForestClassifier, GrowingForestClassifier
from core.modelling.strategies import ForestSettings, Strategy, StrategyError, build_pipeline
from core.resampling.catalogue import SamplerConfig
from tests.unit.test_resampling import BINARY, MIXED, MULTI, split_of

SMALL = ForestSettings(n_estimators=20)

Y = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 0])
P1 = np.array([0.1, 0.2, 0.3, 0.6, 0.05, 0.4, 0.9, 0.35, 0.7, 0.2])
PROBA = np.column_stack([1 - P1, P1])


def test_binary_metrics_equal_the_libraries_own_functions():
    m = score(Y, PROBA, threshold=0.5)
    pred = (P1 >= 0.5).astype(int)
    assert m["recall"] == pytest.approx(recall_score(Y, pred))
    assert m["precision"] == pytest.approx(precision_score(Y, pred))
    assert m["f1"] == pytest.approx(f1_score(Y, pred))
    assert m["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(Y, pred))
    assert m["g_mean"] == pytest.approx(geometric_mean_score(Y, pred))
    assert m["mcc"] == pytest.approx(matthews_corrcoef(Y, pred))
    assert m["roc_auc"] == pytest.approx(roc_auc_score(Y, P1))
    assert m["pr_auc"] == pytest.approx(average_precision_score(Y, P1))
    assert m["brier"] == pytest.approx(brier_score_loss(Y, P1))
    assert m["baseline_accuracy"] == pytest.approx(0.7)
    # hand-checked: predictions at 0.5 are rows 3, 6, 8 -> TP 2, FP 1, FN 1
    assert (m["recall"], m["precision"]) == (pytest.approx(2 / 3), pytest.approx(2 / 3))


def test_threshold_moves_predictions():
    assert predict(PROBA, threshold=0.3).sum() == 6
    assert predict(PROBA, threshold=0.95).sum() == 0
    assert score(Y, PROBA, threshold=0.3)["recall"] == 1.0


def fake_eval(y=Y, proba=PROBA, classes=("no", "yes")) -> Evaluation:
    return Evaluation("fake", Strategy(), tuple(classes), y, proba, (), 0.0, None, None)


def test_cost_curve_and_best_threshold_by_hand():
    ev = fake_eval()
    curve = cost_curve(ev, cost_fp=1, cost_fn=10)
    at = dict(zip(np.round(curve.thresholds, 4), curve.costs, strict=True))
    # t=0.35: predicted positive {0.35, 0.4, 0.6, 0.7, 0.9}: FP 2 (0.4, 0.6), FN 0 -> cost 2
    assert at[0.35] == 2 == curve.at(0.35) == curve.at(0.31)  # constant between two distinct scores
    # t=0.5: FP 1 (0.6), FN 1 (0.35) -> 1 + 10 = 11
    assert curve.at(0.5) == 11
    assert (curve.best, curve.best_cost) == (0.35, 2)
    other = cost_curve(ev, cost_fp=10, cost_fn=1)
    assert other.best_cost == 1 and other.best == 0.7  # one missed case (0.35) is cheaper than any false alarm
    assert curve.at(1.0) == 30 and curve.at(0.0) == 7  # nothing flagged: 3 missed; everything: 7 false alarms


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.5, 0.7, 0.99, 1.0]), min_size=2, max_size=40),
    data=st.data(),
    cost_fp=st.floats(0, 50),
    cost_fn=st.floats(0, 50),
)
def test_cost_curve_equals_counting_every_row_at_every_threshold(scores, data, cost_fp, cost_fn):
    p = np.array(scores)
    y = np.array(data.draw(st.lists(st.integers(0, 1), min_size=len(p), max_size=len(p))))
    curve = cost_curve(fake_eval(y, np.column_stack([1 - p, p])), cost_fp=cost_fp, cost_fn=cost_fn)
    for t in [*curve.thresholds, 0.05, 0.3, 0.5, 0.6]:
        flagged = p >= t
        by_rows = cost_fp * np.sum(flagged & (y == 0)) + cost_fn * np.sum(~flagged & (y == 1))
        assert curve.at(t) == pytest.approx(by_rows)
    assert curve.best_cost == pytest.approx(curve.costs.min())


def test_cost_curve_of_sixty_thousand_distinct_scores_draws_a_small_figure():
    from core.output.result_figures import cost_figure

    rng = np.random.default_rng(0)
    y = (rng.random(60_000) < 0.01).astype(int)
    p = rng.random(60_000)
    curve = cost_curve(fake_eval(y, np.column_stack([1 - p, p])), cost_fp=1, cost_fn=10)
    assert len(curve.thresholds) == 60_002
    fig = cost_figure(curve, current=0.5)
    assert len(fig.data[0].x) == 1_001 and len(fig.to_json()) < 100_000
    assert fig.data[0].y[500] == curve.at(0.5)


def test_confusion_counts_and_shares():
    ev = fake_eval()
    assert confusion(ev).tolist() == [[6, 1], [1, 2]]
    assert np.allclose(confusion(ev, normalize=True), [[6 / 7, 1 / 7], [1 / 3, 2 / 3]])
    table = per_class_table(ev)
    assert table["support"].tolist() == [7, 3, 10]
    assert table.loc[2, "class"] == "macro average"


def test_multiclass_curves_per_class_with_averages():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], [50, 30, 20])
    proba = rng.dirichlet([1, 1, 1], size=100)
    proba[np.arange(100), y] += 0.5
    proba /= proba.sum(axis=1, keepdims=True)
    ev = fake_eval(y, proba, ("a", "b", "c"))
    roc = roc_curves(ev)
    assert [c.label for c in roc] == ["a", "b", "c", "macro average", "micro average"]
    for c in roc:
        assert 0.5 < c.area <= 1.0
    assert roc[0].area == pytest.approx(roc_auc_score(y == 0, proba[:, 0]))
    pr = pr_curves(ev)
    assert pr[-1].area == pytest.approx(np.mean([average_precision_score(y == k, proba[:, k]) for k in range(3)]))
    m = score(y, proba)
    assert m["roc_auc"] == pytest.approx(roc_auc_score(y, proba, multi_class="ovr"))
    assert "recall" not in m


def test_the_sampler_only_ever_sees_training_rows_including_each_cv_fold(monkeypatch):
    prepared, split = split_of(BINARY)
    seen: list[int] = []
    original = RandomOverSampler.fit_resample

    def spy(self, X, y, **kw):
        seen.append(len(X))
        return original(self, X, y, **kw)

    monkeypatch.setattr(RandomOverSampler, "fit_resample", spy)
    test_counts = split.counts("test")
    ev = evaluate(Strategy(SamplerConfig("random_over"), forest=SMALL), split, plan=prepared.plan, cv_folds=4)
    n_train = len(split.y_train)
    assert seen[0] == n_train  # the fit scored on the test split: the whole training split, nothing more
    assert len(seen) == 5 and all(n == pytest.approx(n_train * 3 / 4, abs=1) for n in seen[1:])
    assert split.counts("test") == test_counts
    assert np.bincount(ev.y_test).tolist() == [test_counts["common"], test_counts["rare"]]
    assert len(ev.cv) == 4 and {"recall", "pr_auc"} <= set(ev.cv.columns)


def test_class_weights_reach_the_forest():
    prepared, _ = split_of(BINARY)
    names = {0: "common", 1: "rare"}
    counts = {0: 200, 1: 40}
    pipe, _ = build_pipeline(
        Strategy(weighting="custom", custom_weights=(("common", 1.0), ("rare", 7.5))), plan=prepared.plan,
        counts=counts, names=names, n_rows=240,
    )  # fmt: skip
    assert pipe.named_steps["model"].class_weight == {0: 1.0, 1: 7.5}
    pipe, _ = build_pipeline(Strategy(weighting="balanced"), plan=prepared.plan, counts=counts, names=names, n_rows=240)
    assert pipe.named_steps["model"].class_weight == "balanced"
    assert [name for name, _ in pipe.steps] == ["prepare", "model"]
    pipe, _ = build_pipeline(
        Strategy(SamplerConfig("smote")), plan=prepared.plan, counts=counts, names=names, n_rows=240
    )
    assert [name for name, _ in pipe.steps] == ["prepare", "resample", "model"]


@pytest.mark.parametrize(
    ("strategy", "name"),
    [
        (Strategy(), "RF"),
        (Strategy(weighting="balanced"), "RF, balanced weights"),
        (Strategy(SamplerConfig("smote")), "SMOTE + RF"),
        (Strategy(model="brf"), "BalancedRF"),
        (Strategy(SamplerConfig("random_under"), model="easy_ensemble"), "RandomUnderSampler + EasyEnsemble"),
    ],
)
def test_strategy_names(strategy, name):
    assert strategy.name == name


@pytest.mark.parametrize("model", ["rf", "brf", "easy_ensemble", "rusboost", "isolation_forest"])
def test_every_model_trains_and_scores_on_binary_data(model):
    prepared, split = split_of(BINARY)
    ev = evaluate(Strategy(model=model, forest=SMALL), split, plan=prepared.plan)
    assert ev.proba.shape == (len(split.y_test), 2)
    assert np.allclose(ev.proba.sum(axis=1), 1.0)
    m = score(ev.y_test, ev.proba)
    assert 0.0 <= m["roc_auc"] <= 1.0
    if model != "isolation_forest":
        assert m["roc_auc"] > 0.7, "a supervised model ranks this separable data well"


def test_mixed_data_with_smote_trains_through_smotenc():
    prepared, split = split_of(MIXED)
    ev = evaluate(Strategy(SamplerConfig("smote"), forest=SMALL), split, plan=prepared.plan)
    assert any("SMOTENC" in n for n in ev.notes)
    assert ev.importance is not None and ev.importance.index.str.contains("plan").any()


def test_multiclass_training_and_refusals():
    prepared, split = split_of(MULTI)
    ev = evaluate(Strategy(forest=SMALL), split, plan=prepared.plan)
    assert ev.proba.shape[1] == 3 and not ev.binary
    with pytest.raises(StrategyError, match="needs a target with two classes"):
        evaluate(Strategy(model="isolation_forest"), split, plan=prepared.plan)
    prepared2, split2 = split_of(BINARY)
    with pytest.raises(StrategyError, match="learns without labels"):
        evaluate(Strategy(SamplerConfig("smote"), model="isolation_forest"), split2, plan=prepared2.plan)


def test_anomaly_classifier_flags_the_rare_class():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (300, 2)), rng.normal(6, 0.5, (10, 2))])
    y = np.array([0] * 300 + [1] * 10)
    clf = AnomalyClassifier(n_estimators=50, random_state=0).fit(X, y)
    proba = clf.predict_proba(X)
    assert roc_auc_score(y, proba[:, 1]) > 0.95
    assert (clf.predict(X)[-10:] == 1).mean() > 0.8


def test_time_estimate_grows_with_work():
    small = estimate_seconds(Strategy(), counts={"a": 990, "b": 10}, n_features=10)
    big_counts = {"a": 199_600, "b": 400}
    big = estimate_seconds(Strategy(), counts=big_counts, n_features=10)
    exact = estimate_seconds(Strategy(forest=ForestSettings(max_rows_per_tree=None)), counts=big_counts, n_features=10)
    assert small < big < exact  # the cap keeps large data interactive


def test_time_estimate_follows_the_rows_a_sampler_leaves():
    counts = {"legit": 239_520, "fraud": 480}
    plain = estimate_seconds(Strategy(), counts=counts, n_features=30)
    under = estimate_seconds(Strategy(SamplerConfig("random_under")), counts=counts, n_features=30)
    over = estimate_seconds(Strategy(SamplerConfig("smote")), counts=counts, n_features=30)
    weighted = estimate_seconds(Strategy(weighting="balanced"), counts=counts, n_features=30)
    assert under < 0.2 * plain  # 960 rows left to learn from
    assert weighted < plain and under < over


def test_growing_the_forest_in_batches_reports_progress_and_changes_nothing():
    prepared, split = split_of(BINARY)
    strategy = Strategy(SamplerConfig("smote"), forest=ForestSettings(n_estimators=60))
    seen: list[tuple[float, str]] = []
    staged = evaluate(strategy, split, plan=prepared.plan, progress=lambda f, m: seen.append((f, m)))
    at_once = evaluate(strategy, split, plan=prepared.plan)
    assert np.allclose(staged.proba, at_once.proba)
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any(f"{TREE_BATCH} of 60 trees" in m for _, m in seen) and any("60 of 60 trees" in m for _, m in seen)


@pytest.mark.parametrize("rows_per_tree", [None, 150], ids=["exact forest", "capped forest"])
def test_scores_equal_those_of_the_pipeline_fit_and_used_the_usual_way(rows_per_tree):
    prepared, split = split_of(MULTI)
    forest = ForestSettings(n_estimators=30, max_rows_per_tree=rows_per_tree, cap_from_rows=0)
    strategy = Strategy(SamplerConfig("smote"), forest=forest)
    ev = evaluate(strategy, split, plan=prepared.plan, progress=lambda f, m: None)
    code = {label: i for i, label in enumerate(split.counts("train"))}
    y_train = split.y_train.map(code).to_numpy()
    pipe, _ = build_pipeline(
        strategy, plan=prepared.plan, counts=dict(enumerate(np.bincount(y_train).tolist())),
        names={i: str(label) for label, i in code.items()}, n_rows=len(y_train),
    )  # fmt: skip
    categorical = list(prepared.plan.categorical)
    pipe.fit(categorical_as_text(split.X_train, categorical), y_train)
    assert isinstance(pipe.named_steps["model"], CappedForestClassifier if rows_per_tree else GrowingForestClassifier)
    assert np.array_equal(ev.proba, pipe.predict_proba(categorical_as_text(split.X_test, categorical)))


def test_curves_of_many_distinct_scores_stay_small_and_keep_their_shape():
    from core.output.result_figures import curves_figure, thin_curve

    rng = np.random.default_rng(0)
    y = (rng.random(60_000) < 0.3).astype(int)
    p = np.clip(rng.normal(0.4 + 0.2 * y, 0.2), 0, 1)  # 60,000 distinct scores
    ev = Evaluation("m", Strategy(), ("common", "rare"), y, np.column_stack([1 - p, p]), (), 0.0, None, None)
    roc, pr = roc_curves(ev)[0], pr_curves(ev)[0]
    assert pr.area == pytest.approx(average_precision_score(y, p))
    x, yy = thin_curve(roc.x, roc.y)
    assert len(roc.x) > 5_000 and len(x) <= 4_001  # an L1 path of length 2 in steps of 1/2,000
    assert (x[0], yy[0], x[-1], yy[-1]) == (roc.x[0], roc.y[0], roc.x[-1], roc.y[-1])
    assert np.max(np.abs(np.interp(roc.x, x, yy) - roc.y)) < 2e-3  # the same line to the eye
    fig = curves_figure([roc, pr], kind="roc")
    assert len(fig.to_json()) < 200_000
    short = np.linspace(0, 1, 50)
    assert np.array_equal(thin_curve(short, short)[0], short.astype(np.float32))


def test_what_a_page_reads_off_an_evaluation_is_computed_once_per_setting_and_read_only(monkeypatch):
    import core.modelling.evaluation

    ev = fake_eval()
    calls = []
    at_threshold = core.modelling.evaluation._at_threshold
    monkeypatch.setattr(
        core.modelling.evaluation, "_at_threshold", lambda *a, **k: calls.append(1) or at_threshold(*a, **k)
    )
    first = metrics(ev, threshold=0.3)
    assert metrics(ev, threshold=0.3) is first and len(calls) == 1  # a redraw with the same setting: no work
    assert metrics(ev, threshold=0.4)["recall"] == pytest.approx(2 / 3) and len(calls) == 2
    with pytest.raises(TypeError):
        first["recall"] = 0.0  # shared between reruns (and sessions): never changed
    with pytest.raises(ValueError, match="read-only"):
        confusion(ev)[0, 0] = 99
    for t in np.linspace(0, 1, 40):
        metrics(ev, threshold=float(t))
    assert len(ev.memo["metrics"]) == core.modelling.evaluation.MEMO_SIZE  # a slider's sweep keeps only the latest


def test_sessions_reading_one_evaluation_at_once_get_the_same_numbers():
    from concurrent.futures import ThreadPoolExecutor

    ev = fake_eval()
    thresholds = [round(t, 2) for t in np.linspace(0, 1, 60)] * 4  # more settings than are kept: evictions race

    def read(t: float) -> float:
        return metrics(ev, threshold=t)["recall"]

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(read, thresholds))
    assert got == [score(Y, PROBA, threshold=t)["recall"] for t in thresholds]


def test_results_kept_across_evaluations_are_computed_once_and_only_the_latest_are_kept():
    import core.modelling.evaluation
    from core.modelling.evaluation import keep_with

    ev, calls = fake_eval(), []
    first = keep_with(ev, ("a",), lambda: calls.append(1) or [1])
    assert keep_with(ev, ("a",), lambda: calls.append(1) or [2]) is first and len(calls) == 1
    for i in range(40):
        keep_with(ev, ("b", i), lambda: None)
    assert len(ev.memo["keep_with"]) == core.modelling.evaluation.MEMO_SIZE and ("a",) not in ev.memo["keep_with"]
