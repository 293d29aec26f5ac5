"""Rate limits every process agrees on: fixed-window counters kept in the database."""
