"""A fitted model at a tuned threshold, read off its fold scores: no fit.

Every two-class evaluation keeps its training folds' held-out scores (:class:`~core.modelling.evaluation.FoldScores`);
:func:`at_tuned_threshold` tunes a strategy's threshold on them (:func:`core.modelling.thresholds.tune`, held to
scikit-learn's ``TunedThresholdClassifierCV``) and, with cross-validation, scores each fold at the threshold tuned
on the others (:func:`cv_scores`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.errors import UserFacingError
from core.modelling.evaluation import Evaluation, FoldScores, HeldOut, predict, score
from core.modelling.strategies import Strategy, StrategyError
from core.modelling.thresholds import TunedThreshold, tune

__all__ = ["at_tuned_threshold", "cv_scores"]


def _tune(strategy: Strategy, folds) -> TunedThreshold:
    try:
        return tune([(y, p[:, 1]) for _, y, p in folds], objective=strategy.threshold, settings=strategy.tuning)
    except UserFacingError as exc:
        raise StrategyError(f"{strategy.name}: {exc}") from exc


def cv_scores(
    strategy: Strategy, oof: FoldScores, names, *, threshold: float
) -> tuple[pd.DataFrame | None, list[str], HeldOut]:
    """One row of metrics per cross-validation fold whose held-out part has every class, notes on the folds left
    out, and the first repeat's held-out predictions pooled (:class:`HeldOut`).

    For a tuned threshold, each fold is scored at the threshold tuned on the other folds of its repeat, so
    its own labels never choose its threshold; otherwise at ``threshold``.
    """
    folds, k = oof.folds, oof.per_repeat
    rows, notes, pooled = [], [], []
    for i, (held, y, proba) in enumerate(folds):
        t = threshold
        if strategy.tunes_threshold:
            others = [f for j, f in enumerate(folds) if j // k == i // k and j != i]
            t = _tune(strategy, others).threshold if others else threshold
        if i < k:
            pooled.append((held, y, proba, predict(proba, threshold=t)))
        missing = [names[c] for c in names if not (y == c).any()]
        if missing:
            notes.append(
                f"Cross-validation fold {i + 1} has no rows of {', '.join(map(repr, missing))} in its held-out part, so it "
                "is left out of every cross-validation average (there are too few such rows for this many folds)."
            )
            continue
        rows.append(score(y, proba, threshold=t))
    order = np.argsort(np.concatenate([p[0] for p in pooled]), kind="stable")
    held_out = HeldOut(*(np.concatenate([p[j] for p in pooled])[order] for j in (1, 2, 3)))
    return (pd.DataFrame(rows) if rows else None), notes, held_out


def at_tuned_threshold(ev: Evaluation, strategy: Strategy) -> Evaluation:
    """``ev``'s fitted model at the threshold ``strategy`` tunes (:func:`core.modelling.thresholds.tune`) on ``ev``'s
    fold scores: no fit. ``strategy.fitted_as`` must be ``ev``'s (the same model, preparation and sampler).

    The test-split probabilities are ``ev``'s; the threshold is chosen on training rows only; with
    cross-validation, each fold is scored at the threshold tuned on the others. Raises
    :class:`StrategyError` for more than two classes, or when the fold scores cannot pin a threshold.
    """
    if strategy.fitted_as != ev.strategy.fitted_as:
        raise ValueError(f"{strategy.name} is not a threshold of {ev.strategy.name}")
    if not ev.binary:
        raise StrategyError(
            f"{strategy.name}: a tuned threshold decides between two classes; this target has {len(ev.classes)}. "
            "Use the fixed threshold."
        )
    if ev.oof is None:
        raise StrategyError(f"{strategy.name}: its model could not be fitted on training folds, so no threshold can "
                            "be tuned for it. Use the fixed threshold.")  # fmt: skip
    tuned = _tune(strategy, ev.oof.folds)
    cv, held_out = ev.cv, ev.held_out
    if ev.oof.cross_validated:  # the same folds are left out at any threshold: the notes stay
        cv, _, held_out = cv_scores(strategy, ev.oof, dict(enumerate(ev.classes)), threshold=tuned.threshold)
    return Evaluation(
        name=strategy.name, strategy=strategy, classes=ev.classes, y_test=ev.y_test, proba=ev.proba, notes=ev.notes,
        seconds=ev.seconds, importance=ev.importance, cv=cv, threshold=tuned.threshold, tuned=tuned,
        proba_uncalibrated=ev.proba_uncalibrated, cv_notes=ev.cv_notes, held_out=held_out, oof=ev.oof,
    )  # fmt: skip
