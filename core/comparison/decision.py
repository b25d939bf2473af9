"""The decision a manager reads first: which strategy to use at the user's costs and production rate, between fair
rivals, in whole cases, and what it saves against doing nothing.

For two classes only. A strategy left at a threshold of 0.5 loses to a resampled one for a reason that has
nothing to do with resampling: its threshold was never moved toward the costs. So the decision judges
**fair rivals** (:func:`fair_rivals`): each distinct fitted model of the comparison at the threshold tuned for
the user's costs at the production rate, on its own training folds' held-out scores (the "lowest cost"
objective of :mod:`core.modelling.thresholds`; no model is fitted again). The strategies as the user set them
stay on the page; the decision says it reads the fair ones.

Each rival is priced per ``per`` cases scored at the production rate ``q`` from its test-split recall and
false-alarm rate (:func:`core.comparison.production.outcome`, the production table's own figures), with the
Jeffreys interval that module gives every count. A strategy is named as the one to use only when it is
cheaper than **every** other rival beyond noise (the paired interval of each cost difference at the rate
excludes 0, :func:`core.comparison.intervals.verdict`, judged as shown), no strategy as set is cheaper than it
beyond noise, and it saves money against flagging no one beyond noise. Otherwise the summary says there is no
clear winner, names the rivals within noise of the cheapest and, when the plain baseline is among them, the
simpler path: its threshold moved, no synthetic rows or weights, its probabilities at the data's rate.

It then says what resampling (or weights, or another model) bought **beyond moving the threshold**: each such
rival against the baseline's rival, both at thresholds tuned for the costs, by the paired interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import pandas as pd

from core.comparison.intervals import cost_difference, cost_interval, difference_intervals
from core.comparison.production import Deployment, Outcome, outcome, people, whole
from core.comparison.verdicts import Verdict, format_difference, verdict
from core.modelling.evaluation import Evaluation, confusion, keep_with, predict
from core.modelling.strategies import Strategy, StrategyError, Threshold
from core.modelling.tuned import at_tuned_threshold

__all__ = [
    "Decision",
    "Effect",
    "cost_column",
    "cost_digits",
    "decision_summary",
    "effects",
    "fair_rivals",
    "fair_twin",
    "family",
]


@dataclass(frozen=True)
class Decision:
    """The summary: a headline, the lines under it, the strategy to use (None: no clear winner), the rivals within
    noise of the cheapest (the cheapest first), every rival judged (at thresholds tuned for the costs), the basis
    of the judgement in one line (the costs, the rate, the unit, how thresholds were chosen) and the table of the
    rivals (cheapest first: per ``per`` cases, caught, false alarms, cost and saving; the test split's counts)."""

    headline: str
    lines: tuple[str, ...]
    pick: str | None
    tied: tuple[str, ...]
    rivals: tuple[Evaluation, ...] = ()
    basis: str = ""
    table: pd.DataFrame | None = field(default=None, compare=False)


def fair_twin(strategy: Strategy, setting: Deployment) -> Strategy:
    """``strategy``'s model with its threshold tuned for the lowest cost at ``setting``'s costs and rate."""
    tuning = replace(strategy.tuning, cost_fp=setting.cost_fp, cost_fn=setting.cost_fn, rate=setting.rate)
    return replace(strategy.fitted_as, threshold=Threshold.COST, tuning=tuning)


def _identity(evals: list[Evaluation]) -> tuple:
    return tuple((ev.name, ev.strategy, ev.threshold, len(ev.y_test)) for ev in evals)


def fair_rivals(evals: list[Evaluation], setting: Deployment) -> list[Evaluation]:
    """Each distinct fitted model of ``evals`` (two classes) at the threshold tuned for ``setting``'s costs at its
    rate on the model's training folds (:func:`core.modelling.evaluation.at_tuned_threshold`), in the order the
    models first appear. A strategy already tuned for exactly these is itself; a model whose threshold cannot be
    tuned (its fold fits failed) stays at its own threshold. Kept with the first evaluation."""

    def compute() -> tuple[Evaluation, ...]:
        out: dict[Strategy, Evaluation] = {}
        for ev in evals:
            twin = fair_twin(ev.strategy, setting)
            if twin.fitted_as in out:
                continue
            try:
                out[twin.fitted_as] = ev if ev.strategy == twin else at_tuned_threshold(ev, twin)
            except StrategyError:
                out[twin.fitted_as] = ev
        return tuple(out.values())

    key = ("fair", _identity(evals), setting.cost_fp, setting.cost_fn, setting.rate)
    return list(keep_with(evals[0], key, compute))


def cost_column(
    evals: list[Evaluation], *, cost_fp: float, cost_fn: float, rate: float | None = None
) -> list[tuple[float, float, float]]:
    """Each strategy's cost per case on the test split at its threshold, as ``(value, low, high)``: at the production
    ``rate`` the production table's own figure per case (:func:`core.comparison.production.outcome`, the same
    draws), else at the test split's mix."""
    out = []
    for ev in evals:
        if rate is not None:
            out.append(outcome(confusion(ev), rate=rate, per=1.0, cost_fp=cost_fp, cost_fn=cost_fn).cost)
            continue
        e = cost_interval(ev.y_test, predict(ev.proba, threshold=ev.threshold), cost_fp=cost_fp, cost_fn=cost_fn)
        out.append((e.value, e.low, e.high))
    return out


def cost_digits(*values: float) -> int:
    """Decimals a cost is shown (and judged) at, from the scale of ``values`` (the cost of flagging no one and of
    flagging everyone): none from 100 up, one from 10, else two."""
    top = max((abs(v) for v in values if not math.isnan(v)), default=0.0)
    return 0 if top >= 100 else 1 if top >= 10 else 2


def family(strategy: Strategy, base: Strategy) -> str:
    """Which way of handling the imbalance a strategy tries, against the baseline, its threshold aside."""
    if strategy.sampler.key != base.sampler.key and strategy.sampler.key != "none":
        return "resampling"
    if strategy.weighting != base.weighting and strategy.weighting != "none":
        return "class weights"
    if strategy.model != base.model:
        return "another model"
    if strategy.calibration != base.calibration:
        return "calibration"
    return "same as the baseline"


def _plain(strategy: Strategy) -> bool:
    """No resampling, no weights, no model that balances inside itself: the simpler path."""
    return (
        strategy.sampler.key == "none"
        and strategy.weighting == "none"
        and strategy.model in {"rf", "logreg", "hgb", "adaboost"}
    )


def _money(v: float, digits: int) -> str:
    return f"{v:,.{digits}f}"


def _interval(v: tuple[float, float, float], digits: int) -> str:
    return f"{_money(v[0], digits)} [{_money(v[1], digits)}, {_money(v[2], digits)}]"


def decision_summary(evals: list[Evaluation], setting: Deployment) -> Decision | None:
    """Which strategy to use at ``setting``'s costs and production rate, between fair rivals, in whole cases per
    ``setting.per`` cases scored; None for more than two classes. See the module docstring for the rule."""
    if not evals or not evals[0].binary:
        return None
    key = ("decision", _identity(evals), setting)
    return keep_with(evals[0], key, lambda: _decide(evals, setting))


def listed(names: list[str]) -> str:
    """Names in a sentence: "a, b and c", or "a; b; and c" when a name has a comma of its own."""
    if len(names) < 2:
        return "".join(names)
    if any("," in n for n in names):
        return "; ".join(names[:-1]) + ("; and " if len(names) > 2 else " and ") + names[-1]
    return ", ".join(names[:-1]) + " and " + names[-1]


def called(ev: Evaluation) -> str:
    """A rival as the decision names it: its model and the threshold it is judged at ("SMOTE + RF at 0.35")."""
    return f"{ev.strategy.fitted_as.name} at {ev.threshold:.2f}"


def _decide(evals: list[Evaluation], setting: Deployment) -> Decision:
    q, per, unit = setting.rate, setting.per, setting.unit
    small = evals[0].classes[-1]
    rivals = fair_rivals(evals, setting)
    outcomes = [outcome(confusion(r), rate=q, per=per, cost_fp=setting.cost_fp, cost_fn=setting.cost_fn)
                for r in rivals]  # fmt: skip
    nothing = setting.cost_fn * q * per
    digits = cost_digits(nothing, setting.cost_fp * (1 - q) * per)  # the scale: flagging no one, or everyone
    basis = (f"Judged at a false alarm costing {setting.cost_fp:g} and a missed {small!r} {setting.cost_fn:g}, with "
             f"{q:.3%} {small!r} among the cases scored, {unit}; each model at a threshold tuned for these on its "
             "own training folds (never on the test split). The strategies as you set them are in the tables below.")  # fmt: skip
    order = sorted(range(len(rivals)), key=lambda i: (outcomes[i].cost[0], i))
    best, o_best = rivals[order[0]], outcomes[order[0]]
    lines = [f"Doing nothing (flagging no one) costs {_money(nothing, digits)} {unit}: every {small!r} is missed."]
    table = pd.DataFrame([_row(rivals[i], outcomes[i], nothing, digits) for i in order])
    if setting.cost_fp + setting.cost_fn == 0:
        return Decision("Both costs are 0, so every strategy costs the same: set the costs to choose.", tuple(lines),
                        None, tuple(r.name for r in rivals), tuple(rivals), basis, table)  # fmt: skip
    y, pred = best.y_test, predict(best.proba, threshold=best.threshold)

    def against(ev: Evaluation) -> Verdict:
        d, low, high, same = cost_difference(y, pred, predict(ev.proba, threshold=ev.threshold),
                                             cost_fp=setting.cost_fp, cost_fn=setting.cost_fn, rate=q)  # fmt: skip
        return verdict("cost", d * per, low * per, high * per, identical=same, digits=digits)

    tied = [best] + [rivals[j] for j in order[1:] if against(rivals[j]) != Verdict.WORSE]
    names = {r.name for r in rivals}
    cheaper_as_set = [ev for ev in evals if ev.name not in names and against(ev) == Verdict.BETTER]
    saving = _saving(o_best, nothing)
    saves = verdict("saving", *saving, digits=digits) == Verdict.BETTER  # more saved is better
    lines += [e.sentence(unit) for e in effects(evals, setting) if e.kind != "moving the threshold"]
    base = rivals[0]
    simpler = (base is not best and base in tied and _plain(base.strategy)
               and family(best.strategy, base.strategy) != "same as the baseline")  # fmt: skip
    if simpler:
        lines.append(
            f"Within noise of the cheapest is the simpler path, {called(base)}: only its threshold moved, no "
            "synthetic rows or weights, so it learns from the rows at their real rate and its scores need no "
            "correction."
        )

    def decided(headline: str, pick: Evaluation | None, within: list[Evaluation]) -> Decision:
        return Decision(headline, tuple(lines), pick.name if pick else None, tuple(r.name for r in within),
                        tuple(rivals), basis, table)  # fmt: skip

    if len(rivals) == 1:
        return decided(f"{called(best)}: {_short(o_best, small, unit)}.", best, [best])
    if not saves:
        return decided(f"No strategy is clearly cheaper than doing nothing at these costs: the cheapest, "
                       f"{called(best)}, saves {format_difference(*saving, digits=digits)} {unit} against flagging "
                       "no one.", None, tied)  # fmt: skip
    if len(tied) == 1 and not cheaper_as_set:
        return decided(f"Use {called(best)}: with every model's threshold tuned for your costs, it is cheaper than "
                       f"each other beyond noise, {_money(o_best.cost[0], digits)} {unit}.", best, [best])  # fmt: skip
    if cheaper_as_set:
        them = listed([ev.name for ev in cheaper_as_set])
        return decided(f"No clear winner at these costs: {called(best)} costs least of the models tuned for them, but "
                       f"{them}, as you set {'it' if len(cheaper_as_set) == 1 else 'them'}, costs less on the test "
                       "split beyond noise.", None, tied)  # fmt: skip
    rest = listed([called(r) for r in tied[1:]])
    headline = (f"No clear winner at these costs: with thresholds tuned for them, {called(best)} costs least, but "
                f"{rest} {'is' if len(tied) == 2 else 'are'} within noise of it.")  # fmt: skip
    if simpler:
        headline += " The simpler path is among them."
    return decided(headline, None, tied)


def _saving(o: Outcome, nothing: float) -> tuple[float, float, float]:
    """What a strategy saves against flagging no one, with its interval (doing nothing's cost is exact at the rate)."""
    return nothing - o.cost[0], nothing - o.cost[2], nothing - o.cost[1]


def _short(o: Outcome, small: str, unit: str) -> str:
    return (f"{people(o.caught[0])} of the {whole(o.rate * o.per)} {small!r} caught and "
            f"{people(o.false_alarms[0])} false alarms {unit}")  # fmt: skip


def _row(ev: Evaluation, o: Outcome, nothing: float, digits: int) -> dict[str, str]:
    """One rival in the decision's table: per ``per`` cases, whole cases caught and false alarms, its cost with its
    interval and its saving against doing nothing; then its counts on the test split."""
    cm = confusion(ev)
    caught, cases, alarms, others = int(cm[1, 1]), int(cm[1].sum()), int(cm[0, 1]), int(cm[0].sum())
    return {
        "model and threshold": called(ev),
        "caught": f"{people(o.caught[0])} of {whole(o.rate * o.per)}",
        "false alarms": people(o.false_alarms[0]),
        "cost": _interval(o.cost, digits),
        "saving": format_difference(*_saving(o, nothing), digits=digits),
        "test split: caught": f"{caught:,} of {cases:,}",
        "test split: false alarms": f"{alarms:,} of {others:,}",
    }


@dataclass(frozen=True)
class Effect:
    """What one way of handling the imbalance did to the cost, against the baseline: ``kind`` is "moving the
    threshold" (the baseline as set against its rival), or a family (:func:`family`) beyond moving the threshold
    (a rival against the baseline's rival, both tuned for the costs). ``cost`` is the paired difference per
    ``per`` cases (other minus baseline) with its interval, ``recall`` and ``precision`` the paired differences on
    the test split, ``caught`` and ``alarms`` the test split's counts of the baseline and the other."""

    kind: str
    name: str
    base: str
    cost: tuple[float, float, float]
    verdict: Verdict
    recall: tuple[float, float, float]
    precision: tuple[float, float, float]
    caught: tuple[int, int]
    alarms: tuple[int, int]
    cases: int
    digits: int

    def sentence(self, unit: str) -> str:
        """The effect in one sentence, its words decided by the verdict on the interval as shown."""
        result = {Verdict.BETTER: "saved", Verdict.WORSE: "cost more", Verdict.UNCLEAR: "made no clear difference",
                  Verdict.IDENTICAL: "changed no decision", Verdict.UNDEFINED: "could not be judged"}[self.verdict]  # fmt: skip
        counts = (f"on the test split caught {self.caught[1]} against {self.caught[0]} of {self.cases} cases, with "
                  f"{self.alarms[1]:,} against {self.alarms[0]:,} false alarms")  # fmt: skip
        recall = format_difference(*self.recall)
        precision = "" if math.isnan(self.precision[0]) else f", precision {format_difference(*self.precision)}"
        what = (f"Moving the threshold for these costs {result}: {self.name} against {self.base}, as set"
                if self.kind == "moving the threshold" else
                f"What {self.kind} bought beyond moving the threshold: {self.name} against {self.base}, both at "
                f"thresholds tuned for these costs, {result}")  # fmt: skip
        return (
            f"{what}: {format_difference(*self.cost, digits=self.digits)} {unit} (paired 95 % interval); "
            f"{counts}; recall {recall}{precision}."
        )


def effects(evals: list[Evaluation], setting: Deployment) -> list[Effect]:
    """Moving the baseline's threshold for the costs, then what each other family bought beyond it (see
    :class:`Effect`); the baseline is the first strategy. Kept with the first evaluation."""
    return list(keep_with(evals[0], ("effects", _identity(evals), setting), lambda: tuple(_effects(evals, setting))))


def _effects(evals: list[Evaluation], setting: Deployment) -> list[Effect]:
    rivals = fair_rivals(evals, setting)
    base = rivals[0]
    nothing = setting.cost_fn * setting.rate * setting.per
    digits = cost_digits(nothing, setting.cost_fp * (1 - setting.rate) * setting.per)
    pairs = []
    if evals[0] is not base:
        pairs.append(("moving the threshold", evals[0], base))
    pairs += [(family(ev.strategy, base.strategy), base, ev) for ev in rivals[1:]]
    out = []
    y = base.y_test
    for kind, a, b in pairs:
        if kind == "same as the baseline":
            continue
        pa, pb = predict(a.proba, threshold=a.threshold), predict(b.proba, threshold=b.threshold)
        d, low, high, same = cost_difference(y, pa, pb, cost_fp=setting.cost_fp, cost_fn=setting.cost_fn,
                                             rate=setting.rate)  # fmt: skip
        shown = (d * setting.per, low * setting.per, high * setting.per)
        paired = difference_intervals(y, (a.proba, pa), (b.proba, pb))
        caught = (int(((pa == 1) & (y == 1)).sum()), int(((pb == 1) & (y == 1)).sum()))
        alarms = (int(((pa == 1) & (y == 0)).sum()), int(((pb == 1) & (y == 0)).sum()))
        out.append(Effect(kind, called(b), f"{a.name} at {a.threshold:.2f}" if kind == "moving the threshold"
                          else called(a), shown, verdict("cost", *shown, identical=same, digits=digits),
                          paired["recall"][:3], paired["precision"][:3], caught, alarms, int((y == 1).sum()), digits))  # fmt: skip
    return out
