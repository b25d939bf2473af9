"""Resample a training split and keep track of where every row came from.

The training features are imputed and scaled (numeric) and encoded (categorical) before a
distance-based sampler sees them, all fit on the training split only. Afterwards every row of the
result is traced to its origin: an original training row, a duplicate of one, or a synthetic row.
Only the synthetic rows are stored (as the sampler made them); they are turned back into
the original units of the features when shown or downloaded. Rows a method removed are listed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OrdinalEncoder

from core.data.distribution import class_codes
from core.data.preprocessing import preprocessor
from core.data.roles import FeaturePlan
from core.data.split import Split
from core.resampling.catalogue import (
    ResampleError,
    SamplerConfig,
    build_sampler,
    expected_counts,
    get_spec,
    resolve_spec,
)

__all__ = [
    "DUPLICATE",
    "ORIGINAL",
    "SYNTHETIC",
    "ResampleResult",
    "SyntheticRows",
    "resample",
    "trace_origin",
]

ORIGINAL, SYNTHETIC, DUPLICATE = "original", "synthetic", "duplicate"


@dataclass(frozen=True)
class SyntheticRows:
    """Generated rows as the sampler made them (scaled, ordinal-encoded), decoded on demand.

    Decoding undoes the scaling of each numeric column and the encoding of each
    categorical column; categories come back as the values of the training data.
    """

    values: np.ndarray
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    encoder: OrdinalEncoder | None
    categories: dict[str, dict[str, object]]

    def __len__(self) -> int:
        return len(self.values)

    def frame(self, *, rows: np.ndarray | None = None, columns: list[str] | None = None) -> pd.DataFrame:
        """The rows (positions among the synthetic rows; all by default) in original units."""
        Z = self.values if rows is None else self.values[rows]
        wanted = list(self.numeric + self.categorical) if columns is None else list(columns)
        if len(Z) == 0:
            return pd.DataFrame({col: pd.Series(dtype=float if col in self.numeric else object) for col in wanted})
        out: dict[str, object] = {}
        for j, col in enumerate(self.numeric):
            if col in wanted:
                out[col] = Z[:, j] * self.scale[j] + self.mean[j]
        if self.encoder is not None and any(col in wanted for col in self.categorical):
            decoded = self.encoder.inverse_transform(Z[:, len(self.numeric) :])
            for j, col in enumerate(self.categorical):
                back = self.categories[col]
                out[col] = np.array([back.get(str(v), v) for v in decoded[:, j]], dtype=object)
        return pd.DataFrame({col: out[col] for col in wanted}, index=pd.RangeIndex(len(Z)))


#: A class whose synthetic rows outnumber its real ones by more than this gets a note.
SYNTHETIC_FACTOR = 10


@dataclass(frozen=True)
class ResampleResult:
    """What a method did to the training split.

    Attributes
    ----------
    method : str
        The method that ran (``SMOTENC`` when SMOTE was chosen on mixed data).
    split : Split
        The split whose training rows were resampled; ``X_train`` and ``y_train`` are its own
        (``X_train`` is taken from the data when asked for: hold it while you need it).
    y_resampled : Series
        The labels after resampling.
    origin : ndarray of int
        For each resampled row, the position of the training row it is (or copies), or -1.
    provenance : Categorical
        ``original``, ``duplicate`` or ``synthetic`` for each resampled row.
    synthetic : SyntheticRows
        The generated rows, in the order they appear in the resampled data. The full resampled
        features are built on demand by :meth:`resampled_frame`.
    removed : ndarray of int
        Positions of training rows the method dropped.
    notes : tuple of str
        Adjustments and explanations to show the user.
    seconds : float
        Time the sampler took.
    """

    method: str
    key: str
    split: Split
    y_resampled: pd.Series
    origin: np.ndarray
    provenance: pd.Categorical
    synthetic: SyntheticRows
    removed: np.ndarray
    notes: tuple[str, ...]
    seconds: float

    @property
    def X_train(self) -> pd.DataFrame:
        """The training features before resampling (original units; a new frame on each access)."""
        return self.split.X_train

    @property
    def y_train(self) -> pd.Series:
        """The training labels before resampling."""
        return self.split.y_train

    @property
    def is_synthetic(self) -> np.ndarray:
        """Boolean mask of synthetic rows in the resampled data."""
        return self.origin < 0

    def counts(self, which: str) -> dict[str, int]:
        """Rows per class (label as text) ``"before"`` or ``"after"``, in the order of the training counts."""
        order = [str(c) for c in self.y_train.value_counts().index]
        y = self.y_train if which == "before" else self.y_resampled
        counted: dict[str, int] = {}
        for label, n in y.value_counts().items():  # counted as they are, named as text (no text copy of y)
            counted[str(label)] = counted.get(str(label), 0) + int(n)
        return {c: counted.get(c, 0) for c in order}

    def after_notes(self) -> list[str]:
        """What the method left, in words: the imbalance ratio before and after, and for each class whose synthetic
        rows outnumber its real ones by more than :data:`SYNTHETIC_FACTOR` to 1, how much of it is made up."""
        before, after = self.counts("before"), self.counts("after")

        def ratio(c: dict[str, int]) -> str:
            kept = [n for n in c.values() if n > 0]
            return f"{max(kept) / min(kept):,.1f} : 1" if kept else "–"

        notes = [f"Imbalance ratio of the training rows after {self.method}: {ratio(after)} (before: {ratio(before)})."]
        made = pd.Series(self.y_resampled.to_numpy()[self.is_synthetic]).astype(str).value_counts()
        for label, n_syn in made.items():
            real = after[label] - int(n_syn)
            if real > 0 and n_syn > SYNTHETIC_FACTOR * real:
                notes.append(
                    f"{int(n_syn):,} of the {after[label]:,} training rows of {label!r} are synthetic "
                    f"({n_syn / after[label]:.1%}), made from {real:,} real ones: the model would learn that class "
                    f"mostly from lines between those {real:,} rows. A lower 'smaller ÷ larger class after' (fewer new "
                    "rows) or class weights keep it closer to real data."
                )
        return notes

    def synthetic_frame(self, rows: np.ndarray, *, columns: list[str] | None = None) -> pd.DataFrame:
        """Synthetic rows at positions ``rows`` of the resampled data, in original units."""
        at = np.flatnonzero(self.is_synthetic)
        picked = np.searchsorted(at, rows)
        if len(rows) and (picked.max() >= len(at) or not np.array_equal(at[picked], rows)):
            raise ValueError("rows must be positions of synthetic rows")
        return self.synthetic.frame(rows=picked, columns=columns)

    def resampled_frame(self, *, columns: list[str] | None = None) -> pd.DataFrame:
        """The features after resampling, in original units (built anew on each call: ask for the columns needed)."""
        wanted = list(self.split.columns) if columns is None else list(columns)
        frame = self.split.frame
        rows = self.split.train_rows[np.where(self.origin >= 0, self.origin, 0)]  # rows of the dataset's frame
        synthetic = self.is_synthetic
        if not synthetic.any():
            return self.split.take(rows, columns=wanted)
        made = self.synthetic.frame(columns=wanted)
        out = {}
        for col in wanted:  # one column at a time: each is copied once, with the synthetic values put in place
            if col in self.synthetic.numeric:
                column = frame[col].to_numpy(dtype=np.float64, na_value=np.nan)[rows]
            else:
                column = frame[col].to_numpy(dtype=object)[rows]
            column[synthetic] = made[col].to_numpy()
            out[col] = column
        return pd.DataFrame(out)

    def export_frame(self, *, target: str) -> pd.DataFrame:
        """The resampled training set with the target and ``is_synthetic``, ``origin`` and ``source_row`` columns."""
        out = self.resampled_frame()
        out[target] = self.y_resampled.to_numpy()
        out["is_synthetic"] = self.is_synthetic
        out["origin"] = self.provenance
        out["source_row"] = pd.array(np.where(self.origin >= 0, self.origin, -1), dtype="Int64")
        out.loc[self.origin < 0, "source_row"] = pd.NA
        return out


def trace_origin(sampler: object, *, n_rows: int, Z: np.ndarray, Z_res: np.ndarray) -> np.ndarray:
    """For each row a fitted sampler returned, the training row it is (or copies), or -1 if synthetic.

    Uses ``sample_indices_`` where the sampler records it; imbalanced-learn's over-samplers return
    the original rows first and the generated rows after; combined methods compose the two; other
    methods (ClusterCentroids) are traced by matching rows exactly.
    """
    if hasattr(sampler, "sample_indices_"):
        return np.asarray(sampler.sample_indices_, dtype=int)
    cleaner = getattr(sampler, "enn_", None) or getattr(sampler, "tomek_", None)
    if cleaner is not None and hasattr(cleaner, "sample_indices_"):
        # The cleaner picked rows of the SMOTE output, whose first n_rows rows are the originals.
        idx = np.asarray(cleaner.sample_indices_, dtype=int)
        return np.where(idx < n_rows, idx, -1)
    if type(sampler).__name__ == "ClusterCentroids":
        lookup: dict[bytes, list[int]] = {}
        for i, row in enumerate(np.ascontiguousarray(Z)):
            lookup.setdefault(row.tobytes(), []).append(i)
        out = np.full(len(Z_res), -1, dtype=int)
        for j, row in enumerate(np.ascontiguousarray(Z_res)):
            hits = lookup.get(row.tobytes())
            if hits:
                out[j] = hits.pop(0)
        return out
    # Over-samplers: originals first, generated rows appended.
    return np.concatenate([np.arange(n_rows), -np.ones(len(Z_res) - n_rows, dtype=int)])


def _provenance(origin: np.ndarray) -> pd.Categorical:
    """``original`` for the first row taken from each training row, ``duplicate`` for later copies, else ``synthetic``.

    A categorical (one byte a row), as the resampled data can have millions of rows.
    """
    codes = np.full(len(origin), 2, dtype=np.int8)
    real = np.flatnonzero(origin >= 0)
    codes[real] = 1
    _, first = np.unique(origin[real], return_index=True)
    codes[real[first]] = 0
    return pd.Categorical.from_codes(codes, categories=[ORIGINAL, DUPLICATE, SYNTHETIC])


def resample(split: Split, *, plan: FeaturePlan, config: SamplerConfig) -> ResampleResult:
    """Resample ``split``'s training rows with the method and settings in ``config``.

    Only the training rows are touched. Raises :class:`~core.resampling.catalogue.ResampleError` with a
    message for settings that cannot work (and for a method's own failure, explained).
    """
    y_train, n_train = split.y_train, len(split.y_train)
    kind = plan.kind
    if kind == "none":
        raise ResampleError("There are no feature columns. Choose at least one on the Data page.")
    spec = get_spec(config.key)
    labels = list(split.counts("train"))
    code_of, names = class_codes(labels)
    y_codes = y_train.map(code_of).to_numpy(dtype=int)
    counts = {i: int((y_codes == i).sum()) for i in range(len(labels))}

    if spec.factory is None:
        origin = np.arange(n_train)
        nothing = _synthetic_rows(split, np.empty((0, 0)), pre=None, plan=plan)
        return ResampleResult(
            "No resampling", spec.key, split, y_train, origin, _provenance(origin), nothing,
            np.array([], dtype=int), (), 0.0,
        )  # fmt: skip

    runs, _ = resolve_spec(spec, data_kind=kind)
    ordinal = runs.ordinal
    pre = preprocessor(plan, ordinal=ordinal)
    Z = pre.fit_transform(split.model_input(split.train_rows, categorical=list(plan.categorical)))
    cat_idx = plan.categorical_positions if ordinal else None
    built = build_sampler(
        spec, config, data_kind=kind, counts=counts, names=names, categorical_indices=cat_idx, n_rows=n_train
    )
    start = time.perf_counter()
    try:
        Z_res, y_res_codes = built.sampler.fit_resample(Z, y_codes)
    except (ValueError, RuntimeError) as exc:
        raise ResampleError(_explain_failure(built.name, exc)) from exc
    seconds = time.perf_counter() - start
    origin = trace_origin(built.sampler, n_rows=len(Z), Z=Z, Z_res=Z_res)
    del Z
    if (origin < 0).any() and plan.categorical and not ordinal:  # only one-hot centroids; refused upstream
        raise ResampleError("Synthetic rows on one-hot columns are not allowed.")
    made = Z_res[origin < 0]  # a copy of the generated rows only; the rest are training rows, kept by position
    del Z_res
    synthetic = _synthetic_rows(split, made, pre=pre, plan=plan)
    y_res = pd.Series(np.asarray(labels, dtype=object)[np.asarray(y_res_codes, dtype=int)], name=y_train.name)
    if pd.api.types.is_numeric_dtype(y_train.dtype):
        y_res = y_res.astype(y_train.dtype)
    removed = np.setdiff1d(np.arange(n_train), origin[origin >= 0])
    notes = list(built.notes)
    notes += _outcome_notes(built.name, runs.kind, origin, removed, labels, y_train, list(y_res.unique()))
    notes += _shortfall_notes(built, config, counts, names, y_res_codes)
    return ResampleResult(
        built.name, runs.key, split, y_res, origin, _provenance(origin), synthetic, removed, tuple(notes), seconds,
    )  # fmt: skip


def _synthetic_rows(
    split: Split, made: np.ndarray, *, pre: ColumnTransformer | None, plan: FeaturePlan
) -> SyntheticRows:
    """Keep the generated rows with what decodes them: the scaler's statistics and the category encoder."""
    n_num = len(plan.numeric)
    mean, scale = np.zeros(n_num), np.ones(n_num)
    encoder, categories = None, {}
    if pre is not None and n_num:
        scaler = pre.named_transformers_["num"].named_steps["scale"]
        mean, scale = scaler.mean_, scaler.scale_
    if pre is not None and plan.categorical:
        encoder = pre.named_transformers_["cat"].named_steps["encode"]
        train = split.take(split.train_rows, columns=list(plan.categorical))
        categories = {col: {str(v): v for v in train[col].dropna().unique()} for col in plan.categorical}
    return SyntheticRows(made, plan.numeric, plan.categorical, mean, scale, encoder, categories)


def _explain_failure(name: str, exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0].rstrip(".") if str(exc).strip() else type(exc).__name__
    if "No clusters found" in text:
        return (
            f"{name} found no cluster with enough rows of the small class. Lower the cluster balance "
            "threshold or raise the number of clusters, or use SMOTE."
        )
    if "Expected n_neighbors <= n_samples" in text or "n_neighbors" in text:
        return f"{name} needs more rows of each class than it has neighbours: {text}. Lower the neighbours setting."
    return f"{name} could not resample this data: {text}. Try other settings or another method."


def _shortfall_notes(built, config: SamplerConfig, counts: dict, names: dict, y_res_codes) -> list[str]:
    """Say which classes a size-setting method left short of (or past) the size it was asked for."""
    expected = expected_counts(built.spec, config, counts=counts)
    if expected is None or built.spec.key == "instance_hardness":
        return []
    got = {c: int((np.asarray(y_res_codes) == c).sum()) for c in counts}
    notes = []
    for code, want in expected.items():
        have = got[code]
        if want and abs(have - want) > max(2, 0.05 * want):
            why = (
                " It only creates rows from those near the class border, and found none there for this class."
                if built.spec.key in {"borderline_smote", "svm_smote"} and have == counts[code]
                else ""
            )
            notes.append(
                f"{built.name} could not reach the {want:,} rows asked for class {names[code]!r}: it has {have:,} "
                f"(was {counts[code]:,}).{why}"
            )
    return notes


def _outcome_notes(
    name: str, kind: str, origin: np.ndarray, removed: np.ndarray, labels: list, y_train: pd.Series, y_after: list
) -> list[str]:
    notes = []
    n_syn = int((origin < 0).sum())
    if kind in {"under", "combined"} and len(removed) == 0 and n_syn == 0:
        notes.append(
            f"{name} removed no rows: its rule found nothing to clean in this training split, so the data is "
            "unchanged. Try more neighbours, another rule, or a method that sets class sizes."
        )
    gone = [str(c) for c in labels if c not in set(y_after)]
    if gone:
        notes.append(
            f"{name} removed every training row of class {gone[0]!r}, so a model trained on this data could never "
            "predict it. Use fewer neighbours, clean only the largest class, or another method."
        )
    if kind == "over" and n_syn == 0 and len(origin) == len(y_train):
        notes.append(f"{name} added no rows: the classes already have the sizes asked for.")
    return notes
