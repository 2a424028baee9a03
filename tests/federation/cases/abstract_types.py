"""Interfaces and unions spread over subgraphs: members resolved by different subgraphs,
fragments on member types, ``__typename`` everywhere, nested abstract fields, and a type that
implements the interface only in some subgraphs."""

from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

EVENTS: dict[str, dict[str, Any]] = {
    "ev1": {"__typename": "Concert", "id": "ev1", "title": "Brass Night", "band": "Hallé"},
    "ev2": {"__typename": "Talk", "id": "ev2", "title": "Canals", "speaker": "Dr Amin"},
    "ev3": {"__typename": "Concert", "id": "ev3", "title": "Folk Fest", "band": "Kinder"},
}
VENUES = {"ev1": "Bridgewater Hall", "ev2": "Central Library", "ev3": "Band on the Wall"}
TICKETS = {"ev1": 1200, "ev2": 0, "ev3": 800}


def _event(event_id: str) -> dict[str, Any]:
    e = EVENTS[event_id]
    return {"__typename": e["__typename"], "id": e["id"], "title": e["title"]}


listings = Subgraph(
    name="listings",
    sdl=link("@key", "@shareable")
    + """
    type Query { events: [Event!]! highlight: Highlight }
    interface Event { id: ID! title: String! }
    type Concert implements Event @key(fields: "id") { id: ID! title: String! }
    type Talk implements Event @key(fields: "id") { id: ID! title: String! }
    union Highlight = Concert | Talk
    """,
    resolvers={
        "Query": {
            "events": lambda *_: [_event(k) for k in EVENTS],
            "highlight": lambda *_: _event("ev2"),
        }
    },
    references={"Concert": lambda ref: _event(ref["id"]), "Talk": lambda ref: _event(ref["id"])},
)

performers = Subgraph(
    name="performers",
    sdl=link("@key")
    + """
    type Concert @key(fields: "id") { id: ID! band: String! }
    type Talk @key(fields: "id") { id: ID! speaker: String! }
    """,
    references={
        "Concert": lambda ref: {"id": ref["id"], "band": EVENTS[ref["id"]]["band"]},
        "Talk": lambda ref: {"id": ref["id"], "speaker": EVENTS[ref["id"]]["speaker"]},
    },
)

venues = Subgraph(
    name="venues",
    sdl=link("@key")
    + """
    type Query { ticketed: [Priced!]! }
    interface Priced { pence: Int! }
    type Concert implements Priced @key(fields: "id") { id: ID! pence: Int! venue: Venue! }
    type Talk @key(fields: "id") { id: ID! venue: Venue! }
    type Venue { name: String! }
    """,
    resolvers={
        "Query": {
            "ticketed": lambda *_: [
                {
                    "__typename": "Concert",
                    "id": k,
                    "pence": TICKETS[k],
                    "venue": {"name": VENUES[k]},
                }
                for k, e in EVENTS.items()
                if e["__typename"] == "Concert"
            ]
        }
    },
    references={
        "Concert": lambda ref: {
            "id": ref["id"],
            "pence": TICKETS[ref["id"]],
            "venue": {"name": VENUES[ref["id"]]},
        },
        "Talk": lambda ref: {"id": ref["id"], "venue": {"name": VENUES[ref["id"]]}},
    },
)

CASE = Case(
    name="abstract-types",
    behaviour="interfaces and unions whose members and fields live in different subgraphs",
    subgraphs=(listings, performers, venues),
    probes=(
        Probe(
            label="interface-fields-and-typename",
            query="{ events { __typename id title } }",
            data={
                "events": [
                    {"__typename": "Concert", "id": "ev1", "title": "Brass Night"},
                    {"__typename": "Talk", "id": "ev2", "title": "Canals"},
                    {"__typename": "Concert", "id": "ev3", "title": "Folk Fest"},
                ]
            },
            requests={"listings": 1, "performers": 0, "venues": 0},
        ),
        Probe(
            label="member-fragments-from-other-subgraphs",
            query=(
                "{ events { id ... on Concert { band venue { name } } ... on Talk { speaker } } }"
            ),
            data={
                "events": [
                    {"id": "ev1", "band": "Hallé", "venue": {"name": "Bridgewater Hall"}},
                    {"id": "ev2", "speaker": "Dr Amin"},
                    {"id": "ev3", "band": "Kinder", "venue": {"name": "Band on the Wall"}},
                ]
            },
            requests={"listings": 1, "performers": 1, "venues": 1},
        ),
        Probe(
            label="union-member-fragments",
            query=(
                "{ highlight { __typename ... on Talk { title speaker venue { name } } ... on "
                "Concert { band } } }"
            ),
            data={
                "highlight": {
                    "__typename": "Talk",
                    "title": "Canals",
                    "speaker": "Dr Amin",
                    "venue": {"name": "Central Library"},
                }
            },
        ),
        Probe(
            label="interface-implemented-in-one-subgraph-only",
            query="{ events { ... on Priced { pence } } }",
            data={"events": [{"pence": 1200}, {}, {"pence": 800}]},
        ),
        Probe(
            label="other-interface-root",
            query="{ ticketed { pence ... on Event { title } ... on Concert { band } } }",
            data={
                "ticketed": [
                    {"pence": 1200, "title": "Brass Night", "band": "Hallé"},
                    {"pence": 800, "title": "Folk Fest", "band": "Kinder"},
                ]
            },
        ),
        Probe(
            label="include-on-member-fragment-false",
            query="""query ($t: Boolean = false) {
                events { id ... on Talk @include(if: $t) { speaker } ... on Concert { band } }
            }""",
            data={
                "events": [
                    {"id": "ev1", "band": "Hallé"},
                    {"id": "ev2"},
                    {"id": "ev3", "band": "Kinder"},
                ]
            },
            requests={"listings": 1, "performers": 1},
        ),
        Probe(
            label="skip-inside-include-on-entity-branch",
            query="""query ($t: Boolean = true) {
                events {
                    id ... on Talk @include(if: $t) { title ... on Talk @skip(if: $t) { speaker } }
                }
            }""",
            data={"events": [{"id": "ev1"}, {"id": "ev2", "title": "Canals"}, {"id": "ev3"}]},
            requests={"listings": 1, "performers": 0},
        ),
        Probe(
            label="same-field-kept-by-one-fragment-skipped-by-other",
            query="""query ($t: Boolean = true) {
                events {
                    ... on Talk @skip(if: $t) { speaker } ... on Talk { speaker venue { name } }
                }
            }""",
            data={
                "events": [
                    {},
                    {"speaker": "Dr Amin", "venue": {"name": "Central Library"}},
                    {},
                ]
            },
        ),
        Probe(
            label="named-fragments",
            query="""
            query { events { ...Common ... on Talk { ...TalkBits } } }
            fragment Common on Event { id __typename }
            fragment TalkBits on Talk { speaker }
            """,
            data={
                "events": [
                    {"id": "ev1", "__typename": "Concert"},
                    {"id": "ev2", "__typename": "Talk", "speaker": "Dr Amin"},
                    {"id": "ev3", "__typename": "Concert"},
                ]
            },
        ),
    ),
)
