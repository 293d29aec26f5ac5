"""Carriers: rate cards, rate shopping, labels and tracking, behind one interface."""
