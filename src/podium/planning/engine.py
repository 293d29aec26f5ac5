"""The forecasting engine: per series, a rolling-origin backtest picks one method among
seasonal naive, ETS, Theta, their mean, simple exponential smoothing and the
intermittent-demand family (Croston, SBA, TSB, ADIDA); the chosen method then forecasts the horizon
with a conformal interval from its backtest errors.

Series are forecast in blocks of the same length, every method vectorised over the block
(``methods.py``, ``methods_intermittent.py``). numpy is imported inside the functions that
need it, never when ``podium`` is imported (the CLI starts in a fraction of a second).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from podium.planning.model import Series

if TYPE_CHECKING:
    import numpy as np

    from podium.planning.methods import Fit

__all__ = ["HISTORY_DAYS", "METHODS", "EngineResult", "SeriesResult", "run_engine"]

SEASON = 7
BACKTEST_HORIZON = 28
MIN_FIT = 28  # days a model is fitted on at the earliest origin
FIT_DAYS = 364  # models are fitted on the last 52 weeks at most
# The history a run reads: what the methods see at most (the fit and two backtest windows) and
# the 8 weeks before it that filling a stock-out day looks back on. Older days change nothing
# but the in-stock mean a stock-out day falls back on, so a run does not read them.
HISTORY_DAYS = FIT_DAYS + 2 * BACKTEST_HORIZON + 56
METHODS = ("seasonal_naive", "ets", "theta", "ses", "croston", "sba", "tsb", "adida")
# Candidates made of others: the mean of their forecasts (a combination of two well-behaved
# models is often more accurate than either, and it is chosen only where the backtest says so).
COMBINATIONS = {"ets+theta": ("ets", "theta")}
SHORT = "historic_average"  # too little history for a backtest
# Syntetos-Boylan: a series selling on fewer than one day in 1.32 (on average) is intermittent;
# its candidates are the intermittent-demand methods and seasonal naive (ETS and Theta, fitted
# to mostly zeros, cost most of the time and are not what such series need).
INTERMITTENT_ADI = 1.32
SMOOTH_ONLY = ("ets", "theta")
# ADIDA buckets the days by the mean interval between sales: on a series selling most days it
# is SES on the days, which ``ses`` already is.
SPARSE_ONLY = ("adida",)
BLOCK = 28  # series are cut to a multiple of this many days to share a block

Progress = Callable[[int, int], None]
Day = tuple[date, float, float, float]


@dataclass(slots=True)
class SeriesResult:
    sku: str
    warehouse: str
    method: str
    daily: list[Day]
    rmsse: float | None = None
    mase: float | None = None
    naive_rmsse: float | None = None
    naive_mase: float | None = None


@dataclass(slots=True)
class EngineResult:
    results: list[SeriesResult] = field(default_factory=list)
    windows: int = 0
    backtest_horizon: int = 0


def run_engine(
    series: Sequence[Series],
    horizon: int,
    level: int = 90,
    *,
    windows: int = 2,
    methods: Sequence[str] = METHODS,
    progress: Progress | None = None,
    chunk: int = 2000,
) -> EngineResult:
    """Forecast every series ``horizon`` days past its last day (all series end on the same
    day). ``progress`` is told (series done, total)."""
    h = min(horizon, BACKTEST_HORIZON)
    out = EngineResult(windows=windows, backtest_horizon=h)
    if "seasonal_naive" not in methods:
        methods = ("seasonal_naive", *methods)
    done = 0
    groups: dict[tuple[int, bool, int], list[Series]] = {}
    for s in series:
        fits = windows if len(s.values) >= h * windows + MIN_FIT else 1
        fits = fits if len(s.values) >= h + MIN_FIT else 0
        groups.setdefault(
            (fits, _intermittent(s.values), _days(len(s.values), h, fits)), []
        ).append(s)
    for (n_windows, sparse, days), members in sorted(groups.items()):
        skip = SMOOTH_ONLY if sparse else SPARSE_ONLY
        candidates = tuple(m for m in methods if m not in skip)
        for i in range(0, len(members), chunk):
            part = members[i : i + chunk]
            if n_windows == 0:
                out.results.extend(_short(part, horizon, level))
            else:
                out.results.extend(
                    _backtested(part, days, horizon, h, n_windows, level, candidates)
                )
            done += len(part)
            if progress is not None:
                progress(done, len(series))
    return out


def _days(length: int, h: int, fits: int) -> int:
    """The days of a series the methods see: at most FIT_DAYS before the backtest, cut to a
    multiple of BLOCK (so series of similar length share a block), never below what the
    backtest needs."""
    if fits == 0:
        return length
    need = h * fits + MIN_FIT
    return max(need, min(length, FIT_DAYS + h * fits) // BLOCK * BLOCK)


def _intermittent(values: Sequence[float]) -> bool:
    """Average days between sales (over the days models are fitted on) above 1.32."""
    recent = values[-FIT_DAYS:]
    selling = sum(1 for v in recent if v > 0)
    return selling == 0 or len(recent) / selling > INTERMITTENT_ADI


def _fits(
    y: np.ndarray, origins: list[int], h: int, horizon: int, names: Sequence[str]
) -> dict[str, Fit]:
    import numpy as np

    from podium.planning import methods as m
    from podium.planning import methods_intermittent as mi

    fits: dict[str, Fit] = {}
    single = {"seasonal_naive": m.seasonal_naive, "ets": m.ets, "theta": m.theta, "ses": m.ses}
    for name, method in single.items():
        if name in names:
            fits[name] = method(y, origins, h, horizon)
    if any(n in names for n in ("croston", "sba", "tsb")):
        fits.update(
            (k, v) for k, v in mi.intermittent(y, origins, h, horizon).items() if k in names
        )
    if "adida" in names:
        fits["adida"] = mi.adida(y, origins, h, horizon)
    for name, parts in COMBINATIONS.items():
        if all(p in fits for p in parts):
            fits[name] = m.Fit(
                np.mean([fits[p].backtest for p in parts], axis=0),
                np.mean([fits[p].final for p in parts], axis=0),
            )
    for fit in fits.values():
        _clip(fit)
    return fits


def _clip(fit: Fit) -> None:
    """Demand is never negative."""
    fit.backtest.clip(0.0, None, out=fit.backtest)
    fit.final.clip(0.0, None, out=fit.final)


def _backtested(
    part: Sequence[Series],
    days: int,
    horizon: int,
    h: int,
    n_windows: int,
    level: int,
    methods: Sequence[str],
) -> list[SeriesResult]:
    import numpy as np

    y = np.array([s.values[-days:] for s in part], dtype=float)
    origins = [days - h * (n_windows - k) for k in range(n_windows)]
    fits = _fits(y, origins, h, horizon, methods)
    names = list(fits)
    actual = np.stack([y[:, o : o + h] for o in origins], axis=1)  # (S, windows, h)
    mse = np.stack([((fits[n].backtest - actual) ** 2).mean(axis=(1, 2)) for n in names])
    choice = np.argmin(mse, axis=0)  # the first candidate on a tie
    rows = np.arange(len(part))
    chosen_bt = np.stack([fits[n].backtest for n in names])[choice, rows]
    final = np.stack([fits[n].final for n in names])[choice, rows]
    seen = y[:, : origins[0]]
    diffs = seen[:, SEASON:] - seen[:, :-SEASON]
    scale2, scale1 = (diffs**2).mean(axis=1), np.abs(diffs).mean(axis=1)
    scores = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for label, forecast in (("", chosen_bt), ("naive_", fits["seasonal_naive"].backtest)):
            err = forecast - actual
            scores[label + "rmsse"] = np.sqrt((err**2).mean(axis=2) / scale2[:, None]).mean(1)
            scores[label + "mase"] = (np.abs(err).mean(axis=2) / scale1[:, None]).mean(1)
    spread = np.quantile(np.abs(chosen_bt - actual).reshape(len(part), -1), level / 100, axis=1)
    first_day = part[0].start + timedelta(days=len(part[0].values))
    calendar = [first_day + timedelta(days=d) for d in range(horizon)]
    results = []
    for i, s in enumerate(part):
        q = float(spread[i])
        means = final[i].tolist()
        results.append(
            SeriesResult(
                s.sku,
                s.warehouse,
                names[choice[i]],
                [(day, f, max(0.0, f - q), f + q) for day, f in zip(calendar, means, strict=True)],
                *(_finite(scores[k][i]) for k in ("rmsse", "mase", "naive_rmsse", "naive_mase")),
            )
        )
    return results


def _short(part: Sequence[Series], horizon: int, level: int) -> list[SeriesResult]:
    """Too little history to backtest: the in-sample mean, its interval from the spread of
    the days seen."""
    import numpy as np

    results = []
    for s in part:
        values = np.asarray(s.values)
        mean = float(values.mean())
        q = float(np.quantile(np.abs(values - mean), level / 100))
        start = s.start + timedelta(days=len(s.values))
        daily = [
            (start + timedelta(days=d), mean, max(0.0, mean - q), mean + q) for d in range(horizon)
        ]
        results.append(SeriesResult(s.sku, s.warehouse, SHORT, daily))
    return results


def _finite(value: Any) -> float | None:
    import math

    number = float(value)
    return round(number, 4) if math.isfinite(number) else None
