"""Computations behind the lesson: the accuracy paradox and the leakage of resampling before splitting."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold

from core.comparison.production import Outcome
from core.data.distribution import class_codes
from core.data.preprocessing import categorical_as_text, preprocessor
from core.data.roles import FeaturePlan
from core.modelling.evaluation import score
from core.modelling.fitting import pad_columns
from core.resampling.catalogue import SamplerConfig, build_sampler, get_spec, resolve_spec

__all__ = [
    "LESSON_STEPS",
    "SWEEP_STRATEGIES",
    "LeakageResult",
    "LessonStep",
    "ProductionDemo",
    "ThresholdDemo",
    "leakage_demo",
    "majority_baseline",
    "production_demo",
    "ratio_sweep",
    "skewed_number_demo",
    "sweep_summary",
    "threshold_demo",
]


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
    Each metric comes with its 95 % interval (:mod:`core.comparison.intervals`); "cases" and "caught" are the small
    class's test rows and how many of them were flagged, and precision is NaN where nothing was flagged.
    """
    from core.comparison.intervals import metric_intervals
    from core.data.generated import generate
    from core.data.prepared import prepare
    from core.data.split import make_split
    from core.modelling.evaluation import predict
    from core.modelling.fitting import evaluate
    from core.modelling.strategies import ForestSettings, Strategy

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
            est = metric_intervals(ev.y_test, ev.proba, predict(ev.proba))
            row = {"ratio": float(ratio), "strategy": strategy.name, "cases": est["recall"].of,
                   "caught": est["recall"].hits}  # fmt: skip
            for key, label in (("recall", "recall"), ("precision", "precision"), ("pr_auc", "PR-AUC")):
                row |= {label: est[key].value, f"{label} low": est[key].low, f"{label} high": est[key].high}
            rows.append(row)
    return pd.DataFrame(rows)


def _num(x: float) -> str:
    """A number for a sentence: two decimals, or "–" where it is undefined."""
    return "–" if pd.isna(x) else f"{x:.2f}"


def _clear_leader(part: pd.DataFrame, metric: str) -> str | None:
    """The strategy whose interval lies wholly above every other's on ``metric``, else None."""
    ranked = part.dropna(subset=[metric]).sort_values(metric, ascending=False)
    if len(ranked) < 2:
        return None
    top, rest = ranked.iloc[0], ranked.iloc[1:]
    return str(top["strategy"]) if (top[f"{metric} low"] > rest[f"{metric} high"]).all() else None


def sweep_summary(table: pd.DataFrame) -> list[str]:
    """Sentences read off a :func:`ratio_sweep` table, each true of it (a test checks them against the table).

    A winner is named only where its interval lies above every other strategy's; an undefined number is "–".
    """
    lo, hi = table["ratio"].min(), table["ratio"].max()
    first, last = table[table["ratio"] == lo], table[table["ratio"] == hi]
    names = list(table["strategy"].unique())
    out = []
    for name in names:
        a = first[first["strategy"] == name].iloc[0]
        b = last[last["strategy"] == name].iloc[0]
        out.append(
            f"{name}: recall {_num(a['recall'])} at {lo:g} : 1, {_num(b['recall'])} at {hi:g} : 1 "
            f"({b['caught']:.0f} of {b['cases']:.0f}; precision {_num(b['precision'])}, PR-AUC {_num(b['PR-AUC'])})."
        )
    change = {n: last[last["strategy"] == n]["PR-AUC"].iloc[0] - first[first["strategy"] == n]["PR-AUC"].iloc[0]
              for n in names}  # fmt: skip
    fell = [n for n in names if change[n] < 0]
    rose = [n for n in names if change[n] > 0]
    if len(fell) == len(names):
        trend = f"PR-AUC fell for every strategy from {lo:g} : 1 to {hi:g} : 1"
    elif not fell:
        trend = f"PR-AUC fell for no strategy from {lo:g} : 1 to {hi:g} : 1"
    else:
        trend = f"PR-AUC fell for {len(fell)} of the {len(names)} strategies from {lo:g} : 1 to {hi:g} : 1"
        if rose:
            trend += f" (it rose for {', '.join(rose)})"
    leader = _clear_leader(last, "PR-AUC")
    cases = int(last["cases"].iloc[0])
    if leader:
        trend += f"; at {hi:g} : 1 {leader} ranks cases best, beyond the others' intervals."
    else:
        trend += (f"; at {hi:g} : 1 no strategy ranks cases clearly best: with {cases} row{'s' if cases != 1 else ''} "
                  "of the small class in the test split, their intervals overlap.")  # fmt: skip
    out.append(trend)
    out.append(
        f"At {hi:g} : 1 the test split holds {cases} row{'s' if cases != 1 else ''} of the small class, so one case "
        f"more or less moves recall by {1 / max(cases, 1):.2f}: read those points with their intervals."
    )
    return out


@dataclass(frozen=True)
class ProductionDemo:
    """The lesson's production step: one model's outcomes at the data's rate and at a rate ten times lower, and a
    SMOTE model's probabilities before and after they are moved back to the data's rate."""

    label: str
    data_rate: float
    production_rate: float
    at_data: Outcome
    at_production: Outcome
    smote_mean: float
    smote_mean_corrected: float
    error: float
    error_corrected: float

    def table(self, o: Outcome) -> pd.DataFrame:
        """One of the two rates' figures as the step shows them (the rate, then per 10,000 cases, whole cases)."""
        from core.comparison.production import people

        rate = self.data_rate if o is self.at_data else self.production_rate
        return pd.DataFrame({
            "": [f"rate of {self.label!r}", "recall", "false-alarm rate", "cases caught", "false alarms", "precision"],
            "value": [f"{rate:.2%}", f"{o.recall[0]:.2f}", f"{o.false_alarm_rate[0]:.3f}", people(o.caught[0]),
                      people(o.false_alarms[0]), f"{o.precision[0]:.1%}"],
        })  # fmt: skip

    def smote_table(self) -> pd.DataFrame:
        """The SMOTE model's probabilities as fitted and moved to the data's rate, against the data's rate."""
        return pd.DataFrame({
            "": ["average predicted chance", "calibration error"],
            "as fitted": [f"{self.smote_mean:.1%}", f"{self.error:.3f}"],
            "moved to the data's rate": [f"{self.smote_mean_corrected:.1%}", f"{self.error_corrected:.3f}"],
        })  # fmt: skip

    def sentences(self) -> list[str]:
        """What to look for, read off the numbers of :meth:`table` and :meth:`smote_table`."""
        from core.comparison.production import people

        a, b, label = self.at_data, self.at_production, repr(self.label)
        return [
            f"The same model, the same threshold: recall stays {a.recall[0]:.2f} and the false-alarm rate "
            f"{a.false_alarm_rate[0]:.3f}, but at {self.production_rate:.2%} {label} instead of {self.data_rate:.2%} "
            f"its precision falls from {a.precision[0]:.1%} to {b.precision[0]:.1%}: per 10,000 cases it raises "
            f"{people(b.false_alarms[0])} false alarms for {people(b.caught[0])} {label} caught.",
            f"SMOTE trained the model on a world where half the rows are {label}: its average predicted chance on the "
            f"test split is {self.smote_mean:.1%}, while {self.data_rate:.2%} of the rows are {label}. Moved back to "
            f"the data's rate (the prior-shift correction) it is {self.smote_mean_corrected:.1%}, and the calibration "
            f"error falls from {self.error:.3f} to {self.error_corrected:.3f}; the order of the rows, and so every "
            "decision at a matching threshold, is unchanged.",
        ]


def production_demo(prepared, split, *, random_state: int = 0) -> ProductionDemo:
    """:class:`ProductionDemo` on a prepared two-class dataset and its split (logistic regressions, a few seconds)."""
    from core.comparison.production import calibration_error, outcome, prior_shift
    from core.modelling.evaluation import confusion
    from core.modelling.fitting import evaluate
    from core.modelling.strategies import Strategy

    plain = evaluate(Strategy(model="logreg", weighting="balanced", random_state=random_state), split,
                     plan=prepared.plan)  # fmt: skip
    smote = evaluate(Strategy(SamplerConfig("smote", random_state=random_state), model="logreg",
                              random_state=random_state), split, plan=prepared.plan)  # fmt: skip
    y = plain.y_test
    data_rate = float(np.mean(y == 1))
    p = smote.proba[:, 1]
    corrected = prior_shift(p, trained_rate=0.5, rate=data_rate)
    return ProductionDemo(
        label=str(plain.classes[-1]),
        data_rate=data_rate, production_rate=data_rate / 10,
        at_data=outcome(confusion(plain), rate=data_rate), at_production=outcome(confusion(plain), rate=data_rate / 10),
        smote_mean=float(p.mean()), smote_mean_corrected=float(corrected.mean()),
        error=calibration_error(y, p), error_corrected=calibration_error(y, corrected),
    )  # fmt: skip


def skewed_number_demo(frame: pd.DataFrame, *, target: str, plan: FeaturePlan, random_state: int = 0):
    """The lesson's "skewed numbers" step on a frame with a skewed numeric ``target``: histogram gradient boosting
    with no handling and with DenseWeight's weights, on the split the app makes; returns the training target,
    the rare range and both strategies' :class:`~core.comparison.number_errors.NumberScores` (a few seconds)."""
    from core.comparison.number_errors import number_scores
    from core.data.numeric_target import box_plot_range, number_split, number_target
    from core.modelling.number_models import fit_number_strategy

    _, whole = number_target(frame[target])
    split = number_split(frame, target=target, features=plan.features, rare=whole, test_size=0.2,
                         random_state=random_state)  # fmt: skip
    rare = box_plot_range(split.y_train.to_numpy())
    y_test = split.y_test.to_numpy()
    scores = []
    for strategy in ("none", "dense_weights"):
        fit = fit_number_strategy(split, plan=plan, strategy=strategy, model="hgb", rare=rare,
                                  random_state=random_state)  # fmt: skip
        scores.append(number_scores(fit.name, y_test, fit.y_pred, rare=rare.mask(y_test)))
    return split.y_train.to_numpy(), rare, scores


@dataclass(frozen=True)
class ThresholdDemo:
    """The lesson's "rebalance, or move the threshold?" step: one model with no handling and after SMOTE, each at
    0.5 and at a threshold tuned for the costs on its training folds, side by side (``table``, one row each), and
    ``effect``: what SMOTE bought beyond moving the threshold, by the paired interval."""

    label: str
    rate: float
    table: pd.DataFrame
    effect: str
    unit: str

    def row(self, strategy: str) -> dict:
        """The table's row of ``strategy``."""
        return self.table.set_index("strategy").loc[strategy].to_dict()

    def sentences(self) -> list[str]:
        """What to look for, each number read off the table (or, for the effect, off its paired interval)."""
        names = list(self.table["strategy"])
        plain_moved, smote_half, smote_moved = (self.row(n) for n in names[1:])
        plain_half = self.row(names[0])
        return [
            f"At 0.50 the plain model costs {plain_half['cost']} {self.unit}; with its threshold moved to "
            f"{plain_moved['threshold']} for your costs it costs {plain_moved['cost']}, without a single new row.",
            f"SMOTE at 0.50 costs {smote_half['cost']}, and with its own threshold moved to {smote_moved['threshold']}, "
            f"{smote_moved['cost']}.",
            self.effect,
            f"{self.rate:.2%} of the test rows are {self.label!r}. The plain model's average predicted chance is "
            f"{plain_half['mean predicted chance']} (Brier score {plain_half['Brier score']}); after SMOTE it is "
            f"{smote_half['mean predicted chance']} (Brier score {smote_half['Brier score']}). A threshold moves "
            "decisions; resampling moves every probability.",
        ]


def threshold_demo(prepared, split, *, cost_fp: float, cost_fn: float, random_state: int = 0) -> ThresholdDemo:
    """:class:`ThresholdDemo` on a prepared two-class dataset and its split: gradient boosting (histogram), with no
    handling and after SMOTE, each tuned for the costs ``cost_fp`` and ``cost_fn`` at the test split's rate (a few seconds)."""
    from core.comparison.decision import effects, fair_rivals
    from core.comparison.production import Deployment, outcome
    from core.modelling.evaluation import confusion
    from core.modelling.fitting import evaluate_many
    from core.modelling.strategies import Strategy, StrategyError

    evals = evaluate_many([Strategy(model="hgb", random_state=random_state),
                           Strategy(SamplerConfig("smote", random_state=random_state), model="hgb",
                                    random_state=random_state)], split, plan=prepared.plan)  # fmt: skip
    for ev in evals:
        if isinstance(ev, StrategyError):
            raise ev
    rate = float(np.mean(evals[0].y_test == 1))
    setting = Deployment(rate=rate, per=10_000.0, unit="per 10,000 cases scored", cost_fp=cost_fp, cost_fn=cost_fn,
                         fitted_at=())  # fmt: skip
    plain, smote = evals
    moved_plain, moved_smote = fair_rivals(evals, setting)
    rows = []
    for ev, name in ((plain, "HGB at 0.50"), (moved_plain, "HGB, threshold moved"),
                     (smote, "SMOTE + HGB at 0.50"), (moved_smote, "SMOTE + HGB, threshold moved")):  # fmt: skip
        o = outcome(confusion(ev), rate=rate, cost_fp=cost_fp, cost_fn=cost_fn)
        cm = confusion(ev)
        p = ev.proba[:, 1]
        rows.append({
            "strategy": name, "threshold": f"{ev.threshold:.2f}", "cost": f"{o.cost[0]:,.0f} [{o.cost[1]:,.0f}, {o.cost[2]:,.0f}]",
            "caught": f"{int(cm[1, 1])} of {int(cm[1].sum())}", "false alarms": f"{int(cm[0, 1]):,}",
            "mean predicted chance": f"{p.mean():.2%}",
            "Brier score": f"{float(np.mean((p - (ev.y_test == 1)) ** 2)):.4f}",
        })  # fmt: skip
    smote_effect = next(e for e in effects(evals, setting) if e.kind == "resampling")
    return ThresholdDemo(
        str(plain.classes[-1]), rate, pd.DataFrame(rows), smote_effect.sentence(setting.unit), setting.unit
    )


@dataclass(frozen=True)
class LessonStep:
    """One step of the ten-minute lesson: its title, the one thing to do, and the one sentence to look for."""

    key: str
    title: str
    action: str
    look_for: str


#: The ten-minute lesson, in an order that builds: each step uses only what the steps before it explained.
LESSON_STEPS = (
    LessonStep("paradox", "The accuracy paradox", "Read the four numbers below.",
               "A 'model' that never finds the small class still scores the large class's share as its accuracy; "
               "the other three numbers show it finds nothing."),
    LessonStep("smote", "SMOTE makes new rows", "Open SMOTE step by step and press Next step four times.",
               "Every new row sits on a line between two real rows of the small class."),
    LessonStep("leakage", "Leakage: resample after the split", "Press Run the two evaluations.",
               "Resampling before the split scores higher; that gap is leakage, not skill."),
    LessonStep("thresholds", "Rebalance, or move the threshold?", "Press Compare the two fixes.",
               "What each fix saves at your costs, and whose predicted chances match how often the small class "
               "really occurs."),
    LessonStep("production", "Scores in the data, scores in production", "Press Score it for production.",
               "Recall stays when cases get rarer; precision falls. After SMOTE, a score of 0.5 is not a 50 % chance."),
    LessonStep("hardness", "Rare is not the same as hard", "Press Compare the two datasets.",
               "Both datasets are 1 : 20, but only in the overlapping one is most of the small class unsafe."),
    LessonStep("numbers", "Skewed numbers are imbalance too", "Press Fit the two models.",
               "Fitted for the average error, a model is worst on the rare large values; weighting them up buys "
               "accuracy there and costs it on the common ones."),
)  # fmt: skip
