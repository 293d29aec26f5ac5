"""Channels, warehouses and products: what Podium sells, where from, and through whom."""
