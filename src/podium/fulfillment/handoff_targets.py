"""Where a 3PL hand-off may go: a public URL (podium.outbound: the rule outgoing webhooks
follow too) and a drop directory under the configured root (``PODIUM_HANDOFF_ROOT``).

Both are checked when the settings are saved (422 naming the field) and again at every
hand-off: a host name can later resolve inward and a directory can later become a symlink.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from podium.errors import ValidationFailed
from podium.outbound import check_url, private_target

__all__ = ["check_handoff_url", "confine_dir", "refused_url"]


def check_handoff_url(url: str, *, allow_private: bool) -> str:
    return check_url(url, allow_private=allow_private, field_name="handoff_url")


def refused_url(url: str, *, allow_private: bool) -> str | None:
    """Why the hand-off URL may not be called now (it resolves to a private address)."""
    return None if allow_private else private_target(url)


def _outside(value: str, root: str) -> ValidationFailed:
    return ValidationFailed(
        f"handoff_dir must lie under the hand-off root {root} (PODIUM_HANDOFF_ROOT); "
        f"{value} does not.",
        code="handoff_dir_outside_root",
        details={"field": "handoff_dir", "root": root},
    )


def confine_dir(value: str, root: str) -> Path:
    """The drop directory ``value`` names, resolved (symlinks followed), if it lies under
    ``root``; else 422 ``handoff_dir_outside_root``. A relative ``value`` is taken relative to
    the root; ``..`` is refused outright, even when it would land inside."""
    if ".." in PurePath(value).parts:
        raise _outside(value, root)
    base = Path(os.path.realpath(root))
    target = Path(os.path.realpath(base / value))  # an absolute value replaces the base
    if target != base and base not in target.parents:
        raise _outside(value, root)
    return target
