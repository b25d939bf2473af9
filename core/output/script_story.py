"""The sections of the class script that repeat the page's story: each model's outcome at the production rate (section
7) and the decision between fair rivals, every model at a threshold tuned for the costs at that rate (section 8).
"""

from __future__ import annotations

from collections.abc import Sequence

from core.comparison.production import Deployment
from core.modelling.strategies import Strategy, folds_for
from core.output.python_source import AT_RATE_SOURCE, SourceWriter, comment_safe
from core.output.script_parts import comment

__all__ = ["decision_section", "fair_twins", "production_section"]


def production_section(deployment: Deployment, label: object, w: SourceWriter) -> str:
    """Section 7: each fitted model's outcome per ``deployment.per`` cases at the production rate."""
    d = deployment
    lines = [
        f"# ---- 7. In production: {comment_safe(repr(label))} at {d.rate:.4%} of the rows scored (the page's setting) ----",
        *comment(
            "Recall and the false-alarm rate carry over from the test split to another rate; precision, the alerts "
            "and the cost follow the rate. A model fitted on resampled or weighted rows learnt another rate of "
            "the small class: at_rate moves its probabilities to the production rate, keeping its decisions."
        ),
        f"PRODUCTION_RATE = {w(d.rate)}",
        f"PER = {w(d.per)}  # {comment_safe(d.unit)}",
        f"COST_FP, COST_FN = {w(d.cost_fp)}, {w(d.cost_fn)}  # a false alarm, a missed case",
        "FITTED_AT = {  # the rate of the small class each model was fitted at (after resampling or weights)",
        *[f"    {w(name)}: {w(rate)}," for name, rate in d.fitted_at],
        "}",
        "",
        "",
        AT_RATE_SOURCE.rstrip("\n"),
        "",
        "",
        "for name, model in models.items():  # fitted in section 6",
        "    proba = model.predict_proba(X_test)[:, 1]",
        '    threshold = getattr(model, "best_threshold_", 0.5)',
        "    y_pred = (proba >= threshold).astype(int)",
        "    recall, false_alarm_rate = np.mean(y_pred[y_test == 1]), np.mean(y_pred[y_test == 0])",
        "    caught = PER * recall * PRODUCTION_RATE",
        "    missed = PER * (1 - recall) * PRODUCTION_RATE",
        "    false_alarms = PER * false_alarm_rate * (1 - PRODUCTION_RATE)",
        '    print(f"== {name} in production ==")',
        "    print(f\"{'flagged':<28} {caught + false_alarms:.{DIGITS}f}\")",
        "    print(f\"{'cases caught':<28} {caught:.{DIGITS}f}\")",
        "    print(f\"{'cases missed':<28} {missed:.{DIGITS}f}\")",
        "    print(f\"{'false alarms':<28} {false_alarms:.{DIGITS}f}\")",
        "    print(f\"{'cost':<28} {COST_FP * false_alarms + COST_FN * missed:.{DIGITS}f}\")",
        "    if caught + false_alarms > 0:",
        "        print(f\"{'precision':<28} {caught / (caught + false_alarms):.{DIGITS}f}\")",
        "    if FITTED_AT.get(name) is not None:",
        "        meant = at_rate(threshold, FITTED_AT[name], PRODUCTION_RATE)",
        '        print(f"its threshold {threshold:.2f} is a probability of {meant:.{DIGITS}f} in production")',
        "    print()",
    ]
    return "\n".join(lines)


def fair_twins(strategies: Sequence[Strategy], deployment: Deployment) -> list[tuple[Strategy, Strategy]]:
    """Each distinct model's twin at a threshold tuned for the deployment's costs and rate, with the first strategy
    of that model (as :func:`core.comparison.decision.fair_rivals` picks them)."""
    from core.comparison.decision import fair_twin

    out: dict[Strategy, tuple[Strategy, Strategy]] = {}
    for s in strategies:
        twin = fair_twin(s, deployment)
        out.setdefault(twin.fitted_as, (twin, s))
    return list(out.values())


def decision_section(
    fair: list[tuple[Strategy, Strategy]], strategies: Sequence[Strategy], cv_folds: int, cv_repeats: int,
    n_rows: int, w: SourceWriter,
) -> str:  # fmt: skip
    """Section 8: every model at a threshold tuned for the production costs and rate on its training folds, priced
    per PER cases at PRODUCTION_RATE against doing nothing, as the page's decision judges them."""
    lines = [
        "# ---- 8. The decision: every model at a threshold tuned for your costs at the production rate ----",
        *comment(
            "A model left at 0.5 would lose to a resampled one only because its threshold was never moved toward "
            "the costs. So each model gets a threshold tuned for COST_FP and COST_FN at PRODUCTION_RATE on folds of "
            "the training split (the same folds the app used), then is priced on the untouched test split."
        ),
        "",
        "",
        "def minus_cost_in_production(y_true, y_pred):",
        '    """Minus the cost per case at PRODUCTION_RATE (scikit-learn maximises a score)."""',
        "    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()",
        "    false_alarms = fp / (fp + tn) if fp + tn > 0 else 0.0",
        "    misses = fn / (tp + fn) if tp + fn > 0 else 0.0",
        "    return -(COST_FP * false_alarms * (1 - PRODUCTION_RATE) + COST_FN * misses * PRODUCTION_RATE)",
        "",
        "",
        "fair = {}",
    ]
    for twin, first in fair:
        if twin in strategies:
            lines.append(f"fair[{w(twin.name)}] = models[{w(twin.name)}]  # already tuned for these costs")
            continue
        model = f"models[{w(first.name)}]" + (".estimator" if first.tunes_threshold else "")
        cv = folds_for(cv_folds, repeats=cv_repeats, random_state=twin.random_state) if cv_folds >= 2 else folds_for(
            twin.tuning.folds_for(n_rows), random_state=twin.random_state)  # fmt: skip
        lines.append(f"fair[{w(twin.name)}] = TunedThresholdClassifierCV(\n    clone({model}),\n"
                     f"    scoring=make_scorer(minus_cost_in_production),\n    cv={w(cv)},\n)")  # fmt: skip
    lines += [
        "nothing = PER * COST_FN * PRODUCTION_RATE  # flagging no one misses every case",
        'print("== doing nothing ==")',
        "print(f\"{'cost':<28} {nothing:.{DIGITS}f}\")",
        "print()",
        "for name, model in fair.items():",
        "    model.fit(X_train, y_train)",
        "    threshold = model.best_threshold_",
        "    y_pred = (model.predict_proba(X_test)[:, 1] >= threshold).astype(int)",
        "    recall, false_alarm_rate = np.mean(y_pred[y_test == 1]), np.mean(y_pred[y_test == 0])",
        "    cost = PER * (COST_FP * false_alarm_rate * (1 - PRODUCTION_RATE) + COST_FN * (1 - recall) * PRODUCTION_RATE)",
        '    print(f"== {name} at your costs ==")',
        "    print(f\"{'threshold':<28} {threshold:.{DIGITS}f}\")",
        "    print(f\"{'cost':<28} {cost:.{DIGITS}f}\")",
        "    print(f\"{'saving':<28} {nothing - cost:.{DIGITS}f}\")",
        "    print()",
    ]
    return "\n".join(lines)
