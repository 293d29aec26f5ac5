"""Stock per SKU and warehouse, the append-only stock ledger, reservations and availability."""
