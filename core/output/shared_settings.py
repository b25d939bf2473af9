"""Export and import the settings of a comparison as a small JSON document or a URL token.

Imports are validated field by field: anything unknown, missing, of the wrong type or out of
range is refused with a message; nothing is evaluated or unpickled.
"""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import dataclass, field
from typing import Any

from core.data.bundled import SAMPLES
from core.data.split import SplitSpec
from core.errors import UserFacingError
from core.modelling.strategies import CALIBRATIONS, MODELS, THRESHOLDS, WEIGHTINGS, TuningSettings
from core.resampling.catalogue import CATALOGUE

__all__ = ["SCHEMA", "SettingsError", "SharedSettings", "decode_token", "encode_token", "from_json", "to_json"]

SCHEMA = "imbalance-explorer/settings/1"
MAX_BYTES = 20_000
_SAMPLERS = {s.key for s in CATALOGUE}
_MODELS = {m.key for m in MODELS}
_SAMPLES = {s.key for s in SAMPLES}


class SettingsError(UserFacingError):
    """A settings file or link cannot be used; the message says what is wrong."""


@dataclass(frozen=True)
class SharedSettings:
    """What a comparison needs to be reproduced: the bundled sample, target, split, strategies, folds, seed,
    cross-validation repeats, the threshold-tuning settings (the costs among them) and the production setting:
    the rate of the small class there (``rate``, a share; None: the data's own) and the cases scored a day
    (``per_day``; None: counted per 10,000 cases)."""

    sample: str | None
    target: str | None
    split: SplitSpec
    strategies: tuple[str, ...]
    cv_folds: int = 0
    seed: int = 0
    cv_repeats: int = 1
    tuning: TuningSettings = field(default_factory=TuningSettings)
    rate: float | None = None
    per_day: float | None = None


def to_json(settings: SharedSettings) -> str:
    """The settings as a small, readable JSON document."""
    return json.dumps(
        {
            "schema": SCHEMA,
            "sample": settings.sample,
            "target": settings.target,
            "split": {"test_size": settings.split.test_size, "seed": settings.split.random_state},
            "strategies": list(settings.strategies),
            "cv_folds": settings.cv_folds,
            "cv_repeats": settings.cv_repeats,
            "seed": settings.seed,
            "tuning": {
                "folds": settings.tuning.folds,
                "cost_fp": settings.tuning.cost_fp,
                "cost_fn": settings.tuning.cost_fn,
                "min_precision": settings.tuning.min_precision,
            },
            "production": {"rate": settings.rate, "per_day": settings.per_day},
        },
        indent=2,
    )


def _need(cond: bool, message: str) -> None:
    if not cond:
        raise SettingsError(message)


def _int(value: Any, name: str, lo: int, hi: int) -> int:
    _need(
        isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi,
        f"'{name}' must be a whole number from {lo} to {hi}.",
    )
    return int(value)


def from_json(text: str | bytes) -> SharedSettings:
    """Parse and validate a settings document; raises :class:`SettingsError` with a message."""
    raw = text.encode("utf-8", "replace") if isinstance(text, str) else text
    _need(len(raw) <= MAX_BYTES, f"The settings file is {len(raw):,} bytes; a settings file is under {MAX_BYTES:,}.")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SettingsError(
            f"This is not a settings file: it is not valid JSON ({type(exc).__name__}). Export one from the Compare page."
        ) from exc
    _need(isinstance(data, dict), "A settings file is a JSON object; this one is not.")
    _need(
        data.get("schema") == SCHEMA, f"This is not an Imbalance Explorer settings file (expected schema {SCHEMA!r})."
    )
    unknown = set(data) - {
        "schema",
        "sample",
        "target",
        "split",
        "strategies",
        "cv_folds",
        "cv_repeats",
        "seed",
        "tuning",
        "production",
    }
    _need(not unknown, f"Unknown setting(s): {', '.join(sorted(map(str, unknown)))[:200]}.")
    sample = data.get("sample")
    _need(
        sample is None or (isinstance(sample, str) and sample in _SAMPLES),
        "'sample' must name a bundled sample or be null.",
    )
    target = data.get("target")
    _need(target is None or (isinstance(target, str) and len(target) <= 500), "'target' must be a column name or null.")
    split = data.get("split")
    _need(isinstance(split, dict) and set(split) <= {"test_size", "seed"}, "'split' must hold 'test_size' and 'seed'.")
    test_size = split.get("test_size", 0.2)
    _need(
        isinstance(test_size, int | float) and not isinstance(test_size, bool) and 0.1 <= test_size <= 0.5,
        "'split.test_size' must be a number from 0.1 to 0.5.",
    )
    split_seed = _int(split.get("seed", 42), "split.seed", 0, 2**31 - 1)
    strategies = data.get("strategies")
    _need(isinstance(strategies, list) and 1 <= len(strategies) <= 12, "'strategies' must list 1 to 12 strategies.")
    for item in strategies:
        _need(isinstance(item, str) and item.count(":") in {2, 4}, f"Unknown strategy {str(item)[:60]!r}.")
        sampler, model, weighting, *rest = item.split(":")
        threshold, calibration = rest or ("fixed", "none")
        _need(
            sampler in _SAMPLERS and model in _MODELS and weighting in WEIGHTINGS and weighting != "custom"
            and threshold in THRESHOLDS and calibration in CALIBRATIONS,
            f"Unknown strategy {item[:60]!r}.",
        )  # fmt: skip
    folds = _int(data.get("cv_folds", 0), "cv_folds", 0, 10)
    _need(folds in {0, 3, 5, 10}, "'cv_folds' must be 0, 3, 5 or 10.")
    repeats = _int(data.get("cv_repeats", 1), "cv_repeats", 1, 2)
    _need(repeats == 1 or folds == 5, "'cv_repeats' of 2 goes with 5 folds.")
    seed = _int(data.get("seed", 0), "seed", 0, 2**31 - 1)
    return SharedSettings(
        sample=sample, target=target, split=SplitSpec(round(float(test_size), 2), split_seed),
        strategies=tuple(strategies), cv_folds=folds, seed=seed, cv_repeats=repeats,
        tuning=_tuning(data.get("tuning", {})), **_production(data.get("production", {})),
    )  # fmt: skip


def _number(value: Any, name: str, lo: float, hi: float) -> float:
    _need(
        isinstance(value, int | float) and not isinstance(value, bool) and lo <= value <= hi,
        f"'{name}' must be a number from {lo:g} to {hi:g}.",
    )
    return float(value)


def _tuning(raw: Any) -> TuningSettings:
    _need(isinstance(raw, dict), "'tuning' must be an object.")
    unknown = set(raw) - {"folds", "cost_fp", "cost_fn", "min_precision"}
    _need(not unknown, f"Unknown tuning setting(s): {', '.join(sorted(map(str, unknown)))[:200]}.")
    default = TuningSettings()
    folds = _int(raw.get("folds", default.folds), "tuning.folds", 0, 10)
    _need(folds in {0, 2, 3, 5, 10}, "'tuning.folds' must be 0 (auto), 2, 3, 5 or 10.")
    return TuningSettings(
        folds=folds,
        cost_fp=_number(raw.get("cost_fp", default.cost_fp), "tuning.cost_fp", 0, 1e9),
        cost_fn=_number(raw.get("cost_fn", default.cost_fn), "tuning.cost_fn", 0, 1e9),
        min_precision=_number(raw.get("min_precision", default.min_precision), "tuning.min_precision", 0.01, 1),
    )


def _production(raw: Any) -> dict[str, float | None]:
    _need(isinstance(raw, dict), "'production' must be an object.")
    unknown = set(raw) - {"rate", "per_day"}
    _need(not unknown, f"Unknown production setting(s): {', '.join(sorted(map(str, unknown)))[:200]}.")
    rate, per_day = raw.get("rate"), raw.get("per_day")
    if rate is not None:
        _need(isinstance(rate, int | float) and not isinstance(rate, bool) and 0 < rate < 1,
              "'production.rate' must be a share above 0 and below 1, or null.")  # fmt: skip
    if per_day is not None:
        per_day = _number(per_day, "production.per_day", 1, 1e12)
    return {"rate": None if rate is None else float(rate), "per_day": per_day}


def encode_token(settings: SharedSettings) -> str:
    """The settings as a short URL-safe token (compressed JSON)."""
    data = json.loads(to_json(settings))
    defaults = json.loads(to_json(SharedSettings(None, None, settings.split, settings.strategies)))
    for optional in ("cv_repeats", "tuning", "production"):  # left out of links when they hold their defaults
        if data[optional] == defaults[optional]:
            del data[optional]
    compact = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(zlib.compress(compact, 9)).decode().rstrip("=")


def decode_token(token: str) -> SharedSettings:
    """Settings from a URL token; raises :class:`SettingsError` for a damaged or hostile token."""
    _need(isinstance(token, str) and len(token) <= 4_000, "The settings link is too long to be one of ours.")
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        obj = zlib.decompressobj()
        raw = obj.decompress(packed, MAX_BYTES + 1)
    except (ValueError, zlib.error) as exc:
        raise SettingsError("The settings in this link are damaged. Ask for the link again.") from exc
    _need(len(raw) <= MAX_BYTES and not obj.unconsumed_tail, "The settings in this link are too large.")
    return from_json(raw)
