"""The decision a manager reads first: which strategy to use at the user's costs, in counts, and what it gives up.

For two classes only. Each strategy is judged at its own threshold on the untouched test split by its
cost per case (false alarms times the cost of one, missed cases times the cost of one), with the
interval of :func:`core.comparison.intervals.cost_interval`. A strategy is named as the one to use
only when it is cheaper than **every** other beyond noise (the paired interval of each cost difference
excludes 0, :func:`core.comparison.intervals.verdict`); otherwise the summary says there is no clear
winner and names the strategies within noise of the cheapest. Either way it says, in counts, what the
cheapest catches and raises, and what it gives up against the runner-up.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.comparison.intervals import Verdict, cost_difference, cost_interval, verdict
from core.modelling.evaluation import Evaluation, confusion, predict

__all__ = ["Decision", "cost_column", "decision_summary"]


@dataclass(frozen=True)
class Decision:
    """The summary: a headline, the lines under it, the strategy to use (None: no clear winner) and the
    strategies within noise of the cheapest (the cheapest first)."""

    headline: str
    lines: tuple[str, ...]
    pick: str | None
    tied: tuple[str, ...]


def _counts(ev: Evaluation) -> tuple[int, int, int, int]:
    """Caught, cases, false alarms, non-cases of ``ev`` on the test split at its threshold."""
    cm = confusion(ev)
    return int(cm[1, 1]), int(cm[1].sum()), int(cm[0, 1]), int(cm[0].sum())


def _catches(ev: Evaluation) -> str:
    caught, cases, alarms, others = _counts(ev)
    small, large = ev.classes[-1], ev.classes[0]
    return (f"catches {caught:,} of {cases:,} {small!r}, with {alarms:,} false alarm{'s' * (alarms != 1)} "
            f"among {others:,} {large!r}")  # fmt: skip


def _cost_text(v: float, low: float, high: float) -> str:
    return f"{v:,.3f} per case [{low:,.3f}, {high:,.3f}]"


def cost_column(evals: list[Evaluation], *, cost_fp: float, cost_fn: float) -> list[tuple[float, float, float]]:
    """Each strategy's cost per case on the test split at its threshold, as ``(value, low, high)``."""
    out = []
    for ev in evals:
        e = cost_interval(ev.y_test, predict(ev.proba, threshold=ev.threshold), cost_fp=cost_fp, cost_fn=cost_fn)
        out.append((e.value, e.low, e.high))
    return out


def decision_summary(evals: list[Evaluation], *, cost_fp: float, cost_fn: float) -> Decision | None:
    """Which strategy to use at the costs ``cost_fp`` (a false alarm) and ``cost_fn`` (a missed case), in counts;
    None for more than two classes. See the module docstring for the rule."""
    if not evals or not evals[0].binary:
        return None
    small = evals[0].classes[-1]
    costs = cost_column(evals, cost_fp=cost_fp, cost_fn=cost_fn)
    at = f"a false alarm costing {cost_fp:g} and a missed {small!r} {cost_fn:g}"
    order = sorted(range(len(evals)), key=lambda i: (costs[i][0], -_counts(evals[i])[0]))
    best = order[0]
    ev = evals[best]
    n = len(ev.y_test)
    first = (f"{ev.name} {_catches(ev)} on the test split: a cost of {costs[best][0] * n:,.0f} there, "
             f"{_cost_text(*costs[best])}.")  # fmt: skip
    if len(evals) == 1:
        return Decision(f"At {at}: {ev.name} {_catches(ev)}.", (first,), ev.name, (ev.name,))
    if cost_fp + cost_fn == 0:
        return Decision("Both costs are 0, so every strategy costs the same: set the costs to choose.",
                        (first,), None, tuple(e.name for e in evals))  # fmt: skip
    y, pred = ev.y_test, predict(ev.proba, threshold=ev.threshold)
    words, diffs = {}, {}
    for j in order[1:]:
        other = predict(evals[j].proba, threshold=evals[j].threshold)
        d, low, high, same = cost_difference(y, pred, other, cost_fp=cost_fp, cost_fn=cost_fn)
        diffs[j] = (d, low, high)
        words[j] = verdict("cost", d, low, high, identical=same)
    tied = (best, *(j for j in order[1:] if words[j] != Verdict.WORSE))
    runner = order[1]
    d, low, high = diffs[runner]
    ra = evals[runner]
    (c1, _, a1, _), (c2, _, a2, _) = _counts(ev), _counts(ra)
    trade = _trade(c1 - c2, a1 - a2, small=repr(small))
    against = (f"Against the runner-up, {ra.name} ({_catches(ra)}), it {trade}; the runner-up costs "
               f"{d:+,.3f} per case [{low:+,.3f}, {high:+,.3f}].")  # fmt: skip
    if len(tied) == 1:
        headline = f"Use {ev.name}: at {at}, it is cheaper than every other strategy beyond noise."
        return Decision(headline, (first, against), ev.name, (ev.name,))
    names = ", ".join(evals[j].name for j in tied[1:])
    headline = (f"No clear winner at {at}: {ev.name} costs least on the test split, but {names} "
                f"{'is' if len(tied) == 2 else 'are'} within noise of it.")  # fmt: skip
    return Decision(headline, (first, against), None, tuple(evals[j].name for j in tied))


def _trade(more_caught: int, more_alarms: int, *, small: str) -> str:
    """What the cheapest gives or gains against the runner-up, in counts."""

    def amount(k: int, what: str, plural: str) -> str:
        return f"{abs(k):,} {'more' if k > 0 else 'fewer'} {what if abs(k) == 1 else plural}"

    parts = []
    if more_caught:
        parts.append(f"catches {amount(more_caught, small, small)}")
    if more_alarms:
        parts.append(f"raises {amount(more_alarms, 'false alarm', 'false alarms')}")
    return " and ".join(parts) if parts else "makes the same number of catches and false alarms"
