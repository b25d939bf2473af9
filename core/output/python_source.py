"""Estimators written as Python source: the app's pipeline in library classes, rendered with its imports.

:func:`library_estimator` rebuilds an unfitted estimator from library classes (and the two small
:mod:`core.modelling.estimators` classes, which the source then carries), saying where results would differ;
:func:`render` writes any value as Python source with only its non-default parameters. The generated
script (:mod:`core.output.script`) and the model file (:mod:`core.output.model_export`) are both made this way.
"""

from __future__ import annotations

import importlib
import inspect
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np
from imblearn.over_sampling import SMOTE
from sklearn.base import BaseEstimator
from sklearn.ensemble import RandomForestClassifier

from core.modelling.estimators import AnomalyClassifier, ClassWeighted
from core.modelling.forest import CappedForestClassifier, GrowingForestClassifier
from core.resampling.chunked_smote import ChunkedSMOTE

__all__ = [
    "AT_RATE_SOURCE",
    "CARRIED_MODULES",
    "COPIED",
    "COPIED_IMPORTS",
    "WIDTH",
    "Plain",
    "SourceWriter",
    "comment_safe",
    "library_estimator",
    "render",
]

#: The width a rendered line may take.
WIDTH = 100
#: App classes copied into the script as source: they have no library equivalent.
COPIED = (ClassWeighted, AnomalyClassifier)
#: App modules a script carries whole as source (the number samplers): their classes need no import.
CARRIED_MODULES = frozenset({"core.resampling.number_samplers"})
#: What the copied classes' source needs.
COPIED_IMPORTS: dict[type, tuple[str, ...]] = {
    ClassWeighted: ("sklearn.base:BaseEstimator", "sklearn.base:ClassifierMixin", "sklearn.base:MetaEstimatorMixin",
                    "sklearn.base:clone", "sklearn.utils.class_weight:compute_sample_weight",
                    "sklearn.utils.multiclass:check_classification_targets",
                    "sklearn.utils.validation:check_is_fitted", "typing:Any"),
    AnomalyClassifier: ("sklearn.base:BaseEstimator", "sklearn.base:ClassifierMixin", "sklearn.ensemble:IsolationForest",
                        "sklearn.utils.multiclass:check_classification_targets",
                        "sklearn.utils.multiclass:type_of_target", "sklearn.utils.validation:check_is_fitted",
                        "sklearn.utils.validation:validate_data", "typing:Any"),
}  # fmt: skip


#: The prior-shift correction (:func:`core.comparison.production.prior_shift`) as the script and the model file's
#: loading lines carry it; a unit test runs it against the app's.
AT_RATE_SOURCE = '''def at_rate(p, fitted_at, rate):
    """Probabilities of the small class from a model fitted at the rate fitted_at, moved to rate (Elkan 2001;
    Saerens et al. 2002). The order of the scores stays, so the decisions at a threshold t stay those at at_rate(t)."""
    p = np.asarray(p, dtype=float)
    up = p * (rate / fitted_at)
    down = (1 - p) * ((1 - rate) / (1 - fitted_at))
    return up / (up + down)
'''


@dataclass(frozen=True)
class Plain:
    """An unfitted estimator made of library classes (and :data:`COPIED` ones), and where it differs from the app's.

    ``differs`` holds one sentence per part whose results differ from the app's; ``copied`` the
    app classes the script must define itself (a model file then needs them too).
    """

    estimator: Any
    differs: tuple[str, ...] = ()
    copied: tuple[type, ...] = ()


def library_estimator(estimator: Any) -> Plain:
    """``estimator`` (unfitted) rebuilt from library classes, with the same parameters and results where possible.

    The chunked SMOTE becomes imbalanced-learn's ``SMOTE`` and the forest grown in batches
    scikit-learn's ``RandomForestClassifier`` (the same rows and trees). The capped forest becomes
    scikit-learn's forest on every row, which is noted in ``differs``.
    """
    differs: list[str] = []
    copied: list[type] = []

    def convert(value: Any) -> Any:
        if isinstance(value, BaseEstimator):
            params = {k: convert(v) for k, v in value.get_params(deep=False).items()}
            if type(value) is ChunkedSMOTE:
                return SMOTE(**params)
            if type(value) is GrowingForestClassifier:
                return RandomForestClassifier(**params)
            if type(value) is CappedForestClassifier:
                cap = params.pop("max_rows")
                differs.append(
                    f"The app grows each tree of its random forest on at most {cap:,} training rows (keeping every "
                    "row of the small classes) to keep training interactive; scikit-learn has no such forest, so "
                    "this script grows every tree on all training rows. Its numbers are close to the app's but not "
                    "equal; set 'Rows per tree' to 0 (all) in the app's forest settings for identical numbers."
                )
                return RandomForestClassifier(**params)
            if type(value) in COPIED and type(value) not in copied:
                copied.append(type(value))
            return type(value)(**params)
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, tuple):
            return tuple(convert(v) for v in value)
        return value

    return Plain(convert(estimator), tuple(dict.fromkeys(differs)), tuple(copied))


def _public_path(cls: type) -> tuple[str, str]:
    """``(module, name)`` to import ``cls`` from: its package's public module, not a private file."""
    if cls in COPIED or cls.__module__ in CARRIED_MODULES:
        return "", cls.__name__
    parts = cls.__module__.split(".")
    for end in range(1, len(parts) + 1):
        if parts[end - 1].startswith("_"):
            break
        module = ".".join(parts[:end])
        if getattr(importlib.import_module(module), cls.__name__, None) is cls:
            if module == "sklearn.pipeline" and cls.__name__ == "Pipeline":
                continue  # written with imbalanced-learn's Pipeline (a subclass), so one name serves
            return module, cls.__name__
    if cls.__module__.startswith("sklearn.pipeline"):
        return "imblearn.pipeline", "Pipeline"
    return cls.__module__, cls.__name__


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    try:
        return bool(a == b) and type(a) is type(b)
    except (TypeError, ValueError):
        return False


#: Parameters written without their name: the parts a pipeline or wrapper is made of.
_POSITIONAL = frozenset({"steps", "transformers", "estimator"})


def comment_safe(text: str) -> str:
    """``text`` with every line break or other unprintable character as a space: safe inside a comment."""
    return "".join(ch if ch.isprintable() else " " for ch in str(text))


def _literal(text: str) -> str:
    """A string literal, in double quotes where that needs no escaping (as the rest of the script)."""
    r = repr(text)
    return '"' + r[1:-1] + '"' if r.startswith("'") and '"' not in text else r


class SourceWriter:
    """Renders values as Python source and collects the imports they need."""

    def __init__(self, names: Mapping[tuple, str]):
        self.names = dict(names)
        self.aliases: dict[int, tuple[Any, str]] = {}  # id of an object -> (the object, kept alive; its variable)
        self.imports: set[tuple[str, str]] = set()

    def __call__(self, value: Any, indent: int = 0) -> str:
        return self.value(value, indent)

    def value(self, value: Any, indent: int) -> str:
        if id(value) in self.aliases and self.aliases[id(value)][0] is value:
            return self.aliases[id(value)][1]
        if isinstance(value, Enum):  # the declared vocabularies: written as the plain value they stand for
            value = value.value
        if isinstance(value, str):
            return _literal(str(value))
        if isinstance(value, BaseEstimator):
            return self.estimator(value, indent)
        if hasattr(value, "get_n_splits") and hasattr(value, "split"):  # a cross-validation splitter
            self.imports.add(_public_path(type(value)))
            return repr(value)
        if isinstance(value, np.ufunc):  # a target's transform: np.log1p and its inverse
            return f"np.{value.__name__}"
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return "np.nan"
        if isinstance(value, list | tuple):
            if all(isinstance(v, str) for v in value) and tuple(value) in self.names:
                return self.names[tuple(value)]
            items = [self.value(v, indent + 4) for v in value]
            open_, close = ("[", "]") if isinstance(value, list) else ("(", ",)" if len(items) == 1 else ")")
            return self.wrap(open_, items, close, indent)
        if isinstance(value, dict):
            items = [f"{self.value(k, indent + 4)}: {self.value(v, indent + 4)}" for k, v in value.items()]
            return self.wrap("{", items, "}", indent)
        if value is None or isinstance(value, bool | int | float):
            return repr(value)
        raise TypeError(f"cannot write {type(value).__name__} as source")

    def estimator(self, est: BaseEstimator, indent: int) -> str:
        module, name = _public_path(type(est))
        if module:
            self.imports.add((module, name))
        signature = inspect.signature(type(est).__init__)
        params = est.get_params(deep=False)
        args = []
        for p in list(signature.parameters.values())[1:]:
            if p.name not in params:
                continue
            v = params[p.name]
            if p.name in _POSITIONAL and p.default is inspect.Parameter.empty:
                args.append(self.value(v, indent + 4))
            elif p.default is inspect.Parameter.empty or not _same(v, p.default):
                args.append(f"{p.name}={self.value(v, indent + 4)}")
        return self.wrap(f"{name}(", args, ")", indent)

    @staticmethod
    def wrap(open_: str, items: list[str], close: str, indent: int) -> str:
        line = open_ + ", ".join(items) + close
        if indent + len(line) <= WIDTH and "\n" not in line:
            return line
        pad = " " * (indent + 4)
        return open_ + "\n" + "".join(f"{pad}{item},\n" for item in items) + " " * indent + close.lstrip(",")


def render(value: Any, *, names: Mapping[tuple, str] | None = None) -> tuple[str, set[tuple[str, str]]]:
    """Python source that builds ``value`` (estimators with only their non-default parameters), and its imports.

    ``names`` maps a list's items (as a tuple) to a variable to write instead (the column lists).
    """
    writer = SourceWriter(names or {})
    return writer(value), writer.imports
