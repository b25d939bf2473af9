"""The theme's text colours reach WCAG 2.1 AA (4.5:1) on every background they are drawn on."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

THEME = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())["theme"]
AA = 4.5
#: Streamlit draws captions, help text and slider tick labels in the body text colour at 60 % opacity.
CAPTION_ALPHA = 0.6
TINTS = ("red", "orange", "yellow", "blue", "green", "violet", "gray")


def _rgb(color: str) -> tuple[int, int, int]:
    h = color.lstrip("#")
    assert len(h) == 6, f"theme colours are written as #rrggbb here, not {color!r}"
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _luminance(color: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def blend(fg: str, bg: str, alpha: float) -> str:
    """``fg`` drawn at ``alpha`` opacity over ``bg``."""
    return "#" + "".join(f"{round(alpha * f + (1 - alpha) * b):02x}" for f, b in zip(_rgb(fg), _rgb(bg), strict=True))


def test_contrast_matches_known_ratios():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    # The two failures the audit reported, from axe-core's own numbers.
    assert contrast("#828180", "#ffffff") == pytest.approx(3.88, abs=0.01)
    assert contrast("#d55e00", "#ffffff") == pytest.approx(3.86, abs=0.02)


def _pairs() -> list[tuple[str, str, str]]:
    page, sidebar, text = THEME["backgroundColor"], THEME["secondaryBackgroundColor"], THEME["textColor"]
    pairs = []
    for bg_name, bg in (("page", page), ("sidebar", sidebar)):
        pairs += [
            (f"text on {bg_name}", text, bg),
            (f"caption on {bg_name}", blend(text, bg, CAPTION_ALPHA), bg),
            (f"primary (slider values, links in buttons) on {bg_name}", THEME["primaryColor"], bg),
            (f"link on {bg_name}", THEME["linkColor"], bg),
            (f"code on {bg_name}", THEME["codeTextColor"], bg),
        ]
        pairs += [(f"{t} text on {bg_name}", THEME[f"{t}TextColor"], bg) for t in TINTS]
    pairs.append(("button label on primary", "#ffffff", THEME["primaryColor"]))
    pairs += [
        (f"{t} text on its own tint (alerts, badges)", THEME[f"{t}TextColor"], THEME[f"{t}BackgroundColor"])
        for t in TINTS
    ]
    return pairs


@pytest.mark.parametrize(("what", "fg", "bg"), _pairs(), ids=[p[0] for p in _pairs()])
def test_every_text_colour_reaches_aa(what, fg, bg):
    ratio = contrast(fg, bg)
    assert ratio >= AA, f"{what}: {fg} on {bg} is {ratio:.2f}:1, under WCAG AA's {AA}:1"
