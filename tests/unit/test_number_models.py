"""A numeric target's split, strategies and errors: synthetic rows stay in training, numbers are honest."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.comparison.number_errors import MIN_ROWS, median_interval, number_scores, what_it_bought
from core.data.numeric_target import MIN_SIDE, RareRange, box_plot_range, number_split, number_target
from core.data.roles import FeaturePlan
from core.data.target import TargetError
from core.modelling.number_models import NUMBER_MODELS, NUMBER_STRATEGIES, NumberStrategyError, fit_number_strategy
from core.resampling import number_samplers

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sample_data"))
from make_samples import insurance_claims

PLAN = FeaturePlan(numeric=("age", "vehicle_value", "prior_claims", "policy_years"), categorical=("region",),
                   dropped=())  # fmt: skip


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return insurance_claims(np.random.default_rng(7), n=3000)


def _split(frame: pd.DataFrame):
    rare = box_plot_range(frame["claim_amount"].to_numpy())
    return number_split(frame, target="claim_amount", features=PLAN.features, rare=rare, test_size=0.25,
                        random_state=0), rare  # fmt: skip


def test_the_split_keeps_the_rare_share_in_the_test_rows_and_shares_no_row(claims):
    split, rare = _split(claims)
    assert not set(split.train_rows) & set(split.test_rows)
    assert len(split.train_rows) + len(split.test_rows) == len(claims)
    whole = rare.mask(claims["claim_amount"]).mean()
    assert abs(rare.mask(split.y_test).mean() - whole) <= 1 / len(split.y_test) + 1e-9
    np.testing.assert_array_equal(split.y_test, claims["claim_amount"].to_numpy()[split.test_rows])


@pytest.mark.parametrize("strategy", ["smoter", "smogn", "undersample"])
def test_synthetic_rows_never_reach_the_test_split(claims, strategy, monkeypatch):
    split, rare = _split(claims)
    seen: list[np.ndarray] = []
    for cls in (number_samplers.SMOTER, number_samplers.SMOGN, number_samplers.RareUnderSampler):
        original = cls.fit_resample

        def spy(self, X, y, _original=original):
            seen.append(np.asarray(y).copy())
            return _original(self, X, y)

        monkeypatch.setattr(cls, "fit_resample", spy)
    fitted = []
    fit = fit_number_strategy(split, plan=PLAN, strategy=strategy, model="linear", rare=rare, random_state=0,
                              done=fitted.append)  # fmt: skip
    assert len(seen) == 1  # resampled once, at fit, and never when predicting the test rows
    np.testing.assert_array_equal(np.sort(seen[0]), np.sort(split.y_train.to_numpy()))
    assert len(fit.y_pred) == len(split.y_test)
    X_test = split.model_input(split.test_rows, categorical=PLAN.categorical)
    np.testing.assert_array_equal(fitted[0].predict(X_test), fit.y_pred)
    assert fit.n_synthetic > 0 or strategy == "undersample"


def test_every_strategy_fits_and_a_log_target_refuses_values_at_or_below_minus_one(claims):
    split, rare = _split(claims)
    for strategy in NUMBER_STRATEGIES:
        fit = fit_number_strategy(split, plan=PLAN, strategy=strategy, model="hgb", rare=rare, random_state=0)
        assert np.isfinite(fit.y_pred).all()
    shifted = claims.assign(claim_amount=claims["claim_amount"] - 500)
    split, rare = _split(shifted)
    with pytest.raises(NumberStrategyError, match="Yeo-Johnson"):
        fit_number_strategy(split, plan=PLAN, strategy="log", model="linear", rare=rare, random_state=0)


def test_a_target_that_cannot_be_explored_as_a_number_is_refused_saying_what_to_change():
    with pytest.raises(TargetError, match="nothing to predict"):
        number_target(pd.Series([5.0] * 100, name="x"))
    with pytest.raises(TargetError, match="a value in 12 of 400 rows"):
        number_target(pd.Series([1.0, 2.0, 3.0] * 4 + [np.nan] * 388, name="x"))
    with pytest.raises(TargetError, match="no row is rare"):
        number_target(pd.Series(np.arange(100.0), name="x"))
    with pytest.raises(TargetError, match=f"at least {MIN_SIDE}"):
        number_target(pd.Series(np.arange(100.0), name="x"), rare=RareRange("above", 95.0, "threshold"))
    values, rare = number_target(pd.Series(np.arange(100.0), name="x"), rare=RareRange("above", 80.0, "threshold"))
    assert len(values) == 100 and rare.mask(values).sum() == 20


def test_the_median_interval_holds_its_median_and_needs_enough_rows():
    rng = np.random.default_rng(0)
    est = median_interval(rng.exponential(size=200))
    assert est.low < est.value < est.high and est.n == 200
    few = median_interval(np.arange(MIN_ROWS - 1.0))
    assert not few.has_interval and few.value == 4.0


def test_the_sentence_calls_a_change_only_where_its_paired_interval_excludes_zero():
    rng = np.random.default_rng(1)
    y = np.concatenate([rng.normal(1000, 50, 100), rng.normal(10, 1, 900)])
    rare = y > 500
    base_pred = y + np.where(rare, -300, 5) + rng.normal(0, 1, 1000)
    base = number_scores("No handling", y, base_pred, rare=rare)
    better = number_scores("Weights", y, y + np.where(rare, -100, 20) + rng.normal(0, 1, 1000), rare=rare)
    said = what_it_bought(better, base)
    # the median of the row-by-row changes, with its interval, and then the medians themselves: two numbers, named
    assert "in the rare range the error fell: the median of its row-by-row changes is -200 [" in said
    assert "in the common range the error rose: the median of its row-by-row changes is +15 [" in said
    rare_before, rare_after = base.median["rare"].value, better.median["rare"].value
    shown = [f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.3g}" for x in (rare_before, rare_after)]  # as the chart says
    assert f"the median absolute error went {shown[0]} → {shown[1]}" in said
    noisy = number_scores("Noise", y, y + np.where(rare, -300, 5) + rng.normal(0, 1, 1000), rare=rare)
    assert what_it_bought(noisy, base).count("no clear change") == 2
    assert what_it_bought(number_scores("Same", y, base_pred, rare=rare), base).count("did not change") == 2


def _reproduced(prepared, strategies, model, run_dir, data=None) -> None:
    """The number script for ``strategies`` with ``model``, run in a fresh process in ``run_dir``, prints the page's
    rows, MAE, RMSE and median absolute error for every part to 1e-9."""
    from core.output.number_script import number_script
    from tests.unit.test_script import _output

    frame = prepared.dataset.frame
    _, whole = number_target(frame[prepared.target])
    split = number_split(frame, target=prepared.target, features=prepared.plan.features, rare=whole, test_size=0.2,
                         random_state=42)  # fmt: skip
    rare = box_plot_range(split.y_train.to_numpy())
    text = number_script(strategies, model=model, prepared=prepared, split=split, strata=whole, rare=rare)
    assert "from core" not in text and "import core" not in text
    said: dict[str, dict[str, list[float]]] = {}
    for line in _output(text, run_dir, data=data).splitlines():
        if line.startswith("== "):
            current = said.setdefault(line[3:-3], {})
        else:
            part, numbers = line[:14].strip(), line[14:].split()
            current[part] = [float(numbers[i]) for i in (0, 2, 4, 7)]  # rows, MAE, RMSE, median |error|
    assert len(said) == len(strategies)
    for strategy in strategies:
        fit = fit_number_strategy(split, plan=prepared.plan, strategy=strategy, model=model, rare=rare,
                                  random_state=42)  # fmt: skip
        scores = number_scores(fit.name, split.y_test.to_numpy(), fit.y_pred, rare=rare.mask(split.y_test))
        for part, label in (("all", "all rows"), ("rare", "rare range"), ("common", "common range")):
            rows, mae, rmse, median = said[fit.name][label]
            assert rows == scores.rows(part).sum(), (model, strategy, part)
            np.testing.assert_allclose([mae, rmse, median], [scores.mae[part], scores.rmse[part],
                                       scores.median[part].value], rtol=1e-9, err_msg=f"{model} {strategy} {part}")  # fmt: skip


@pytest.mark.parametrize("model", list(NUMBER_MODELS))
def test_the_generated_script_reproduces_every_strategys_errors_in_a_fresh_process(model, tmp_path):
    """Every strategy with every model family, on 4,000 claims read from an uploaded CSV with a category column."""
    from core.data.bundled import load_sample
    from core.data.dataset import Dataset
    from core.data.loading import read_table
    from core.data.prepared import prepare

    frame = load_sample("insurance_claims").frame.sample(4_000, random_state=1).reset_index(drop=True)
    raw = frame.to_csv(index=False).encode()
    table = read_table(raw, filename="claims.csv")
    prepared = prepare(Dataset.from_frame(table.frame, name="claims.csv", origin="upload", source=table.source),
                       target="claim_amount", overrides={})  # fmt: skip
    assert prepared.plan.categorical  # the samplers see categories as codes, the model one-hot columns
    _reproduced(prepared, list(NUMBER_STRATEGIES), model, tmp_path, data=("claims.csv", raw))


def test_the_generated_script_draws_a_working_sample_again_and_reproduces_its_errors(tmp_path):
    """A large folder file sampled for a class target, then a number of it chosen as the target: the script draws
    the same rows with DuckDB and repeats the page's errors."""
    import shutil

    from core.data.dataset import Dataset
    from core.data.large_file import draw_sample, scan_table
    from core.data.prepared import prepare

    rng = np.random.default_rng(5)
    n = 30_000
    flag = (rng.random(n) < 0.02).astype(int)
    data = pd.DataFrame({"x": rng.normal(size=n), "z": rng.normal(size=n), "flag": flag})
    data["amount"] = np.exp(1 + data["x"] + rng.normal(0, 0.5, n)) * 50 + 500 * flag
    source = tmp_path / "data"
    source.mkdir()
    data.to_parquet(source / "log.parquet")
    sample, info = draw_sample(scan_table(source / "log.parquet", kind="Parquet"), entry="log.parquet", target="flag",
                               budget=5_000, random_state=3)  # fmt: skip
    prepared = prepare(Dataset.from_frame(sample, name="log.parquet", origin="folder", sample=info), target="amount",
                       overrides={"flag": "drop"})  # fmt: skip
    run = tmp_path / "run"
    run.mkdir()
    shutil.copy(source / "log.parquet", run / "log.parquet")
    _reproduced(prepared, ["none", "smoter", "dense_weights"], "linear", run)


def test_the_number_report_escapes_every_user_string_and_carries_its_charts():
    import plotly.graph_objects as go

    from core.output.report import build_number_report

    evil = "<script>alert(1)</script>"
    page = build_number_report(
        dataset_name=evil, target=evil, n_rows=100, about=f"5% of rows hold values above 9 ({evil})",
        split_text="split", strategies=[("No handling", evil)],
        errors=pd.DataFrame({"strategy": [evil], "MAE": [1.5]}), sentences=[f"{evil}: fell"],
        figures=[("Errors", go.Figure(go.Bar(x=[evil], y=[1])))], script=f"print({evil!r})",
    )  # fmt: skip
    assert evil not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("class='figure-json'") == 1 and "\\u003cscript" in page  # the chart's text cannot close its block


def test_every_number_chart_has_its_text_alternative(claims):
    from core.output.chart_text import chart_text
    from core.output.number_figures import (
        number_errors_figure,
        number_histogram_figure,
        predicted_actual_figure,
        resampled_target_figure,
    )

    split, rare = _split(claims)
    y = split.y_test.to_numpy()
    scores = [number_scores(n, y, y * k, rare=rare.mask(y)) for n, k in (("A", 1.1), ("B", 0.8))]
    figures = [
        number_errors_figure(scores),
        number_histogram_figure(y, name="claim", cut=rare.cut, side=rare.side, log=True),
        predicted_actual_figure(y, {"A": y * 1.1, "B": y * 0.8}, name="claim", rare_cut=rare.cut, side=rare.side),
        resampled_target_figure(y, y[:100], y[:50] * 2, name="claim", rare_cut=rare.cut, side=rare.side, log=True),
    ]
    for fig in figures:
        text = chart_text(fig)
        assert text.summary and (text.points is not None or text.clouds is not None)
    bars = chart_text(figures[0]).points
    assert {"low", "high"} <= set(bars.columns) and len(bars) == 6  # two strategies × three ranges, with intervals
