"""Server-side SVG bar charts: plain markup with every label escaped, no script, no library."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Colours for the series in order (fixed values, never user input).
PALETTE = ("#1f4e9c", "#0f9d8a", "#e0a100", "#c2410c", "#7c3aed", "#6b7280")
WIDTH = 720
LABEL_WIDTH = 170
VALUE_WIDTH = 56
LEGEND_HEIGHT = 26
BAR_HEIGHT = 10
STACK_HEIGHT = 16
ROW_GAP = 8
FONT_SIZE = 11
MAX_LABEL_CHARS = 26


@dataclass(frozen=True)
class Series:
    """One named row of values, one per category."""

    label: str
    values: tuple[float, ...]


def _category(x: float, y: float, label: str) -> str:
    if len(label) <= MAX_LABEL_CHARS:
        return _text(x, y, label, "end")
    short = _text(x, y, label[: MAX_LABEL_CHARS - 1] + "…", "end")
    return short.replace("</text>", f"<title>{escape(label)}</title></text>")


def _text(x: float, y: float, content: str, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
        f'dominant-baseline="middle">{escape(content)}</text>'
    )


def _bar(x: float, y: float, width: float, height: float, color: str, tooltip: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{height:.1f}" '
        f'fill="{color}"><title>{escape(tooltip)}</title></rect>'
    )


def _legend(series: Sequence[Series]) -> list[str]:
    parts, x = [], float(LABEL_WIDTH)
    for index, item in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{x:.1f}" y="6" width="12" height="12" fill="{color}"/>')
        parts.append(_text(x + 16, 12, item.label))
        x += 16 + 7 * len(item.label) + 18
    return parts


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool = False,
    number: Callable[[float], str] = lambda value: f"{value:g}",
) -> Markup:
    """Horizontal bars per category: side by side per series, or stacked with their total."""
    if any(len(s.values) != len(categories) for s in series):
        msg = "every series needs one value per category"
        raise ValueError(msg)
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    values = totals if stacked else [v for s in series for v in s.values]
    peak = max(values, default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH - 8) / peak
    row_height = (STACK_HEIGHT if stacked else BAR_HEIGHT * len(series)) + ROW_GAP
    height = LEGEND_HEIGHT + row_height * len(categories) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" font-size="{FONT_SIZE}">',
        f"<title>{escape(title)}</title>",
        *_legend(series),
    ]
    for row, category in enumerate(categories):
        top = LEGEND_HEIGHT + row * row_height
        parts.append(_category(LABEL_WIDTH - 6, top + (row_height - ROW_GAP) / 2, category))
        parts += _row(category, row, top, series, scale, stacked, number)
        if stacked:
            end = LABEL_WIDTH + totals[row] * scale
            parts.append(_text(end + 4, top + STACK_HEIGHT / 2, number(totals[row])))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above went through escape()


def _row(
    category: str,
    row: int,
    top: float,
    series: Sequence[Series],
    scale: float,
    stacked: bool,
    number: Callable[[float], str],
) -> list[str]:
    parts, x = [], float(LABEL_WIDTH)
    for index, item in enumerate(series):
        value = item.values[row]
        if not value:  # no bar and no number for nothing
            continue
        color = PALETTE[index % len(PALETTE)]
        tooltip = f"{category} · {item.label}: {number(value)}"
        if stacked:
            parts.append(_bar(x, top, value * scale, STACK_HEIGHT, color, tooltip))
            x += value * scale
            continue
        y = top + index * BAR_HEIGHT
        parts.append(_bar(LABEL_WIDTH, y, value * scale, BAR_HEIGHT - 1, color, tooltip))
        parts.append(_text(LABEL_WIDTH + value * scale + 4, y + BAR_HEIGHT / 2, number(value)))
    return parts
