"""``@defer`` and ``@stream`` are accepted and answered in one response, as the incremental
delivery proposal allows a server to do: the deferred fragments' fields arrive with the rest,
whatever subgraph they come from, labels and ``if:`` included."""

from tests.federation.support import ApolloDifference, Case, Probe, Subgraph, link

PARKS = {"pk1": {"name": "Platt Fields", "acres": 32}, "pk2": {"name": "Heaton Park", "acres": 600}}
EVENTS = {"pk1": ["Mela"], "pk2": ["Parklife", "Proms"]}

parks = Subgraph(
    name="parks",
    sdl=link("@key")
    + """
    type Query { parks: [Park!]! }
    type Park @key(fields: "id") { id: ID! name: String! acres: Int! }
    """,
    resolvers={"Query": {"parks": lambda *_: [{"id": k, **v} for k, v in PARKS.items()]}},
)

events = Subgraph(
    name="events",
    sdl=link("@key")
    + """
    type Park @key(fields: "id") { id: ID! events: [String!]! }
    """,
    references={"Park": lambda ref: {"id": ref["id"], "events": EVENTS[ref["id"]]}},
)

NO_DEFER = ApolloDifference(
    reason="@apollo/gateway does not define @defer/@stream (an Apollo Router feature): "
    "the operation fails validation"
)
ALL = {
    "parks": [
        {"name": "Platt Fields", "acres": 32, "events": ["Mela"]},
        {"name": "Heaton Park", "acres": 600, "events": ["Parklife", "Proms"]},
    ]
}

CASE = Case(
    name="defer",
    behaviour="@defer/@stream answered in one response (deferred parts with the rest)",
    subgraphs=(parks, events),
    probes=(
        Probe(
            label="deferred-entity-fields",
            query='{ parks { name ... @defer(label: "more") { acres events } } }',
            data=ALL,
            requests={"parks": 1, "events": 1},
            apollo=NO_DEFER,
        ),
        Probe(
            label="deferred-named-fragment-and-if-false",
            query="""{ parks { name ...Extra @defer(if: false) } }
            fragment Extra on Park { acres events }""",
            data=ALL,
            apollo=NO_DEFER,
        ),
        Probe(
            label="stream-on-a-list",
            query="{ parks @stream(initialCount: 1) { name acres events } }",
            data=ALL,
            apollo=NO_DEFER,
        ),
    ),
)
