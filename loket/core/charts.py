"""Charts of the report pages, drawn on the server as inline SVG.

The Content-Security-Policy allows no script and no inline style, so a chart is plain SVG
elements with attributes (x, y, width, height, class) coloured by loket/charts.css. These
functions compute the coordinates; the templates charts/_bars.html and
charts/_columns.html draw them. Coordinates are strings with a dot (``n``), so the
Indonesian number format (a decimal comma) never reaches an SVG attribute; the texts shown
(``text``) are whatever the caller formatted.
"""

from __future__ import annotations

from typing import Callable, Sequence


def n(value: float) -> str:
    """An SVG coordinate: a dot as the decimal mark, whatever the page's locale."""
    return f"{value:.1f}".removesuffix(".0")


def short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "\u2026"


def _scale(value, low, high) -> float:
    """The share (0–1) of the axis from low to high that a value (int, float, Fraction) fills."""
    if high <= low:
        return 0.0
    return min(max(float(value - low) / float(high - low), 0.0), 1.0)


BAR_WIDTH, BAR_LABEL, BAR_ROW, BAR_HEIGHT, BAR_AXIS = 640, 250, 26, 18, 18


def hbars(rows: Sequence[tuple[str, float]], *, low: float = 0, high: float | None = None,
          ticks: Sequence[tuple[float, str]] = (), text: Callable[[float], str] | None = None) -> dict:
    """A horizontal bar chart: a label on the left, a bar, its value. The axis runs from
    ``low`` to ``high`` (default: 0 to the largest value). ``ticks`` are (value, label) grid
    lines with their labels under the bars; ``text`` formats a value for display."""
    area = BAR_WIDTH - BAR_LABEL - 50
    if high is None:
        high = max((v for _, v in rows), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(rows):
        y = i * BAR_ROW + 4
        w = _scale(value, low, high) * area
        bars.append({
            "label": label, "short": short(str(label), 36), "n": value, "text": text(value) if text else value,
            "y": n(y), "text_y": n(y + BAR_HEIGHT - 5), "w": n(w), "h": n(BAR_HEIGHT),
            "value_x": n(BAR_LABEL + w + 6),
        })
    bottom = len(rows) * BAR_ROW + 4
    return {
        "width": BAR_WIDTH, "height": bottom + 4 + (BAR_AXIS if ticks else 0), "label_x": BAR_LABEL - 8,
        "bar_x": BAR_LABEL, "bars": bars, "grid_bottom": n(bottom), "tick_y": n(bottom + BAR_AXIS - 4),
        "ticks": [{"x": n(BAR_LABEL + _scale(v, low, high) * area), "label": label} for v, label in ticks],
    }


COL_WIDTH, COL_HEIGHT, COL_LEFT, COL_TOP, COL_BOTTOM = 640, 220, 10, 20, 40


def columns(items: Sequence[dict], *, low: float = 0, high: float | None = None,
            ticks: Sequence[tuple[float, str]] = (), show_values: bool = True, left: int = COL_LEFT) -> dict:
    """A column chart. Each item: ``label`` (the tooltip), ``value`` (None: no column, the
    ``text`` is shown on the axis instead), ``text`` (the value as shown), ``axis`` (the label
    under the column) and ``sub`` (a second line under it, e.g. the year). More than 18 items
    label every third axis position, more than 36 every sixth. ``ticks`` are (value, label)
    horizontal grid lines labelled on the left (give ``left`` room for them)."""
    count = max(len(items), 1)
    step = 1 if count <= 18 else 3 if count <= 36 else 6
    slot = (COL_WIDTH - left - COL_LEFT) / count
    plot = COL_HEIGHT - COL_TOP - COL_BOTTOM
    values = [it["value"] for it in items if it["value"] is not None]
    if high is None:
        high = max(values, default=0) or 1
    base = COL_TOP + plot
    cols = []
    for i, it in enumerate(items):
        value = it["value"]
        h = 0.0 if value is None else _scale(value, low, high) * plot
        x = left + i * slot
        cols.append({
            "label": it["label"], "n": value, "text": it.get("text", value), "empty": value is None,
            "show_value": show_values and value != 0,
            "x": n(x + slot * 0.15), "w": n(slot * 0.7), "y": n(base - h), "h": n(h),
            "mid": n(x + slot / 2), "value_y": n(base - h - 4),
            "axis": it.get("axis", "") if i % step == 0 else "", "sub": it.get("sub", ""),
        })
    return {
        "width": COL_WIDTH, "height": COL_HEIGHT, "base": n(base), "left": left, "right": COL_WIDTH - COL_LEFT,
        "axis_y": n(base + 14), "sub_y": n(base + 28), "columns": cols, "tick_x": left - 4,
        "ticks": [{"y": n(base - _scale(v, low, high) * plot), "text_y": n(base - _scale(v, low, high) * plot + 4),
                   "label": label} for v, label in ticks],
    }
