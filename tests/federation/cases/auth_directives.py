"""``@authenticated``, ``@requiresScopes`` and ``@policy`` (Federation 2.5/2.6): composition
accepts and carries them; with no authorization configured the gateway answers as usual,
across a shared root split over three subgraphs."""

from tests.federation.support import ApolloDifference, Case, Probe, Subgraph, link

FACTS = {"id": "lb1", "name": "Longsight Library", "budget": 52000, "staff": 9, "keyholder": "Ann"}

public = Subgraph(
    name="public",
    sdl=link("@shareable", "@authenticated", minor=6)
    + """
    type Query { library: Library! @shareable }
    type Library { id: ID! @shareable name: String! keyholder: String @authenticated }
    """,
    resolvers={
        "Query": {"library": lambda *_: {"id": "lb1", "name": FACTS["name"], "keyholder": "Ann"}}
    },
)

finance = Subgraph(
    name="finance",
    sdl=link("@shareable", "@requiresScopes", minor=6)
    + """
    type Query { library: Library! @shareable }
    type Library {
      id: ID! @shareable
      budget: Int! @requiresScopes(scopes: [["finance:read"], ["admin"]])
    }
    """,
    resolvers={"Query": {"library": lambda *_: {"id": "lb1", "budget": FACTS["budget"]}}},
)

hr = Subgraph(
    name="hr",
    sdl=link("@shareable", "@policy", minor=6)
    + """
    type Query { library: Library! @shareable }
    type Library { id: ID! @shareable staff: Int! @policy(policies: [["hr_staff"]]) }
    """,
    resolvers={"Query": {"library": lambda *_: {"id": "lb1", "staff": FACTS["staff"]}}},
)

NO_SECURITY_FEATURES = ApolloDifference(
    reason="@apollo/gateway refuses to load a supergraph that links SECURITY features "
    "(authenticated, requiresScopes, policy): only Apollo Router implements them"
)

CASE = Case(
    name="auth-directives",
    behaviour=(
        "@authenticated/@requiresScopes/@policy composed and carried; answered without auth config"
    ),
    subgraphs=(public, finance, hr),
    probes=(
        Probe(
            label="every-protected-field",
            query="{ library { id name keyholder budget staff } }",
            data={
                "library": {
                    "id": "lb1",
                    "name": "Longsight Library",
                    "keyholder": "Ann",
                    "budget": 52000,
                    "staff": 9,
                }
            },
            apollo=NO_SECURITY_FEATURES,
        ),
        Probe(
            label="unprotected-only",
            query="{ library { name } }",
            data={"library": {"name": "Longsight Library"}},
            requests={"public": 1, "finance": 0, "hr": 0},
            apollo=NO_SECURITY_FEATURES,
        ),
    ),
)
