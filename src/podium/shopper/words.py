"""Words the shopper's pages show for Podium's own codes, marked for the message catalogues
(``N_`` marks a message for extraction; the page translates it when it renders)."""

from __future__ import annotations

__all__ = ["LANGUAGE_NAMES", "N_", "STATUS_NAMES", "STEP_NAMES"]


def N_(message: str) -> str:  # the gettext convention: mark, do not translate
    return message


STEP_NAMES = {
    "placed": N_("Placed"),
    "packed": N_("Packed"),
    "shipped": N_("Shipped"),
    "out_for_delivery": N_("Out for delivery"),
    "delivered": N_("Delivered"),
}

STATUS_NAMES = {
    "pending": N_("Being prepared"),
    "released": N_("Being prepared"),
    "picking": N_("Being packed"),
    "packed": N_("Packed"),
    "shipped": N_("Shipped"),
    "in_transit": N_("In transit"),
    "out_for_delivery": N_("Out for delivery"),
    "delivered": N_("Delivered"),
    "exception": N_("Delivery problem"),
    "returned_to_sender": N_("Returned to sender"),
    "cancelled": N_("Cancelled"),
}

# Each language in its own words (not translated).
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}
