"""Rendering customer e-mails from Jinja2 templates (HTML and text), per channel.

A template ``<name>`` is three files: ``<name>.subject.txt``, ``<name>.txt`` and ``<name>.html``.
Looked up, first found wins:
1. the channel's settings: ``{"notifications": {"templates": {"<name>.html": "…"}}}``;
2. ``$PODIUM_TEMPLATES_DIR/<channel>/<name>.*``, then ``$PODIUM_TEMPLATES_DIR/<name>.*``;
3. the defaults shipped in ``podium/notify/templates``.
Templates run sandboxed, and HTML ones escape everything they print (customer names, notes…).
"""

from __future__ import annotations

from dataclasses import dataclass
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
        self._env = self._environment(self._base)

    @staticmethod
    def _environment(loader: BaseLoader) -> SandboxedEnvironment:
        return SandboxedEnvironment(
            loader=loader,
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            undefined=ChainableUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def render(
        self,
        name: str,
        context: dict[str, Any],
        *,
        channel: str | None = None,
        overrides: dict[str, str] | None = None,
    ) -> Rendered:
        env = self._env
        if overrides:
            prefix = f"{channel}/" if channel else ""
            inline = DictLoader({prefix + k: v for k, v in overrides.items()})
            env = self._environment(ChoiceLoader([inline, self._base]))
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
