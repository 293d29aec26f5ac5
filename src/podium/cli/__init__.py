"""The ``podium`` command line: an entrypoint layer over the capabilities (none of them imports
it). ``app`` assembles one module per command group; ``common`` holds what they share."""

from podium.cli.app import app, main
from podium.cli.common import FIRST_ADMIN_EMAIL

__all__ = ["FIRST_ADMIN_EMAIL", "app", "main"]
