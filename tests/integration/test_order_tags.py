"""Tagging orders through the API: the change, its timeline entry, validation, and the
order list filtered by tag (both engines)."""

from __future__ import annotations

from typing import Any

from support import Api, order_body, seed_store


def _order(api: Api, external_id: str) -> dict[str, Any]:
    order: dict[str, Any] = api.ok(
        "post", "/orders", order_body([("TEE", 1)], external_id=external_id)
    )
    return order


def test_tags_are_added_and_removed_and_the_order_comes_back_with_them(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = _order(api, "t1")
    tagged = api.ok("post", f"/orders/{order['id']}/tags", {"add": ["vip", "gift", "vip"]})
    assert tagged["tags"] == ["vip", "gift"]
    after = api.ok("post", f"/orders/{order['number']}/tags", {"add": ["b2b"], "remove": ["gift"]})
    assert after["tags"] == ["vip", "b2b"]
    assert api.ok("get", f"/orders/{order['id']}")["tags"] == ["vip", "b2b"]


def test_each_tag_change_is_on_the_timeline_and_a_no_op_writes_nothing(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = _order(api, "t2")
    api.ok("post", f"/orders/{order['id']}/tags", {"add": ["vip"]})
    api.ok("post", f"/orders/{order['id']}/tags", {"add": ["vip"], "remove": ["absent"]})
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    tagged = [e for e in timeline if e["type"] == "order.tagged"]
    assert len(tagged) == 1
    assert tagged[0]["data"]["added"] == ["vip"]
    assert tagged[0]["data"]["removed"] == []


def test_an_empty_or_too_long_tag_is_a_422_naming_the_field(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = _order(api, "t3")
    empty = api.post(f"/orders/{order['id']}/tags", {"add": ["  "]})
    assert empty.status_code == 422
    assert empty.json()["error"]["details"]["field"] == "add.0"
    long = api.post(f"/orders/{order['id']}/tags", {"remove": ["x" * 65]})
    assert long.status_code == 422
    assert long.json()["error"]["details"]["field"] == "remove.0"
    assert api.post(f"/orders/{order['id']}/tags", {"add": [7]}).status_code == 422


def test_more_than_fifty_tags_is_refused_with_too_many_tags(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = _order(api, "t4")
    api.ok("post", f"/orders/{order['id']}/tags", {"add": [f"t{i}" for i in range(50)]})
    r = api.post(f"/orders/{order['id']}/tags", {"add": ["one-more"]})
    assert r.status_code == 422
    error = r.json()["error"]
    assert (error["code"], error["details"]["field"]) == ("too_many_tags", "add")
    assert len(api.ok("get", f"/orders/{order['id']}")["tags"]) == 50


def test_tagging_an_unknown_order_is_a_404(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    r = api.post("/orders/ord_nope/tags", {"add": ["vip"]})
    assert r.status_code == 404


def test_the_order_list_filters_by_tag(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    first, second = _order(api, "f1"), _order(api, "f2")
    api.ok("post", f"/orders/{second['id']}/tags", {"add": ["vip"]})
    listed = api.ok("get", "/orders?tag=vip")["items"]
    assert [o["id"] for o in listed] == [second["id"]]
    assert first["id"] not in [o["id"] for o in listed]


def test_readonly_keys_cannot_tag(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = _order(api, "r1")
    r = api.post(f"/orders/{order['id']}/tags", {"add": ["x"]}, role="readonly")
    assert r.status_code == 403


def test_podiums_own_tags_are_neither_added_nor_removed_by_hand(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = _order(api, "own")
    for body, field in (
        ({"add": ["payment:channel"]}, "add.0"),
        ({"remove": ["channel:web"]}, "remove.0"),
    ):
        r = api.post(f"/orders/{order['id']}/tags", body)
        assert r.status_code == 422
        error = r.json()["error"]
        assert (error["code"], error["details"]["field"]) == ("reserved_tag", field)
