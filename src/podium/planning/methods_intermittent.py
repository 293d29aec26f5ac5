"""Intermittent-demand methods, vectorised over many series (numpy only): Croston, SBA, TSB
and ADIDA. Same calling convention as ``methods.py``: ``y`` is (S, N), the backtest origins,
the backtest horizon ``h`` and the final ``horizon``; the answer is a :class:`Fit` per method.

The recursions are statsforecast's (``CrostonClassic``, ``CrostonSBA``, ``TSB``, ``ADIDA``);
``tests/unit/test_forecast_conformance.py`` compares them with statsforecast's own. One
deliberate difference, documented in docs/planning.md: Croston/SBA/TSB start their smoothed
size, interval and probability from the days before the first backtest origin
(``start="history"``), where statsforecast starts them from the first sale (and the first
day's sale or not for TSB's probability, ``start="first"``); with α = 0.1 the start weighs
0.9ᵏ after k sales, and one noisy first sale no longer sets it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from podium.planning.methods import Fit

__all__ = ["ADIDA_ALPHAS", "INTERMITTENT_ALPHA", "adida", "intermittent"]

INTERMITTENT_ALPHA = 0.1  # statsforecast's CrostonClassic/SBA and our TSB setting
# statsforecast's ADIDA optimises the SES α on the aggregated series within [0.1, 0.3]
# (golden-section search); every series here tries this grid of it side by side.
ADIDA_ALPHAS = tuple(np.round(np.linspace(0.1, 0.3, 41), 4).tolist())

Start = Literal["history", "first"]


def _intermittent_states(
    y: np.ndarray,
    origins: Sequence[int],
    alpha_d: float,
    alpha_p: float,
    start: Start,
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Croston's rate (smoothed size over smoothed interval) and TSB's (smoothed probability ×
    smoothed size) at each origin and at the end."""
    a = INTERMITTENT_ALPHA
    if start == "history":
        seen = y[:, : origins[0]]
        selling = (seen > 0).sum(axis=1)
        size = np.where(selling > 0, seen.sum(axis=1) / np.maximum(selling, 1), 0.0)
        interval = np.where(
            selling > 0, seen.shape[1] / np.maximum(selling, 1), float(seen.shape[1])
        )
        prob = selling / seen.shape[1]
    else:  # statsforecast: the first sale's size and day, the first day's sale or not
        first = np.argmax(y > 0, axis=1)
        size = y[np.arange(y.shape[0]), first]
        interval = first + 1.0
        prob = (y[:, 0] > 0).astype(float)
    tsb_size = size.copy()
    since = np.ones(y.shape[0])
    snaps = set(origins)
    out: tuple[list[np.ndarray], list[np.ndarray]] = ([], [])
    for t in range(y.shape[1]):
        if t in snaps:
            out[0].append(size / interval)
            out[1].append(prob * tsb_size)
        yt = y[:, t]
        sold = yt > 0
        size = np.where(sold, size + a * (yt - size), size)
        interval = np.where(sold, interval + a * (since - interval), interval)
        since = np.where(sold, 1.0, since + 1)
        prob = prob + alpha_p * (sold - prob)
        tsb_size = np.where(sold, tsb_size + alpha_d * (yt - tsb_size), tsb_size)
    out[0].append(size / interval)
    out[1].append(prob * tsb_size)
    return out


def _flat(values: Sequence[np.ndarray], h: int, horizon: int, factor: float = 1.0) -> Fit:
    backtest = np.stack([np.repeat(v[:, None] * factor, h, axis=1) for v in values[:-1]], axis=1)
    return Fit(backtest, np.repeat(values[-1][:, None] * factor, horizon, axis=1))


def intermittent(
    y: np.ndarray,
    origins: Sequence[int],
    h: int,
    horizon: int,
    *,
    tsb_alphas: tuple[float, float] = (INTERMITTENT_ALPHA, INTERMITTENT_ALPHA),
    start: Start = "history",
) -> dict[str, Fit]:
    """Croston's method (smoothed demand size over smoothed interval), SBA (Croston × (1 − α/2),
    the Syntetos-Boylan correction) and TSB (Teunter-Syntetos-Babai: smoothed probability of a
    sale × smoothed size, the probability updated every day so it decays when sales stop;
    ``tsb_alphas`` are its α for the size and for the probability)."""
    rates, tsb_rates = _intermittent_states(y, origins, *tsb_alphas, start)
    return {
        "croston": _flat(rates, h, horizon),
        "sba": _flat(rates, h, horizon, 1 - INTERMITTENT_ALPHA / 2),
        "tsb": _flat(tsb_rates, h, horizon),
    }


def adida(y: np.ndarray, origins: Sequence[int], h: int, horizon: int) -> Fit:
    """ADIDA (aggregate-disaggregate intermittent demand approach): the days are summed in
    buckets as long as the mean interval between sales (rounded), SES forecasts the next
    bucket and the daily forecast is its share of it. Refitted at each origin, as
    statsforecast's cross-validation refits it."""
    return _flat([_adida_rate(y, end) for end in (*origins, y.shape[1])], h, horizon)


def _adida_rate(y: np.ndarray, end: int) -> np.ndarray:
    """The daily rate ADIDA forecasts from the days before ``end``."""
    seen = y[:, :end]
    sold = seen > 0
    count = sold.sum(axis=1)
    last = end - 1 - np.argmax(sold[:, ::-1], axis=1)  # the last day with a sale
    # Intervals between sales (the first counted from the day before day 0) sum to last + 1.
    buckets = np.maximum(np.round((last + 1) / np.maximum(count, 1)), 1).astype(int)
    rate = np.zeros(y.shape[0])
    for k in np.unique(buckets[count > 0]):
        rows = np.flatnonzero((buckets == k) & (count > 0))
        chunks = end // k
        sums = seen[rows, end - chunks * k :].reshape(rows.size, chunks, k).sum(axis=2)
        rate[rows] = _optimised_ses(sums) / k
    return rate


def _optimised_ses(x: np.ndarray) -> np.ndarray:
    """statsforecast's ``_optimized_ses_forecast`` for each row: the level starts at the first
    value, α is the one with the smallest in-sample one-step squared error within [0.1, 0.3]
    (a grid, then a finer grid around its best), the answer is the level after the last value."""
    coarse = np.broadcast_to(np.asarray(ADIDA_ALPHAS), (x.shape[0], len(ADIDA_ALPHAS)))
    best = coarse[0, _ses_runs(x, coarse)[1]]
    fine = np.clip(best[:, None] + np.linspace(-0.005, 0.005, 21), 0.1, 0.3)
    level, choice = _ses_runs(x, fine)
    picked: np.ndarray = level[np.arange(x.shape[0]), choice]
    return picked


def _ses_runs(x: np.ndarray, alphas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """SES of each row with each of its ``alphas`` (S, G): the final levels and, per row, the
    α with the smallest one-step squared error."""
    level = np.repeat(x[:, :1], alphas.shape[1], axis=1)
    sse = np.zeros_like(level)
    for i in range(1, x.shape[1]):
        error = x[:, i : i + 1] - level
        sse += error**2
        level = level + alphas * error
    return level, np.argmin(sse, axis=1)
