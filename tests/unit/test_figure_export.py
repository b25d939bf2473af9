"""Figures for slides: every chart of a comparison as non-empty PNG and SVG files, or a clear message."""

from __future__ import annotations

import io
import os
import shutil
import zipfile

import numpy as np
import pytest

from core.modelling.evaluation import Curve
from core.output.figure_export import FigureExportError, figure_file_name, figures_zip
from core.output.result_figures import confusion_grid_figure, curves_figure

HAVE_BROWSER = bool(os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("google-chrome"))


@pytest.mark.skipif(not HAVE_BROWSER and not os.environ.get("CI"), reason="no Chrome or Chromium to draw with")
def test_every_figure_is_in_the_zip_as_a_png_and_an_svg_named_after_what_it_shows():
    grid = confusion_grid_figure(["RF", "SMOTE + RF"], [np.array([[90, 2], [5, 3]])] * 2, classes=["no", "yes"],
                                 normalize=False)  # fmt: skip
    roc = curves_figure([Curve("RF", np.array([0, 0.2, 1]), np.array([0, 0.7, 1]), 0.75)], kind="roc")
    data = figures_zip([("Confusion matrices", grid), ("ROC curves", roc)])
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == [
        "01-confusion-matrices.png", "01-confusion-matrices.svg", "02-roc-curves.png", "02-roc-curves.svg",
    ]  # fmt: skip
    for name in archive.namelist():
        content = archive.read(name)
        if name.endswith(".png"):
            assert content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) > 10_000
        else:
            assert b"<svg" in content[:500]
            if name.startswith("01"):
                assert b"SMOTE + RF" in content  # the chart's own text, as text


def test_no_browser_gives_a_message_that_says_what_to_do(monkeypatch):
    def no_chrome(*args, **kwargs):
        raise RuntimeError("Kaleido requires Google Chrome to be installed.")

    monkeypatch.setattr("plotly.io.write_images", no_chrome)
    with pytest.raises(FigureExportError, match="needs a Chrome or Chromium browser") as info:
        figures_zip([("x", curves_figure([], kind="roc"))])
    assert "BROWSER_PATH" in str(info.value) and "apt-get install chromium" in str(info.value)


def test_file_names_are_safe_and_say_what_the_figure_shows():
    assert figure_file_name(3, "ROC and precision-recall: <all>") == "03-roc-and-precision-recall-all"
    assert figure_file_name(1, "../../etc/passwd") == "01-etc-passwd"
    assert figure_file_name(2, "???") == "02-figure"
