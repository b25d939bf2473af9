"""Training several strategies as the pages ask for it: what is already known is reused, the rest runs as one grid.

:func:`plan_training` says what a request will fit (which strategies are missing, which models must be fitted
for them, how many fits and about how long); :func:`train` does it:

- a strategy already evaluated (``stored``) is not trained again;
- a strategy with a tuned threshold is its model at the fixed threshold (:attr:`Strategy.fitted_as`) with a
  threshold read off that model's fold scores: the model is fitted once, with its folds, and any number of
  thresholds are tuned on it without another fit;
- the fits run where ``runner`` says (:func:`core.modelling.fitting.joblib_runner`); a runner that fails mid-run
  is reported through ``on_fallback`` and the grid runs again here;
- a stop (any ``BaseException`` that is not an ``Exception``, raised from ``progress``, as a page's
  Stop button or rerun does) passes straight through: nothing half-made is kept.

Nothing here knows about Streamlit: the caller brings the store, the progress bar and the messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.data.roles import FeaturePlan
from core.data.split import Split
from core.modelling.evaluation import Evaluation
from core.modelling.fit_cost import estimate_seconds, fit_count
from core.modelling.fitting import Progress, Runner, evaluate_many
from core.modelling.strategies import Strategy, StrategyError

__all__ = ["TrainingPlan", "plan_training", "train"]


@dataclass(frozen=True)
class TrainingPlan:
    """What a request will train: the ``missing`` strategies, the fixed-threshold models ``to_fit`` for them, the
    ``fits`` each of those needs and the estimated ``seconds`` in all (:func:`core.modelling.fit_cost.estimate_seconds`)."""

    missing: tuple[Strategy, ...]
    to_fit: tuple[Strategy, ...]
    fits: dict[Strategy, int]
    seconds: float


def plan_training(
    strategies: list[Strategy],
    split: Split,
    *,
    plan: FeaturePlan,
    cv_folds: int,
    cv_repeats: int,
    stored: Callable[[Strategy], Evaluation | None],
) -> TrainingPlan:
    """Which of ``strategies`` must be trained (``stored`` returns what is already known), which models must be
    fitted for them, with how many fits: a tuned strategy whose model is known fits nothing."""
    missing = tuple(s for s in dict.fromkeys(strategies) if stored(s) is None)
    to_fit = tuple(b for b in dict.fromkeys(s.fitted_as for s in missing) if stored(b) is None)
    counts = split.counts("train")
    n_rows = len(split.y_train)
    per = {b: fit_count(b, cv_folds=cv_folds, cv_repeats=cv_repeats, n_rows=n_rows, n_classes=len(counts))
           for b in to_fit}  # fmt: skip
    seconds = sum(estimate_seconds(b, counts=counts, n_features=len(plan.features)) * per[b] for b in to_fit)
    return TrainingPlan(missing, to_fit, per, seconds)


def train(
    strategies: list[Strategy],
    split: Split,
    *,
    plan: FeaturePlan,
    cv_folds: int,
    cv_repeats: int = 1,
    stored: Callable[[Strategy], Evaluation | None],
    keep: Callable[[Strategy, Evaluation], None],
    progress: Progress | None = None,
    runner: Runner | None = None,
    on_fallback: Callable[[Exception], None] | None = None,
) -> list[Evaluation | StrategyError]:
    """Each of ``strategies`` evaluated, in their order: from ``stored``, or trained (see the module docstring) and
    handed to ``keep`` (so are the models fitted for tuned strategies). A strategy that cannot be trained yields
    its :class:`StrategyError` in its place.

    ``progress(fraction, message)`` moves from 0 to 1 over the whole request.
    """
    todo = plan_training(strategies, split, plan=plan, cv_folds=cv_folds, cv_repeats=cv_repeats, stored=stored)
    results: dict[Strategy, Evaluation | StrategyError | None] = {s: stored(s) for s in strategies}
    if todo.missing:
        asked = list(dict.fromkeys([*todo.missing, *todo.to_fit]))
        reuse = {b: ev for b in {s.fitted_as for s in todo.missing} - set(todo.to_fit) if (ev := stored(b))}

        def run(where: Runner | None):
            return evaluate_many(asked, split, plan=plan, cv_folds=cv_folds, cv_repeats=cv_repeats,
                                 progress=progress, fitted=reuse, runner=where)  # fmt: skip

        try:
            evals = run(runner)
        except Exception as exc:  # the runner failed mid-run; a stop is a BaseException and passes
            if runner is None:
                raise
            if on_fallback is not None:
                on_fallback(exc)
            evals = run(None)
        for strategy, result in zip(asked, evals, strict=True):
            results[strategy] = result
            if isinstance(result, Evaluation):
                keep(strategy, result)
        if progress is not None:
            progress(1.0, "done")
    return [results[s] for s in strategies]
