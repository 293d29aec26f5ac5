"""Carrier names Shopify knows (``FulfillmentTrackingInput.company``), pure.

Shopify builds the tracking link and follows the parcel only for the tracking companies it
lists (FulfillmentTrackingInfo.company in the Admin schema), spelled exactly as listed. A
shipment's carrier in Podium is a carrier account code ("ups-main"), an EasyPost carrier name
("DHLExpress", "FedExSmartPost") or whatever was typed when it was shipped by hand; this maps
each to Shopify's name, or to None when Shopify would not know it (the tracking URL is sent
instead).
"""

from __future__ import annotations

import re

__all__ = ["SHOPIFY_COMPANIES", "shopify_company"]

# The names of Shopify's list that a Podium merchant is likely to ship with (any country),
# exactly as Shopify spells them.
SHOPIFY_COMPANIES = frozenset(
    {
        "4PX",
        "Amazon",
        "Amazon Logistics UK",
        "An Post",
        "APC",
        "Asendia USA",
        "Australia Post",
        "BPost",
        "Canada Post",
        "Canpar",
        "China Post",
        "Chronopost",
        "Colissimo",
        "Correios",
        "Correos",
        "CTT",
        "Deutsche Post",
        "DHL eCommerce",
        "DHL eCommerce Asia",
        "DHL Express",
        "DPD",
        "DPD Local",
        "DPD UK",
        "Estes",
        "Evri",
        "FedEx",
        "GLS",
        "Israel Post",
        "Lasership",
        "Lone Star Overnight",
        "Mondial Relay",
        "New Zealand Post",
        "OnTrac",
        "Packeta",
        "Pitney Bowes",
        "Poste Italiane",
        "PostNL",
        "PostNord DK",
        "PostNord NO",
        "PostNord SE",
        "Purolator",
        "Royal Mail",
        "Sendle",
        "SF Express",
        "Singapore Post",
        "StarTrack",
        "Swiss Post",
        "TNT",
        "UPS",
        "USPS",
        "Yamato (EN)",
        "YunExpress",
    }
)


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


# Other spellings (EasyPost's carrier names, common account codes) → Shopify's name.
_ALIASES = {
    "dhl": "DHL Express",
    "dhlexpress": "DHL Express",
    "dhlecs": "DHL eCommerce",
    "dhlecommercesolutions": "DHL eCommerce",
    "dhlglobalmail": "DHL eCommerce",
    "fedexsmartpost": "FedEx",
    "fedexground": "FedEx",
    "fedexexpress": "FedEx",
    "fedexcrossborder": "FedEx",
    "upsmailinnovations": "UPS",
    "upsiparcel": "UPS",
    "upssurepost": "UPS",
    "uspsreturns": "USPS",
    "canadapost": "Canada Post",
    "royalmail": "Royal Mail",
    "australiapost": "Australia Post",
    "amazonshipping": "Amazon",
    "amazonmws": "Amazon",
    "asendia": "Asendia USA",
    "asendiausa": "Asendia USA",
    "lso": "Lone Star Overnight",
    "lonestar": "Lone Star Overnight",
    "hermes": "Evri",
    "postnord": "PostNord SE",
    "swisspost": "Swiss Post",
    "newzealandpost": "New Zealand Post",
    "nzpost": "New Zealand Post",
    "posteitaliane": "Poste Italiane",
    "singpost": "Singapore Post",
    "tntexpress": "TNT",
}
_KNOWN = {_key(name): name for name in SHOPIFY_COMPANIES} | _ALIASES


def shopify_company(carrier: str | None) -> str | None:
    """Shopify's name for ``carrier``, or None when Shopify has no such tracking company.
    An account code is tried whole, then by its first word ("ups-main" → "UPS")."""
    if not carrier or not carrier.strip():
        return None
    found = _KNOWN.get(_key(carrier))
    if found is not None:
        return found
    first = re.split(r"[\s_\-./:]+", carrier.strip(), maxsplit=1)[0]
    return _KNOWN.get(_key(first))
