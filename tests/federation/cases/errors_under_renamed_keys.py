"""Selections the gateway has to alias for a subgraph: ``code`` is ``String!`` on ``Trader``
and ``String`` on ``Driver`` in ``licensing`` (``String`` in the supergraph, as another
subgraph shares it nullable), and so is ``permit``, inside which ``ref`` differs the same way
between the ``Permit`` union's members. A query asking them on both members is aliased there,
one level inside another. The answers land under the client's keys at every level, and an
error's path names the client's keys, never the gateway's aliases, from a root fetch and from
an entity fetch."""

from typing import Any

from tests.federation.support import ApolloDifference, Case, ExpectedError, Probe, Subgraph, link


def _refuse(*_: Any) -> Any:
    raise ValueError("licence code withheld")


HOLDERS: dict[str, dict[str, Any]] = {
    "t1": {"__typename": "Trader", "id": "t1", "code": "TR-1", "permit": {"ref": "ST-9"}},
    "d1": {"__typename": "Driver", "id": "d1", "code": "DR-1", "permit": {"ref": "CB-4"}},
    "d2": {"__typename": "Driver", "id": "d2", "code": "DR-2", "permit": {"ref": "CB-7"}},
}


def _holder(holder_id: str) -> dict[str, Any]:
    holder = HOLDERS[holder_id]
    kind = "Stall" if holder["__typename"] == "Trader" else "Cab"
    return {**holder, "permit": {"__typename": kind, **holder["permit"]}}


licensing = Subgraph(
    name="licensing",
    sdl=link("@key", "@shareable")
    + """
    type Query { holders: [Holder!]! }
    union Holder = Trader | Driver
    type Trader @key(fields: "id") {
      id: ID!
      code: String! @shareable
      permit: Permit! @shareable
    }
    type Driver @key(fields: "id") { id: ID! code: String permit: Permit }
    union Permit = Stall | Cab
    type Stall @shareable { ref: String! }
    type Cab @shareable { ref: String }
    """,
    resolvers={
        "Query": {"holders": lambda *_: [_holder(h) for h in HOLDERS]},
        "Driver": {"code": _refuse},
        "Cab": {"ref": lambda cab, _: _refuse() if cab["ref"] == "CB-4" else cab["ref"]},
    },
    references={
        "Trader": lambda ref: _holder(ref["id"]),
        "Driver": lambda ref: _holder(ref["id"]),
    },
)

checks = Subgraph(
    name="checks",
    sdl=link("@key", "@shareable")
    + """
    type Query { traders: [Trader!]! }
    type Trader @key(fields: "id") {
      id: ID!
      code: String @shareable
      status: String
      permit: Permit @shareable
    }
    union Permit = Stall | Cab
    type Stall @shareable { ref: String }
    type Cab @shareable { ref: String }
    """,
    resolvers={"Query": {"traders": lambda *_: [{**_holder("t1"), "status": "ok"}]}},
    references={"Trader": lambda ref: {**_holder(ref["id"]), "status": "ok"}},
)

registry = Subgraph(
    name="registry",
    sdl=link("@key")
    + """
    type Query { flagged: [Flagged!]! }
    union Flagged = Trader | Driver
    type Trader @key(fields: "id") { id: ID! }
    type Driver @key(fields: "id") { id: ID! }
    """,
    resolvers={
        "Query": {
            "flagged": lambda *_: [
                {"__typename": "Driver", "id": "d1"},
                {"__typename": "Trader", "id": "t1"},
                {"__typename": "Driver", "id": "d2"},
            ]
        }
    },
)

_NESTED_ALIAS = ApolloDifference(
    reason="@apollo/gateway aliases only the outer field and sends licensing an invalid "
    "operation (ref typed String! and String under one response key)"
)

CASE = Case(
    name="errors-under-renamed-keys",
    behaviour="aliased selections, nested: data and error paths under the client's keys",
    subgraphs=(licensing, checks, registry),
    probes=(
        Probe(
            label="root-fetch",
            query="{ holders { ... on Trader { code } ... on Driver { code } } }",
            data={"holders": [{"code": "TR-1"}, {"code": None}, {"code": None}]},
            errors=(
                ExpectedError(path=("holders", 1, "code"), message="licence code withheld"),
                ExpectedError(path=("holders", 2, "code"), message="licence code withheld"),
            ),
            apollo=ApolloDifference(
                reason="@apollo/gateway reports the error at its own alias (code__alias_0)"
            ),
        ),
        Probe(
            label="renamed-field-inside-a-renamed-field",
            query="""{ holders {
              ... on Trader { permit { ... on Stall { ref } ... on Cab { ref } } }
              ... on Driver { permit { ... on Stall { ref } ... on Cab { ref } } }
            } }""",
            data={
                "holders": [
                    {"permit": {"ref": "ST-9"}},
                    {"permit": {"ref": None}},
                    {"permit": {"ref": "CB-7"}},
                ]
            },
            errors=(
                ExpectedError(
                    path=("holders", 1, "permit", "ref"), message="licence code withheld"
                ),
            ),
            apollo=_NESTED_ALIAS,
        ),
        Probe(
            label="renamed-field-only-inside-a-renamed-field",
            query="""{ holders {
              ... on Trader { permit { __typename } }
              ... on Driver { permit { ... on Stall { ref } ... on Cab { ref } } }
            } }""",
            data={
                "holders": [
                    {"permit": {"__typename": "Stall"}},
                    {"permit": {"ref": None}},
                    {"permit": {"ref": "CB-7"}},
                ]
            },
            errors=(
                ExpectedError(
                    path=("holders", 1, "permit", "ref"), message="licence code withheld"
                ),
            ),
            apollo=_NESTED_ALIAS,
        ),
        Probe(
            label="entity-fetch",
            query="""{ flagged {
              ... on Trader { status code permit { ... on Stall { ref } ... on Cab { ref } } }
              ... on Driver { code permit { ... on Stall { ref } ... on Cab { ref } } }
            } }""",
            data={
                "flagged": [
                    {"code": None, "permit": {"ref": None}},
                    {"status": "ok", "code": "TR-1", "permit": {"ref": "ST-9"}},
                    {"code": None, "permit": {"ref": "CB-7"}},
                ]
            },
            errors=(
                ExpectedError(path=("flagged", 0, "code"), message="licence code withheld"),
                ExpectedError(
                    path=("flagged", 0, "permit", "ref"), message="licence code withheld"
                ),
                ExpectedError(path=("flagged", 2, "code"), message="licence code withheld"),
            ),
            apollo=ApolloDifference(
                reason="@apollo/gateway reports the error at its own alias (ref__alias_0)"
            ),
        ),
    ),
)
