"""Shipments: what leaves which warehouse, and their status machine."""
