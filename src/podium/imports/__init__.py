"""Bulk imports of orders and stock from CSV files."""

from podium.imports.model import (
    ImportReport,
    ImportRun,
)
from podium.imports.runs import (
    list_runs,
)
from podium.imports.service import (
    import_orders,
)
from podium.imports.stock_service import (
    import_inventory,
)

__all__ = [
    "ImportReport",
    "ImportRun",
    "import_inventory",
    "import_orders",
    "list_runs",
]
