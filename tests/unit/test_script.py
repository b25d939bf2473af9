"""The generated script runs on its own and prints the page's numbers (to 1e-9).

Each case writes the script, runs it in a fresh Python process with the data file beside it (and
nothing of ours importable), and compares every printed metric with the app's evaluation.
"""

from __future__ import annotations

import ast
import io
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.data.bundled import SAMPLE_DIR, load_sample
from core.data.dataset import Dataset
from core.data.loading import read_table
from core.data.prepared import prepare
from core.data.split import make_split
from core.modelling.evaluation import METRIC_LABELS, metrics
from core.modelling.fitting import evaluate
from core.modelling.strategies import ForestSettings, Strategy, TuningSettings
from core.output.python_source import library_estimator
from core.output.script import data_file_name, script
from core.resampling.catalogue import SamplerConfig

SMALL = ForestSettings(n_estimators=20)
_KEYS = {label: key for key, label in METRIC_LABELS.items()}


def _setup(dataset: Dataset, *, test_size: float = 0.2):
    prepared = prepare(dataset, target=None, overrides={})
    return prepared, make_split(prepared, test_size=test_size, random_state=42)


def _output(text: str, tmp_path: Path, *, data: tuple[str, bytes] | None = None) -> str:
    """Run the script in a fresh process (cwd = tmp_path, our code not importable), printing 15 decimals; its output."""
    if data is not None:
        (tmp_path / data[0]).write_bytes(data[1])
    assert "DIGITS = 4" in text
    (tmp_path / "run.py").write_text(text.replace("DIGITS = 4", "DIGITS = 15"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-I", "run.py"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=600, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _run(text: str, tmp_path: Path, *, data: tuple[str, bytes] | None = None) -> dict[str, dict[str, float]]:
    """Run the script (:func:`_output`); its metrics by strategy."""
    out: dict[str, dict[str, float]] = {}
    current = None
    for line in _output(text, tmp_path, data=data).splitlines():
        if line.startswith("== ") and line.endswith(" =="):
            current = out.setdefault(line[3:-3], {})
        elif current is not None and not line.startswith(" ") and line[:28].strip() in _KEYS:
            current[_KEYS[line[:28].strip()]] = float(line[28:])
    return out


def _sample_file(dataset: Dataset) -> tuple[str, bytes] | None:
    name = data_file_name(dataset.source)
    return None if name is None else (name, (SAMPLE_DIR / name).read_bytes())


def _assert_same(printed: dict[str, float], ev) -> None:
    expected = dict(metrics(ev))
    assert set(printed) == set(expected), (sorted(printed), sorted(expected))
    for key, value in expected.items():
        if math.isnan(value):
            assert math.isnan(printed[key]), key
        else:
            assert printed[key] == pytest.approx(value, abs=1e-9), key


CASES = {
    # model families and sampler kinds (over, under, combined, SMOTENC on mixed data), several per script
    "numeric": ("breast_cancer", ["none:logreg:balanced", "smote:rf:none", "smote_tomek:adaboost:balanced",
                                  "none:brf:none", "none:easy_ensemble:none", "none:rusboost:none",
                                  "none:isolation_forest:none"]),
    "mixed": ("customer_churn", ["smote:rf:none", "random_under:hgb:balanced", "none:hgb:balanced"]),
    "tuned": ("breast_cancer", ["none:logreg:none:cost:sigmoid", "random_over:rf:none:recall_at_precision:none",
                                "none:hgb:none:f1:isotonic", "none:rf:balanced_subsample:balanced_accuracy:none"]),
    "multiclass": ("product_defects", ["random_over:rf:none", "none:logreg:balanced"]),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_the_script_prints_the_pages_metrics(case, tmp_path):
    key, ids = CASES[case]
    dataset = load_sample(key)
    prepared, split = _setup(dataset)
    tuning = TuningSettings(cost_fp=1.0, cost_fn=5.0, min_precision=0.8)
    strategies = [Strategy.from_id(i, forest=SMALL, tuning=tuning) for i in ids]
    cv = 4 if case == "tuned" else 0  # tuned on the cross-validation folds, as the app does then
    text = script(strategies, prepared=prepared, split=split, cv_folds=cv)
    compile(text, "generated.py", "exec")
    assert "from core" not in text and "import core" not in text
    printed = _run(text, tmp_path, data=_sample_file(dataset))
    assert list(printed) == [s.name for s in strategies]
    for strategy in strategies:
        _assert_same(printed[strategy.name], evaluate(strategy, split, plan=prepared.plan, cv_folds=cv))
    if case == "mixed":
        assert "SMOTENC(" in text and "SMOTE(" not in text  # never plain SMOTE on categories


def test_the_capped_forest_is_named_in_a_comment_and_the_exact_forest_option_gives_the_same_numbers(tmp_path):
    dataset = load_sample("customer_churn")
    prepared, split = _setup(dataset)
    capped = Strategy(forest=ForestSettings(n_estimators=20, max_rows_per_tree=1_000, cap_from_rows=2_000))
    exact = Strategy(forest=ForestSettings(n_estimators=20, max_rows_per_tree=None))
    text = script([capped], prepared=prepared, split=split)
    flat = " ".join(text.replace("#", " ").split())
    assert "at most 1,000 training rows" in flat and "set 'Rows per tree' to 0 (all)" in flat
    assert "Rows per tree" not in script([exact], prepared=prepared, split=split)
    printed = _run(text, tmp_path, data=_sample_file(dataset))["RF"]
    _assert_same(printed, evaluate(exact, split, plan=prepared.plan))
    # the app's capped forest itself gives other numbers (that is what the comment warns of)
    assert metrics(evaluate(capped, split, plan=prepared.plan))["brier"] != pytest.approx(printed["brier"], abs=1e-9)


def test_the_seeds_resume_example_runs(tmp_path):
    dataset = load_sample("resume_screening")
    prepared, split = _setup(dataset)
    strategy = Strategy(SamplerConfig("smote"), forest=SMALL)
    text = script([strategy], prepared=prepared, split=split)
    printed = _run(text, tmp_path, data=_sample_file(dataset))
    _assert_same(printed[strategy.name], evaluate(strategy, split, plan=prepared.plan))


def test_an_uploaded_semicolon_latin1_csv_with_repeated_names_and_an_excel_sheet_are_read_again_the_same(tmp_path):
    rng = np.random.default_rng(0)
    n = 400
    frame = pd.DataFrame({"größe": rng.normal(size=n), "x": rng.normal(size=n), "x ": rng.normal(size=n),
                          "farbe": rng.choice(["rot", "grün"], n), "ziel": np.where(rng.random(n) < 0.2, "ja", "nein")})  # fmt: skip
    frame.loc[frame["ziel"] == "ja", "größe"] += 1.5
    text_csv = frame.to_csv(sep=";", index=False).replace("x ;", "x;")  # two columns named "x" in the file
    data = text_csv.encode("cp1252")
    table = read_table(data, filename="Kunden daten.csv")
    assert list(table.frame.columns)[:3] == ["größe", "x", "x (2)"]
    strategy = Strategy(model="logreg")
    for name, raw, loaded in [("Kunden daten.csv", data, table), ("book.xlsx", _excel(frame), None)]:
        loaded = loaded or read_table(raw, filename=name, sheet="data")
        dataset = Dataset.from_frame(loaded.frame, name=name, origin="upload", source=loaded.source)
        prepared, split = _setup(dataset)
        out = tmp_path / name.split(".")[1]
        out.mkdir()
        printed = _run(script([strategy], prepared=prepared, split=split), out, data=(name, raw))
        _assert_same(printed[strategy.name], evaluate(strategy, split, plan=prepared.plan))


def _excel(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as book:
        pd.DataFrame({"a": [1]}).to_excel(book, sheet_name="notes", index=False)
        frame.to_excel(book, sheet_name="data", index=False, startrow=2)  # two empty rows above the table
    return buffer.getvalue()


def test_user_strings_stay_literals(tmp_path):
    """A column, class or file name with line breaks or quotes cannot add code to the script."""
    evil = 'a"""\nimport os; os.system("echo owned")\n#'
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({evil: rng.normal(size=200), "cat\r\nexec('1')": rng.choice(["p", "q"], 200),
                          "y": np.where(rng.random(200) < 0.3, evil, "ok")})  # fmt: skip
    dataset = Dataset.from_frame(frame, name=evil, origin="upload", source=read_table(
        frame.to_csv(index=False).encode(), filename=evil + ".csv").source)  # fmt: skip
    prepared = prepare(dataset, target="y", overrides={})
    split = make_split(prepared, test_size=0.25, random_state=0)
    text = script([Strategy(model="logreg")], prepared=prepared, split=split)
    tree = ast.parse(text)
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
                for alias in node.names} | {node.module.split(".")[0] for node in ast.walk(tree)
                                             if isinstance(node, ast.ImportFrom)}  # fmt: skip
    assert "os" not in imported
    calls = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert not calls & {"exec", "eval", "system"}


def test_plain_turns_app_classes_into_library_ones():
    from imblearn.over_sampling import SMOTE
    from sklearn.ensemble import RandomForestClassifier

    from core.modelling.forest import GrowingForestClassifier
    from core.resampling.chunked_smote import ChunkedSMOTE

    made = library_estimator([ChunkedSMOTE(k_neighbors=3, random_state=1), GrowingForestClassifier(n_estimators=7)])
    smote, forest = made.estimator
    assert type(smote) is SMOTE and smote.k_neighbors == 3 and smote.random_state == 1
    assert type(forest) is RandomForestClassifier and forest.n_estimators == 7
    assert made.differs == () and made.copied == ()


def test_data_file_is_the_samples_file():
    assert data_file_name(load_sample("breast_cancer").source) is None
    name = data_file_name(load_sample("credit_card_fraud").source)
    assert name is not None and shutil.os.path.exists(SAMPLE_DIR / name)


def test_the_script_prints_each_strategys_outcome_at_the_production_rate_as_the_page_works_it_out(tmp_path):
    from core.comparison.production import Deployment, outcome, prior_shift
    from core.modelling.evaluation import confusion

    dataset = load_sample("breast_cancer")
    prepared, split = _setup(dataset)
    strategies = [Strategy.from_id(i, forest=SMALL) for i in ("smote:rf:none", "none:logreg:none:f1:none")]
    evals = [evaluate(s, split, plan=prepared.plan) for s in strategies]
    deployment = Deployment(rate=0.001, per=2_500.0, unit="a day", cost_fp=2.0, cost_fn=30.0,
                            fitted_at=((strategies[0].name, 0.5), (strategies[1].name, None)))  # fmt: skip
    text = script(strategies, prepared=prepared, split=split, deployment=deployment)
    assert "# ---- 7. In production" in text and "PRODUCTION_RATE = 0.001" in text
    printed: dict[str, dict[str, float]] = {}
    meant: dict[str, float] = {}
    current = None
    for line in _output(text, tmp_path).splitlines():
        if line.endswith(" in production =="):
            current = printed.setdefault(line[3 : -len(" in production ==")], {})
        elif line.startswith("== "):  # section 8's decision comes after: not this section's figures
            current = None
        elif current is not None and line.startswith("its threshold"):
            meant[list(printed)[-1]] = float(line.rsplit(" of ", 1)[1].split()[0])
        elif current is not None and line[:28].strip() in {"flagged", "cases caught", "cases missed", "false alarms",
                                                             "cost", "precision"}:  # fmt: skip
            current[line[:28].strip()] = float(line[28:])
    assert list(printed) == [s.name for s in strategies]
    for ev in evals:
        o = outcome(confusion(ev), rate=0.001, per=2_500.0, cost_fp=2.0, cost_fn=30.0)
        got = printed[ev.name]
        for key, figure in (("flagged", o.flagged), ("cases caught", o.caught), ("cases missed", o.missed),
                            ("false alarms", o.false_alarms), ("cost", o.cost), ("precision", o.precision)):  # fmt: skip
            assert got[key] == pytest.approx(figure[0], rel=1e-9, abs=1e-12), (ev.name, key)
    # the fitted-at-half model's threshold, moved to the production rate; the unmoved one says nothing
    assert meant == {strategies[0].name: pytest.approx(float(prior_shift(np.array([0.5]), trained_rate=0.5,
                                                                          rate=0.001)[0]), rel=1e-12)}  # fmt: skip


@pytest.mark.parametrize("sample,ident", [("breast_cancer", "smote:rf:none:f1:none"),
                                          ("customer_churn", "none:hgb:balanced")])  # fmt: skip
def test_the_model_file_round_trips_through_skops_to_the_pages_probabilities(sample, ident, tmp_path):
    import skops.io as sio

    from core.comparison.production import Deployment, prior_shift
    from core.output.model_export import load_snippet, model_file

    prepared, split = _setup(load_sample(sample))
    strategy = Strategy.from_id(ident, forest=SMALL)
    ev = evaluate(strategy, split, plan=prepared.plan)
    written = model_file(ev, prepared=prepared, split=split)
    assert not written.data.startswith(b"\x80")  # not a pickle: a skops (zip) file
    loaded = sio.loads(written.data, trusted=sio.get_untrusted_types(data=written.data))
    X_test = split.model_input(split.test_rows, categorical=prepared.plan.categorical)
    np.testing.assert_allclose(loaded.predict_proba(X_test), ev.proba, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(loaded.predict(X_test), (ev.proba[:, 1] >= ev.threshold).astype(int))
    # the lines shown under the download load it and predict the test rows, read from a CSV, in a fresh process
    (tmp_path / "m.skops").write_bytes(written.data)
    prepared.dataset.frame.iloc[split.test_rows].to_csv(tmp_path / "new_rows.csv", index=False)
    deployment = Deployment(rate=0.002, per=10_000.0, unit="per 10,000 cases scored", cost_fp=1.0, cost_fn=10.0,
                            fitted_at=((ev.name, 0.5),))  # fmt: skip
    snippet = load_snippet("m.skops", prepared=prepared, classes=ev.classes, fitted_at=0.5, deployment=deployment)
    assert "predict_proba gives the probabilities as fitted" in snippet
    (tmp_path / "load.py").write_text(snippet + "\nprint(in_production.tolist())\nprint(probabilities.tolist())\n"
                                      "print(predicted.tolist())\n")  # fmt: skip
    done = subprocess.run([sys.executable, "-I", "load.py"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    printed = done.stdout.strip().splitlines()
    np.testing.assert_allclose(np.array(ast.literal_eval(printed[-2])), ev.proba, rtol=0, atol=1e-9)
    moved = prior_shift(ev.proba[:, 1], trained_rate=0.5, rate=0.002)
    np.testing.assert_allclose(np.array(ast.literal_eval(printed[-3])), moved, rtol=1e-9, atol=1e-12)
    expected = np.asarray(ev.classes)[(ev.proba[:, 1] >= ev.threshold).astype(int)]
    assert ast.literal_eval(printed[-1]) == [str(c) for c in expected]


def test_a_model_with_an_app_wrapper_is_not_written_and_the_page_is_told_why():
    from core.output.model_export import ModelExportError, model_file

    prepared, split = _setup(load_sample("breast_cancer"))
    ev = evaluate(Strategy(model="adaboost", weighting="balanced"), split, plan=prepared.plan)
    with pytest.raises(ModelExportError, match="Show the code"):
        model_file(ev, prepared=prepared, split=split)


def test_a_working_sample_is_drawn_again_by_duckdb_and_gives_the_pages_metrics(tmp_path):
    """A large folder file: the script draws the same working sample with DuckDB and splits its uniform part."""

    from core.data.large_file import draw_sample, scan_table

    rng = np.random.default_rng(5)
    n = 30_000
    y = (rng.random(n) < 0.02).astype(int)
    frame = pd.DataFrame({"amount": rng.normal(size=n) + 2 * y, "channel": rng.choice(["web", "shop"], n),
                          "isFraud": y})  # fmt: skip
    frame.loc[::50, "amount"] = np.nan
    source = tmp_path / "data"
    source.mkdir()
    frame.to_parquet(source / "log.parquet")
    sample, info = draw_sample(scan_table(source / "log.parquet", kind="Parquet"), entry="log.parquet",
                               target="isFraud", budget=5_000, random_state=3)  # fmt: skip
    dataset = Dataset.from_frame(sample, name="log.parquet", origin="folder", sample=info)
    prepared, split = _setup(dataset)
    strategies = [Strategy.from_id(i, forest=SMALL) for i in ("none:logreg:balanced", "smote:rf:none")]
    text = script(strategies, prepared=prepared, split=split)
    assert "import duckdb" in text and "X[~pool]" in text
    run = tmp_path / "run"
    run.mkdir()
    shutil.copy(source / "log.parquet", run / "log.parquet")
    printed = _run(text, run)
    for strategy in strategies:
        _assert_same(printed[strategy.name], evaluate(strategy, split, plan=prepared.plan))


def test_the_script_repeats_the_fair_decision_every_model_tuned_for_the_costs_at_the_rate(tmp_path):
    """Section 8: each model at a threshold tuned for the page's costs at its production rate, priced as the page's
    decision prices it, to 1e-9; a strategy already tuned for exactly these is used as it is."""

    from core.comparison.decision import fair_rivals, fair_twin
    from core.comparison.production import Deployment, outcome
    from core.modelling.evaluation import confusion

    dataset = load_sample("breast_cancer")
    prepared, split = _setup(dataset)
    setting = Deployment(rate=0.05, per=5_000.0, unit="a day", cost_fp=1.0, cost_fn=20.0, fitted_at=())
    plain = [Strategy.from_id(i, forest=SMALL) for i in ("smote:rf:none", "none:logreg:none:f1:none")]
    already = fair_twin(Strategy.from_id("none:hgb:balanced"), setting)  # the user's own "lowest cost" at the rate
    strategies = [*plain, already]
    evals = [evaluate(s, split, plan=prepared.plan) for s in strategies]
    rivals = fair_rivals(evals, setting)
    text = script(strategies, prepared=prepared, split=split, deployment=setting)
    assert "# ---- 8. The decision" in text and "COST_RATE = 0.05" in text
    printed: dict[str, dict[str, float]] = {}
    current = None
    for line in _output(text, tmp_path).splitlines():
        if line.startswith("== ") and line.endswith(" =="):
            current = printed.setdefault(line[3:-3], {})
        elif current is not None and line[:28].strip() in {"threshold", "cost", "saving"}:
            current[line[:28].strip()] = float(line[28:])
    nothing = 5_000 * 20.0 * 0.05
    assert printed["doing nothing"]["cost"] == pytest.approx(nothing, rel=1e-12)
    assert [r.name for r in rivals] == [fair_twin(s, setting).name for s in strategies]
    for rival in rivals:
        got = printed[f"{rival.name} at your costs"]
        cost = outcome(confusion(rival), rate=0.05, per=5_000.0, cost_fp=1.0, cost_fn=20.0).cost[0]
        assert got["threshold"] == pytest.approx(rival.threshold, abs=1e-9), rival.name
        assert got["cost"] == pytest.approx(cost, abs=1e-9) and got["saving"] == pytest.approx(nothing - cost, abs=1e-9)
