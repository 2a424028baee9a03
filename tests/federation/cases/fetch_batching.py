"""Fetch batching: entity fetches to one subgraph that depend on the same earlier fetch are
one request, across entity types and across paths (issue 9: housing's ``Household`` and
members' ``Person`` sections in one ``_entities`` call). Not a correctness rule — an answer
with more requests is still right — but the request count is pinned here."""

from tests.federation.support import ApolloDifference, Case, Probe, Subgraph, link

tenancies = Subgraph(
    name="tenancies",
    sdl=link("@key")
    + """
    type Query { tenancies: [Tenancy!]! }
    type Tenancy { home: Home! tenant: Tenant! }
    type Home @key(fields: "uprn") { uprn: ID! }
    type Tenant @key(fields: "id") { id: ID! }
    """,
    resolvers={
        "Query": {
            "tenancies": lambda *_: [
                {"home": {"uprn": "100"}, "tenant": {"id": "t1"}},
                {"home": {"uprn": "101"}, "tenant": {"id": "t2"}},
            ]
        }
    },
)

services = Subgraph(
    name="services",
    sdl=link("@key")
    + """
    type Home @key(fields: "uprn") { uprn: ID! rentPence: Int! }
    type Tenant @key(fields: "id") { id: ID! onBenefits: Boolean! }
    """,
    references={
        "Home": lambda ref: {"uprn": ref["uprn"], "rentPence": 9000 + int(ref["uprn"])},
        "Tenant": lambda ref: {"id": ref["id"], "onBenefits": ref["id"] == "t2"},
    },
)

CASE = Case(
    name="fetch-batching",
    behaviour="entity fetches to one subgraph at one level are one request across types and paths",
    subgraphs=(tenancies, services),
    probes=(
        Probe(
            label="one-type-one-request",
            query="{ tenancies { home { rentPence } } }",
            data={"tenancies": [{"home": {"rentPence": 9100}}, {"home": {"rentPence": 9101}}]},
            requests={"tenancies": 1, "services": 1},
        ),
        Probe(
            label="two-types-two-paths-one-request",
            query="{ tenancies { home { rentPence } tenant { onBenefits } } }",
            data={
                "tenancies": [
                    {"home": {"rentPence": 9100}, "tenant": {"onBenefits": False}},
                    {"home": {"rentPence": 9101}, "tenant": {"onBenefits": True}},
                ]
            },
            requests={"tenancies": 1, "services": 1},
            apollo=ApolloDifference(
                reason="not a correctness difference: @apollo/gateway sends one _entities "
                "request per path (two here) where one request can carry both"
            ),
        ),
    ),
)
