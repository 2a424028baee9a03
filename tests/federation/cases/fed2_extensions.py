"""Federation 2 SDL with Fed 1 habits: ``extend type`` and ``@extends`` on an entity whose
``@external`` key field is (as Fed 2 says) still resolvable by that subgraph, with the type
defined for real in another subgraph."""

from tests.federation.support import Case, Probe, Subgraph, link

GRANTS = {
    "g1": {"title": "Roof repair", "amount": 4000},
    "g2": {"title": "Play area", "amount": 9000},
}

grants = Subgraph(
    name="grants",
    sdl=link("@key")
    + """
    type Query { grants: [Grant!]! }
    type Grant @key(fields: "id") { id: ID! title: String! }
    """,
    resolvers={
        "Query": {"grants": lambda *_: [{"id": k, "title": v["title"]} for k, v in GRANTS.items()]}
    },
    references={"Grant": lambda ref: {"id": ref["id"], "title": GRANTS[ref["id"]]["title"]}},
)

payments = Subgraph(
    name="payments",
    sdl=link("@key", "@external")
    + """
    extend type Grant @key(fields: "id") { id: ID! @external amount: Int! }
    type Query { largestGrant: Grant }
    """,
    resolvers={"Query": {"largestGrant": lambda *_: {"id": "g2", "amount": 9000}}},
    references={"Grant": lambda ref: {"id": ref["id"], "amount": GRANTS[ref["id"]]["amount"]}},
)

audits = Subgraph(
    name="audits",
    sdl=link("@key", "@external", "@extends")
    + """
    type Grant @key(fields: "id") @extends { id: ID! @external audited: Boolean! }
    type Query { lastAudited: Grant }
    """,
    resolvers={"Query": {"lastAudited": lambda *_: {"id": "g1", "audited": True}}},
    references={"Grant": lambda ref: {"id": ref["id"], "audited": ref["id"] == "g1"}},
)

CASE = Case(
    name="fed2-extensions",
    behaviour="Fed 2 extend type / @extends with an @external key the subgraph still resolves",
    subgraphs=(grants, payments, audits),
    probes=(
        Probe(
            label="extension-root-key-and-base-field",
            query="{ largestGrant { id amount title audited } }",
            data={
                "largestGrant": {"id": "g2", "amount": 9000, "title": "Play area", "audited": False}
            },
        ),
        Probe(
            label="external-key-from-extension-itself",
            query="{ lastAudited { id audited } }",
            data={"lastAudited": {"id": "g1", "audited": True}},
            requests={"audits": 1, "grants": 0, "payments": 0},
        ),
        Probe(
            label="base-root-to-extensions",
            query="{ grants { title amount audited } }",
            data={
                "grants": [
                    {"title": "Roof repair", "amount": 4000, "audited": True},
                    {"title": "Play area", "amount": 9000, "audited": False},
                ]
            },
        ),
    ),
)
