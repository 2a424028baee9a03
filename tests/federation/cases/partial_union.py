"""Unions that only some subgraphs know in full. The subgraph that answers a union-typed field
decides which members can come back; a second subgraph declaring the same ``@shareable`` parent
with fewer members must not make the planner drop (or try to re-fetch) the other members'
fragments, and a field only the second subgraph has answers with the second's members."""

from typing import Any

from tests.federation.support import ApolloDifference, Case, Probe, Subgraph, link

BUS = {"__typename": "Bus", "route": "86"}
TRAM = {"__typename": "Tram", "line": "Altrincham"}
FERRY = {"__typename": "Ferry", "pier": "Salford Quays"}
CYCLE = {"__typename": "CycleHire", "dock": "Piccadilly"}
NOTICE = "Service changes this weekend"
APOLLO_DROPS_MEMBERS = ApolloDifference(
    reason="Apollo keeps only the fragments on members every subgraph of the @shareable "
    "Board knows (Bus), though the one subgraph it asks returns the other members too: "
    "their fields come back null"
)


def _timetable(legs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": "tt1", "legs": legs}


operator = Subgraph(
    name="operator",
    sdl=link("@key", "@shareable")
    + """
    type Query { journey: Journey timetable: Timetable shared: Timetable @shareable }
    type Journey @shareable { notice: String legs: [Leg!]! }
    union Leg = Bus | Tram | Ferry
    type Bus @shareable { route: String }
    type Tram { line: String }
    type Ferry { pier: String }
    type Timetable @key(fields: "id") { id: ID! board: Board @shareable }
    type Board @shareable { legs: [Leg!]! @shareable }
    """,
    resolvers={
        "Query": {
            "journey": lambda *_: {"notice": NOTICE, "legs": [BUS, TRAM, FERRY]},
            "timetable": lambda *_: _timetable([BUS, TRAM]),
            "shared": lambda *_: _timetable([BUS]),
        },
        "Timetable": {"board": lambda t, _: {"legs": t["legs"]}},
    },
    references={"Timetable": lambda ref: _timetable([BUS, TRAM]) if ref["id"] == "tt1" else None},
)

hire = Subgraph(
    name="hire",
    sdl=link("@key", "@shareable")
    + """
    type Query { hireTimetable: Timetable shared: Timetable @shareable }
    type Journey @shareable { notice: String legs: [Leg!]! }
    union Leg = Bus | CycleHire
    type Bus @shareable { route: String }
    type CycleHire { dock: String }
    type Timetable @key(fields: "id") { id: ID! board: Board @shareable hireBoard: Board }
    type Board @shareable { legs: [Leg!]! @shareable }
    """,
    resolvers={
        "Query": {
            "hireTimetable": lambda *_: _timetable([BUS, CYCLE]),
            "shared": lambda *_: _timetable([BUS]),
        },
        "Timetable": {
            "board": lambda t, _: {"legs": t["legs"]},
            "hireBoard": lambda *_: {"legs": [BUS, CYCLE]},
        },
    },
    references={"Timetable": lambda ref: _timetable([BUS, CYCLE]) if ref["id"] == "tt1" else None},
)

EVERY_LEG = (
    "__typename ... on Bus { route } ... on Tram { line } ... on Ferry { pier } "
    "... on CycleHire { dock }"
)

CASE = Case(
    name="partial-union",
    behaviour="a union known in full by one subgraph, in part by another: members kept per path",
    subgraphs=(operator, hire),
    probes=(
        Probe(
            label="members-only-the-answering-subgraph-knows",
            query="{ journey { notice legs { __typename ... on Bus { route } ... on Tram { line } "
            "... on Ferry { pier } } } }",
            data={"journey": {"notice": NOTICE, "legs": [BUS, TRAM, FERRY]}},
            requests={"operator": 1, "hire": 0},
        ),
        Probe(
            label="only-fragments-on-members-the-other-lacks",
            query="{ journey { legs { __typename ... on Tram { line } ... on Ferry { pier } } } }",
            data={
                "journey": {"legs": [{"__typename": "Bus"}, TRAM, FERRY]},
            },
            requests={"operator": 1, "hire": 0},
        ),
        Probe(
            label="shareable-field-stays-with-its-parent",
            query=f"{{ timetable {{ board {{ legs {{ {EVERY_LEG} }} }} }} }}",
            data={"timetable": {"board": {"legs": [BUS, TRAM]}}},
            requests={"operator": 1, "hire": 0},
            apollo=APOLLO_DROPS_MEMBERS,
        ),
        Probe(
            label="other-subgraph-root-other-members",
            query=f"{{ hireTimetable {{ board {{ legs {{ {EVERY_LEG} }} }} }} }}",
            data={"hireTimetable": {"board": {"legs": [BUS, CYCLE]}}},
            requests={"operator": 0, "hire": 1},
            apollo=APOLLO_DROPS_MEMBERS,
        ),
        Probe(
            label="fragment-on-member-the-answer-lacks",
            query="{ timetable { board { legs { __typename ... on CycleHire { dock } } } } }",
            data={
                "timetable": {"board": {"legs": [{"__typename": "Bus"}, {"__typename": "Tram"}]}}
            },
        ),
        Probe(
            label="shared-root-either-subgraph",
            query=f"{{ shared {{ board {{ legs {{ {EVERY_LEG} }} }} }} }}",
            data={"shared": {"board": {"legs": [BUS]}}},
        ),
        Probe(
            label="field-of-the-partial-subgraph-through-the-key",
            query=f"{{ timetable {{ hireBoard {{ legs {{ {EVERY_LEG} }} }} }} }}",
            data={"timetable": {"hireBoard": {"legs": [BUS, CYCLE]}}},
            requests={"operator": 1, "hire": 1},
        ),
    ),
)
