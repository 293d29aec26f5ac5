"""The waiting room's memory: marks, their age, and lifts racing refusals."""

from __future__ import annotations

import pytest

from podium.inventory import SoldOut


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _waiting_room_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PODIUM_WAITING_ROOM", "on")  # opt-in (docs/operations.md)


def test_a_marked_sku_is_refused_with_the_normal_paths_details_until_its_mark_ages() -> None:
    clock = Clock()
    room = SoldOut(ttl=0.5, clock=clock)
    room.mark("web", ["TEE"], room.generations(["TEE"]))
    refused = room.refusal("web", {"TEE": 2})
    assert refused is not None and refused.code == "insufficient_stock"
    assert refused.details == {"lines": [{"sku": "TEE", "requested": 2, "available": 0}]}
    assert room.refusal("shop", {"TEE": 2}) is None  # another channel may sell elsewhere
    assert room.refusal("web", {"TEE": 1, "CAP": 1}) is None  # CAP may be there: normal path
    clock.now += 0.6
    assert room.refusal("web", {"TEE": 2}) is None


def test_a_lift_clears_the_mark_and_a_refusal_read_before_it_cannot_mark_again() -> None:
    room = SoldOut(clock=Clock())
    seen = room.generations(["TEE"])  # a placement starts, reads the stock (nothing left)
    room.lift(["TEE"])  # meanwhile a receipt commits
    room.mark("web", ["TEE"], seen)  # the stale refusal comes back
    assert room.refusal("web", {"TEE": 1}) is None
    room.mark("web", ["TEE"], room.generations(["TEE"]))
    assert room.refusal("web", {"TEE": 1}) is not None
    room.lift(["TEE"])
    assert room.refusal("web", {"TEE": 1}) is None
