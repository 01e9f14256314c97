"""Bar charts drawn on the server as SVG: no script, no style attribute (the CSP allows neither).

Each bar is one area, split by type of organisation; the label sits above its bar so the
chart reads at a phone's width as well as on a desk.
"""

from hoptac.registry.models import OrgKind

KINDS = [k.value for k in OrgKind]
# Geometry in SVG user units; the SVG scales to the width of its box.
WIDTH, BAR_WIDTH, ROW_HEIGHT, LEGEND_HEIGHT = 360, 295, 38, 28
MAX_BARS = 25


def _n(value: float) -> str:
    # Coordinates as plain strings: the template would localise a float to "12,5".
    return f"{value:.1f}".removesuffix(".0")


def bar_chart(rows: list[tuple[str, dict[str, int], str]]) -> dict:
    """rows of (label, counts by kind, link) as bars, largest first, at most MAX_BARS of them."""
    order = sorted(range(len(rows)), key=lambda i: (-sum(rows[i][1].values()), rows[i][0]))
    hidden = max(0, len(order) - MAX_BARS)
    order = order[:MAX_BARS]
    largest = max((sum(rows[i][1].values()) for i in order), default=0) or 1
    bars = []
    for position, i in enumerate(order):
        label, counts, link = rows[i]
        top = LEGEND_HEIGHT + position * ROW_HEIGHT
        x = 0.0
        segments = []
        for kind in KINDS:
            count = counts.get(kind, 0)
            if not count:
                continue
            width = count * BAR_WIDTH / largest
            segments.append(
                {"kind": kind, "x": _n(x), "width": _n(max(width, 1)), "count": count, "label": OrgKind(kind).label}
            )
            x += width
        bars.append(
            {
                "label": label,
                "url": link,
                "total": sum(counts.values()),
                "segments": segments,
                "label_y": _n(top + 13),
                "bar_y": _n(top + 17),
                "bar_height": "16",
                "value_x": _n(x + 6),
                "value_y": _n(top + 30),
            }
        )
    legend = [{"kind": k, "x": _n(i * 72), "text_x": _n(i * 72 + 18)} for i, k in enumerate(KINDS)]
    return {
        "bars": bars,
        "legend": legend,
        "hidden": hidden,
        "width": _n(WIDTH),
        "height": _n(LEGEND_HEIGHT + len(bars) * ROW_HEIGHT + 4),
    }
