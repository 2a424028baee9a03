"""Entities in lists of lists, errors and nulls: an ``_entities`` error reaches every place the
entity appears (one representation may stand for several objects), with the subgraph's
``extensions`` kept; a null for a non-null field bubbles to the nearest nullable parent; an
entity the subgraph does not know is null, not an error, where its fields are nullable."""

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError

from tests.federation.support import ApolloDifference, Case, ExpectedError, Probe, Subgraph, link

BINS: dict[str, dict[str, Any] | None] = {
    "b1": {"colour": "green", "fill": 40},
    "b2": {"colour": "blue", "fill": None},
    "b3": None,
}


def _offline(*_: Any) -> Any:
    raise GraphQLError("bin sensor offline", extensions={"code": "SENSOR_DOWN", "sensor": 7})


def _bin(ref: Mapping[str, Any]) -> dict[str, Any] | None:
    known = BINS[ref["id"]]
    return None if known is None else {"id": ref["id"], **known}


streets = Subgraph(
    name="streets",
    sdl=link("@key")
    + """
    type Query { street: Street! grid: [[Bin]]! bins: [Bin!]! bin(id: ID!): Bin }
    type Street { name: String! bins: [Bin!] }
    type Bin @key(fields: "id") { id: ID! }
    """,
    resolvers={
        "Query": {
            "street": lambda *_: {"name": "Oak St", "bins": [{"id": "b1"}, {"id": "b2"}]},
            "grid": lambda *_: [[{"id": "b1"}, None], [], [{"id": "b2"}, {"id": "b1"}]],
            "bins": lambda *_: [{"id": "b1"}, {"id": "b3"}],
            "bin": lambda _, a: {"id": a["id"]},
        }
    },
)

sensors = Subgraph(
    name="sensors",
    sdl=link("@key")
    + """
    type Bin @key(fields: "id") { id: ID! colour: String! fill: Int! reading: Int alarm: String }
    """,
    resolvers={"Bin": {"alarm": _offline}},
    references={"Bin": _bin},
)

CASE = Case(
    name="entity-errors-and-nulls",
    behaviour="entities in nested lists; errors at every place an entity appears; null bubbling",
    subgraphs=(streets, sensors),
    probes=(
        Probe(
            label="lists-of-lists",
            query="{ grid { id colour } }",
            data={
                "grid": [
                    [{"id": "b1", "colour": "green"}, None],
                    [],
                    [{"id": "b2", "colour": "blue"}, {"id": "b1", "colour": "green"}],
                ]
            },
            requests={"sensors": 1},
        ),
        Probe(
            label="error-at-every-place-of-one-entity",
            query="{ grid { alarm } }",
            data={"grid": [[{"alarm": None}, None], [], [{"alarm": None}, {"alarm": None}]]},
            errors=(
                ExpectedError(path=("grid", 0, 0, "alarm"), code="SENSOR_DOWN"),
                ExpectedError(path=("grid", 2, 0, "alarm"), code="SENSOR_DOWN"),
                ExpectedError(path=("grid", 2, 1, "alarm"), code="SENSOR_DOWN"),
            ),
        ),
        Probe(
            label="error-extensions-kept",
            query='{ bin(id: "b1") { id alarm } }',
            data={"bin": {"id": "b1", "alarm": None}},
            errors=(ExpectedError(path=("bin", "alarm"), code="SENSOR_DOWN"),),
        ),
        Probe(
            label="null-for-non-null-bubbles-to-the-list",
            query="{ street { name bins { id fill } } }",
            data={"street": {"name": "Oak St", "bins": None}},
            errors=(ExpectedError(path=("street", "bins", 1, "fill")),),
        ),
        Probe(
            label="unknown-entity-with-non-null-fields-bubbles-to-the-root",
            query="{ bins { id colour } }",
            data=None,
            errors=(ExpectedError(path=("bins", 1, "colour")),),
            apollo=ApolloDifference(
                reason="@apollo/gateway reports the non-null violation under "
                "extensions.valueCompletion, not in errors; the spec requires a field error "
                "at the path where null was found"
            ),
        ),
        Probe(
            label="unknown-entity-nullable-fields",
            query='{ bin(id: "b3") { id reading } }',
            data={"bin": {"id": "b3", "reading": None}},
        ),
    ),
)
