"""The nav registry and the server-side chart (pure)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from podium.access.model import Permission
from podium.orders.stats import hour_buckets
from podium.web.chart import hourly_bars
from podium.web.nav import NavItem, NavRegistry


def test_each_role_sees_only_the_pages_it_may_open_in_order() -> None:
    nav = NavRegistry()
    nav.add(NavItem("Orders", "/orders", order=10))
    nav.add(NavItem("Home", "/", order=0))
    nav.add(NavItem("Users", "/settings/users", Permission.ADMIN, section="settings"))
    nav.add(NavItem("Returns", "/returns", Permission.NOTE, order=50))  # a later capability
    assert [i.label for i in nav.visible("readonly")] == ["Home", "Orders"]
    assert [i.label for i in nav.visible("support")] == ["Home", "Orders", "Returns"]
    assert nav.visible("operator", "settings") == []
    assert [i.label for i in nav.visible("admin", "settings")] == ["Users"]
    assert nav.visible("nobody") == []


def test_hour_buckets_are_the_last_24_hours_with_zeros() -> None:
    now = datetime(2026, 11, 25, 13, 40, tzinfo=UTC)
    buckets = hour_buckets(now, {datetime(2026, 11, 25, 13, tzinfo=UTC): 4})
    assert len(buckets) == 24
    assert buckets[0][0] == datetime(2026, 11, 24, 14, tzinfo=UTC)
    assert buckets[-1] == (datetime(2026, 11, 25, 13, tzinfo=UTC), 4)
    assert sum(n for _, n in buckets) == 4


def test_the_chart_is_valid_svg_with_a_bar_and_a_label_per_hour() -> None:
    now = datetime(2026, 11, 25, 13, tzinfo=UTC)
    svg = hourly_bars(hour_buckets(now, {now: 7}))
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    bars = root.findall(f"{ns}rect")
    assert len(bars) == 24
    assert root.get("role") == "img"
    assert "7 in all" in (root.findtext(f"{ns}title") or "")
    assert float(bars[-1].get("height", "0")) > 0 and float(bars[0].get("height", "1")) == 0


def test_an_empty_day_draws_flat_bars_not_an_error() -> None:
    svg = hourly_bars(hour_buckets(datetime(2026, 1, 1, tzinfo=UTC), {}))
    assert ET.fromstring(svg) is not None and "0 in all" in svg


def test_ages_read_in_the_largest_sensible_unit() -> None:
    from datetime import timedelta

    from podium.web.core import ago

    assert ago(timedelta(seconds=5)) == "5 s"
    assert ago(timedelta(minutes=5)) == "5 min"
    assert ago(timedelta(hours=5)) == "5 h"
