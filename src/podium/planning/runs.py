"""Forecast runs in the background: the API starts a run, answers 202 with its id once the
history is read (so a request with nothing to forecast is still refused at once), and the run
reports its progress until its forecasts are stored.

Progress lives in the process that runs the forecast (a thread); a finished run is also in
``planning_forecast_runs``, so any process answers for it once it is done.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from podium.db.database import Database, as_utc, utcnow
from podium.errors import DomainError, NotFound
from podium.ids import new_id
from podium.planning import _store as store
from podium.planning.forecasting import run_forecast, run_view
from podium.planning.model import ForecastRunIn, ForecastRunView

__all__ = ["ForecastRunStatus", "forecast_run", "start_forecast", "wait_for"]

log = logging.getLogger(__name__)
KEPT = 50  # finished runs remembered in memory (older ones are read from the database)
FIRST_STEP_SECONDS = 300.0  # the longest a start waits for the history to be read


class ForecastRunStatus(BaseModel):
    id: str
    status: Literal["running", "done", "failed"]
    done: int = Field(0, description="Series forecast so far.")
    total: int | None = Field(None, description="Series to forecast (once the history is read).")
    started_at: datetime
    finished_at: datetime | None = None
    error: dict[str, object] | None = Field(None, description="code and message when failed.")
    run: ForecastRunView | None = Field(None, description="The run's summary once done.")


class _Run:
    def __init__(self, run_id: str) -> None:
        self.status = ForecastRunStatus(id=run_id, status="running", started_at=utcnow())
        self.counted = threading.Event()  # the series are known (or the run failed)
        self.finished = threading.Event()
        self.failure: DomainError | None = None


_runs: dict[str, _Run] = {}
_lock = threading.Lock()


def start_forecast(
    db: Database, request: ForecastRunIn, *, actor: str, rebuild: bool = True
) -> ForecastRunStatus:
    """Start a run in a thread; return once it knows how many series it forecasts. Refusals
    found before that (no history) are raised here, as a synchronous run raises them."""
    run = _Run(new_id("fcr"))
    with _lock:
        _runs[run.status.id] = run
        for old in [k for k, r in _runs.items() if r.status.status != "running"][:-KEPT]:
            del _runs[old]

    def progress(done: int, total: int) -> None:
        run.status.done, run.status.total = done, total
        run.counted.set()

    def work() -> None:
        try:
            view = run_forecast(
                db, request, actor=actor, rebuild=rebuild, progress=progress, run_id=run.status.id
            )
            run.status.run, run.status.status = view, "done"
        except DomainError as refused:
            run.failure = refused
            run.status.status = "failed"
            run.status.error = {"code": refused.code, "message": refused.message}
        except Exception:
            log.exception("forecast run %s failed", run.status.id)
            run.status.status = "failed"
            run.status.error = {"code": "forecast_failed", "message": "The run failed; see logs."}
        finally:
            run.status.finished_at = utcnow()
            run.counted.set()
            run.finished.set()

    threading.Thread(target=work, name=f"forecast-{run.status.id}", daemon=True).start()
    run.counted.wait(FIRST_STEP_SECONDS)
    if run.failure is not None and run.status.total is None:
        with _lock:
            _runs.pop(run.status.id, None)
        raise run.failure
    return run.status.model_copy()


def wait_for(run_id: str, timeout: float | None = None) -> ForecastRunStatus:
    """Block until the run (started in this process) is done or failed."""
    with _lock:
        run = _runs.get(run_id)
    if run is None:
        raise NotFound(f"No forecast run {run_id} is running here.", code="forecast_run_not_found")
    run.finished.wait(timeout)
    return run.status.model_copy()


def forecast_run(db: Database, run_id: str) -> ForecastRunStatus:
    """A run's status: from this process while it runs (or recently finished), else from the
    stored runs (done)."""
    with _lock:
        run = _runs.get(run_id)
    if run is not None:
        return run.status.model_copy()
    with db.read() as conn:
        row = store.run_by_id(conn, run_id)
    if row is None:
        raise NotFound(
            f"No forecast run {run_id}.",
            code="forecast_run_not_found",
            details={"field": "id", "id": run_id},
        )
    view = run_view(row)
    return ForecastRunStatus(
        id=run_id,
        status="done",
        done=view.series,
        total=view.series,
        started_at=as_utc(row["created_at"]),
        finished_at=as_utc(row["created_at"]),
        run=view,
    )
