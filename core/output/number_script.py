"""The standalone script behind a numeric target's strategies: the same rows, split, pipelines and printed errors.

Each strategy's estimator is the one :func:`core.modelling.number_models.build_number_pipeline` builds for the
page, written out as source by :class:`core.output.python_source.SourceWriter`, as the class script is, so the
script cannot drift from what the app fits. It reads the data with the sections both scripts share
(:mod:`core.output.script_parts`: a file, or a working sample drawn again by DuckDB) and carries
:mod:`core.resampling.number_samplers` as source (that module imports only numpy, scipy and scikit-learn), so
it runs with pandas, scikit-learn and imbalanced-learn alone.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

import core.resampling.number_samplers as number_samplers
from core.data.numeric_target import RareRange
from core.data.prepared import PreparedData
from core.data.split import Split
from core.modelling.number_models import NUMBER_MODELS, NUMBER_STRATEGIES, build_number_pipeline
from core.output.python_source import WIDTH, SourceWriter
from core.output.script_parts import comment, load_section, prepare_variable

__all__ = ["number_script"]

#: Decimals the script prints; a test runs it with more to compare with the app to 1e-9.
DIGITS = 4


def _carried_source() -> str:
    """The samplers module's code, without its own ``from __future__`` line (the script has one at its top)."""
    text = inspect.getsource(number_samplers)
    return "\n".join(line for line in text.splitlines() if line != "from __future__ import annotations")


def _pipeline_of(estimator: Any) -> Any:
    """The pipeline inside a strategy's estimator (a transformed target or density weights wrap it)."""
    return getattr(estimator, "regressor", None) or getattr(estimator, "estimator", None) or estimator


def _imports(found: set[tuple[str, str]]) -> str:
    wanted = {(m, n) for m, n in found if m} | {
        ("sklearn.base", "clone"),
        ("sklearn.model_selection", "train_test_split"),
    }
    by_module: dict[str, set[str]] = {}
    for module, name in wanted:
        by_module.setdefault(module, set()).add(name)
    lines = ["import numpy as np", "import pandas as pd"]
    for module, names in sorted(by_module.items()):
        line = f"from {module} import {', '.join(sorted(names))}"
        if len(line) > WIDTH:
            line = f"from {module} import (\n" + "".join(f"    {n},\n" for n in sorted(names)) + ")"
        lines.append(line)
    return "\n".join(lines)


def _columns(prepared: PreparedData, w: SourceWriter) -> str:
    plan = prepared.plan
    return "\n".join([
        "# ---- 2. The target and the feature columns, as set on the Data page ----",
        f"TARGET = {w(prepared.target)}",
        f"NUMERIC = {SourceWriter({})(list(plan.numeric))}",
        f"CATEGORICAL = {SourceWriter({})(list(plan.categorical))}",
        'known = pd.to_numeric(frame[TARGET], errors="coerce").dropna()  # rows with no value are left out',
        "X = frame.loc[known.index, NUMERIC + CATEGORICAL].copy()",
        'X[NUMERIC] = X[NUMERIC].astype("float64")',
        "for column in CATEGORICAL:  # categories as text, missing values kept",
        "    X[column] = X[column].map(lambda v: v if pd.isna(v) else str(v)).astype(object)",
        "y = known.to_numpy(np.float64)",
    ])  # fmt: skip


def _split(split: Split, strata: RareRange, rare: RareRange, w: SourceWriter) -> str:
    return "\n".join([
        "# ---- 3. Split first, stratified by the target's deciles with the rare range a stratum of its own ----",
        'strata = pd.qcut(known.rank(method="first"), 10, labels=False).to_numpy()',
        f"strata = np.where(rare_mask(y, side={w(strata.side)}, cut={w(strata.cut)}), -1, strata)",
        f"train, test = train_test_split(np.arange(len(y)), test_size={split.spec.test_size!r}, stratify=strata, "
        f"random_state={split.spec.random_state!r})",
        "X_train, X_test = X.iloc[train].reset_index(drop=True), X.iloc[test].reset_index(drop=True)",
        "y_train, y_test = y[train], y[test]",
        "# The rare range the strategies and the errors use, found on the training rows"
        + (" by the box-plot rule" if rare.rule == "box-plot" else " (a threshold set in the app)"),
        f"RARE_SIDE, RARE_CUT = {w(rare.side)}, {w(rare.cut)}",
    ])  # fmt: skip


_EVALUATE = "\n".join([
    "# ---- 6. Fit on the training rows, then the errors on the untouched test rows ----",
    f"DIGITS = {DIGITS}  # decimals printed",
    "rare = rare_mask(y_test, side=RARE_SIDE, cut=RARE_CUT)",
    'parts = {"all rows": np.ones(len(y_test), bool), "rare range": rare, "common range": ~rare}',
    "for name, model in models.items():",
    "    model.fit(X_train, y_train)",
    "    error = model.predict(X_test) - y_test",
    '    print(f"== {name} ==")',
    "    for part, keep in parts.items():",
    "        e = error[keep]",
    '        print(f"{part:<14}{len(e):>8}  MAE {np.abs(e).mean():.{DIGITS}f}  "',
    '              f"RMSE {np.sqrt((e ** 2).mean()):.{DIGITS}f}  median |error| {np.median(np.abs(e)):.{DIGITS}f}")',
])  # fmt: skip


def number_script(
    strategies: Sequence[str], *, model: str, prepared: PreparedData, split: Split, strata: RareRange, rare: RareRange
) -> str:
    """A standalone script that fits ``strategies`` with ``model`` on the same training split and prints each one's
    MAE, RMSE and median absolute error over all test rows, the rare range and the common range.

    ``strata`` is the rare range the split was stratified by (over every row), ``rare`` the one the strategies
    and the errors use (found on the training rows). Raises the page's
    :class:`~core.modelling.number_models.NumberStrategyError` for a strategy that cannot be built.
    """
    plan, seed = prepared.plan, split.spec.random_state
    columns = {tuple(plan.numeric): "NUMERIC", tuple(plan.categorical): "CATEGORICAL"}
    writer = SourceWriter({k: v for k, v in columns.items() if k})
    prepares: dict[str, str] = {}
    blocks = []
    for s in strategies:
        estimator = build_number_pipeline(s, model=model, plan=plan, rare=rare, y_min=float(split.y_train.min()),
                                          random_state=seed)  # fmt: skip
        prepare = _pipeline_of(estimator).named_steps["prepare"]
        writer.aliases[id(prepare)] = (prepare, f"clone({prepare_variable(prepare, writer, prepares)})")
        name, what = NUMBER_STRATEGIES[s]
        blocks.append("\n".join(comment(f"{name}: {what}.")) + f"\nmodels[{writer(name)}] = {writer(estimator)}")
    load, data, split_text = load_section(prepared.dataset, writer), _columns(prepared, writer), _split(
        split, strata, rare, writer)  # fmt: skip
    sections = [
        f'"""{NUMBER_MODELS[model]} on a skewed numeric target, as Imbalance Explorer fitted it on '
        f"{writer(prepared.dataset.name)}.\n\nRun it next to the data file: it prints the errors the app showed.\n"
        '"""',
        "from __future__ import annotations",
        _imports(writer.imports),
        "# ---- 0. SMOTER, SMOGN, under-sampling and DenseWeight: the app's own code, carried here ----\n"
        + _carried_source(),
        load,
        data,
        split_text,
        "# ---- 4. How the rows are prepared (fitted on training rows only, inside each pipeline) ----\n"
        + "\n".join(f"{var} = {text}" for text, var in prepares.items()),
        "# ---- 5. The strategies; an imbalanced-learn Pipeline resamples only while fitting ----\n"
        "models = {}\n\n" + "\n\n".join(blocks),
        _EVALUATE,
    ]
    return "\n\n\n".join(part.rstrip("\n") for part in sections) + "\n"
