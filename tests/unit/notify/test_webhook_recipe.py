"""The verification recipe in docs/webhooks.md works on what Podium sends."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from podium.notify.model import signature_header

DOC = Path(__file__).resolve().parents[3] / "docs" / "webhooks.md"


def _recipe() -> Any:
    code = re.search(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)
    assert code is not None
    namespace: dict[str, Any] = {}
    exec(code.group(1), namespace)
    return namespace["verify"]


def test_the_documented_recipe_verifies_a_podium_signature_and_refuses_a_forgery() -> None:
    verify = _recipe()
    body = b'{"id":"7","type":"order.created"}'
    now = int(time.time())
    header = signature_header("whsec_new", now, body, "whsec_old")
    assert verify("whsec_new", header, body)
    assert verify("whsec_old", header, body)
    assert not verify("whsec_other", header, body)
    assert not verify("whsec_new", header, body + b" ")
    assert not verify("whsec_new", signature_header("whsec_new", now - 301, body), body)
