"""Server-rendered SVG: the world map and small charts. No JavaScript; every figure is
also in a table on the same page, and every SVG carries a <title>."""

import functools
import json
from pathlib import Path

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.countries import OECD_MEMBERS

MAP_FILE = Path(__file__).parent / "data" / "world_map.json"


def _join(parts):
    """Concatenate fragments that format_html already escaped."""
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - escaped pieces


def _svg(css_class, width, height, chart_id, title, *bodies):
    """A chart's <svg> with its <title> (the accessible name), around escaped fragments."""
    return format_html(
        '<svg class="{}" viewBox="0 0 {} {}" role="img" aria-labelledby="{}">'
        '<title id="{}">{}</title>{}</svg>',
        css_class,
        width,
        height,
        chart_id,
        chart_id,
        title,
        _join(bodies),
    )


SHADES = 5  # 0, then four classes up to the largest count


@functools.cache
def world():
    """{"width", "height", "countries": {alpha-2: SVG path}} made by build_world_map.py."""
    return json.loads(MAP_FILE.read_text())


def shade(count, largest):
    """0 for none, else 1..SHADES-1 on a square-root scale (a few large counts dominate)."""
    if not count or not largest:
        return 0
    return max(1, min(SHADES - 1, -(-int((count / largest) ** 0.5 * (SHADES - 1) * 100) // 100)))


def world_map(*, title, description, counts, names, link, label):
    """The map: each country shaded by its count, OECD members outlined, counted ones linked.

    `names(code)` is the country's name, `link(code)` its filtered listing and
    `label(name, count)` the text of its <title>.
    """
    data = world()
    largest = max(counts.values(), default=0)
    shapes = []
    for code, path in data["countries"].items():
        count = counts.get(code, 0)
        classes = f"s{shade(count, largest)}{' oecd' if code in OECD_MEMBERS else ''}"
        tip = escape(label(names(code), count))
        shape = f'<path class="{classes}" d="{path}"><title>{tip}</title></path>'
        if count:
            shape = f'<a href="{escape(link(code))}">{shape}</a>'
        shapes.append(shape)
    return mark_safe(  # noqa: S308 - path data is ours; every text is escaped above
        f'<svg class="world-map" viewBox="0 0 {data["width"]} {data["height"]}" '
        f'role="group" aria-labelledby="map-title map-desc">'
        f'<title id="map-title">{escape(title)}</title>'
        f'<desc id="map-desc">{escape(description)}</desc>' + "".join(shapes) + "</svg>"
    )


def stacked_bars(*, title, series, rows, chart_id):
    """Horizontal stacked bars. `series`: [(key, label)]; `rows`: [(label, {key: n})]."""
    width, label_width, bar_height, gap = 640, 240, 22, 8  # "Latin America and the Caribbean"
    plot = width - label_width - 50
    largest = max((sum(values.values()) for _, values in rows), default=0) or 1
    height = len(rows) * (bar_height + gap) + 40
    parts = []
    for i, (label, values) in enumerate(rows):
        y = i * (bar_height + gap)
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="chart-label">{}</text>', label_width - 8, y + 16, label
            )
        )
        x = label_width
        for n, (key, series_label) in enumerate(series):
            value = values.get(key, 0)
            if not value:
                continue
            w = max(1, round(value / largest * plot))
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" class="c{}">'
                    "<title>{}: {} {}</title></rect>",
                    x,
                    y,
                    w,
                    bar_height,
                    n,
                    label,
                    series_label,
                    value,
                )
            )
            x += w
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="chart-value">{}</text>',
                x + 6,
                y + 16,
                sum(values.values()),
            )
        )
    # The legend wraps onto as many lines as it needs within the chart's width.
    legend, x, legend_y = [], label_width, len(rows) * (bar_height + gap) + 14
    for n, (_key, series_label) in enumerate(series):
        item_width = 16 + 7 * len(str(series_label)) + 16
        if x + item_width > width and x > label_width:
            x, legend_y = label_width, legend_y + 20
        legend.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" class="c{}"/>'
                '<text x="{}" y="{}" class="chart-legend">{}</text>',
                x,
                legend_y,
                n,
                x + 16,
                legend_y + 11,
                series_label,
            )
        )
        x += item_width
    height = legend_y + 24
    return _svg("chart", width, height, f"{chart_id}-title", title, _join(parts), _join(legend))


def share_lines(*, title, years, series, chart_id):
    """Percentages (0-100) by year, one line per series: [(label, {year: share or None})]."""
    width, height, left, bottom, top = 640, 240, 44, 30, 12
    plot_w, plot_h = width - left - 16, height - top - bottom
    if not years:
        empty = format_html('<text x="0" y="24">{}</text>', _("No dated records yet."))
        return _svg("chart", width, 40, f"{chart_id}-title", title, empty)
    step = plot_w / max(1, len(years) - 1)

    def xy(i, share):
        return round(left + i * step, 1), round(top + plot_h * (1 - share / 100), 1)

    parts = []
    for pct in (0, 50, 100):
        y = top + plot_h * (1 - pct / 100)
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"/>'
                '<text x="{}" y="{}" class="chart-axis">{}%</text>',
                left,
                width - 16,
                y,
                y,
                left - 6,
                y + 4,
                pct,
            )
        )
    label_every = max(1, len(years) // 8)
    for i, year in enumerate(years):
        if i % label_every == 0 or i == len(years) - 1:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" class="chart-year">{}</text>',
                    xy(i, 0)[0],
                    height - 8,
                    year,
                )
            )
    for n, (label, shares) in enumerate(series):
        points = [(i, shares.get(year)) for i, year in enumerate(years)]
        known = [
            (xy(i, s), year) for (i, s), year in zip(points, years, strict=True) if s is not None
        ]
        if len(known) > 1:
            parts.append(
                format_html(
                    '<polyline class="line c{}" points="{}"/>',
                    n,
                    " ".join(f"{x},{y}" for (x, y), _y in known),
                )
            )
        for (x, y), year in known:
            parts.append(
                format_html(
                    '<circle class="c{}" cx="{}" cy="{}" r="4"><title>{} {}: {}%</title></circle>',
                    n,
                    x,
                    y,
                    label,
                    year,
                    shares[year],
                )
            )
    legend = format_html_join(
        "",
        '<tspan class="legend-c{}">● {}</tspan> ',
        ((n, label) for n, (label, _s) in enumerate(series)),
    )
    legend = format_html(
        '<text x="{}" y="{}" class="chart-legend">{}</text>', left, height + 14, legend
    )
    return _svg("chart", width, height + 20, f"{chart_id}-title", title, _join(parts), legend)


def sparkline(*, title, points, chart_id):
    """A small bar chart of (label, value) pairs, for the impact indicators."""
    width, height = 200, 48
    if not points:
        return ""
    largest = max(v for _label, v in points) or 1
    bar = width / len(points)
    parts = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
        (
            (
                round(i * bar + 1, 1),
                round(height - max(1, value / largest * (height - 4)), 1),
                round(max(1, bar - 2), 1),
                round(max(1, value / largest * (height - 4)), 1),
                label,
                value,
            )
            for i, (label, value) in enumerate(points)
        ),
    )
    return _svg("sparkline", width, height, chart_id, title, parts)
