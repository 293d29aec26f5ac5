"""Conformance: what Podium sends, checked against the platforms' own published schemas."""
