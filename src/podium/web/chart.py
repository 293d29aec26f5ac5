"""Server-side SVG bar chart of orders per hour (pure; no JavaScript chart library)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

__all__ = ["hourly_bars"]


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
