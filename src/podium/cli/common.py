"""What every ``podium`` command shares: the consoles, opening Podium for one command, and the
one decorator that turns expected failures into a readable line and exit code 2."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

import typer
from rich.console import Console
from sqlalchemy.exc import OperationalError

from podium.config import Settings, database_url_for
from podium.errors import DomainError

if TYPE_CHECKING:  # bootstrap imports every capability: only a command that opens Podium pays
    from podium.bootstrap import Podium

P = ParamSpec("P")
R = TypeVar("R")

ACTOR = "cli"
FIRST_ADMIN_EMAIL = "admin@podium.localhost"  # the user ``podium serve`` makes on a new database
DATABASE_HELP = "An SQLite file (demo.db) or a database URL; default PODIUM_DATABASE_URL."

out = Console()
err = Console(stderr=True)


def read_file(path: Path) -> bytes:
    """A file's bytes (``-``: standard input), or ValueError saying why not in words."""
    if str(path) == "-":
        return sys.stdin.buffer.read()
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ValueError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise ValueError(f"{path} is a directory, not a CSV file") from None
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None


def friendly(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn expected failures into one readable line and exit code 2 (``typer.Exit`` passes)."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except DomainError as exc:
            err.print(f"[red]error:[/red] {exc.message} ({exc.code})")
            raise typer.Exit(2) from None
        except ValueError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
        except OperationalError as exc:
            err.print(f"[red]error:[/red] cannot use the database: {exc.orig}")
            raise typer.Exit(2) from None

    return wrapper


def settings_for(database: str | None = None) -> Settings:
    """Settings from the environment, on ``--database`` when one is given."""
    settings = Settings.from_env()
    if database is None:
        return settings
    return replace(settings, database_url=database_url_for(database))


@contextmanager
def opened(migrate: bool = True, database: str | None = None) -> Iterator[Podium]:
    """Podium on PODIUM_DATABASE_URL (or ``--database``) for one command, closed afterwards."""
    from podium.bootstrap import bootstrap

    podium = bootstrap(settings_for(database), migrate=migrate)
    try:
        yield podium
    finally:
        podium.close()


def with_podium(fn: Callable[Concatenate[Podium, P], R]) -> Callable[P, R]:
    """A command body that takes Podium first: open Podium on PODIUM_DATABASE_URL (migrated),
    pass it in, close it afterwards, and map expected failures to one line and exit code 2.

    Typer reads the command's options from the signature, so the ``podium`` parameter is taken
    out of the signature (and the annotations) Typer sees."""
    signature = inspect.signature(fn)
    first, *rest = signature.parameters.values()

    @wraps(fn)
    def command(*args: P.args, **kwargs: P.kwargs) -> R:
        with opened() as podium:
            return fn(podium, *args, **kwargs)

    command.__annotations__ = {k: v for k, v in fn.__annotations__.items() if k != first.name}
    setattr(command, "__signature__", signature.replace(parameters=rest))  # noqa: B010
    return friendly(command)
