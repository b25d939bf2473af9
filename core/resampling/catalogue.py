"""The catalogue of resampling methods: one table read by every page.

Each :class:`SamplerSpec` names an imbalanced-learn class, says in one sentence what it does,
which data it applies to, which parameters the user can set (with defaults), and whether it
controls the resulting class sizes (over-/under-samplers) or only cleans (editing methods).
:func:`build_sampler` turns a spec and the user's settings into a configured sampler, adjusting
impossible settings visibly (each adjustment is returned as a note) or refusing with a message.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from imblearn import combine, over_sampling, under_sampling
from sklearn.ensemble import RandomForestClassifier

from core.errors import UserFacingError
from core.resampling.chunked_smote import ChunkedSMOTE

__all__ = [
    "CATALOGUE",
    "CLEANING_CHOICES",
    "BuiltSampler",
    "DataKind",
    "Param",
    "ResampleError",
    "SamplerConfig",
    "SamplerSpec",
    "build_sampler",
    "expected_counts",
    "get_spec",
    "resolve_spec",
]

DataKind = Literal["numeric", "mixed", "categorical"]
Kind = Literal["none", "over", "under", "combined"]
ALL_KINDS: frozenset[str] = frozenset({"numeric", "mixed", "categorical"})
NUMERIC_ONLY: frozenset[str] = frozenset({"numeric"})

#: Which classes a cleaning method may remove rows from.
CLEANING_CHOICES: dict[str, str] = {
    "auto": "every class except the smallest",
    "majority": "only the largest class",
    "not minority": "every class except the smallest",
    "not majority": "every class except the largest",
    "all": "every class",
}


class ResampleError(UserFacingError):
    """A resampling setting cannot work; the message says why and what to change."""


@dataclass(frozen=True)
class Param:
    """A parameter the user can set."""

    name: str
    label: str
    default: Any
    kind: Literal["int", "float", "choice", "bool"]
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[Any, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class SamplerSpec:
    """One resampling method.

    Attributes
    ----------
    key, name : str
        Identifier and display name.
    kind : {"none", "over", "under", "combined"}
        Over-sampling adds rows, under-sampling removes rows, combined does both.
    summary : str
        One plain sentence: what it does.
    factory : type or None
        The imbalanced-learn class.
    sets_size : bool
        True when the user can choose the class sizes it aims for (ratio or counts);
        False for cleaning methods, which remove what their rule finds.
    generates : bool
        True when it can create synthetic rows (not copies).
    seeded : bool
        True when it takes ``random_state``.
    data_kinds : frozenset
        Feature kinds it applies to: ``numeric``, ``mixed``, ``categorical``.
    params : tuple of Param
        User-settable parameters.
    neighbours : str or None
        Name of its neighbour-count parameter that must be smaller than the smallest class.
    slow_rows : int or None
        Above this many training rows the method is very slow and asks for confirmation.
    """

    key: str
    name: str
    kind: Kind
    summary: str
    factory: type | None
    sets_size: bool
    generates: bool = False
    seeded: bool = True
    data_kinds: frozenset[str] = ALL_KINDS
    params: tuple[Param, ...] = ()
    neighbours: str | None = None
    slow_rows: int | None = None
    distance_based: bool = True

    @property
    def ordinal(self) -> bool:
        """True when it takes categorical features as one column of codes each (SMOTENC, SMOTEN), not one-hot."""
        return self.key in {"smotenc", "smoten"}

    def applies_to(self, data_kind: str) -> bool:
        """Whether the user can choose it for features of ``data_kind`` (SMOTE always: it runs as SMOTENC or
        SMOTEN on categories, see :func:`resolve_spec`)."""
        return self.factory is None or self.key == "smote" or data_kind in self.data_kinds

    @property
    def kind_label(self) -> str:
        """Over-sampling, under-sampling, combined or none, in words."""
        return {
            "none": "no resampling",
            "over": "over-sampling",
            "under": "under-sampling",
            "combined": "over- then under-sampling",
        }[self.kind]


def _k(default: int = 5, name: str = "k_neighbors", label: str = "k neighbours") -> Param:
    return Param(
        name,
        label,
        default,
        "int",
        1,
        30,
        help="How many nearest rows of the same class each new row may be drawn towards.",
    )


def _n(default: int = 3) -> Param:
    return Param("n_neighbors", "neighbours", default, "int", 1, 30, help="Neighbours looked at by the rule.")


CATALOGUE: tuple[SamplerSpec, ...] = (
    SamplerSpec(
        "none",
        "No resampling",
        "none",
        "Leaves the training rows as they are: the baseline to compare every method against.",
        None,
        sets_size=False,
        seeded=False,
        distance_based=False,
    ),
    # --- over-sampling
    SamplerSpec(
        "random_over",
        "RandomOverSampler",
        "over",
        "Copies randomly chosen rows of the smaller classes until they reach the target size.",
        over_sampling.RandomOverSampler,
        sets_size=True,
        distance_based=False,
    ),
    SamplerSpec(
        "smote",
        "SMOTE",
        "over",
        "Creates new rows of a small class at random points on the line between a row and one of "
        "its k nearest neighbours of the same class.",
        ChunkedSMOTE,
        sets_size=True,
        generates=True,
        params=(_k(),),
        neighbours="k_neighbors",
    ),
    SamplerSpec(
        "smotenc",
        "SMOTENC",
        "over",
        "SMOTE for mixed data: numeric features are interpolated, and each categorical feature takes "
        "the most common category among the neighbours.",
        over_sampling.SMOTENC,
        sets_size=True,
        generates=True,
        data_kinds=frozenset({"mixed"}),
        params=(_k(),),
        neighbours="k_neighbors",
    ),
    SamplerSpec(
        "smoten",
        "SMOTEN",
        "over",
        "SMOTE for categorical data: each new row takes, feature by feature, the most common category "
        "among its nearest neighbours.",
        over_sampling.SMOTEN,
        sets_size=True,
        generates=True,
        data_kinds=frozenset({"categorical"}),
        params=(_k(),),
        neighbours="k_neighbors",
    ),
    SamplerSpec(
        "borderline_smote",
        "BorderlineSMOTE",
        "over",
        "SMOTE only from the small-class rows near the class border, where most neighbours belong to another class.",
        over_sampling.BorderlineSMOTE,
        sets_size=True,
        generates=True,
        data_kinds=NUMERIC_ONLY,
        params=(
            _k(),
            Param("m_neighbors", "border neighbours (m)", 10, "int", 2, 50, help="Neighbours used to find the border."),
            Param(
                "kind",
                "variant",
                "borderline-1",
                "choice",
                choices=("borderline-1", "borderline-2"),
                help="borderline-1: new rows only towards neighbours of the small class; borderline-2: also a "
                "shorter step towards neighbours of the other classes.",
            ),
        ),
        neighbours="k_neighbors",
    ),
    SamplerSpec(
        "svm_smote",
        "SVMSMOTE",
        "over",
        "Fits a support vector machine and creates new rows near its support vectors, where the classes meet.",
        over_sampling.SVMSMOTE,
        sets_size=True,
        generates=True,
        data_kinds=NUMERIC_ONLY,
        params=(
            _k(),
            Param("m_neighbors", "border neighbours (m)", 10, "int", 2, 50, help="Neighbours used to find the border."),
        ),
        neighbours="k_neighbors",
    ),
    SamplerSpec(
        "kmeans_smote",
        "KMeansSMOTE",
        "over",
        "Groups the rows with k-means, then applies SMOTE inside the groups where the small class is "
        "dense enough, so new rows stay in populated regions.",
        over_sampling.KMeansSMOTE,
        sets_size=True,
        generates=True,
        data_kinds=NUMERIC_ONLY,
        params=(
            _k(2),
            Param("kmeans_estimator", "clusters", 8, "int", 2, 100, help="Number of k-means clusters."),
            Param(
                "cluster_balance_threshold",
                "cluster balance threshold",
                0.005,
                "float",
                0.0001,
                0.5,
                help="Smallest share of the small class a cluster needs before SMOTE runs inside it.",
            ),
        ),
        neighbours="k_neighbors",
    ),
    SamplerSpec(
        "adasyn",
        "ADASYN",
        "over",
        "Like SMOTE, but creates more new rows where the small class is hardest to learn (surrounded "
        "by other classes).",
        over_sampling.ADASYN,
        sets_size=True,
        generates=True,
        data_kinds=NUMERIC_ONLY,
        params=(_k(5, "n_neighbors", "neighbours"),),
        neighbours="n_neighbors",
    ),
    # --- under-sampling
    SamplerSpec(
        "random_under",
        "RandomUnderSampler",
        "under",
        "Drops randomly chosen rows of the larger classes until they reach the target size.",
        under_sampling.RandomUnderSampler,
        sets_size=True,
        distance_based=False,
    ),
    SamplerSpec(
        "nearmiss",
        "NearMiss",
        "under",
        "Keeps the larger-class rows closest to the small class (version 1: nearest on average to "
        "their closest small-class rows; 2: to the farthest; 3: a few for every small-class row).",
        under_sampling.NearMiss,
        sets_size=True,
        seeded=False,
        params=(
            Param(
                "version",
                "version",
                1,
                "choice",
                choices=(1, 2, 3),
                help="1: keep larger-class rows nearest on average to their closest small-class rows; 2: to "
                "the farthest ones; 3: a few nearest rows for every small-class row.",
            ),
            _n(3),
        ),
        neighbours="n_neighbors",
    ),
    SamplerSpec(
        "cluster_centroids",
        "ClusterCentroids",
        "under",
        "Replaces the larger classes by the centres of k-means clusters (new, synthetic points) or, "
        "with hard voting, by the real rows nearest to those centres.",
        under_sampling.ClusterCentroids,
        sets_size=True,
        generates=True,
        params=(
            Param(
                "voting",
                "voting",
                "soft",
                "choice",
                choices=("soft", "hard"),
                help="soft: keep the centres (synthetic); hard: keep the real row nearest each centre.",
            ),
        ),
    ),
    SamplerSpec(
        "instance_hardness",
        "InstanceHardnessThreshold",
        "under",
        "Trains a classifier with cross-validation and removes the larger-class rows it finds hardest "
        "to classify (sizes are approximate).",
        under_sampling.InstanceHardnessThreshold,
        sets_size=True,
        params=(
            Param(
                "cv",
                "cross-validation folds",
                5,
                "int",
                2,
                10,
                help="Folds of the training rows whose held-out probabilities say how hard each row is.",
            ),
        ),
    ),
    SamplerSpec(
        "tomek",
        "TomekLinks",
        "under",
        "Removes rows that form a Tomek link: two rows of different classes that are each other's "
        "nearest neighbour, which cleans the class border.",
        under_sampling.TomekLinks,
        sets_size=False,
        seeded=False,
    ),
    SamplerSpec(
        "enn",
        "EditedNearestNeighbours",
        "under",
        "Removes rows whose nearest neighbours mostly (or all) belong to another class.",
        under_sampling.EditedNearestNeighbours,
        sets_size=False,
        seeded=False,
        params=(
            _n(3),
            Param(
                "kind_sel",
                "rule",
                "all",
                "choice",
                choices=("all", "mode"),
                help="all: remove a row unless every neighbour shares its class (removes more); "
                "mode: remove it when most neighbours are of another class.",
            ),
        ),
    ),
    SamplerSpec(
        "renn",
        "RepeatedEditedNearestNeighbours",
        "under",
        "Repeats Edited Nearest Neighbours until it removes nothing more.",
        under_sampling.RepeatedEditedNearestNeighbours,
        sets_size=False,
        seeded=False,
        params=(
            _n(3),
            Param(
                "max_iter",
                "most repeats",
                100,
                "int",
                1,
                500,
                help="How many times the cleaning may run again while it still removes rows.",
            ),
        ),
    ),
    SamplerSpec(
        "allknn",
        "AllKNN",
        "under",
        "Runs Edited Nearest Neighbours with 1, 2, … up to k neighbours in turn.",
        under_sampling.AllKNN,
        sets_size=False,
        seeded=False,
        params=(_n(3),),
    ),
    SamplerSpec(
        "cnn",
        "CondensedNearestNeighbour",
        "under",
        "Keeps only the rows a 1-nearest-neighbour rule needs to classify the training data correctly; "
        "slow on large data.",
        under_sampling.CondensedNearestNeighbour,
        sets_size=False,
        slow_rows=3_000,
    ),
    SamplerSpec(
        "oss",
        "OneSidedSelection",
        "under",
        "Condensed nearest neighbour followed by removal of Tomek links.",
        under_sampling.OneSidedSelection,
        sets_size=False,
    ),
    SamplerSpec(
        "ncr",
        "NeighbourhoodCleaningRule",
        "under",
        "Removes larger-class rows that their neighbours misclassify, and those that make small-class "
        "rows look misclassified.",
        under_sampling.NeighbourhoodCleaningRule,
        sets_size=False,
        seeded=False,
        params=(_n(3),),
    ),
    # --- combined
    SamplerSpec(
        "smote_tomek",
        "SMOTETomek",
        "combined",
        "SMOTE, then removal of Tomek links to clean the border the new rows may blur.",
        combine.SMOTETomek,
        sets_size=True,
        generates=True,
        data_kinds=NUMERIC_ONLY,
        params=(_k(),),
        neighbours="k_neighbors",
    ),
    SamplerSpec(
        "smote_enn",
        "SMOTEENN",
        "combined",
        "SMOTE, then Edited Nearest Neighbours cleaning, which removes more than Tomek links.",
        combine.SMOTEENN,
        sets_size=True,
        generates=True,
        data_kinds=NUMERIC_ONLY,
        params=(_k(),),
        neighbours="k_neighbors",
    ),
)
_BY_KEY = {s.key: s for s in CATALOGUE}


def get_spec(key: str) -> SamplerSpec:
    """The catalogue entry for ``key``; raises ``KeyError`` for an unknown key."""
    return _BY_KEY[key]


@dataclass(frozen=True)
class SamplerConfig:
    """The user's settings for one method; hashable so it can key a cache.

    ``ratio`` (binary data) is the size of the smaller class divided by the larger one after
    resampling; ``counts`` (multi-class) maps each class label (as text) to its target size;
    both ``None`` mean the method's default ("auto"). ``clean`` says which classes a cleaning
    method may remove rows from (see :data:`CLEANING_CHOICES`).
    """

    key: str
    params: tuple[tuple[str, Any], ...] = ()
    ratio: float | None = None
    counts: tuple[tuple[str, int], ...] | None = None
    clean: str = "auto"
    random_state: int = 0
    run_slow: bool = False

    def param(self, name: str, default: Any = None) -> Any:
        """A parameter's value, or ``default``."""
        return dict(self.params).get(name, default)


@dataclass(frozen=True)
class BuiltSampler:
    """A configured sampler (``None`` for no resampling), the spec it came from and visible notes."""

    sampler: Any
    spec: SamplerSpec
    notes: tuple[str, ...] = field(default=())

    @property
    def name(self) -> str:
        """Display name of the method that actually runs."""
        return self.spec.name


def resolve_spec(spec: SamplerSpec, *, data_kind: DataKind) -> tuple[SamplerSpec, tuple[str, ...]]:
    """The spec that runs for this kind of data, with a note when SMOTE becomes SMOTENC or SMOTEN.

    Raises :class:`ResampleError` when the method does not apply to the data.
    """
    if spec.key == "smote" and data_kind == "mixed":
        return get_spec("smotenc"), (
            "Your features mix numbers and categories, so SMOTE runs as SMOTENC: numbers are interpolated "
            "and each category is taken from the neighbours (plain SMOTE would invent fractions of one-hot "
            "columns).",
        )
    if spec.key == "smote" and data_kind == "categorical":
        return get_spec("smoten"), (
            "Every feature is categorical, so SMOTE runs as SMOTEN, which picks categories from the "
            "neighbours instead of interpolating numbers.",
        )
    if data_kind not in spec.data_kinds:
        if spec.ordinal:
            wants = "numbers and categories" if spec.key == "smotenc" else "only categorical features"
            raise ResampleError(
                f"{spec.name} is for data with {wants}; these features are {data_kind}. Choose SMOTE, which "
                "picks the right variant for your data."
            )
        raise ResampleError(
            f"{spec.name} interpolates numbers, so it works on numeric features only, and your features "
            f"are {data_kind}. Choose SMOTE (it runs as SMOTENC/SMOTEN on categories), RandomOverSampler or "
            "an under-sampler, or leave the categorical columns out on the Data page."
        )
    return spec, ()


def _strategy(
    spec: SamplerSpec, config: SamplerConfig, *, counts: Mapping[int, int], names: Mapping[int, str]
) -> tuple[Any, list[str]]:
    """The imbalanced-learn ``sampling_strategy`` for these settings (and notes)."""
    if not spec.sets_size:
        if config.clean not in CLEANING_CHOICES:
            raise ResampleError(f"Unknown choice {config.clean!r} for which classes to clean.")
        return config.clean, []
    largest = max(counts.values())
    smallest = min(counts.values())
    if len(counts) == 2 and config.ratio is not None:
        current = smallest / largest
        if config.ratio + 1e-9 < current:
            need = math.ceil(current * 100) / 100
            raise ResampleError(
                f"The smaller class is already {current:.2f} times the size of the larger one in the training "
                f"split, and {spec.name} cannot shrink that ratio to {config.ratio:.2f}. Choose a target ratio "
                f"of at least {need:.2f}."
            )
        return float(config.ratio), []
    if config.counts is not None:
        wanted = {code: int(dict(config.counts).get(names[code], n)) for code, n in counts.items()}
        grows = spec.kind in {"over", "combined"}
        for code, n in counts.items():
            target = wanted[code]
            if grows and target < n:
                raise ResampleError(
                    f"{spec.name} only adds rows, so class {names[code]!r} cannot go from {n:,} down to "
                    f"{target:,}. Set its target to at least {n:,}, or use an under-sampler."
                )
            if not grows and target > n:
                raise ResampleError(
                    f"{spec.name} only removes rows, so class {names[code]!r} cannot go from {n:,} up to "
                    f"{target:,}. Set its target to at most {n:,}, or use an over-sampler."
                )
            if target < 1:
                raise ResampleError(f"Class {names[code]!r} needs a target of at least 1 row.")
        if grows:
            return {c: t for c, t in wanted.items() if t > counts[c]} or "auto", []
        return {c: t for c, t in wanted.items() if t < counts[c]} or "auto", []
    return "auto", []


def expected_counts(
    spec: SamplerSpec, config: SamplerConfig, *, counts: Mapping[object, int]
) -> dict[object, int] | None:
    """The class sizes a size-setting method aims for (``None`` for cleaning methods and no resampling)."""
    if not spec.sets_size or spec.factory is None:
        return None
    largest, smallest = max(counts.values()), min(counts.values())
    grows = spec.kind in {"over", "combined"}
    if config.counts is not None:
        wanted = dict(config.counts)
        return {c: int(wanted.get(str(c), n)) for c, n in counts.items()}
    if len(counts) == 2 and config.ratio is not None:
        big = max(counts, key=lambda c: counts[c])
        small = min(counts, key=lambda c: counts[c])
        if grows:
            return {big: counts[big], small: round(config.ratio * counts[big])}
        return {big: round(counts[small] / config.ratio), small: counts[small]}
    return {c: (largest if grows else smallest) for c in counts}


def _neighbour_limit(spec: SamplerSpec, counts: Mapping[int, int], strategy: Any) -> tuple[int, int]:
    """(largest allowed neighbour count, code of the class that limits it)."""
    largest_code = max(counts, key=lambda c: counts[c])
    grown = list(strategy) if isinstance(strategy, dict) else [c for c in counts if c != largest_code]
    limiting = min(grown or list(counts), key=lambda c: counts[c])
    n = counts[limiting]
    # SMOTE-like: k neighbours of the same class besides the row itself; NearMiss: k rows of the small class.
    return (n if spec.key == "nearmiss" else n - 1), limiting


def build_sampler(
    spec: SamplerSpec,
    config: SamplerConfig,
    *,
    data_kind: DataKind,
    counts: Mapping[int, int],
    names: Mapping[int, str],
    categorical_indices: list[int] | None = None,
    n_rows: int,
) -> BuiltSampler:
    """Configure ``spec`` with the user's ``config`` for the training data described by ``counts``.

    Parameters
    ----------
    spec : SamplerSpec
        The method the user chose.
    config : SamplerConfig
        Its settings.
    data_kind : {"numeric", "mixed", "categorical"}
        What the features are.
    counts : mapping
        Training rows per class, keyed by integer class code.
    names : mapping
        Class code to display label.
    categorical_indices : list of int, optional
        Positions of categorical columns (for SMOTENC).
    n_rows : int
        Training rows, for the slow-method check.
    """
    if spec.factory is None:
        return BuiltSampler(None, spec)
    spec, notes = resolve_spec(spec, data_kind=data_kind)
    notes = list(notes)
    if spec.slow_rows is not None and n_rows > spec.slow_rows and not config.run_slow:
        minutes = max(1, round(108 * (n_rows / 15_000) ** 2 / 60))
        raise ResampleError(
            f"{spec.name} compares every training row with the others and would take about {minutes} "
            f"minute(s) on {n_rows:,} rows. Tick 'run it anyway', or try OneSidedSelection, which is faster."
        )
    strategy, more = _strategy(spec, config, counts=counts, names=names)
    notes += more
    kwargs: dict[str, Any] = {"sampling_strategy": strategy}
    for param in spec.params:
        kwargs[param.name] = config.param(param.name, param.default)
    if spec.neighbours is not None:
        limit, code = _neighbour_limit(spec, counts, strategy)
        wanted = int(kwargs[spec.neighbours])
        if limit < 1:
            raise ResampleError(
                f"Class {names[code]!r} has only {counts[code]} training row(s), and {spec.name} needs at least "
                f"two rows of a class to draw a new one between them. Use RandomOverSampler, or collect more "
                f"rows of {names[code]!r}."
            )
        if wanted > limit:
            kwargs[spec.neighbours] = limit
            notes.append(
                f"{spec.neighbours} lowered from {wanted} to {limit}: class {names[code]!r} has only "
                f"{counts[code]} training rows, and {spec.name} needs more rows than neighbours."
            )
    if spec.key == "cluster_centroids" and data_kind != "numeric" and kwargs.get("voting") != "hard":
        kwargs["voting"] = "hard"
        notes.append(
            "ClusterCentroids uses hard voting here (it keeps the real rows nearest each cluster centre): "
            "a centre of one-hot category columns would be a fraction, not a category."
        )
    if spec.key == "instance_hardness":
        smallest_code = min(counts, key=lambda c: counts[c])
        folds, fewest = int(kwargs["cv"]), counts[smallest_code]
        if fewest < 2:
            raise ResampleError(
                f"Class {names[smallest_code]!r} has only {fewest} training row, too few for the cross-validation "
                f"{spec.name} needs. Use RandomUnderSampler, or collect more rows."
            )
        if folds > fewest:
            kwargs["cv"] = fewest
            notes.append(
                f"cross-validation folds lowered from {folds} to {fewest}: class {names[smallest_code]!r} has only "
                f"{fewest} training rows, and every fold needs one."
            )
        kwargs["estimator"] = RandomForestClassifier(n_estimators=50, random_state=config.random_state, n_jobs=-1)
    if spec.key in {"smote_tomek", "smote_enn"}:
        k = kwargs.pop("k_neighbors")
        kwargs["smote"] = ChunkedSMOTE(k_neighbors=k, sampling_strategy=strategy, random_state=config.random_state)
    if spec.key == "smotenc":
        kwargs["categorical_features"] = list(categorical_indices or [])
    if spec.seeded:
        kwargs["random_state"] = config.random_state
    return BuiltSampler(spec.factory(**kwargs), spec, tuple(notes))
