"""Horizontal bar charts drawn on the server as SVG geometry; the templates only place the shapes.

No JavaScript and nothing from a CDN: offices are often offline. Colours come from CSS classes
(the CSP forbids style attributes). Bars are either stacked (parts of a whole: counts and sums
by column) or side by side (a year against the year before, or figures that do not add up);
negative figures (a loss) extend left of the zero line.
"""

from dataclasses import dataclass, field

# Geometry in SVG user units; the SVG scales to its box.
LABEL_WIDTH, PLOT_WIDTH, VALUE_WIDTH = 220, 460, 130
LEGEND_HEIGHT, LEGEND_LINE, BAR_HEIGHT, GAP = 34, 20, 16, 8
MAX_BARS = 25
LABEL_CHARS = 32


def _n(value: float) -> str:
    # Coordinates as plain strings: the template would localise a float to "12,5".
    return f"{value:.1f}".removesuffix(".0")


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


@dataclass
class Segment:
    value: float
    css: str  # the series class, e.g. "series-0"
    label: str  # the series label, for the tooltip
    text: str  # the value as the page writes it
    url: str = ""


@dataclass
class Bar:
    label: str
    text: str  # the figure written after the bar
    segments: list[Segment] = field(default_factory=list)
    url: str = ""


def bar_chart(bars: list[Bar], *, legend: list[tuple[str, str]], stacked: bool) -> dict:
    """Geometry for bars (largest first when stacked), with a legend of (css class, label).

    At most MAX_BARS bars are drawn; "hidden" says how many more the table has.
    """
    hidden = max(0, len(bars) - MAX_BARS)
    bars = bars[:MAX_BARS]
    chart_width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    legend_items, legend_height = _legend(legend if len(legend) > 1 else [], chart_width)
    if stacked:
        extents = [sum(max(s.value, 0) for s in b.segments) for b in bars]
        low, high = 0.0, max(extents, default=0.0)
    else:
        values = [s.value for b in bars for s in b.segments]
        low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    zero = LABEL_WIDTH + (-low) * PLOT_WIDTH / span
    per_bar = BAR_HEIGHT if stacked else BAR_HEIGHT * max(1, max((len(b.segments) for b in bars), default=1))
    row_height = per_bar + GAP
    drawn = []
    for i, bar in enumerate(bars):
        top = legend_height + i * row_height + GAP / 2
        shapes = []
        x = zero
        end = zero
        for j, seg in enumerate(bar.segments):
            width = abs(seg.value) * PLOT_WIDTH / span
            if stacked:
                left, y, height = x, top, BAR_HEIGHT
                x += width
            else:
                left = zero - width if seg.value < 0 else zero
                y, height = top + j * BAR_HEIGHT, BAR_HEIGHT - 2
            end = max(end, left + width)
            if seg.value:
                shapes.append(
                    {
                        "x": _n(left),
                        "y": _n(y),
                        "width": _n(max(width, 1)),
                        "height": _n(height),
                        "css": seg.css,
                        "title": f"{bar.label} · {seg.label}: {seg.text}",
                        "url": seg.url,
                    }
                )
        drawn.append(
            {
                "label": _short(bar.label),
                "full_label": bar.label,
                "url": bar.url,
                "text": bar.text,
                "segments": shapes,
                "text_y": _n(top + per_bar / 2 + 4),
                "value_x": _n(end + 6),
            }
        )
    height = legend_height + len(drawn) * row_height + 6
    return {
        "bars": drawn,
        "legend": legend_items,
        "hidden": hidden,
        "width": _n(chart_width),
        "height": _n(height),
        "label_x": _n(LABEL_WIDTH - 8),
        "zero_x": _n(zero),
        "axis_top": _n(legend_height - 4),
        "axis_bottom": _n(height - 4),
    }


def _legend(legend: list[tuple[str, str]], width: float) -> tuple[list[dict], float]:
    """Legend items laid out left to right, wrapping to a new line at the edge; and the height they take."""
    items = []
    x, line = 10.0, 0
    for css, label in legend:
        label = _short(label)
        step = 30 + 6.5 * len(label)
        if x + step > width and x > 10:
            x, line = 10.0, line + 1
        y = 8 + line * LEGEND_LINE
        items.append({"css": css, "label": label, "x": _n(x), "y": _n(y), "text_x": _n(x + 18), "text_y": _n(y + 12)})
        x += step
    return items, (LEGEND_HEIGHT + line * LEGEND_LINE) if items else GAP
