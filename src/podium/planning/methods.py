"""Forecasting methods, vectorised over many series at once (numpy only).

Every method takes ``y``, an (S, N) array of S series of N days each, the backtest origins
(day indices where a backtest window starts; the method knows only the days before one when it
forecasts from it), the backtest horizon ``h`` and the final ``horizon``, and answers a
:class:`Fit`: the backtest forecasts (S, windows, h) and the forecast past day N (S, horizon).

One pass over the days serves both. A method with parameters runs every candidate of a small
grid side by side; each series takes the candidate with the smallest in-sample one-step squared
error, measured on the days before the first origin for the backtest (nothing after it is
seen) and on all N days for the final forecast. States are kept at the origins, so the backtest
fits once and rolls forward over the windows, as statsforecast's ``refit=False`` does.

This replaces per-series statsforecast fits (AutoETS's optimiser took ~6 ms a fit): a grid
step is a handful of numpy operations over all series × candidates, so 10,000 series take
seconds. The forms are statsforecast's: ETS(A,N,A) and ETS(A,N,M) (Holt-Winters without a
trend), the standard Theta method and simple exponential smoothing; the intermittent-demand
methods are in ``methods_intermittent.py``. ``tests/unit/test_forecast_conformance.py`` checks
them against statsforecast's own implementations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Fit", "ets", "seasonal_naive", "ses", "theta"]

SEASON = 7
BURN = 2 * SEASON  # days whose one-step errors are not counted (the states are still settling)
EPS = 0.01
ETS_ALPHAS = (0.02, 0.05, 0.1, 0.2, 0.35, 0.5)
ETS_GAMMAS = (0.02, 0.1, 0.25)
SES_ALPHAS = (0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8)


@dataclass(slots=True)
class Fit:
    backtest: np.ndarray  # (S, windows, h)
    final: np.ndarray  # (S, horizon)


def seasonal_naive(y: np.ndarray, origins: Sequence[int], h: int, horizon: int) -> Fit:
    """The last week repeated."""

    def repeat(week: np.ndarray, start: int, days: int) -> np.ndarray:
        return week[:, (start + np.arange(days)) % SEASON]

    def week_before(end: int) -> np.ndarray:  # indexed by day % SEASON
        days = np.arange(end - SEASON, end)
        week = np.empty((y.shape[0], SEASON))
        week[:, days % SEASON] = y[:, days]
        return week

    n = y.shape[1]
    backtest = np.stack([repeat(week_before(o), o, h) for o in origins], axis=1)
    return Fit(backtest, repeat(week_before(n), n, horizon))


def _slots(start: int, days: int) -> np.ndarray:
    slots: np.ndarray = (start + np.arange(days)) % SEASON
    return slots


def _pick(errors: np.ndarray) -> np.ndarray:
    """Per series, the grid candidate with the smallest error (the first on a tie)."""
    best: np.ndarray = np.argmin(errors, axis=1)
    return best


def ets(y: np.ndarray, origins: Sequence[int], h: int, horizon: int) -> Fit:
    """ETS without a trend, additive or multiplicative weekly season (Holt-Winters): the form
    and the smoothing parameters chosen per series by in-sample squared error."""
    alphas, gammas = (a.ravel() for a in np.meshgrid(ETS_ALPHAS, ETS_GAMMAS, indexing="ij"))
    runs = [_holt_winters(y, alphas, gammas, mult, origins) for mult in (False, True)]
    rows = np.arange(y.shape[0])

    def forecast(snap: int, choice: np.ndarray, start: int, days: int) -> np.ndarray:
        g = choice % alphas.size
        parts = []
        for mult, (_, levels, seasons) in zip((False, True), runs, strict=True):
            level = levels[snap][rows, g][:, None]
            season = seasons[snap][:, rows, g].T[:, _slots(start, days)]
            parts.append(level * season if mult else level + season)
        picked: np.ndarray = np.where((choice < alphas.size)[:, None], parts[0], parts[1])
        return picked

    def choice(snap: int) -> np.ndarray:
        return _pick(np.concatenate([run[0][snap] for run in runs], axis=1))

    first = choice(0)
    backtest = np.stack([forecast(k, first, o, h) for k, o in enumerate(origins)], axis=1)
    return Fit(backtest, forecast(len(origins), choice(len(origins)), y.shape[1], horizon))


def _holt_winters(
    y: np.ndarray, alpha: np.ndarray, gamma: np.ndarray, mult: bool, origins: Sequence[int]
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """(SSE, level, season) for every grid candidate at each origin and at the end:
    (S, G), (S, G) and (7, S, G)."""
    s_count, n = y.shape
    first = y[:, :BURN]
    start = first.mean(axis=1, keepdims=True)
    week = first.reshape(s_count, 2, SEASON).mean(axis=1)  # slot t % 7 for t < 14
    week = np.maximum((week + EPS) / (start + EPS), EPS) if mult else week - start
    level = np.repeat(np.maximum(start, EPS) if mult else start, alpha.size, axis=1)
    season = np.repeat(week.T[:, :, None], alpha.size, axis=2)
    sse = np.zeros_like(level)
    snaps = set(origins)
    out: tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]] = ([], [], [])
    for t in range(n):
        if t in snaps:
            for kept, value in zip(out, (sse, level, season), strict=True):
                kept.append(value.copy())
        yt = y[:, t : t + 1]
        s = season[t % SEASON]
        if mult:
            fitted = level * s
            level_next = np.maximum(alpha * (yt / s) + (1 - alpha) * level, EPS)
            season[t % SEASON] = np.maximum(gamma * (yt / level_next) + (1 - gamma) * s, EPS)
        else:
            fitted = level + s
            level_next = alpha * (yt - s) + (1 - alpha) * level
            season[t % SEASON] = gamma * (yt - level_next) + (1 - gamma) * s
        if t >= BURN:
            sse += (yt - fitted) ** 2
        level = level_next
    for kept, value in zip(out, (sse, level, season), strict=True):
        kept.append(value)
    return out


def _ses(
    z: np.ndarray, fit_end: int, snaps: Sequence[int], grid: Sequence[float] = SES_ALPHAS
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Simple exponential smoothing over a grid of alphas: the alpha chosen per series (on the
    days before ``fit_end``), its value, and the chosen level at each of ``snaps``."""
    alphas = np.asarray(grid)
    level = np.repeat(z[:, :SEASON].mean(axis=1, keepdims=True), alphas.size, axis=1)
    sse = np.zeros_like(level)
    kept: dict[int, np.ndarray] = {}
    for t in range(max(snaps)):
        if t in snaps:
            kept[t] = level.copy()
        zt = z[:, t : t + 1]
        if BURN <= t < fit_end:
            sse += (zt - level) ** 2
        level = level + alphas * (zt - level)
    kept[max(snaps)] = level
    choice = _pick(sse)
    rows = np.arange(z.shape[0])
    return choice, alphas[choice], [kept[s][rows, choice] for s in snaps]


def ses(
    y: np.ndarray,
    origins: Sequence[int],
    h: int,
    horizon: int,
    alphas: Sequence[float] = SES_ALPHAS,
) -> Fit:
    """Simple exponential smoothing: a flat forecast at the smoothed level (``alphas``: the
    grid the smoothing parameter is chosen from; one value fixes it)."""
    n = y.shape[1]
    _, _, levels = _ses(y, origins[0], [*origins], alphas)
    backtest = np.stack([np.repeat(lv[:, None], h, axis=1) for lv in levels], axis=1)
    _, _, (last,) = _ses(y, n, [n], alphas)
    return Fit(backtest, np.repeat(last[:, None], horizon, axis=1))


def theta(y: np.ndarray, origins: Sequence[int], h: int, horizon: int) -> Fit:
    """The standard Theta method: SES with half the linear trend as drift, on the series
    divided by its weekday indices (classical multiplicative decomposition)."""
    n = y.shape[1]
    backtest = np.stack(_theta(y, origins[0], origins, h), axis=1)
    (final,) = _theta(y, n, [n], horizon)
    return Fit(backtest, final)


def _theta(y: np.ndarray, fit_end: int, origins: Sequence[int], days: int) -> list[np.ndarray]:
    seen = y[:, :fit_end]
    weeks = fit_end // SEASON * SEASON
    recent = seen[:, fit_end - weeks :]
    slot_means = np.empty((y.shape[0], SEASON))
    slot_means[:, _slots(fit_end - weeks, SEASON)] = recent.reshape(y.shape[0], -1, SEASON).mean(
        axis=1
    )
    overall = slot_means.mean(axis=1, keepdims=True)
    index = np.where(overall > 0, np.maximum(slot_means, EPS) / np.maximum(overall, EPS), 1.0)
    z = y / index[:, _slots(0, y.shape[1])]
    t = np.arange(fit_end, dtype=float)
    centred = t - t.mean()
    slope = (z[:, :fit_end] * centred).sum(axis=1) / (centred**2).sum()
    _, alpha, levels = _ses(z, fit_end, [*origins])
    out = []
    steps = np.arange(days, dtype=float)
    for o, level in zip(origins, levels, strict=True):
        drift = steps[None, :] + 1 / alpha[:, None] - (1 - alpha[:, None]) ** o / alpha[:, None]
        out.append((level[:, None] + slope[:, None] / 2 * drift) * index[:, _slots(o, days)])
    return out
