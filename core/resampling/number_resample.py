"""Resampling the training split of a numeric target, for the Resample page: rows back in their own units,
each marked original or synthetic, and a 2-D view of them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.data.numeric_target import RareRange
from core.data.preprocessing import preprocessor
from core.data.roles import FeaturePlan
from core.data.split import Split
from core.errors import UserFacingError
from core.resampling.number_samplers import SMOGN, SMOTER, RareUnderSampler

__all__ = ["NUMBER_SAMPLERS", "NumberResample", "resample_number"]

#: The samplers for a numeric target: key → (class, name).
NUMBER_SAMPLERS = {"smoter": (SMOTER, "SMOTER"), "smogn": (SMOGN, "SMOGN"),
                   "undersample": (RareUnderSampler, "Random under-sampling of the common range")}  # fmt: skip


@dataclass(frozen=True)
class NumberResample:
    """The training rows after resampling: ``frame`` (features in their units, the target, ``is_synthetic``),
    the target before resampling, a 2-D view of the rows after (``xy``, principal components of the prepared
    features) and notes."""

    frame: pd.DataFrame
    before: np.ndarray
    xy: np.ndarray
    notes: tuple[str, ...]

    @property
    def synthetic(self) -> np.ndarray:
        """True for the made-up rows."""
        return self.frame["is_synthetic"].to_numpy(bool)


def resample_number(
    split: Split, *, plan: FeaturePlan, target: str, sampler: str, rare: RareRange, random_state: int
) -> NumberResample:
    """Resample the training split with ``sampler`` (a key of :data:`NUMBER_SAMPLERS`) on the prepared features
    (imputed, scaled, categories as codes; fitted on the training rows), then turn the rows back into the
    data's units: a filled-in missing value shows as the value it was filled with."""
    from sklearn.decomposition import PCA

    if sampler not in NUMBER_SAMPLERS:
        raise UserFacingError(f"Unknown sampler {sampler!r}.")
    cls, name = NUMBER_SAMPLERS[sampler]
    X = split.model_input(split.train_rows, categorical=plan.categorical)
    y = split.y_train.to_numpy(np.float64)
    prepare = preprocessor(plan, ordinal=True).fit(X, y)
    Z = prepare.transform(X)
    s = cls(side=rare.side, cut=rare.cut, categorical=tuple(plan.categorical_positions), random_state=random_state)
    try:
        Z_res, y_res = s.fit_resample(Z, y)
    except ValueError as exc:
        raise UserFacingError(f"{name} cannot run: {exc}. Set the rare range so it holds at least 2 rows.") from exc
    columns = {}
    k = len(plan.numeric)
    if plan.numeric:
        scaler = prepare.named_transformers_["num"].named_steps["scale"]
        numbers = scaler.inverse_transform(Z_res[:, :k])
        columns.update({c: numbers[:, i] for i, c in enumerate(plan.numeric)})
    if plan.categorical:
        encoder = prepare.named_transformers_["cat"].named_steps["encode"]
        codes = np.rint(Z_res[:, k:])
        cats = encoder.inverse_transform(codes)
        columns.update({c: cats[:, i] for i, c in enumerate(plan.categorical)})
    frame = pd.DataFrame(columns)[list(plan.features)]
    frame[target] = y_res
    frame["is_synthetic"] = np.arange(len(y_res)) >= len(s.sample_indices_)
    n_comp = min(2, Z_res.shape[1])
    xy = PCA(n_components=n_comp, random_state=random_state).fit(Z).transform(Z_res)
    if n_comp == 1:
        xy = np.column_stack([xy[:, 0], np.zeros(len(xy))])
    return NumberResample(frame=frame, before=y, xy=xy, notes=tuple(s.notes_))
