"""Errors whose message is written for the person using the app."""

from __future__ import annotations

__all__ = ["DataLoadError", "TargetError", "UserFacingError"]


class UserFacingError(ValueError):
    """An error whose message says what is wrong and what to do, fit to show as is."""


class DataLoadError(UserFacingError):
    """A file could not be read into a table."""


class TargetError(UserFacingError):
    """The chosen target column cannot be used for classification."""
