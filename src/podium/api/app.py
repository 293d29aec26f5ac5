"""The FastAPI application factory."""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import Depends, FastAPI
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from podium import __version__, metrics, traces
from podium.api.docs import install_docs
from podium.api.errors import install_error_handlers
from podium.api.limits import BodySizeLimit
from podium.api.metrics import install_metrics
from podium.api.observe import Observe
from podium.api.openapi import install_openapi
from podium.api.paging import refuse_unknown_query
from podium.api.routers import automation as automation_router
from podium.api.routers import (
    carriers,
    catalog,
    channels,
    fulfillment,
    imports,
    inventory,
    notify,
    orders,
    system,
    users,
    warehouse_ops,
)
from podium.api.routers import customer_returns as customer_returns_router
from podium.api.routers import order_edits as order_edits_router
from podium.api.routers import payments as payments_router
from podium.api.routers import planning as planning_router
from podium.api.routers import reports as reports_router
from podium.api.routers import return_labels as return_labels_router
from podium.api.routers import returns as returns_router
from podium.api.routers import risk as risk_router
from podium.api.routers import routing as routing_router
from podium.automation import LateShipments
from podium.bootstrap import Podium
from podium.lifecycle import Pruner
from podium.web.app import install_dashboard
from podium.web.portal_photo import PHOTO_BODY_BYTES

__all__ = ["create_app"]

API_PREFIX = "/api/v1"


def create_app(podium: Podium, *, run_relay: bool = True) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Handlers run in threads; never more at once than there are pooled connections, so a
        # burst queues cheaply in the event loop instead of opening and closing connections.
        anyio.to_thread.current_default_thread_limiter().total_tokens = max(
            1, podium.settings.db_pool_size
        )
        # Geocoding indexes take a second or two to build: do it now, off the request path.
        threading.Thread(
            target=podium.geocoder.preload, name="geocoder-preload", daemon=True
        ).start()
        late = LateShipments(podium.db)
        pruner = Pruner.of(podium.db, podium.settings)
        if run_relay:
            podium.relay.start()
            podium.webhooks.start()
            late.start()
            podium.pushers.start()
            pruner.start()
        try:
            yield
        finally:
            if run_relay:
                pruner.stop()
                late.stop()
                podium.relay.stop()
                podium.webhooks.stop()
                podium.pushers.stop()
            if metrics.multiprocess_dir() is not None:  # its live gauges leave the sums
                from prometheus_client import multiprocess

                multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]

    app = FastAPI(
        title="Podium",
        version=__version__,
        summary="Open-source order management: capture, reserve, route, ship, return.",
        docs_url=None,  # served by podium.api.docs from local assets
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
        lifespan=lifespan,
    )
    app.state.podium = podium
    install_error_handlers(app)
    install_docs(app)
    for module in (
        system,
        catalog,
        inventory,
        orders,
        fulfillment,
        warehouse_ops,
        carriers,
        channels,
        imports,
        notify,
        routing_router,
        returns_router,
        payments_router,
        order_edits_router,
        customer_returns_router,
        users,
        return_labels_router,
        automation_router,
        risk_router,
        planning_router,
        reports_router,
    ):
        app.include_router(
            module.router, prefix=API_PREFIX, dependencies=[Depends(refuse_unknown_query)]
        )
    app.add_middleware(
        BodySizeLimit,
        max_bytes=podium.settings.max_body_bytes,
        larger={
            f"{API_PREFIX}/imports/": podium.settings.max_import_bytes,
            f"{API_PREFIX}/planning/history": podium.settings.max_import_bytes,
            "/returns/submit": PHOTO_BODY_BYTES,  # the returns portal's photo upload
        },
    )

    install_metrics(app, podium)  # GET /metrics
    install_dashboard(app, podium)  # the operations dashboard takes over `/`
    install_openapi(app)
    # Outermost, so every handler sees the real client: forwarded headers count only when the
    # connection comes from a proxy in PODIUM_TRUSTED_PROXIES (`podium serve` turns uvicorn's
    # own handling off, which would trust 127.0.0.1 regardless).
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(podium.settings.trusted_proxies))
    # Outermost of all: it times the whole request and tags every log line with its id.
    app.add_middleware(Observe, access_log=podium.settings.access_log)
    traces.instrument_app(app)  # when traces are on: the outermost span, around all of it
    return app
