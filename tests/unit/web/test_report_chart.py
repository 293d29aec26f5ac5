"""The reports' SVG bars: accessible, escaped, one bar per series and label."""

from __future__ import annotations

from podium.web.chart import labelled_bars


def test_labelled_bars_draw_one_titled_bar_per_series_and_label() -> None:
    svg = labelled_bars(
        [("TEE", (4.0, 6.0)), ("<MUG>", (0.0, 2.5))],
        ("Forecast", "Actual"),
        title="Forecast vs actual",
        chart_id="chart-x",
    )
    assert svg.startswith("<svg") and 'aria-labelledby="chart-x-title"' in svg
    assert '<title id="chart-x-title">Forecast vs actual</title>' in svg
    assert svg.count("<rect") == 4
    assert "<title>TEE: Actual: 6</title>" in svg and "&lt;MUG&gt;" in svg and "<MUG>" not in svg


def test_labelled_bars_with_nothing_to_show_is_an_empty_axis() -> None:
    svg = labelled_bars([], ("Units",), title="Sales by day", chart_id="c")
    assert "<rect" not in svg and svg.endswith("</svg>")
