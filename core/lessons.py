"""Computations behind the lesson: the accuracy paradox and the leakage of resampling before splitting."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold

from core.distribution import class_codes
from core.evaluation import pad_columns, score
from core.preprocessing import categorical_as_text, preprocessor
from core.roles import FeaturePlan
from core.samplers import SamplerConfig, build_sampler, get_spec, resolve_spec

__all__ = ["SWEEP_STRATEGIES", "LeakageResult", "leakage_demo", "majority_baseline", "ratio_sweep", "sweep_summary"]


def majority_baseline(y: pd.Series) -> dict[str, float]:
    """Metrics of a "model" that always answers the largest class (the accuracy paradox)."""
    labels = list(y.value_counts().index)  # largest first: code 0 is the majority
    code_of, _ = class_codes(labels)
    codes = y.map(code_of).to_numpy(dtype=int)
    proba = np.zeros((len(codes), len(labels)))
    proba[:, 0] = 1.0
    return score(codes, proba)


@dataclass(frozen=True)
class LeakageResult:
    """Cross-validated scores of one strategy evaluated the wrong way and the right way."""

    method: str
    wrong: dict[str, float]
    right: dict[str, float]


def leakage_demo(
    X: pd.DataFrame, y: pd.Series, *, plan: FeaturePlan, sampler: str = "smote", folds: int = 5, random_state: int = 0
) -> LeakageResult:
    """Cross-validate SMOTE (or another sampler) + a random forest two ways.

    Wrong: resample all rows first, then split into folds, so synthetic rows made from a test row's
    neighbours (and copies) sit in the training folds. Right: resample inside each training fold only.
    """
    labels = list(y.value_counts().index)
    code_of, names = class_codes(labels)
    codes = y.map(code_of).to_numpy(dtype=int)
    X = categorical_as_text(X.reset_index(drop=True), list(plan.categorical))
    spec = get_spec(sampler)
    runs, _ = resolve_spec(spec, data_kind=plan.kind)  # SMOTE on categories runs as SMOTENC or SMOTEN
    ordinal = runs.ordinal
    cat_idx = plan.categorical_positions if ordinal else None

    def fitted_sampler(y_fit: np.ndarray):
        counts = {c: int((y_fit == c).sum()) for c in names}
        return build_sampler(
            spec, SamplerConfig(sampler, random_state=random_state), data_kind=plan.kind, counts=counts,
            names=names, categorical_indices=cat_idx, n_rows=len(y_fit),
        ).sampler  # fmt: skip

    def forest() -> RandomForestClassifier:
        return RandomForestClassifier(n_estimators=50, n_jobs=-1, random_state=random_state)

    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    # Wrong: one resampling of everything, then cross-validation on the resampled rows.
    prep_all = preprocessor(plan, ordinal=ordinal)
    Z_all, y_all = fitted_sampler(codes).fit_resample(prep_all.fit_transform(X), codes)
    wrong = []
    for fit, val in cv.split(Z_all, y_all):
        model = forest().fit(Z_all[fit], y_all[fit])
        wrong.append(score(y_all[val], _full(model, Z_all[val], len(labels))))
    # Right: inside each training fold only; the validation fold keeps its real rows and mix.
    right = []
    for fit, val in cv.split(X, codes):
        prep = preprocessor(plan, ordinal=ordinal)
        Z_fit, y_fit = fitted_sampler(codes[fit]).fit_resample(prep.fit_transform(X.iloc[fit]), codes[fit])
        model = forest().fit(Z_fit, y_fit)
        right.append(score(codes[val], _full(model, prep.transform(X.iloc[val]), len(labels))))
    mean = lambda rows: {k: float(np.nanmean([r[k] for r in rows])) for k in rows[0]}  # noqa: E731
    return LeakageResult(runs.name, mean(wrong), mean(right))


def _full(model, Z: np.ndarray, n_classes: int) -> np.ndarray:
    return pad_columns(model.predict_proba(Z), model.classes_, n_classes=n_classes)


SWEEP_STRATEGIES = (
    ("none", "none"),
    ("none", "balanced"),
    ("smote", "none"),
    ("random_under", "none"),
)


def ratio_sweep(
    ratios: tuple[float, ...] = (1, 5, 20, 100, 500),
    *,
    n_rows: int = 4_000,
    n_features: int = 8,
    class_sep: float = 1.0,
    random_state: int = 0,
) -> pd.DataFrame:
    """Recall, precision and PR-AUC of the small class for four strategies on generated data at each ratio.

    Each ratio gets its own generated dataset (same seed), a stratified 75/25 split and a 50-tree forest.
    """
    from core.evaluation import evaluate
    from core.generated_data import generate
    from core.models import ForestSettings, Strategy
    from core.prepared import prepare
    from core.split import make_split

    rows = []
    for ratio in ratios:
        ds = generate(n_rows=n_rows, n_features=n_features, ratio=float(ratio), class_sep=class_sep,
                      random_state=random_state)  # fmt: skip
        prepared = prepare(ds, target=None, overrides={})
        split = make_split(prepared, test_size=0.25, random_state=random_state)
        for sampler, weighting in SWEEP_STRATEGIES:
            strategy = Strategy(SamplerConfig(sampler, random_state=random_state), weighting=weighting,
                                forest=ForestSettings(n_estimators=50), random_state=random_state)  # fmt: skip
            ev = evaluate(strategy, split, plan=prepared.plan)
            m = score(ev.y_test, ev.proba)
            rows.append({"ratio": float(ratio), "strategy": strategy.name, "recall": m["recall"],
                         "precision": m["precision"], "PR-AUC": m["pr_auc"]})  # fmt: skip
    return pd.DataFrame(rows)


def sweep_summary(table: pd.DataFrame, *, n_rows: int = 4_000, test_share: float = 0.25) -> list[str]:
    """Sentences read off a :func:`ratio_sweep` table (they follow the numbers)."""
    lo, hi = table["ratio"].min(), table["ratio"].max()
    first, last = table[table["ratio"] == lo], table[table["ratio"] == hi]
    out = []
    for name in table["strategy"].unique():
        a = first[first["strategy"] == name].iloc[0]
        b = last[last["strategy"] == name].iloc[0]
        out.append(
            f"{name}: recall {a['recall']:.2f} at {lo:g} : 1, {b['recall']:.2f} at {hi:g} : 1 "
            f"(precision {b['precision']:.2f}, PR-AUC {b['PR-AUC']:.2f})."
        )
    fell = all(
        last[last["strategy"] == n]["PR-AUC"].iloc[0] < first[first["strategy"] == n]["PR-AUC"].iloc[0]
        for n in table["strategy"].unique()
    )
    best = last.sort_values("PR-AUC", ascending=False).iloc[0]
    out.append(
        ("PR-AUC fell for every strategy as the class got rarer" if fell else "PR-AUC did not fall for every strategy")
        + f"; at {hi:g} : 1 the best ranking was {best['strategy']} ({best['PR-AUC']:.2f})."
    )
    minority_in_test = max(1, round(n_rows / (hi + 1) * test_share))
    out.append(
        f"At {hi:g} : 1 the test split holds about {minority_in_test} row(s) of the small class, so those points "
        "are noisy: one case more or less moves recall a lot."
    )
    return out
