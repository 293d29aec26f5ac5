"""Fake platform servers (real HTTP on 127.0.0.1) for tests, benchmarks and demos: they
check tokens and signatures, enforce rate limits and answer 429s like the platforms do."""
