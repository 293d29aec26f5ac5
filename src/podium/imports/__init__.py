"""Bulk imports of orders and stock from CSV files."""
