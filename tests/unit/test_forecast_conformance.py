"""The vectorised forecasting methods give statsforecast's point forecasts (issue 16 names
statsforecast): each method against the reference implementation on generated smooth,
seasonal and intermittent series, the backtest origins included (statsforecast fitted on the
days before each origin).

Same parameters, tight tolerance, where statsforecast takes them:

- SeasonalNaive, CrostonClassic, CrostonSBA, TSB(α_d, α_p): equal to rounding.
  Croston/SBA/TSB are run with ``start="first"`` (statsforecast's start: the first sale's size
  and interval, the first day for TSB's probability); Podium's default starts them from the days
  before the first origin (docs/planning.md), the only difference.
- SimpleExponentialSmoothing(α): equal to 1e-9 with a fixed α. statsforecast starts the level
  at the first day, Podium at the first week's mean; with α = 0.3 that start weighs 0.7¹⁴⁰ by
  the first origin, nothing.
- ADIDA: statsforecast optimises the aggregate's SES α in [0.1, 0.3] by golden section;
  Podium searches a grid then a finer one, so forecasts agree to 1e-3 (relative).

statsforecast 2.x takes no fixed smoothing parameters for ETS, Holt-Winters or Theta (it
optimises them, and Theta first tests for seasonality and decomposes by moving averages), so
those cannot agree to rounding: Podium's grid-searched ETS(A,N,A) and Theta are checked to
forecast within 10% (mean absolute gap) of AutoETS(model="ANA") and Theta(season_length=7) on
seasonal series. The tests skip when statsforecast (a dev dependency) is not installed.
"""

from __future__ import annotations

import numpy as np
import pytest

from podium.planning import methods as m
from podium.planning import methods_intermittent as mi

sf = pytest.importorskip("statsforecast.models")

N, H, HORIZON = 196, 28, 14
ORIGINS = [140, 168]


def _series(kind: str, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(N)
    if kind == "intermittent":
        p = rng.uniform(0.05, 0.5)
        return np.where(rng.random(N) < p, rng.integers(1, 7, N), 0).astype(float)
    week = rng.uniform(0.5, 1.8, 7) if kind == "seasonal" else np.ones(7)
    level = rng.uniform(10, 60) * (1 + rng.uniform(-0.2, 0.2) * t / N)
    counts: np.ndarray = rng.poisson(level * week[t % 7] / week.mean()).astype(float)
    return counts


KINDS = ["smooth", "seasonal", "intermittent"]
SERIES = np.stack([_series(kind, seed) for kind in KINDS for seed in range(3)])
SPARSE = np.stack([_series("intermittent", seed) for seed in range(10, 18)])


def _reference(model: object, y: np.ndarray, h: int) -> np.ndarray:
    mean: np.ndarray = np.asarray(model.forecast(y=y, h=h)["mean"], dtype=float)  # type: ignore[attr-defined]
    return mean


def _assert_conforms(
    fit: m.Fit, ys: np.ndarray, make: object, *, rtol: float, atol: float = 1e-9
) -> None:
    """``fit`` (for every row of ``ys``) against the model ``make()`` fitted on the days before
    each origin (the backtest) and on all of them (the forecast)."""
    for i, y in enumerate(ys):
        for k, origin in enumerate(ORIGINS):
            expected = _reference(make(), y[:origin], H)  # type: ignore[operator]
            np.testing.assert_allclose(fit.backtest[i, k], expected, rtol=rtol, atol=atol)
        expected = _reference(make(), y, HORIZON)  # type: ignore[operator]
        np.testing.assert_allclose(fit.final[i], expected, rtol=rtol, atol=atol)


def test_seasonal_naive_is_statsforecasts() -> None:
    fit = m.seasonal_naive(SERIES, ORIGINS, H, HORIZON)
    _assert_conforms(fit, SERIES, lambda: sf.SeasonalNaive(season_length=7), rtol=1e-12)


@pytest.mark.parametrize("alpha", [0.3, 0.5])
def test_ses_with_a_fixed_alpha_is_statsforecasts(alpha: float) -> None:
    fit = m.ses(SERIES, ORIGINS, H, HORIZON, alphas=(alpha,))
    _assert_conforms(fit, SERIES, lambda: sf.SimpleExponentialSmoothing(alpha), rtol=1e-9)


@pytest.mark.parametrize(
    ("name", "reference"),
    [("croston", "CrostonClassic"), ("sba", "CrostonSBA")],
)
def test_croston_and_sba_are_statsforecasts(name: str, reference: str) -> None:
    ys = np.concatenate([SERIES, SPARSE])
    fit = mi.intermittent(ys, ORIGINS, H, HORIZON, start="first")[name]
    _assert_conforms(fit, ys, getattr(sf, reference), rtol=1e-10)


@pytest.mark.parametrize("alphas", [(0.1, 0.1), (0.2, 0.05)])
def test_tsb_with_the_same_alphas_is_statsforecasts(alphas: tuple[float, float]) -> None:
    ys = np.concatenate([SERIES, SPARSE])
    fit = mi.intermittent(ys, ORIGINS, H, HORIZON, tsb_alphas=alphas, start="first")["tsb"]
    _assert_conforms(fit, ys, lambda: sf.TSB(*alphas), rtol=1e-10)


def test_adida_is_statsforecasts() -> None:
    ys = np.concatenate([SERIES, SPARSE])
    fit = mi.adida(ys, ORIGINS, H, HORIZON)
    _assert_conforms(fit, ys, sf.ADIDA, rtol=1e-3)


def test_podiums_start_of_croston_changes_little_once_sales_have_come() -> None:
    """Podium's default start (the days before the first origin) against statsforecast's (the
    first sale): the forecasts part by the start's weight, 0.9ᵏ after k sales."""
    dense = SPARSE[(SPARSE[:, : ORIGINS[0]] > 0).sum(axis=1) >= 40]
    ours = mi.intermittent(dense, ORIGINS, H, HORIZON)["croston"].final[:, 0]
    theirs = mi.intermittent(dense, ORIGINS, H, HORIZON, start="first")["croston"].final[:, 0]
    assert dense.shape[0] >= 2
    np.testing.assert_allclose(ours, theirs, rtol=0.05)


@pytest.mark.parametrize(
    ("method", "reference"),
    [
        (m.ets, lambda: sf.AutoETS(season_length=7, model="ANA")),
        (m.theta, lambda: sf.Theta(season_length=7)),
    ],
    ids=["ets", "theta"],
)
def test_ets_and_theta_forecast_near_statsforecasts_optimised_fits(
    method: object, reference: object
) -> None:
    ys = SERIES[3:6]  # seasonal
    fit = method(ys, ORIGINS, H, HORIZON)  # type: ignore[operator]
    for i, y in enumerate(ys):
        expected = _reference(reference(), y, HORIZON)  # type: ignore[operator]
        gap = np.abs(fit.final[i] - expected).mean() / expected.mean()
        assert gap < 0.1, (i, gap)
