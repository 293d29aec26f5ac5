"""What ``podium demo`` reports: the figures of the simulated day and how to look at them."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from podium.demo_followups import FollowUps

__all__ = ["DemoResult", "print_summary"]


@dataclass
class DemoResult:
    placed: int = 0
    backordered: int = 0
    rejected: int = 0
    cancelled: int = 0
    held: int = 0
    notes: int = 0
    shipped_shipments: int = 0
    restocked_skus: int = 0
    backorders_filled: int = 0
    setup_seconds: float = 0.0
    seconds: float = 0.0
    doctor_ok: bool = False
    reused_store: bool = False
    url: str = ""
    api_key: str = ""
    serve_command: str = "podium serve"
    after: FollowUps = field(default_factory=FollowUps)

    @property
    def orders_per_second(self) -> float:
        attempted = self.placed + self.rejected
        return attempted / self.seconds if self.seconds > 0 else 0.0


def print_summary(console: Console, r: DemoResult, attempted: int, pending_events: int) -> None:
    table = Table(title="A day at the demo store", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    a = r.after
    stages = ", ".join(f"{n} {stage}" for stage, n in sorted(a.stages.items())) or "none"
    rows = [
        ("Orders attempted", f"{attempted:,}"),
        ("Placed", f"{r.placed:,}"),
        ("  held for stock (backorder)", f"{r.backordered:,}"),
        ("  filled after the mid-day delivery", f"{r.backorders_filled:,}"),
        ("Rejected (insufficient stock)", f"{r.rejected:,}"),
        ("Cancelled", f"{r.cancelled:,}"),
        ("On manual hold", f"{r.held:,}"),
        ("Shipments shipped", f"{r.shipped_shipments:,}"),
        ("SKUs restocked mid-day", f"{r.restocked_skus:,}"),
        ("Returns opened", f"{a.returns:,} ({stages})"),
        (
            "Refunds",
            f"{a.refunds:,}, USD {a.refunded_cents / 100:,.2f} "
            f"({a.store_credit_refunds} as store credit)",
        ),
        ("Short picks (units back-ordered)", f"{a.short_picked:,}"),
        ("Shipments past their promised date", f"{a.late:,}"),
        ("Failing webhook (the ERP, fails once served)", f"{a.webhooks:,}"),
        ("Orders/s (the whole day, through the services)", f"{r.orders_per_second:,.1f}"),
        ("Simulated day took", f"{r.seconds:.1f} s (store set-up {r.setup_seconds:.1f} s)"),
        ("podium doctor", "[green]ok[/green]" if r.doctor_ok else "[red]violations[/red]"),
        ("Events waiting in the outbox", f"{pending_events:,} (podium serve delivers them)"),
    ]
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
    console.print(
        f"Start the server with [bold]{escape(r.serve_command)}[/bold], then open "
        f"[bold]{r.url}[/bold] (API docs: {r.url}docs; use the key below with Authorize).",
        soft_wrap=True,
    )
    console.print("Admin API key 'demo' (shown only once):")
    console.print(r.api_key, highlight=False, soft_wrap=True)
