"""Fraud risk and address checks at placement (issue 15): pure scoring of facts the caller
gathers, the lists it looks addresses and e-mails up in, and the address checks."""

from podium.risk.address import AddressProblem, PostalData, check_address, postal_problem
from podium.risk.lists import FORWARDERS, disposable_domain, forwarder_of
from podium.risk.model import (
    POINTS,
    Assessment,
    RiskFacts,
    RiskSettings,
    Signal,
    assess,
    level_of,
)

__all__ = [
    "FORWARDERS",
    "POINTS",
    "AddressProblem",
    "Assessment",
    "PostalData",
    "RiskFacts",
    "RiskSettings",
    "Signal",
    "assess",
    "check_address",
    "disposable_domain",
    "forwarder_of",
    "level_of",
    "postal_problem",
]
