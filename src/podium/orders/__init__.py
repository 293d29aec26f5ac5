"""The order aggregate: placement, status machine, holds, notes, cancellation, timeline."""
