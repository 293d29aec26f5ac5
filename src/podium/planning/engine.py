"""The forecasting engine: per series, a rolling-origin backtest picks one method among
seasonal naive, ETS, Theta and the intermittent-demand family (Croston, SBA, TSB, ADIDA); the
chosen method then forecasts the horizon with a conformal interval from its backtest errors.

statsforecast, utilsforecast, pandas and numpy are imported inside the functions that need
them, never when ``podium`` is imported (the CLI starts in a fraction of a second).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from podium.planning.model import Series

__all__ = ["METHODS", "EngineResult", "SeriesResult", "run_engine"]

SEASON = 7
BACKTEST_HORIZON = 28
MIN_FIT = 28  # days a model is fitted on at the earliest origin
FIT_DAYS = 364  # models are fitted on the last 52 weeks at most
METHODS = ("seasonal_naive", "ets", "theta", "croston", "sba", "tsb", "adida")
# Candidates made of others: the mean of their forecasts (a combination of two well-behaved
# models is often more accurate than either, and it is chosen only where the backtest says so).
COMBINATIONS = {"ets+theta": ("ets", "theta")}
SHORT = "historic_average"  # too little history for a backtest
# Syntetos-Boylan: a series selling on fewer than one day in 1.32 (on average) is intermittent;
# its candidates are the intermittent-demand methods and seasonal naive (ETS and Theta, fitted
# to mostly zeros, cost most of the time and are not what such series need).
INTERMITTENT_ADI = 1.32
SMOOTH_ONLY = ("ets", "theta")
FORWARD = ("seasonal_naive", "ets", "theta")  # can forecast new data with the fitted parameters

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


def _model(name: str) -> Any:
    from statsforecast import models as m

    made: dict[str, Callable[[], Any]] = {
        "seasonal_naive": lambda: m.SeasonalNaive(season_length=SEASON, alias="seasonal_naive"),
        # ETS without a trend (error and weekly season additive or multiplicative, chosen by
        # AICc) and the standard Theta method on multiplicatively deseasonalised data: the
        # searches over every trend form cost several times as much per series and, over
        # 28 days of daily demand, did not forecast better.
        "ets": lambda: m.AutoETS(season_length=SEASON, model="ZNZ", alias="ets"),
        "theta": lambda: m.Theta(season_length=SEASON, alias="theta"),
        "croston": lambda: m.CrostonClassic(alias="croston"),
        "sba": lambda: m.CrostonSBA(alias="sba"),
        "tsb": lambda: m.TSB(alpha_d=0.1, alpha_p=0.1, alias="tsb"),
        "adida": lambda: m.ADIDA(alias="adida"),
        SHORT: lambda: m.HistoricAverage(alias=SHORT),
    }
    return made[name]()


def _frame(series: Sequence[Series]) -> Any:
    import numpy as np
    import pandas as pd

    ids = np.repeat([s.key for s in series], [len(s.values) for s in series])
    days = np.concatenate(
        [np.arange(np.datetime64(s.start), np.datetime64(s.start) + len(s.values)) for s in series]
    )
    values = np.concatenate([np.asarray(s.values, dtype=float) for s in series])
    return pd.DataFrame({"unique_id": ids, "ds": pd.to_datetime(days), "y": values})


def _engine(names: Sequence[str]) -> Any:
    from statsforecast import StatsForecast

    return StatsForecast(
        models=[_model(n) for n in names],
        freq="D",
        n_jobs=1,
        fallback_model=_model("seasonal_naive"),
    )


def run_engine(
    series: Sequence[Series],
    horizon: int,
    level: int = 90,
    *,
    windows: int = 2,
    methods: Sequence[str] = METHODS,
    progress: Progress | None = None,
    chunk: int = 500,
) -> EngineResult:
    """Forecast every series ``horizon`` days past its last day (all series end on the same
    day). ``progress`` is told (series done, total)."""
    h = min(horizon, BACKTEST_HORIZON)
    out = EngineResult(windows=windows, backtest_horizon=h)
    if "seasonal_naive" not in methods:
        methods = ("seasonal_naive", *methods)
    done = 0
    groups: dict[tuple[int, bool], list[Series]] = {}
    for s in series:
        fits = windows if len(s.values) >= h * windows + MIN_FIT else 1
        fits = fits if len(s.values) >= h + MIN_FIT else 0
        groups.setdefault((fits, _intermittent(s.values)), []).append(s)
    for (n_windows, sparse), members in sorted(groups.items()):
        candidates = tuple(m for m in methods if not (sparse and m in SMOOTH_ONLY))
        for i in range(0, len(members), chunk):
            part = members[i : i + chunk]
            if n_windows == 0:
                out.results.extend(_short(part, horizon, level))
            else:
                out.results.extend(_backtested(part, horizon, h, n_windows, level, candidates))
            done += len(part)
            if progress is not None:
                progress(done, len(series))
    return out


def _intermittent(values: Sequence[float]) -> bool:
    """Average days between sales (over the days models are fitted on) above 1.32."""
    recent = values[-FIT_DAYS:]
    selling = sum(1 for v in recent if v > 0)
    return selling == 0 or len(recent) / selling > INTERMITTENT_ADI


def _backtested(
    part: Sequence[Series],
    horizon: int,
    h: int,
    n_windows: int,
    level: int,
    methods: Sequence[str],
) -> list[SeriesResult]:
    import numpy as np
    from utilsforecast.losses import mase, rmsse

    df = _frame(part)
    cv = _cross_validate(df, methods, h, n_windows)
    y = cv["y"].to_numpy()
    candidates = list(methods)
    for name, parts in COMBINATIONS.items():
        if all(p in methods for p in parts):
            cv[name] = cv[list(parts)].mean(axis=1)
            candidates.append(name)
    errors = {m: (cv[m].to_numpy() - y) ** 2 for m in candidates}
    ids = cv["unique_id"].to_numpy()
    mse = {m: _group_mean(ids, e) for m, e in errors.items()}
    chosen = {
        key: min(candidates, key=lambda m: (mse[m][key], candidates.index(m)))
        for key in mse[methods[0]]
    }
    cv["chosen"] = [cv.at[i, chosen[k]] for i, k in enumerate(ids)]
    first_cutoff = cv.groupby("unique_id")["cutoff"].min()
    train = df[df["ds"] <= df["unique_id"].map(first_cutoff)]
    scores = {}
    for name, loss in (("rmsse", rmsse), ("mase", mase)):
        table = loss(
            cv[["unique_id", "ds", "cutoff", "y", "chosen", "seasonal_naive"]],
            models=["chosen", "seasonal_naive"],
            seasonality=SEASON,
            train_df=train,
        )
        scores[name] = table.groupby("unique_id")[["chosen", "seasonal_naive"]].mean()
    spread = {
        k: float(np.quantile(np.abs(v), level / 100))
        for k, v in _group_values(ids, cv["chosen"].to_numpy() - y).items()
    }
    means = _forecast_chosen(df, chosen, horizon)
    results = []
    for s in part:
        q = spread[s.key]
        start = s.start + timedelta(days=len(s.values))
        daily = [
            (start + timedelta(days=d), f, max(0.0, f - q), f + q)
            for d, f in enumerate(means[s.key])
        ]
        results.append(
            SeriesResult(
                s.sku,
                s.warehouse,
                chosen[s.key],
                daily,
                _finite(scores["rmsse"].at[s.key, "chosen"]),
                _finite(scores["mase"].at[s.key, "chosen"]),
                _finite(scores["rmsse"].at[s.key, "seasonal_naive"]),
                _finite(scores["mase"].at[s.key, "seasonal_naive"]),
            )
        )
    return results


def _cross_validate(df: Any, methods: Sequence[str], h: int, n_windows: int) -> Any:
    """The backtest's forecasts, one column per method. Models that can be applied to new data
    without refitting (seasonal naive, ETS, Theta) are fitted once, at the first origin, and
    rolled forward; the intermittent methods (cheap) are refitted at each origin."""
    frames = []
    for group, refit in (
        ([m for m in methods if m in FORWARD], False),
        ([m for m in methods if m not in FORWARD], True),
    ):
        if not group:
            continue
        cv = _engine(group).cross_validation(
            df=df, h=h, n_windows=n_windows, step_size=h, input_size=FIT_DAYS, refit=refit
        )
        cv = cv.reset_index(drop=True) if "unique_id" in cv.columns else cv.reset_index()
        frames.append(cv)
    merged = frames[0]
    for more in frames[1:]:
        merged = merged.merge(more.drop(columns="y"), on=["unique_id", "ds", "cutoff"])
    return merged.sort_values(["unique_id", "cutoff", "ds"]).reset_index(drop=True)


def _forecast_chosen(df: Any, chosen: dict[str, str], horizon: int) -> dict[str, list[float]]:
    by_method: dict[str, list[str]] = {}
    for key, method in chosen.items():
        by_method.setdefault(method, []).append(key)
    means: dict[str, list[float]] = {}
    for method, keys in by_method.items():
        parts = list(COMBINATIONS.get(method, (method,)))
        recent = df[df["unique_id"].isin(keys)].groupby("unique_id", sort=False).tail(FIT_DAYS)
        fc = _engine(parts).forecast(df=recent, h=horizon)
        fc = fc.reset_index(drop=True) if "unique_id" in fc.columns else fc.reset_index()
        fc = fc.sort_values(["unique_id", "ds"])
        fc[method] = fc[parts].mean(axis=1)
        for key, values in fc.groupby("unique_id")[method]:
            means[str(key)] = [max(0.0, float(v)) for v in values]
    return means


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


def _group_values(ids: Any, values: Any) -> dict[str, Any]:
    import numpy as np

    order = np.argsort(ids, kind="stable")
    keys, starts = np.unique(ids[order], return_index=True)
    return {str(k): v for k, v in zip(keys, np.split(values[order], starts[1:]), strict=True)}


def _group_mean(ids: Any, values: Any) -> dict[str, float]:
    return {k: float(v.mean()) for k, v in _group_values(ids, values).items()}


def _finite(value: Any) -> float | None:
    import math

    number = float(value)
    return round(number, 4) if math.isfinite(number) else None
