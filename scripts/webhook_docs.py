"""Regenerate the event list in docs/webhooks.md from the event catalogue.

    .venv/bin/python scripts/webhook_docs.py

tests/unit/events/test_catalogue.py fails when the committed file is stale.
"""

from __future__ import annotations

from pathlib import Path

import podium.bootstrap  # noqa: F401  (imports every capability's events module)
from podium.events.catalogue import catalogue
from podium.events.docs import with_event_section

DOCS = Path(__file__).resolve().parent.parent / "docs" / "webhooks.md"


def main() -> None:
    text = DOCS.read_text(encoding="utf-8")
    DOCS.write_text(with_event_section(text, catalogue().values()), encoding="utf-8")


if __name__ == "__main__":
    main()
