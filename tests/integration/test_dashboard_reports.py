"""The Reports page over HTTP on both engines: every report's chart, table and CSV link for a
date range and filters, without JavaScript; bad filters said on the page."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from dashboard_support import cheap_passwords, sign_in
from fastapi import FastAPI

from podium.bootstrap import Podium
from podium.reports import REPORTS
from support import Api, order_body, seed_store


@pytest.fixture
def app(podium: Podium, api: Api) -> FastAPI:
    seed_store(api, {("TEE", "EAST"): 20, ("MUG", "EAST"): 5})
    api.ok("post", "/orders", order_body([("TEE", 2), ("MUG", 1)], external_id="1"))
    assert isinstance(api.client.app, FastAPI)
    return cheap_passwords(api.client.app)


def test_the_reports_page_shows_each_report_with_chart_table_and_csv_link(
    app: FastAPI, podium: Podium
) -> None:
    browser = sign_in(app, podium, "readonly")
    assert 'href="/reports"' in browser.get("/").text
    page = browser.get("/reports")
    assert page.status_code == 200, page.text
    text = page.text
    for name in REPORTS:
        assert f'id="{name}"' in text
    for name in ("sales-by-day", "sales-by-channel", "sales-by-sku"):
        assert f'aria-labelledby="chart-{name}-title"' in text
    # Nothing shipped, returned or forecast yet: those say so instead of drawing flat bars.
    assert text.count('<svg class="chart"') == 3
    assert text.count("Nothing above zero to chart.") == len(REPORTS) - 3
    assert "<td>TEE</td>" in text and "No forecast has been run yet" in text
    links = [html.unescape(x) for x in re.findall(r'href="(/reports/[^"]+\.csv\?[^"]+)"', text)]
    assert len(links) == len(REPORTS)
    sales = browser.get(next(x for x in links if x.startswith("/reports/sales-by-sku.csv")))
    assert sales.status_code == 200 and sales.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(sales.text)))
    assert rows[0][:3] == ["sku", "orders", "units"]
    assert sorted(r[0] for r in rows[1:]) == ["MUG", "TEE"]


def test_bad_filters_are_said_on_the_page_and_strangers_sign_in_first(
    app: FastAPI, podium: Podium
) -> None:
    browser = sign_in(app, podium, "readonly")
    backwards = browser.get("/reports?from=2026-03-05&to=2026-03-01")
    assert backwards.status_code == 422
    assert 'role="alert">`to` is before `from`.' in backwards.text
    assert browser.get("/reports?from=soon").status_code == 422
    assert browser.get("/reports?channel=moon").status_code == 422
    assert browser.get("/reports/nope.csv").status_code == 404
    assert browser.get("/reports/sales-by-day.csv?to=bad").status_code == 422
    browser.client.cookies.clear()
    assert browser.get("/reports").status_code == 303
