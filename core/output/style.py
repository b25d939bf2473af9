"""The look every figure shares: the colour-blind-safe palettes, the classes' marker shapes, and legends placed
under the x axis, never on it."""

from __future__ import annotations

import plotly.graph_objects as go

__all__ = ["CLASS_COLORS", "CLASS_SYMBOLS", "STRATEGY_COLORS", "legend_below"]

#: Colour-blind-safe palette (Okabe-Ito), majority class first.
CLASS_COLORS = ("#7f8c9a", "#d55e00", "#0072b2", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442")
#: Marker shapes of the classes' own rows, so classes differ by shape as well as colour (for colour-blind
#: viewers and washed-out projectors). Diamonds (synthetic), open squares (duplicates) and crosses
#: (removed) are kept for the rows a sampler made or touched.
CLASS_SYMBOLS = ("circle", "triangle-up", "triangle-down", "star", "hexagon", "pentagon", "hourglass", "bowtie")
#: Colours for strategies in overlaid curves (Okabe-Ito, without grey).
STRATEGY_COLORS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")


#: Pixels the room under a chart takes per text size: the x axis's tick labels and title, and one legend row.
_AXIS_LINES, _ROW_LINES = 3.4, 1.7
#: The width a legend is laid out in, at most (a chart in half of a laptop window).
_LEGEND_WIDTH = 520


def legend_below(fig: go.Figure) -> go.Figure:
    """Put ``fig``'s legend under the x axis, never over it: anchored to the bottom of the figure, with the bottom
    margin holding the axis's ticks and title and every legend row (estimated at the figure's text size for a
    chart half a laptop window wide), and the figure taller by that room, so the plot keeps its size. Returns
    ``fig``; call it again after changing the text size."""
    font = float(fig.layout.font.size or 12)
    names = [t.name or "" for t in fig.data if t.showlegend is not False and (t.name or "")]
    rows, used = (1, 0.0) if names else (0, 0.0)
    for name in names:  # items laid out left to right, wrapping as plotly wraps them
        width = 0.58 * font * len(name) + 45
        if used and used + width > _LEGEND_WIDTH:
            rows, used = rows + 1, 0.0
        used += width
    room = int(_AXIS_LINES * font + rows * _ROW_LINES * font + 12)
    margin = fig.layout.margin
    old = margin.b if margin.b is not None else 80
    fig.update_layout(
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "xanchor": "left"},
        margin={"b": room}, height=int((fig.layout.height or 450) + max(room - old, 0)),
    )  # fmt: skip
    return fig
