"""Local ports follow subgraph names, never their order in the registry."""

from __future__ import annotations

from devtools.topology import port_offsets

FOUNDING = [
    "health",
    "adult_social_care",
    "childrens_services",
    "housing",
    "police",
    "education",
    "welfare",
    "index",
]


def test_the_founding_subgraphs_keep_their_ports() -> None:
    assert port_offsets(FOUNDING) == {name: i for i, name in enumerate(FOUNDING, start=1)}


def test_adding_an_agency_moves_nobody() -> None:
    before = port_offsets(FOUNDING)
    after = port_offsets(["probation", *FOUNDING, "youth_justice"])
    assert {name: after[name] for name in FOUNDING} == before
    assert after["probation"] != after["youth_justice"]
    assert port_offsets(["youth_justice", "probation"]) == {
        "probation": after["probation"],
        "youth_justice": after["youth_justice"],
    }
    assert all(10 <= after[n] < 100 for n in ("probation", "youth_justice"))


def test_hash_collisions_probe_to_a_free_port() -> None:
    names = [f"agency_{i}" for i in range(90)]
    offsets = port_offsets(names)
    assert sorted(offsets.values()) == list(range(10, 100))
