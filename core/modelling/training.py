"""Training several strategies as the pages ask for it: what is already known is reused, the rest runs as one grid.

:func:`plan_training` says what a request will fit (which strategies are missing, in which waves, how
many fits and about how long); :func:`train` does it:

- a strategy already evaluated (``stored``) is not trained again;
- a strategy with a tuned threshold reuses the full fit of its twin at the fixed threshold (the model
  is the same, only the tuning folds are fitted), so it runs in a second wave, after its twin;
- the fits run where ``runner`` says (:func:`core.modelling.fitting.joblib_runner`); a runner that fails mid-run
  is reported through ``on_fallback`` and the wave runs again here;
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
    """What a request will train: the ``missing`` strategies in ``waves``, the ``fits`` each needs and the
    estimated ``seconds`` in all (:func:`core.modelling.strategies.estimate_seconds`)."""

    missing: tuple[Strategy, ...]
    waves: tuple[tuple[Strategy, ...], ...]
    fits: dict[Strategy, int]
    seconds: float

    @property
    def total_fits(self) -> int:
        """Fits of every missing strategy."""
        return sum(self.fits.values())


def plan_training(
    strategies: list[Strategy],
    split: Split,
    *,
    plan: FeaturePlan,
    cv_folds: int,
    cv_repeats: int,
    stored: Callable[[Strategy], Evaluation | None],
) -> TrainingPlan:
    """Which of ``strategies`` must be trained (``stored`` returns what is already known), in which waves, with how
    many fits: a tuned strategy whose twin is known, or trained in the first wave, does not fit the model again."""
    missing = tuple(s for s in dict.fromkeys(strategies) if stored(s) is None)
    first = tuple(s for s in missing if not s.tunes_threshold or s.fitted_as not in missing)
    second = tuple(s for s in missing if s not in first)
    n_rows, counts = len(split.y_train), split.counts("train")

    def fits(s: Strategy) -> int:
        reused = s.tunes_threshold and (s.fitted_as in missing or stored(s.fitted_as) is not None)
        return fit_count(s, cv_folds=cv_folds, cv_repeats=cv_repeats, n_rows=n_rows) - reused

    per = {s: fits(s) for s in missing}
    seconds = sum(estimate_seconds(s, counts=counts, n_features=len(plan.features)) * per[s] for s in missing)
    return TrainingPlan(missing, tuple(w for w in (first, second) if w), per, seconds)


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
    handed to ``keep``. A strategy that cannot be trained yields its :class:`StrategyError` in its place.

    ``progress(fraction, message)`` moves from 0 to 1 over the whole request, each wave by its share of the fits.
    """
    todo = plan_training(strategies, split, plan=plan, cv_folds=cv_folds, cv_repeats=cv_repeats, stored=stored)
    results: dict[Strategy, Evaluation | StrategyError | None] = {s: stored(s) for s in strategies}
    done = 0.0
    for wave in todo.waves:
        share = sum(todo.fits[s] for s in wave) / max(todo.total_fits, 1)

        def report(fraction: float, message: str, *, at: float = done, share: float = share) -> None:
            if progress is not None:
                progress(min(at + fraction * share, 1.0), message)

        twins = {s.fitted_as: results.get(s.fitted_as) or stored(s.fitted_as) for s in wave if s.tunes_threshold}
        reuse = {k: v for k, v in twins.items() if isinstance(v, Evaluation)}

        def run(where: Runner | None, wave=wave, report=report, reuse=reuse):
            return evaluate_many(list(wave), split, plan=plan, cv_folds=cv_folds, cv_repeats=cv_repeats,
                                 progress=report, fitted=reuse, runner=where)  # fmt: skip

        try:
            evals = run(runner)
        except Exception as exc:  # the runner failed mid-run; a stop is a BaseException and passes
            if runner is None:
                raise
            if on_fallback is not None:
                on_fallback(exc)
            runner = None
            evals = run(None)
        done += share
        for strategy, result in zip(wave, evals, strict=True):
            results[strategy] = result
            if isinstance(result, Evaluation):
                keep(strategy, result)
    if progress is not None and todo.missing:
        progress(1.0, "done")
    return [results[s] for s in strategies]
