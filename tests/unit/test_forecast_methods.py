"""The vectorised forecasting methods: no look-ahead in the backtest, and each method's
forecast on a series whose answer is known."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from podium.planning import methods as m
from podium.planning import methods_intermittent as mi
from podium.planning.engine import COMBINATIONS, METHODS, run_engine
from podium.planning.model import Series

ORIGINS = [84, 112]


def _every_method(y: np.ndarray, h: int = 28, horizon: int = 14) -> dict[str, m.Fit]:
    fits = {
        name: method(y, ORIGINS, h, horizon)
        for name, method in (
            ("seasonal_naive", m.seasonal_naive),
            ("ets", m.ets),
            ("theta", m.theta),
            ("ses", m.ses),
        )
    }
    fits.update(mi.intermittent(y, ORIGINS, h, horizon))
    fits["adida"] = mi.adida(y, ORIGINS, h, horizon)
    return fits


def test_a_backtest_window_sees_nothing_from_its_origin_on() -> None:
    rng = np.random.default_rng(3)
    y = rng.poisson(10, (4, 140)).astype(float)
    changed = y.copy()
    changed[:, ORIGINS[0] :] = rng.poisson(40, (4, 140 - ORIGINS[0]))
    before, after = _every_method(y), _every_method(changed)
    for name, fit in before.items():
        assert fit.backtest.shape == (4, 2, 28) and fit.final.shape == (4, 14)
        np.testing.assert_allclose(fit.backtest[:, 0], after[name].backtest[:, 0], err_msg=name)
        assert not np.allclose(fit.final, after[name].final), name


@pytest.mark.parametrize("name", ["seasonal_naive", "ets", "theta"])
def test_a_steady_weekly_pattern_is_carried_into_the_forecast(name: str) -> None:
    week = np.array([10.0, 10, 10, 10, 10, 25, 5])
    y = np.tile(week, 20)[None, :]
    fit = _every_method(y)[name]
    np.testing.assert_allclose(fit.final[0], np.tile(week, 2), rtol=0.05)
    np.testing.assert_allclose(fit.backtest[0, 1], np.tile(week, 4), rtol=0.05)


def test_intermittent_methods_forecast_the_rate_and_tsb_decays_when_sales_stop() -> None:
    regular = np.where(np.arange(140) % 4 == 0, 8.0, 0.0)
    stopped = regular.copy()
    stopped[70:] = 0
    fits = _every_method(np.stack([regular, stopped]))
    np.testing.assert_allclose(fits["croston"].final[0], 2.0, rtol=0.02)
    np.testing.assert_allclose(fits["sba"].final[0], 2.0 * 0.95, rtol=0.02)
    assert 1.5 < fits["tsb"].final[0, 0] < 2.5  # the probability dips between sales
    assert fits["tsb"].final[1, 0] < 0.1 < fits["croston"].final[1, 0]


def test_series_of_any_length_share_blocks_and_each_gets_its_own_forecast() -> None:
    rng = np.random.default_rng(5)
    last = date(2026, 3, 31)
    lengths = {"ONE-WINDOW": 60, "SHORT": 100, "YEAR": 400, "LONG": 800, "LONG2": 799}
    series = [
        Series(sku, "EAST", last - timedelta(days=n - 1), [float(v) for v in rng.poisson(8, n)])
        for sku, n in lengths.items()
    ]
    result = run_engine(series, 28)
    assert {r.sku for r in result.results} == set(lengths)
    for r in result.results:
        assert r.method in {*METHODS, *COMBINATIONS}, r.sku
        assert r.rmsse is not None and len(r.daily) == 28
        assert r.daily[0][0] == last + timedelta(days=1)
        assert all(4 < q < 12 for _, q, _, _ in r.daily), r.sku  # a level of 8 a day
