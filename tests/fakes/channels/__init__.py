"""Fake platform servers (real HTTP on 127.0.0.1) for tests and benchmarks: they check tokens
and signatures, enforce rate limits and answer 429s like the platforms do."""
