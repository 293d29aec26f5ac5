"""Automation rules (issue 15): versioned rule sets of conditions over an order's facts and
the actions they take (tag, hold, release, priority, service level, route, notify, cancel),
applied by a relay subscriber and tried without writing by a dry run; the late-shipment check
and low-stock crossings feed the shipment.late and stock.low triggers."""

from podium.automation.apply import (
    ACTOR,
    TRIGGER_OF,
    Automation,
)
from podium.automation.conditions import (
    FIELDS,
    OPS,
    ops_of,
)
from podium.automation.events import (
    AutomationEmail,
    AutomationNotified,
    ShipmentLate,
    StockNotified,
)
from podium.automation.late import (
    LateShipments,
    check_late,
)
from podium.automation.model import (
    ACTIONS,
    ARGUMENT_CHOICES,
    HOLD_REASONS,
    SERVICE_LEVELS,
    TRIGGERS,
    WHOLE_NUMBER_ARGUMENTS,
    WIRED_TRIGGERS,
)
from podium.automation.trial import (
    DryRunIn,
    DryRunReport,
    dry_run,
)
from podium.automation.versions import (
    RuleSetIn,
    RuleSetVersion,
    get_rules,
    rollback,
    rule_history,
    rule_version,
    save_rules,
)

__all__ = [
    "ACTIONS",
    "ACTOR",
    "ARGUMENT_CHOICES",
    "FIELDS",
    "HOLD_REASONS",
    "OPS",
    "SERVICE_LEVELS",
    "TRIGGERS",
    "TRIGGER_OF",
    "WHOLE_NUMBER_ARGUMENTS",
    "WIRED_TRIGGERS",
    "Automation",
    "AutomationEmail",
    "AutomationNotified",
    "DryRunIn",
    "DryRunReport",
    "LateShipments",
    "RuleSetIn",
    "RuleSetVersion",
    "ShipmentLate",
    "StockNotified",
    "check_late",
    "dry_run",
    "get_rules",
    "ops_of",
    "rollback",
    "rule_history",
    "rule_version",
    "save_rules",
]
