"""Figures for slides: every chart of a comparison as PNG and SVG files in one ZIP.

The images are drawn on the server by plotly's static export (``plotly.io.write_images``), which
drives a Chrome or Chromium browser through kaleido. Kaleido finds the browser the way its
``choreographer`` library does: the ``BROWSER_PATH`` environment variable if set, else a ``chromium``,
``chromium-browser``, ``google-chrome`` or ``chrome`` executable on ``PATH`` (here Debian's
``/usr/bin/chromium``). Every figure is written in one browser session.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from core.errors import UserFacingError

__all__ = ["FigureExportError", "figure_file_name", "figures_zip"]


class FigureExportError(UserFacingError):
    """The figures could not be drawn as images; the message says why and what to do."""


def figure_file_name(index: int, title: str) -> str:
    """A file name (without extension) that says what the figure shows: ``01-confusion-matrices``."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "figure"
    return f"{index:02d}-{slug}"


def figures_zip(
    figures: Sequence[tuple[str, go.Figure]],
    *,
    formats: Sequence[str] = ("png", "svg"),
    width: int = 1200,
    height: int = 700,
    scale: float = 2.0,
) -> bytes:
    """A ZIP with each ``(title, figure)`` in each of ``formats``, named after its title and position.

    PNGs are drawn at ``width`` x ``height`` CSS pixels times ``scale`` (sharp on a projector). Raises
    :class:`FigureExportError` when no browser can be started to draw them.
    """
    with tempfile.TemporaryDirectory(prefix="ie-figures-") as folder:
        paths, figs = [], []
        for i, (title, fig) in enumerate(figures, start=1):
            # The page's tight margins rely on the browser's room around a chart; an image needs its own.
            slide = go.Figure(fig).update_layout(margin={"l": 70, "r": 30, "t": 60, "b": 60})
            for fmt in formats:
                paths.append(Path(folder) / f"{figure_file_name(i, title)}.{fmt}")
                figs.append(slide)
        try:
            pio.write_images(figs, paths, width=width, height=height, scale=scale)
        except RuntimeError as exc:  # plotly's message when kaleido finds no Chrome or Chromium
            raise FigureExportError(
                "The figures could not be drawn as images: the server needs a Chrome or Chromium browser for that "
                "(kaleido looks at BROWSER_PATH, then for chromium or chrome on PATH), and none could be started. "
                "Install one (on Debian: apt-get install chromium), or download the HTML report, whose charts "
                "can be saved from the browser."
            ) from exc
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, arcname=path.name)
    return buffer.getvalue()
