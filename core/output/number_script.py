"""The standalone script behind a numeric target's strategies: the same split, pipelines and printed errors.

It carries :mod:`core.resampling.number_samplers` as source (that module imports only numpy, scipy and
scikit-learn), so it runs with pandas, scikit-learn and imbalanced-learn alone.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence

import core.resampling.number_samplers as number_samplers
from core.data.numeric_target import RareRange
from core.data.prepared import PreparedData
from core.data.split import Split
from core.modelling.number_models import NUMBER_MODELS, NUMBER_STRATEGIES
from core.output.python_source import SourceWriter
from core.output.script import _comment, _load

__all__ = ["number_script"]

_MODELS = {
    "hgb": "HistGradientBoostingRegressor(random_state={seed})",
    "rf": "RandomForestRegressor(n_estimators=100, min_samples_leaf=3, max_samples=0.5, n_jobs=-1, random_state={seed})",
    "linear": "Ridge(alpha=1.0)",
}
_SAMPLER_CLASS = {"smoter": "SMOTER", "smogn": "SMOGN", "undersample": "RareUnderSampler"}


def _carried_source() -> str:
    """The samplers module's code, without its own ``from __future__`` line (the script has one at its top)."""
    text = inspect.getsource(number_samplers)
    return "\n".join(line for line in text.splitlines() if line != "from __future__ import annotations")


def _pipeline(strategy: str, model: str, seed: int, *, categories: bool) -> str:
    estimator = _MODELS[model].format(seed=seed)
    sampler = _SAMPLER_CLASS.get(strategy)
    if sampler is None:
        pipe = f'Pipeline([("prepare", prepare(ordinal=False)), ("model", {estimator})])'
    else:  # the sampler sees categories as codes; they are one-hot encoded for the model after it
        encode = ('("encode", ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), '
                  'CATEGORY_POSITIONS)], remainder="passthrough")), ') if categories else ""  # fmt: skip
        pipe = (f'Pipeline([("prepare", prepare(ordinal=True)), ("resample", {sampler}(side=RARE_SIDE, cut=RARE_CUT, '
                f"categorical=tuple(CATEGORY_POSITIONS), random_state={seed})), {encode}"
                f'("model", {estimator})])')  # fmt: skip
    if strategy == "log":
        return f"TransformedTargetRegressor(regressor={pipe}, func=np.log1p, inverse_func=np.expm1)"
    if strategy == "yeo_johnson":
        return f'TransformedTargetRegressor(regressor={pipe}, transformer=PowerTransformer(method="yeo-johnson"))'
    if strategy == "dense_weights":
        return f"DenseWeightRegressor({pipe}, alpha=1.0)"
    return pipe


def number_script(
    strategies: Sequence[str], *, model: str, prepared: PreparedData, split: Split, strata: RareRange, rare: RareRange
) -> str:
    """A standalone script that fits ``strategies`` with ``model`` on the same training split and prints each one's
    MAE, RMSE and median absolute error over all test rows, the rare range and the common range.

    ``strata`` is the rare range the split was stratified by (over every row), ``rare`` the one the strategies
    and the errors use (found on the training rows).
    """
    plan, seed = prepared.plan, split.spec.random_state
    w = SourceWriter({})
    models = "\n".join(
        "\n".join(_comment(f"{NUMBER_STRATEGIES[s][0]}: {NUMBER_STRATEGIES[s][1]}."))
        + f"\nmodels[{w(NUMBER_STRATEGIES[s][0])}] = {_pipeline(s, model, seed, categories=bool(plan.categorical))}"
        for s in strategies
    )
    sections = [
        f'"""{NUMBER_MODELS[model]} on a skewed numeric target, as Imbalance Explorer fitted it on '
        f"{w(prepared.dataset.name)}.\n\nRun it next to the data file: it prints the errors the app showed.\n" + '"""',
        "from __future__ import annotations\n\nimport numpy as np\nimport pandas as pd\n"
        "from imblearn.pipeline import Pipeline\n"
        "from sklearn.compose import ColumnTransformer, TransformedTargetRegressor\n"
        "from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor\n"
        "from sklearn.impute import SimpleImputer\nfrom sklearn.linear_model import Ridge\n"
        "from sklearn.model_selection import train_test_split\n"
        "from sklearn.pipeline import Pipeline as SkPipeline\n"
        "from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, PowerTransformer, StandardScaler",
        "# ---- 0. SMOTER, SMOGN, under-sampling and DenseWeight: the app's own code, carried here ----\n"
        + _carried_source(),
        _load(prepared.dataset.source, w),
        "\n".join(
            [
                "# ---- 2. The target and the feature columns, as set on the Data page ----",
                f"TARGET = {w(prepared.target)}",
                f"NUMERIC = {w(list(plan.numeric))}",
                f"CATEGORICAL = {w(list(plan.categorical))}",
                "CATEGORY_POSITIONS = list(range(len(NUMERIC), len(NUMERIC) + len(CATEGORICAL)))",
                'known = pd.to_numeric(frame[TARGET], errors="coerce").dropna()  # rows with no value are left out',
                "X = frame.loc[known.index, NUMERIC + CATEGORICAL].copy()",
                'X[NUMERIC] = X[NUMERIC].astype("float64")',
                "for column in CATEGORICAL:  # categories as text, missing values kept",
                "    X[column] = X[column].map(lambda v: v if pd.isna(v) else str(v)).astype(object)",
                "y = known.to_numpy(np.float64)",
            ]
        ),
        "\n".join(
            [
                "# ---- 3. Split first, stratified by the target's deciles with the rare range a stratum of its own ----",
                'strata = pd.qcut(known.rank(method="first"), 10, labels=False).to_numpy()',
                f"strata = np.where(rare_mask(y, side={w(strata.side)}, cut={w(strata.cut)}), -1, strata)",
                "train, test = train_test_split(np.arange(len(y)), test_size="
                f"{split.spec.test_size!r}, stratify=strata, random_state={seed!r})",
                "X_train, X_test = X.iloc[train].reset_index(drop=True), X.iloc[test].reset_index(drop=True)",
                "y_train, y_test = y[train], y[test]",
                "# The rare range, found on the training rows"
                + (" by the box-plot rule" if rare.rule == "box-plot" else ""),
                f"RARE_SIDE, RARE_CUT = {w(rare.side)}, {w(rare.cut)}",
            ]
        ),
        "\n".join(
            [
                "# ---- 4. How the rows are prepared (fitted on training rows only, inside each pipeline) ----",
                "def prepare(*, ordinal):",
                '    numbers = SkPipeline([("impute", SimpleImputer(strategy="median", keep_empty_features=True)),',
                '                          ("scale", StandardScaler())])',
                '    encoder = (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1) if ordinal',
                '               else OneHotEncoder(handle_unknown="ignore", sparse_output=False))',
                '    categories = SkPipeline([("impute", SimpleImputer(strategy="most_frequent")), ("encode", encoder)])',
                '    parts = ([("num", numbers, NUMERIC)] if NUMERIC else []) + ([("cat", categories, CATEGORICAL)]',
                "                                                               if CATEGORICAL else [])",
                "    return ColumnTransformer(parts, sparse_threshold=0.0, verbose_feature_names_out=False)",
            ]
        ),
        "# ---- 5. The strategies; an imbalanced-learn Pipeline resamples only while fitting ----\n"
        "models = {}\n" + models,
        "\n".join(
            [
                "# ---- 6. Fit on the training rows, then the errors on the untouched test rows ----",
                "DIGITS = 4  # decimals printed",
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
            ]
        ),
    ]
    return "\n\n\n".join(s.rstrip("\n") for s in sections) + "\n"
