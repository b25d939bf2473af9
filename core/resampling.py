"""Resample a training split and keep track of where every row came from.

The training features are imputed and scaled (numeric) and encoded (categorical) before a
distance-based sampler sees them, all fit on the training split only. Afterwards every row of the
result is traced to its origin: an original training row, a duplicate of one, or a synthetic row
(which is mapped back to the original units of the features). Rows a method removed are listed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer

from core.preprocessing import categorical_as_text, preprocessor
from core.roles import FeaturePlan
from core.samplers import ResampleError, SamplerConfig, build_sampler, expected_counts, get_spec, resolve_spec
from core.split import Split

__all__ = [
    "DUPLICATE",
    "ORIGINAL",
    "SYNTHETIC",
    "ResampleResult",
    "resample",
    "trace_origin",
]

ORIGINAL, SYNTHETIC, DUPLICATE = "original", "synthetic", "duplicate"


@dataclass(frozen=True)
class ResampleResult:
    """What a method did to the training split.

    Attributes
    ----------
    method : str
        The method that ran (``SMOTENC`` when SMOTE was chosen on mixed data).
    X_train, y_train : DataFrame, Series
        The training split before resampling (original units).
    X_resampled, y_resampled : DataFrame, Series
        After resampling, in original units.
    origin : ndarray of int
        For each resampled row, the position of the training row it is (or copies), or -1.
    provenance : ndarray of str
        ``original``, ``duplicate`` or ``synthetic`` for each resampled row.
    removed : ndarray of int
        Positions of training rows the method dropped.
    notes : tuple of str
        Adjustments and explanations to show the user.
    seconds : float
        Time the sampler took.
    """

    method: str
    key: str
    X_train: pd.DataFrame
    y_train: pd.Series
    X_resampled: pd.DataFrame
    y_resampled: pd.Series
    origin: np.ndarray
    provenance: np.ndarray
    removed: np.ndarray
    notes: tuple[str, ...]
    seconds: float

    @property
    def is_synthetic(self) -> np.ndarray:
        """Boolean mask of synthetic rows in the resampled data."""
        return self.provenance == SYNTHETIC

    def counts(self, which: str) -> dict[str, int]:
        """Rows per class (label as text) ``"before"`` or ``"after"``, in the order of the training counts."""
        order = [str(c) for c in self.y_train.value_counts().index]
        y = self.y_train if which == "before" else self.y_resampled
        vc = y.astype(str).value_counts()
        return {c: int(vc.get(c, 0)) for c in order}

    def export_frame(self, *, target: str) -> pd.DataFrame:
        """The resampled training set with the target and ``is_synthetic``, ``origin`` and ``source_row`` columns."""
        out = self.X_resampled.copy()
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


def _provenance(origin: np.ndarray) -> np.ndarray:
    """``original`` for the first row taken from each training row, ``duplicate`` for later copies, else ``synthetic``."""
    out = np.full(len(origin), SYNTHETIC, dtype=object)
    real = np.flatnonzero(origin >= 0)
    out[real] = DUPLICATE
    _, first = np.unique(origin[real], return_index=True)
    out[real[first]] = ORIGINAL
    return out.astype(str)


def resample(split: Split, *, plan: FeaturePlan, config: SamplerConfig) -> ResampleResult:
    """Resample ``split``'s training rows with the method and settings in ``config``.

    Only the training rows are touched. Raises :class:`~core.samplers.ResampleError` with a
    message for settings that cannot work (and for a method's own failure, explained).
    """
    X_train, y_train = split.X_train, split.y_train
    kind = plan.kind
    if kind == "none":
        raise ResampleError("There are no feature columns. Choose at least one on the Data page.")
    spec = get_spec(config.key)
    labels = list(split.counts("train"))
    code_of = {label: i for i, label in enumerate(labels)}
    names = {i: str(label) for i, label in enumerate(labels)}
    y_codes = y_train.map(code_of).to_numpy(dtype=int)
    counts = {i: int((y_codes == i).sum()) for i in range(len(labels))}

    if spec.factory is None:
        n = len(X_train)
        origin = np.arange(n)
        return ResampleResult(
            "No resampling", spec.key, X_train, y_train, X_train, y_train, origin,
            _provenance(origin), np.array([], dtype=int), (), 0.0,
        )  # fmt: skip

    runs, _ = resolve_spec(spec, data_kind=kind)
    ordinal = runs.key in {"smotenc", "smoten"}
    X_in = categorical_as_text(X_train, list(plan.categorical))
    pre = preprocessor(plan, ordinal=ordinal)
    Z = pre.fit_transform(X_in)
    cat_idx = list(range(len(plan.numeric), len(plan.numeric) + len(plan.categorical))) if ordinal else None
    built = build_sampler(
        spec, config, data_kind=kind, counts=counts, names=names, categorical_indices=cat_idx, n_rows=len(X_train)
    )
    start = time.perf_counter()
    try:
        Z_res, y_res_codes = built.sampler.fit_resample(Z, y_codes)
    except (ValueError, RuntimeError) as exc:
        raise ResampleError(_explain_failure(built.name, exc)) from exc
    seconds = time.perf_counter() - start
    origin = trace_origin(built.sampler, n_rows=len(Z), Z=Z, Z_res=Z_res)
    del Z, X_in
    X_res = _to_original_units(X_train, Z_res, origin, pre=pre, plan=plan, ordinal=ordinal)
    y_res = pd.Series(np.asarray(labels, dtype=object)[np.asarray(y_res_codes, dtype=int)], name=y_train.name)
    if pd.api.types.is_numeric_dtype(y_train.dtype):
        y_res = y_res.astype(y_train.dtype)
    removed = np.setdiff1d(np.arange(len(X_train)), origin[origin >= 0])
    notes = list(built.notes)
    notes += _outcome_notes(built.name, runs.kind, origin, removed, labels, y_train, list(y_res.unique()))
    notes += _shortfall_notes(built, config, counts, names, y_res_codes)
    return ResampleResult(
        built.name, runs.key, X_train, y_train, X_res, y_res, origin, _provenance(origin), removed,
        tuple(notes), seconds,
    )  # fmt: skip


def _to_original_units(
    X_train: pd.DataFrame, Z_res: np.ndarray, origin: np.ndarray, *, pre: ColumnTransformer, plan: FeaturePlan,
    ordinal: bool,
) -> pd.DataFrame:  # fmt: skip
    source = np.where(origin >= 0, origin, 0)
    synthetic = origin < 0
    if not synthetic.any():
        return X_train.iloc[source].reset_index(drop=True)
    if plan.categorical and not ordinal:  # only one-hot centroids could get here; refused upstream
        raise ResampleError("Synthetic rows on one-hot columns are not allowed.")
    # Built one column at a time: each column is copied once, with the synthetic values put in place.
    columns: dict[str, object] = {}
    n_num = len(plan.numeric)
    if n_num:
        scaler = pre.named_transformers_["num"].named_steps["scale"]
        for j, col in enumerate(plan.numeric):  # the scaler's inverse, one column at a time
            column = X_train[col].to_numpy(dtype=np.float64, na_value=np.nan)[source]
            column[synthetic] = Z_res[synthetic, j].astype(np.float64) * scaler.scale_[j] + scaler.mean_[j]
            columns[col] = column
    if plan.categorical:
        encoder = pre.named_transformers_["cat"].named_steps["encode"]
        decoded = encoder.inverse_transform(Z_res[synthetic, n_num:])
        for j, col in enumerate(plan.categorical):
            back = {str(v): v for v in X_train[col].dropna().unique()}
            column = X_train[col].to_numpy(dtype=object)[source]
            column[synthetic] = [back.get(str(v), v) for v in decoded[:, j]]
            columns[col] = column
    return pd.DataFrame({col: columns[col] if col in columns else X_train[col].to_numpy()[source] for col in X_train})


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
