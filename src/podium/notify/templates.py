"""Rendering customer e-mails from Jinja2 templates (HTML and text), per channel.

A template ``<name>`` is three files: ``<name>.subject.txt``, ``<name>.txt`` and ``<name>.html``.
Looked up, first found wins:
1. the channel's settings: ``{"notifications": {"templates": {"<name>.html": "…"}}}``;
2. ``$PODIUM_TEMPLATES_DIR/<channel>/<name>.*``, then ``$PODIUM_TEMPLATES_DIR/<name>.*``;
3. the defaults shipped in ``podium/notify/templates``.
Templates run sandboxed, and HTML ones escape everything they print (customer names, notes…).

Every template renders in the context's ``locale`` (the channel's): ``{% trans %}`` blocks
take their words from the shopper's message catalogues (Jinja2's i18n extension with that
locale's gettext), and the ``money`` (``{{ amount | money(currency) }}``) and ``long_date``
filters format for the locale with Babel. See docs/shopper.md "E-mails".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChainableUndefined,
    ChoiceLoader,
    DictLoader,
    FileSystemLoader,
    TemplateError,
    select_autoescape,
)
from jinja2.sandbox import SandboxedEnvironment

from podium import shopper
from podium.errors import ValidationFailed

__all__ = ["DEFAULT_TEMPLATES", "Rendered", "Renderer"]

DEFAULT_TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


class Renderer:
    def __init__(self, templates_dir: str | None = None) -> None:
        loaders: list[BaseLoader] = []
        if templates_dir:
            loaders.append(FileSystemLoader(templates_dir))
        loaders.append(FileSystemLoader(DEFAULT_TEMPLATES))
        self._base = ChoiceLoader(loaders)
        self._envs: dict[str, SandboxedEnvironment] = {}

    def _shared(self, locale: str) -> SandboxedEnvironment:
        """One environment per locale (its gettext is installed once, never swapped)."""
        env = self._envs.get(locale)
        if env is None:
            env = self._envs.setdefault(locale, self._environment(self._base, locale))
        return env

    @staticmethod
    def _environment(loader: BaseLoader, locale: str) -> SandboxedEnvironment:
        env = SandboxedEnvironment(
            loader=loader,
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            undefined=ChainableUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n"],
        )
        env.install_gettext_translations(  # type: ignore[attr-defined]
            shopper.translations(locale), newstyle=True
        )
        env.filters["money"] = functools.partial(_money, locale=locale)
        env.filters["long_date"] = functools.partial(_long_date, locale=locale)
        return env

    def render(
        self,
        name: str,
        context: dict[str, Any],
        *,
        channel: str | None = None,
        overrides: dict[str, str] | None = None,
    ) -> Rendered:
        locale = shopper.pick_locale(context.get("locale"))
        context = {**context, "locale": locale}
        env = self._shared(locale)
        if overrides:
            prefix = f"{channel}/" if channel else ""
            inline = DictLoader({prefix + k: v for k, v in overrides.items()})
            env = self._environment(ChoiceLoader([inline, self._base]), locale)
        try:
            parts = [
                env.select_template(
                    ([f"{channel}/{name}{suffix}"] if channel else []) + [f"{name}{suffix}"]
                ).render(context)
                for suffix in (".subject.txt", ".txt", ".html")
            ]
        except TemplateError as exc:
            raise ValidationFailed(
                f"Template {name} cannot be rendered: {exc}",
                code="template_error",
                details={"template": name},
            ) from exc
        subject = " ".join(parts[0].split())[:500]
        return Rendered(subject=subject, text=parts[1].strip() + "\n", html=parts[2])


def _money(amount: object, currency: object, *, locale: str) -> str:
    """``"19.90" | money("EUR")`` → ``€19.90`` (en), ``19,90 €`` (de)."""
    if amount is None or isinstance(amount, ChainableUndefined):
        return ""
    if not currency or isinstance(currency, ChainableUndefined):
        return str(amount)
    return shopper.money(str(amount), str(currency), locale)


def _long_date(value: object, *, locale: str) -> str:
    """A date (or an ISO date/time string, as an order's JSON has it), written out."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return ""
    if isinstance(value, datetime):
        value = value.date()
    return shopper.long_date(value, locale) if isinstance(value, date) else ""
