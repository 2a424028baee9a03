"""Fields asked under a fragment on one member of a union are fetched only for objects of
that member: when the answer holds no such object, the subgraphs only that fragment needs
get no request at all (nor an error)."""

from typing import Any

from tests.federation.support import ApolloDifference, Case, Probe, Subgraph, link


def _refuse(*_: Any) -> Any:
    raise RuntimeError("asked for a member the answer does not hold")


complaints = Subgraph(
    name="complaints",
    sdl=link("@key")
    + """
    type Query { complaint: Complaint complaints: [Complaint!]! }
    union Complaint = Anonymous | Named
    type Anonymous { service: Service }
    type Named { service: Service citizen: String }
    type Service @key(fields: "id") { id: ID! }
    """,
    resolvers={
        "Query": {
            "complaint": lambda *_: {"__typename": "Anonymous", "service": {"id": "s1"}},
            "complaints": lambda *_: [
                {"__typename": "Anonymous", "service": {"id": "s1"}},
                {"__typename": "Anonymous", "service": {"id": "s2"}},
            ],
        }
    },
)

catalogue = Subgraph(
    name="catalogue",
    sdl=link("@key") + 'type Service @key(fields: "id") { id: ID! title: String }',
    references={"Service": lambda ref: {"id": ref["id"], "title": f"Service {ref['id']}"}},
)

budgets = Subgraph(
    name="budgets",
    sdl=link("@key") + 'type Service @key(fields: "id") { id: ID! budget: Int }',
    resolvers={"Service": {"budget": _refuse}},
    references={"Service": _refuse},
)

owners = Subgraph(
    name="owners",
    sdl=link("@key") + 'type Service @key(fields: "id") { id: ID! owner: String }',
    resolvers={"Service": {"owner": _refuse}},
    references={"Service": _refuse},
)

BY_MEMBER = """
  ... on Anonymous { service { title } }
  ... on Named { service { budget owner } }
"""

APOLLO_FLATTENS = ApolloDifference(
    reason="Apollo's fetch path complaint.service has no type condition, so the Named "
    "member's services are the Anonymous ones: budgets and owners are asked for them and fail"
)

CASE = Case(
    name="abstract-member-fetches",
    behaviour="fields under a fragment on an absent union member are never fetched",
    subgraphs=(complaints, catalogue, budgets, owners),
    probes=(
        Probe(
            label="one-object-of-the-other-member",
            query=f"{{ complaint {{ {BY_MEMBER} }} }}",
            data={"complaint": {"service": {"title": "Service s1"}}},
            requests={"complaints": 1, "catalogue": 1, "budgets": 0, "owners": 0},
            apollo=APOLLO_FLATTENS,
        ),
        Probe(
            label="list-without-the-member",
            query=f"{{ complaints {{ __typename {BY_MEMBER} }} }}",
            data={
                "complaints": [
                    {"__typename": "Anonymous", "service": {"title": "Service s1"}},
                    {"__typename": "Anonymous", "service": {"title": "Service s2"}},
                ]
            },
            requests={"complaints": 1, "catalogue": 1, "budgets": 0, "owners": 0},
            apollo=APOLLO_FLATTENS,
        ),
    ),
)
