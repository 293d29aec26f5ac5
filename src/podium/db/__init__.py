"""Engine, transactions, tables and migrations."""
