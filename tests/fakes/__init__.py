"""Fakes used only by tests and benchmarks (kept out of the installed package)."""
