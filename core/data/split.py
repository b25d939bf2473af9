"""The train/test split: stratified, made once per dataset and settings, shared by every page.

scikit-learn is imported inside the functions that use it, not here: the Data and Class balance
pages import this module for its types, and a fresh server draws their first chart without waiting
for scikit-learn and SciPy to load (measured by ``benchmarks/first_visit.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.data.prepared import PreparedData
from core.errors import UserFacingError

__all__ = ["Split", "SplitError", "SplitSpec", "make_split"]


class SplitError(UserFacingError):
    """The data cannot be split with the chosen settings."""


@dataclass(frozen=True)
class SplitSpec:
    """How to split: the share of rows held out for testing and the seed."""

    test_size: float = 0.2
    random_state: int = 42


@dataclass(frozen=True)
class RunIdentity:
    """What identifies a piece of work on the data: its content, its target, the features and how each is
    prepared, and (for work on the split) the split's settings. Every gate, cache and download keys on it,
    so changing any of these asks for the work again, and only identical data and choices share a result."""

    fingerprint: str
    target: str | None
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    split: SplitSpec | None = None


def run_identity(prepared: PreparedData, spec: SplitSpec | None = None) -> RunIdentity:
    """The :class:`RunIdentity` of ``prepared`` (and of its split by ``spec``, when the work reads the split)."""
    plan = prepared.plan
    return RunIdentity(prepared.dataset.fingerprint, prepared.target, plan.numeric, plan.categorical, spec)


@dataclass(frozen=True)
class Split:
    """Training and test rows with their labels; the test rows are never resampled.

    The split holds row positions, not a copy of the features: ``X_train`` and ``X_test`` are taken
    from the dataset's frame when asked for (a new frame each time, indexed from 0), so a split
    costs a fraction of the data's memory. Hold the frame while you need it rather than asking again.
    """

    frame: pd.DataFrame = field(repr=False)
    columns: tuple[str, ...]
    train_rows: np.ndarray = field(repr=False)
    test_rows: np.ndarray = field(repr=False)
    y_train: pd.Series = field(repr=False)
    y_test: pd.Series = field(repr=False)
    spec: SplitSpec
    notes: tuple[str, ...] = ()

    @property
    def X_train(self) -> pd.DataFrame:
        """The training rows' feature columns (a new frame on each access)."""
        return self.take(self.train_rows)

    @property
    def X_test(self) -> pd.DataFrame:
        """The test rows' feature columns (a new frame on each access)."""
        return self.take(self.test_rows)

    def take(self, rows: np.ndarray, *, columns: list[str] | None = None) -> pd.DataFrame:
        """The feature columns (or ``columns``) of the dataset's rows at positions ``rows``, indexed from 0."""
        wanted = list(self.columns) if columns is None else columns
        return self.frame.iloc[rows, self.frame.columns.get_indexer(wanted)].reset_index(drop=True)

    def model_input(self, rows: np.ndarray, *, categorical: Sequence[str] = ()) -> pd.DataFrame:
        """The feature columns of rows ``rows`` as the pipelines take them: ``categorical`` ones as text, the
        others as float64 (see :func:`core.data.preprocessing.model_input`)."""
        from core.data.preprocessing import model_input  # scikit-learn is imported when a page first needs it

        return model_input(self.frame, rows, columns=self.columns, categorical=categorical)

    def counts(self, which: str) -> dict[object, int]:
        """Class counts of ``"train"`` or ``"test"``, largest first."""
        y = self.y_train if which == "train" else self.y_test
        vc = y.value_counts()
        return {k: int(vc[k]) for k in sorted(vc.index, key=lambda c: (-int(vc[c]), str(c)))}


def make_split(prepared: PreparedData, *, test_size: float, random_state: int) -> Split:
    """Split the prepared data's feature columns, stratified by class.

    Rows with no label are left out (as on the Data page). Raises :class:`SplitError` with a
    message when a class is too small to appear in both parts.
    """
    if prepared.target_check is None or not prepared.plan.features:
        raise SplitError(prepared.problem or "Choose at least one feature column on the Data page.")
    if not 0.05 <= test_size <= 0.5:
        raise SplitError("The test share must be between 5 % and 50 % of the rows.")
    y = prepared.target_check.y
    frame = prepared.dataset.frame
    rows = frame.index.get_indexer(y.index)  # positions; a dataset's index is unique (Dataset.from_frame)
    # The rows the test split is drawn from, and rows that can only ever train (see core.data.large_file).
    pool, extra, sample_notes = _pools(prepared, rows)
    y_pool = y.iloc[pool]
    counts = y_pool.value_counts().reindex(y.value_counts().index, fill_value=0)
    tiny = [(str(c), int(n)) for c, n in counts.items() if n < 2]
    if tiny and prepared.dataset.sample is not None:
        raise SplitError(
            f"Only {tiny[0][1]} row(s) of class {tiny[0][0]!r} fall in the uniformly "
            "drawn part of the working sample, too few for a test split with the file's real class mix. Raise the "
            "row budget on the Data page."
        )
    if tiny:
        raise SplitError(
            f"Class {tiny[0][0]!r} has only one row, so it cannot appear in both the training and the test "
            "split. Collect more rows of it, or remove that class from your file."
        )
    n_test = round(test_size * len(y_pool))
    if n_test < len(counts) or len(y_pool) - n_test < len(counts):
        raise SplitError(
            f"With {len(y_pool):,} rows and {len(counts)} classes, a {test_size:.0%} test share leaves too few rows "
            "to hold every class on both sides. Use a test share nearer 25 %, or more data."
        )
    from sklearn.model_selection import train_test_split  # imported here: see the module docstring

    train_rows, test_rows, y_train, y_test = train_test_split(
        rows[pool], y_pool, test_size=test_size, stratify=y_pool, random_state=random_state
    )
    if len(extra):
        train_rows = np.concatenate([train_rows, rows[extra]])
        y_train = pd.concat([y_train, y.iloc[extra]])
    counts = y.iloc[np.concatenate([pool, extra])].value_counts()
    notes = []
    for label, n in counts.items():
        in_test = int((y_test == label).sum())
        if in_test == 0:
            notes.append(
                f"Class {str(label)!r} has only {n} rows, and none of them is in the test split, so no test score can "
                "say how well it is found. Raise the test share, or collect more rows of it."
            )
        elif in_test == n:
            notes.append(
                f"Every row of class {str(label)!r} is in the test split, so no model can learn it. Lower the test share."
            )
    return Split(
        frame=frame,
        columns=tuple(prepared.plan.features),
        train_rows=np.asarray(train_rows, dtype=np.intp),
        test_rows=np.asarray(test_rows, dtype=np.intp),
        y_train=y_train.reset_index(drop=True),
        y_test=y_test.reset_index(drop=True),
        spec=SplitSpec(test_size=test_size, random_state=random_state),
        notes=tuple(sample_notes + notes),
    )


def _pools(prepared: PreparedData, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Positions (into ``rows``) the test split may come from, those that only train, and what to say.

    For a working sample the test split comes from its uniform part alone, so it keeps the file's class
    mix; the other rows of the small classes only train. Otherwise every row is in the pool.
    """
    everything = np.arange(len(rows))
    sample = prepared.dataset.sample
    if sample is None:
        return everything, everything[:0], []
    uniform = sample.uniform[rows]
    if sample.target != prepared.target:
        return (
            everything[uniform],
            everything[:0],
            [
                f"The working sample was drawn for the target {sample.target!r}, so only its {int(uniform.sum()):,} "
                f"uniformly drawn rows are used for {prepared.target!r}. Draw the sample again on the Data page to keep "
                "every row of its small classes."
            ],
        )
    times = ", ".join(f"{str(c)!r} {k:,.0f}×" for c, k in sample.enrichment().items())
    return (
        everything[uniform],
        everything[~uniform],
        [
            "The test split is drawn from the uniformly sampled rows only, so it keeps the file's class mix and its "
            "scores estimate the whole file's. The training split also holds every other row of the small classes, "
            f"which makes them more common there than in the file ({times}): a form of undersampling every strategy "
            "starts from."
        ],
    )
