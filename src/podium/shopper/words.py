"""Words the shopper's pages show for Podium's own codes, marked for the message catalogues
(``N_`` marks a message for extraction; the page translates it when it renders)."""

from __future__ import annotations

__all__ = [
    "LANGUAGE_NAMES",
    "N_",
    "REASON_NAMES",
    "RETURN_STATUS_NAMES",
    "STATUS_NAMES",
    "STEP_NAMES",
    "reason_name",
]


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

# A return's status, as the returns portal says it.
RETURN_STATUS_NAMES = {
    "requested": N_("Waiting for approval"),
    "approved": N_("Approved: send it back"),
    "in_transit": N_("On its way back"),
    "received": N_("Partly received"),
    "inspected": N_("Received"),
    "closed": N_("Settled"),
    "rejected": N_("Not accepted"),
}

# The default return reasons (returns.DEFAULT_REASONS); a channel's own show as written.
REASON_NAMES = {
    "damaged": N_("Arrived damaged"),
    "defective": N_("Does not work"),
    "wrong_item": N_("Wrong item sent"),
    "not_as_described": N_("Not as described"),
    "size_fit": N_("Size or fit"),
    "changed_mind": N_("Changed my mind"),
    "arrived_late": N_("Arrived too late"),
    "other": N_("Other"),
}


def reason_name(code: str) -> str:
    """The English words of a reason code (translated by the page)."""
    return REASON_NAMES.get(code) or code.replace("_", " ").capitalize()


# Each language in its own words (not translated).
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}
