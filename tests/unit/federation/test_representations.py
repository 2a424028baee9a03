"""Building representations from merged data: exactly the fields asked for, and none at all
when a field it needs was never fetched (never a null standing in for an unknown value)."""

from __future__ import annotations

from mesh.federation.execute.merge import representation_of
from mesh.federation.plan.nodes import InputField, InputSelection

KEY_AND_REQUIRES = InputSelection(
    fields=(
        InputField("id", "id"),
        InputField("fixture", "fixture", InputSelection(fields=(InputField("kind", "kind"),))),
    ),
    fragments=((frozenset({"Bench"}), InputSelection(fields=(InputField("seats", "s__alias"),))),),
)


def test_the_fields_asked_for_under_their_own_names() -> None:
    obj = {"__typename": "Bench", "id": "a1", "fixture": {"kind": "oak", "x": 1}, "s__alias": 3}
    assert representation_of(obj, KEY_AND_REQUIRES, "Bench") == {
        "__typename": "Bench",
        "id": "a1",
        "fixture": {"kind": "oak"},
        "seats": 3,
    }


def test_a_null_that_was_fetched_is_sent() -> None:
    obj = {"__typename": "Lamp", "id": "a2", "fixture": None}
    assert representation_of(obj, KEY_AND_REQUIRES, "Lamp") == {
        "__typename": "Lamp",
        "id": "a2",
        "fixture": None,
    }


def test_a_field_never_fetched_means_no_representation() -> None:
    assert representation_of({"__typename": "Lamp", "id": "a2"}, KEY_AND_REQUIRES, "Lamp") is None


def test_a_nested_field_never_fetched_means_no_representation() -> None:
    obj = {"__typename": "Lamp", "id": "a2", "fixture": {}}
    assert representation_of(obj, KEY_AND_REQUIRES, "Lamp") is None


def test_a_fragment_field_never_fetched_means_no_representation() -> None:
    obj = {"__typename": "Bench", "id": "a1", "fixture": {"kind": "oak"}}
    assert representation_of(obj, KEY_AND_REQUIRES, "Bench") is None
