"""Local fake servers for the fulfilment tests: EasyPost's REST API and a 3PL receiver.

Both are real HTTP servers on 127.0.0.1 (a free port), run in a thread. The fake EasyPost
answers with the published payloads from shared/fixtures/channels/easypost/ when that folder
is present, else with copies of the same shape written here.
"""

from __future__ import annotations

import base64
import copy
import io
import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "channels" / "easypost"

_RATE = {
    "object": "Rate", "mode": "test", "carrier": "USPS", "currency": "USD",
    "shipment_id": "shp_a9b97f431c00435cb16ec2d6a14ed109",
    "carrier_account_id": "ca_9685a1198a75477885a3cdca37559bac",
}  # fmt: skip
_SHIPMENT: dict[str, Any] = {
    "id": "shp_a9b97f431c00435cb16ec2d6a14ed109",
    "object": "Shipment",
    "status": "unknown",
    "tracking_code": None,
    "rates": [
        {**_RATE, "id": "rate_9c291b87bdec47a0b3ed151c60b21fb4", "service": "Express",
         "rate": "51.20", "delivery_days": 2, "est_delivery_days": 2},
        {**_RATE, "id": "rate_e5b3aaafb00f48a4ab27d9f20a801b40", "service": "Priority",
         "rate": "11.01", "delivery_days": 2, "est_delivery_days": 2},
        {**_RATE, "id": "rate_76e0cae29e294e6db279c76bbe2f27e9", "service": "GroundAdvantage",
         "rate": "8.20", "delivery_days": 3, "est_delivery_days": 3},
    ],
}  # fmt: skip
_TRACKER: dict[str, Any] = {
    "id": "trk_9135862729734d96ad2f9ed0f0565a27",
    "object": "Tracker",
    "tracking_code": "EZ1000000001",
    "status": "pre_transit",
    "carrier": "USPS",
    "tracking_details": [],
    "public_url": "https://track.easypost.com/djE6dHJrXzkxMzU4NjI3Mjk3MzRkOTZhZDJmOWVkMGYwNTY1YTI3",
}


def fixture(name: str, fallback: dict[str, Any]) -> dict[str, Any]:
    path = FIXTURES / name
    if path.exists():
        loaded: dict[str, Any] = json.loads(path.read_text())
        return loaded
    return copy.deepcopy(fallback)


@dataclass
class FakeEasyPost:
    api_key: str
    url: str = ""
    calls: list[tuple[str, str, Any]] = field(default_factory=list)
    tracker_status: str = "pre_transit"
    refunded: list[str] = field(default_factory=list)
    # options.label_format asked per shipment (EasyPost makes a PNG when none is asked).
    formats: dict[str, str] = field(default_factory=dict)
    # A carrier that makes its labels as PNG whatever is asked: only a conversion gives PDF/ZPL.
    png_only: bool = False
    base: str = ""
    # An outage: every API call waits this long before it is answered (a hanging carrier).
    hang_seconds: float = 0.0

    def postage_label(self, shipment_id: str, formats: set[str]) -> dict[str, Any]:
        """EasyPost's PostageLabel: ``label_url`` (PNG) always, ``label_pdf_url`` or
        ``label_zpl_url`` only for a label made (or converted) in that format."""
        label: dict[str, Any] = {
            "object": "PostageLabel",
            "label_file_type": "image/png",
            "label_url": f"{self.base}/files/{shipment_id}.png",
            "label_pdf_url": None,
            "label_zpl_url": None,
        }
        if "PDF" in formats:
            label["label_pdf_url"] = f"{self.base}/files/{shipment_id}.pdf"
            label["label_file_type"] = "application/pdf"
        if "ZPL" in formats:
            label["label_zpl_url"] = f"{self.base}/files/{shipment_id}.zpl"
            label["label_file_type"] = "application/zpl"
        return label

    def answer(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        self.calls.append((method, path, body))
        shipment = fixture("shipment_create_response_with_rates.json", _SHIPMENT)
        if method == "POST" and path == "/v2/shipments":
            options = (body or {}).get("shipment", {}).get("options") or {}
            fmt = options.get("label_format", "PNG")
            if fmt not in ("PNG", "PDF", "ZPL", "EPL2"):
                return 422, {"error": {"code": "SHIPMENT.INVALID_PARAMS", "message": fmt}}
            self.formats[shipment["id"]] = fmt
            return 201, shipment
        if method == "POST" and path.startswith("/v2/shipments/") and path.endswith("/buy"):
            rate_id = (body or {}).get("rate", {}).get("id")
            chosen = next((r for r in shipment["rates"] if r["id"] == rate_id), None)
            if chosen is None:
                return 422, {"error": {"code": "SHIPMENT.RATE.INVALID", "message": "bad rate"}}
            tracker = fixture("tracker_retrieve_response.json", _TRACKER)
            bought = {
                **shipment,
                "selected_rate": chosen,
                "tracking_code": tracker["tracking_code"],
                "tracker": tracker,
                "postage_label": self.postage_label(
                    shipment["id"],
                    set() if self.png_only else {self.formats.get(shipment["id"], "PNG")},
                ),
            }
            return 200, bought
        if method == "GET" and path.startswith("/v2/shipments/") and "/label?" in path:
            fmt = path.partition("file_format=")[2].upper()
            if fmt not in ("PDF", "ZPL", "EPL2", "PNG"):
                return 422, {"error": {"code": "SHIPMENT.INVALID_PARAMS", "message": fmt}}
            return 200, {**shipment, "postage_label": self.postage_label(shipment["id"], {fmt})}
        if method == "POST" and path.endswith("/refund"):
            self.refunded.append(path.split("/")[3])
            return 200, {**shipment, "refund_status": "submitted"}
        if method == "POST" and path == "/v2/trackers":
            tracker = fixture("tracker_retrieve_response.json", _TRACKER)
            tracker["status"] = self.tracker_status
            return 200, tracker
        return 404, {"error": {"code": "NOT_FOUND", "message": path}}


def label_pdf_bytes(text: str) -> bytes:
    """A small real PDF (one 4x6 page saying ``text``), as a carrier's label would be."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    page = canvas.Canvas(buf, pagesize=(288, 432))
    page.drawString(20, 400, f"CARRIER LABEL {text}")
    page.save()
    return buf.getvalue()


@dataclass
class Receiver:
    """A WMS/3PL endpoint: records what it was sent; fails the first ``fail_first`` calls."""

    url: str = ""
    fail_first: int = 0
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    attempts: int = 0


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (Podium timed out on a hanging fake) is no error."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def _serve(handler_cls: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, str]:
    server = _QuietServer(("127.0.0.1", 0), handler_cls)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@contextmanager
def fake_easypost(api_key: str = "EZTK_test_key") -> Iterator[FakeEasyPost]:
    fake = FakeEasyPost(api_key)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _file(self) -> None:  # the label files, public like EasyPost's S3 links
            name = self.path.rsplit("/", 1)[1]
            code = name.rsplit(".", 1)[0]
            files = {
                "pdf": ("application/pdf", label_pdf_bytes(code)),
                "zpl": ("application/zpl", f"^XA^FO50,50^BCN,100^FD{code}^FS^XZ".encode()),
                "png": ("image/png", b"\x89PNG\r\n\x1a\n" + code.encode()),
            }
            media, data = files[name.rsplit(".", 1)[1]]
            self.send_response(200)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _handle(self, method: str) -> None:
            if method == "GET" and self.path.startswith("/files/"):
                self._file()
                return
            threading.Event().wait(fake.hang_seconds)
            expected = "Basic " + base64.b64encode(f"{fake.api_key}:".encode()).decode()
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if self.headers.get("Authorization") != expected:
                status, body = 401, {"error": {"code": "APIKEY.INACTIVE", "message": "bad key"}}
            else:
                status, body = fake.answer(method, self.path, json.loads(raw) if raw else None)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            self._handle("POST")

        def do_GET(self) -> None:
            self._handle("GET")

    server, url = _serve(Handler)
    fake.url = f"{url}/v2"
    fake.base = url
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def receiver(fail_first: int = 0) -> Iterator[Receiver]:
    rec = Receiver(fail_first=fail_first)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            rec.attempts += 1
            status = 503 if rec.attempts <= rec.fail_first else 204
            if status == 204:
                rec.received.append(({k: v for k, v in self.headers.items()}, body))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server, url = _serve(Handler)
    rec.url = f"{url}/wms/releases"
    try:
        yield rec
    finally:
        server.shutdown()
        server.server_close()


def drain(podium: Any) -> None:
    """Run the outbox relay until nothing is due (the tests' stand-in for the background one)."""
    while podium.relay.run_once():
        pass
    podium.pushers.run_once()
