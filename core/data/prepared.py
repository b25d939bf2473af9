"""A dataset with its target and feature plan resolved: what every page works from."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

import pandas as pd

from core.data.dataset import Dataset
from core.data.distribution import ClassDistribution, class_distribution, distribution_of_counts
from core.data.roles import ColumnInfo, FeaturePlan, Treatment, apply_overrides, detect_roles, feature_plan
from core.data.target import TargetCheck, check_target, guess_target, is_number
from core.errors import TargetError

__all__ = ["PreparedData", "TargetKind", "prepare", "resolve_target"]


class TargetKind(StrEnum):
    """What kind of target the chosen column is, decided once here by one rule (:func:`core.data.target.is_number`):
    **classes** (a class target, usable or not: its message says why), a **number** (explored as a number, or made
    a class on the Data page), or **none** (no column to use)."""

    CLASSES = "classes"
    NUMBER = "number"
    NONE = "none"


@dataclass(frozen=True)
class PreparedData:
    """The current dataset, its target (checked), the target's kind, its columns' treatments and class mix.

    ``kind`` is decided first, by one rule; a number is not checked as classes. ``target_error`` is set (and
    ``target_check``/``distribution`` are ``None``) when a class target cannot be used, saying why; the dataset
    itself stays loaded. Pages ask :attr:`kind` which views to show, and :attr:`problem` what to say when the
    class pages cannot run.
    """

    dataset: Dataset
    target: str | None
    target_check: TargetCheck | None
    target_error: str | None
    columns: tuple[ColumnInfo, ...]
    override_problems: dict[str, str]
    plan: FeaturePlan
    distribution: ClassDistribution | None
    kind: TargetKind = TargetKind.CLASSES

    @property
    def ready(self) -> bool:
        """True when the target is usable and at least one feature is kept."""
        return self.distribution is not None and bool(self.plan.features)

    @property
    def problem(self) -> str | None:
        """Why the class pages cannot run on this data, with what to do; ``None`` when :attr:`ready`."""
        if self.kind is TargetKind.NUMBER:
            return (f"The column {self.target!r} is a number, not classes: explore it as a number on the Train or "
                    "Resample page, or make a rare class of it on the Data page.")  # fmt: skip
        if self.target_error is not None:
            return self.target_error
        return None if self.ready else "Choose at least one feature column on the Data page."


def resolve_target(dataset: Dataset, *, chosen: str | None) -> str | None:
    """The target to use: the user's choice if it is a column, else the sample's, else a guess."""
    columns = [str(c) for c in dataset.frame.columns]
    for candidate in (chosen, dataset.default_target, guess_target(dataset.frame)):
        if candidate is not None and candidate in columns:
            return candidate
    return columns[-1] if columns else None


def prepare(
    dataset: Dataset,
    *,
    target: str | None,
    overrides: Mapping[str, Treatment],
    roles: Callable[[Dataset, str | None], list[ColumnInfo]] | None = None,
) -> PreparedData:
    """Resolve the target, check it, detect column roles, apply overrides, count classes.

    ``roles`` lets a caller supply a cached role detector; by default
    :func:`core.data.roles.detect_roles` is called.
    """
    column = resolve_target(dataset, chosen=target)
    infos = roles(dataset, column) if roles is not None else detect_roles(dataset.frame, target=column)
    if dataset.sample is not None:  # missing and distinct values over every row of the file
        scan = dataset.sample.scan
        full = {c: (m, d) for c, m, d in zip(scan.columns, scan.missing, scan.distinct, strict=True)}
        infos = [
            replace(i, n_missing=full[i.name][0], n_unique=full[i.name][1]) if i.name in full else i for i in infos
        ]
    infos, problems = apply_overrides(list(infos), dict(overrides), frame=dataset.frame)
    check: TargetCheck | None = None
    error: str | None = None
    dist: ClassDistribution | None = None
    kind = TargetKind.CLASSES
    if column is None:
        kind, error = TargetKind.NONE, "This dataset has no columns to use as a target."
    elif is_number(dataset.frame[column]):
        kind = TargetKind.NUMBER
    else:
        try:
            check = check_target(dataset.frame, target=column)
            dist = class_distribution(check.y)
            if dataset.sample is not None and dataset.sample.target == column:  # the file's mix, not the sample's
                dist = distribution_of_counts(pd.Series(dict(dataset.sample.counts)))
        except TargetError as exc:
            error = str(exc)
    return PreparedData(
        dataset=dataset,
        target=column,
        target_check=check,
        target_error=error,
        columns=tuple(infos),
        override_problems=problems,
        plan=feature_plan(infos),
        distribution=dist,
        kind=kind,
    )
