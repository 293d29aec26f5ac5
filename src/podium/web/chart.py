"""Server-side SVG bar charts (pure; no JavaScript chart library): orders per hour on the
home page, and labelled bars in one or two series for the reports."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from html import escape

__all__ = ["SERIES_COLOURS", "hourly_bars", "labelled_bars"]

SERIES_COLOURS = ("#2f5fb3", "#d98a1c")


def hourly_bars(
    buckets: Sequence[tuple[datetime, int]], *, width: int = 720, height: int = 180
) -> str:
    """An accessible ``<svg>`` with one bar per hour, hour labels every 3 hours."""
    left, bottom, top = 36, 22, 10
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = max((n for _, n in buckets), default=0)
    scale = max(peak, 1)
    step = plot_w / max(len(buckets), 1)
    total = sum(n for _, n in buckets)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title" preserveAspectRatio="xMidYMid meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">Orders per hour, last 24 hours: {total} in all, '
        f"busiest hour {peak}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}" '
        f'stroke="#8a94a6" stroke-width="1"/>',
        f'<text x="{left - 6}" y="{top + 8}" text-anchor="end" font-size="11" '
        f'fill="#3d4656">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11" '
        f'fill="#3d4656">0</text>',
    ]
    for i, (hour, count) in enumerate(buckets):
        h = round(plot_h * count / scale, 1)
        x = round(left + i * step + step * 0.15, 1)
        y = round(top + plot_h - h, 1)
        label = escape(f"{hour:%H}:00 UTC: {count} order{'s' if count != 1 else ''}")
        parts.append(
            f'<rect x="{x}" y="{y}" width="{round(step * 0.7, 1)}" height="{h}" '
            f'fill="#2f5fb3" rx="2"><title>{label}</title></rect>'
        )
        if i % 3 == 0:
            parts.append(
                f'<text x="{round(left + i * step + step / 2, 1)}" y="{height - 6}" '
                f'text-anchor="middle" font-size="11" fill="#3d4656">{hour:%H}h</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _figure(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 or value == int(value) else f"{value:,.1f}"


def labelled_bars(
    bars: Sequence[tuple[str, Sequence[float]]],
    series: Sequence[str],
    *,
    title: str,
    chart_id: str,
    width: int = 720,
    height: int = 200,
) -> str:
    """An accessible ``<svg>`` with one group of bars per label (one bar per series, the
    series' colours in ``SERIES_COLOURS``), each bar titled with its label and value.
    ``chart_id`` makes the title's id unique on a page with several charts."""
    left, bottom, top = 44, 40, 10
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = max((v for _, values in bars for v in values), default=0.0)
    scale = peak if peak > 0 else 1.0
    step = plot_w / max(len(bars), 1)
    per = max(len(series), 1)
    bar_w = step * 0.7 / per
    longest = max((min(len(label), 14) for label, _ in bars), default=1)
    every = max(1, math.ceil((longest * 6.5 + 8) / step))  # labels never overlap
    title_id = f"{chart_id}-title"
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{escape(title_id)}" preserveAspectRatio="xMidYMid meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}" '
        f'stroke="#8a94a6" stroke-width="1"/>',
        f'<text x="{left - 6}" y="{top + 8}" text-anchor="end" font-size="11" '
        f'fill="#3d4656">{escape(_figure(peak))}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11" '
        f'fill="#3d4656">0</text>',
    ]
    for i, (label, values) in enumerate(bars):
        for j, value in enumerate(values[:per]):
            h = round(plot_h * max(value, 0.0) / scale, 1)
            x = round(left + i * step + step * 0.15 + j * bar_w, 1)
            y = round(top + plot_h - h, 1)
            name = f"{series[j]}: " if len(series) > 1 else ""
            tip = escape(f"{label}: {name}{_figure(value)}")
            colour = SERIES_COLOURS[j % len(SERIES_COLOURS)]
            parts.append(
                f'<rect x="{x}" y="{y}" width="{round(bar_w, 1)}" height="{h}" '
                f'fill="{colour}" rx="2"><title>{tip}</title></rect>'
            )
        if i % every == 0:
            text = label if len(label) <= 14 else label[:13] + "…"
            parts.append(
                f'<text x="{round(left + i * step + step / 2, 1)}" y="{height - bottom + 16}" '
                f'text-anchor="middle" font-size="10" fill="#3d4656">{escape(text)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
