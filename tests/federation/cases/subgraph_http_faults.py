"""Subgraphs that answer badly over HTTP: a 500 with GraphQL errors, a 502 page in HTML, a
200 whose body is not JSON, a JSON body that is not a GraphQL response, and an ``_entities``
list shorter than the representations sent. The gateway always answers 200 with what the
healthy subgraphs gave and an error where the broken one's fields would have been, never a
gateway failure, never made-up data."""

from typing import Any

from tests.federation.support import (
    ANY_ERROR,
    ApolloDifference,
    Case,
    HttpFault,
    Probe,
    Subgraph,
    link,
)

STOPS: list[dict[str, Any]] = [
    {"id": "st1", "name": "Piccadilly"},
    {"id": "st2", "name": "Victoria"},
]

stops = Subgraph(
    name="stops",
    sdl=link("@key")
    + """
    type Query { stops: [Stop!]! }
    type Stop @key(fields: "id") { id: ID! name: String! }
    """,
    resolvers={"Query": {"stops": lambda *_: STOPS}},
)


def _entity_subgraph(name: str, field: str, fault: HttpFault, root: str) -> Subgraph:
    return Subgraph(
        name=name,
        sdl=link("@key")
        + f"""
        type Query {{ {root}: Int }}
        type Stop @key(fields: "id") {{ id: ID! {field}: Int }}
        """,
        fault=fault,
    )


crowding = _entity_subgraph(
    "crowding",
    "crowding",
    HttpFault(status=500, body='{"errors": [{"message": "crowding model crashed"}]}'),
    "crowdingModel",
)
lifts = _entity_subgraph(
    "lifts",
    "liftsWorking",
    HttpFault(status=502, body="<html><body>Bad Gateway</body></html>", content_type="text/html"),
    "liftEngineers",
)
fares = _entity_subgraph(
    "fares",
    "zone",
    HttpFault(status=200, body="zone service warming up", content_type="text/plain"),
    "zones",
)
toilets = _entity_subgraph(
    "toilets", "toilets", HttpFault(status=200, body='{"status": "ok"}'), "toiletAudit"
)
bins = _entity_subgraph(
    "bins",
    "bins",
    HttpFault(status=200, body='{"data": {"_entities": [{"bins": 4}]}}'),
    "binRounds",
)

CASE = Case(
    name="subgraph-http-faults",
    behaviour="500s, HTML, non-JSON, non-GraphQL and short _entities answers become errors",
    subgraphs=(stops, crowding, lifts, fares, toilets, bins),
    probes=(
        Probe(
            label="500-with-graphql-errors",
            query="{ stops { name crowding } }",
            data={
                "stops": [
                    {"name": "Piccadilly", "crowding": None},
                    {"name": "Victoria", "crowding": None},
                ]
            },
            errors=ANY_ERROR,
        ),
        Probe(
            label="502-html-page",
            query="{ stops { name liftsWorking } }",
            data={
                "stops": [
                    {"name": "Piccadilly", "liftsWorking": None},
                    {"name": "Victoria", "liftsWorking": None},
                ]
            },
            errors=ANY_ERROR,
        ),
        Probe(
            label="200-not-json",
            query="{ stops { name zone } }",
            data={
                "stops": [{"name": "Piccadilly", "zone": None}, {"name": "Victoria", "zone": None}]
            },
            errors=ANY_ERROR,
        ),
        Probe(
            label="200-json-not-a-graphql-response",
            query="{ stops { name toilets } }",
            data={
                "stops": [
                    {"name": "Piccadilly", "toilets": None},
                    {"name": "Victoria", "toilets": None},
                ]
            },
            errors=ANY_ERROR,
            apollo=ApolloDifference(
                reason="@apollo/gateway reads a body with neither data nor errors as an empty "
                "answer and reports nothing; a GraphQL response must have one of them"
            ),
        ),
        Probe(
            label="fewer-entities-than-representations",
            query="{ stops { name bins } }",
            data={
                "stops": [{"name": "Piccadilly", "bins": None}, {"name": "Victoria", "bins": None}]
            },
            errors=ANY_ERROR,
        ),
        Probe(
            label="broken-root-fields-beside-a-healthy-one",
            query="{ crowdingModel liftEngineers zones toiletAudit stops { id } }",
            data={
                "crowdingModel": None,
                "liftEngineers": None,
                "zones": None,
                "toiletAudit": None,
                "stops": [{"id": "st1"}, {"id": "st2"}],
            },
            errors=ANY_ERROR,
        ),
    ),
)
