"""Mutations: root mutation fields run strictly in order, one after the other, even when they
go to different subgraphs; entity fields of a mutation's result are fetched after it."""

from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

TALLY: dict[str, int] = {}
BOOKINGS: dict[str, dict[str, Any]] = {}


def _reset() -> None:
    TALLY.clear()
    TALLY["value"] = 0
    BOOKINGS.clear()
    BOOKINGS["bk0"] = {"id": "bk0", "room": "Hall", "people": 40}


def _add(amount: int) -> int:
    TALLY["value"] += amount
    return TALLY["value"]


def _times(factor: int) -> int:
    TALLY["value"] *= factor
    return TALLY["value"]


def _book(room: str, people: int) -> dict[str, Any]:
    booking: dict[str, Any] = {"id": f"bk{len(BOOKINGS)}", "room": room, "people": people}
    BOOKINGS[booking["id"]] = booking
    return booking


_reset()

counter = Subgraph(
    name="counter",
    sdl=link("@key")
    + """
    type Query { tally: Int! }
    type Mutation { add(amount: Int!): Int! book(room: String!, people: Int!): Booking! }
    type Booking @key(fields: "id") { id: ID! room: String! people: Int! }
    """,
    resolvers={
        "Query": {"tally": lambda *_: TALLY["value"]},
        "Mutation": {
            "add": lambda _, a: _add(a["amount"]),
            "book": lambda _, a: _book(a["room"], a["people"]),
        },
    },
    references={"Booking": lambda ref: BOOKINGS.get(ref["id"])},
)

multiplier = Subgraph(
    name="multiplier",
    sdl=link("@key")
    + """
    type Mutation { times(factor: Int!): Int! }
    type Booking @key(fields: "id") { id: ID! needsSteward: Boolean! }
    """,
    resolvers={"Mutation": {"times": lambda _, a: _times(a["factor"])}},
    references={
        "Booking": lambda ref: (
            {"id": ref["id"], "needsSteward": BOOKINGS[ref["id"]]["people"] > 30}
            if ref["id"] in BOOKINGS
            else None
        )
    },
)

CASE = Case(
    name="mutations",
    behaviour="root mutation fields strictly in order across subgraphs, entity fetches after",
    subgraphs=(counter, multiplier),
    reset=_reset,
    probes=(
        Probe(
            label="in-order-across-subgraphs",
            query=(
                "mutation { a: add(amount: 5) b: times(factor: 3) c: add(amount: 1) d: "
                "times(factor: 2) }"
            ),
            data={"a": 5, "b": 15, "c": 16, "d": 32},
            requests={"counter": 2, "multiplier": 2},
        ),
        Probe(
            label="same-subgraph-in-order",
            query="mutation { a: add(amount: 2) b: add(amount: 3) }",
            data={"a": 2, "b": 5},
        ),
        Probe(
            label="entity-fields-after-the-mutation",
            query='mutation { book(room: "Studio", people: 45) { id room needsSteward } }',
            data={"book": {"id": "bk1", "room": "Studio", "needsSteward": True}},
            requests={"counter": 1, "multiplier": 1},
        ),
        Probe(
            label="variables",
            query="mutation Grow($n: Int!) { add(amount: $n) times(factor: $n) }",
            variables={"n": 4},
            data={"add": 4, "times": 16},
        ),
    ),
)
