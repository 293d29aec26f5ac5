"""The return policy's returns-portal settings (pure): approve at once, SKUs not taken back,
a fee shown before confirming; anything malformed reads as the default."""

from __future__ import annotations

from podium.returns.model import return_policy


def test_the_portal_settings_default_to_waiting_for_staff_everything_returnable_and_no_fee() -> (
    None
):
    policy = return_policy({})
    assert (policy.auto_approve, policy.non_returnable, policy.fee) == (False, (), None)


def test_the_portal_settings_are_read_from_the_channels_returns_setting() -> None:
    conf = {"auto_approve": True, "non_returnable": ["GIFT", 7, "SALE"], "fee": "4.95"}
    policy = return_policy({"returns": conf})
    assert policy.auto_approve is True
    assert policy.non_returnable == ("GIFT", "SALE")  # not a SKU: ignored
    assert policy.fee == "4.95"


def test_only_a_true_boolean_approves_at_once() -> None:
    for value in ("true", 1, "yes", None):
        assert return_policy({"returns": {"auto_approve": value}}).auto_approve is False
