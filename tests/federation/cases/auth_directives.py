"""``@authenticated``, ``@requiresScopes`` and ``@policy`` (Federation 2.5/2.6), applied by the
gateway as Apollo Router does: a field the caller may not see is not asked of any subgraph,
and is ``null`` with an ``UNAUTHORIZED_FIELD_OR_TYPE`` error at its path, even when its type
is non-null; everything else is served. Scopes come from the bearer token's ``scope``;
``@requiresScopes(scopes: [[a, b], [c]])`` holds with a and b, or with c. A directive on a
type guards every field returning it. No policy source is configured here, so ``@policy``
never holds. A token that does not verify refuses the request."""

from tests.federation.support import (
    ANY_ERROR,
    ApolloDifference,
    Case,
    ExpectedError,
    Probe,
    Subgraph,
    bearer,
    link,
)

UNAUTHORIZED = "UNAUTHORIZED_FIELD_OR_TYPE"

public = Subgraph(
    name="public",
    sdl=link("@shareable", "@authenticated", minor=6)
    + """
    type Query { library: Library! @shareable libraries: [Library!]! @shareable }
    type Library { id: ID! @shareable name: String! keyholder: Keyholder! @authenticated }
    type Keyholder { name: String! phone: String! }
    """,
    resolvers={
        "Query": {
            "library": lambda *_: {
                "id": "lb1",
                "name": "Longsight Library",
                "keyholder": {"name": "Ann", "phone": "0161 000 0001"},
            },
            "libraries": lambda *_: [
                {"id": "lb1", "name": "Longsight Library", "keyholder": {"name": "Ann"}}
            ],
        }
    },
)

finance = Subgraph(
    name="finance",
    sdl=link("@shareable", "@requiresScopes", minor=6)
    + """
    type Query { library: Library! @shareable libraries: [Library!]! @shareable }
    type Library {
      id: ID! @shareable
      budget: Budget! @requiresScopes(scopes: [["finance:read", "finance:audit"], ["admin"]])
      payroll: Payroll
    }
    type Budget { year: Int! pence: Int! }
    type Payroll @requiresScopes(scopes: [["hr"]]) { total: Int! }
    """,
    resolvers={
        "Query": {
            "library": lambda *_: {
                "id": "lb1",
                "budget": {"year": 2026, "pence": 5200000},
                "payroll": {"total": 310000},
            },
            "libraries": lambda *_: [{"id": "lb1", "budget": {"year": 2026, "pence": 5200000}}],
        }
    },
)

hr = Subgraph(
    name="hr",
    sdl=link("@shareable", "@policy", minor=6)
    + """
    type Query { library: Library! @shareable libraries: [Library!]! @shareable }
    type Library { id: ID! @shareable staff: Int! @policy(policies: [["hr_staff"]]) }
    """,
    resolvers={
        "Query": {
            "library": lambda *_: {"id": "lb1", "staff": 9},
            "libraries": lambda *_: [{"id": "lb1", "staff": 9}],
        }
    },
)

NO_SECURITY_FEATURES = ApolloDifference(
    reason="@apollo/gateway refuses to load a supergraph that links SECURITY features "
    "(authenticated, requiresScopes, policy): only Apollo Router implements them"
)
EVERYTHING = "{ library { id name keyholder { name } budget { pence } payroll { total } } }"
KEYHOLDER = {"name": "Ann"}
BUDGET = {"pence": 5200000}


def _denied(*path: str | int) -> ExpectedError:
    return ExpectedError(path=tuple(path), code=UNAUTHORIZED)


CASE = Case(
    name="auth-directives",
    behaviour="@authenticated/@requiresScopes/@policy applied per field from the bearer token",
    subgraphs=(public, finance, hr),
    probes=(
        Probe(
            label="granular-scopes",
            query=EVERYTHING,
            headers=bearer("finance:read", "finance:audit", "hr"),
            data={
                "library": {
                    "id": "lb1",
                    "name": "Longsight Library",
                    "keyholder": KEYHOLDER,
                    "budget": BUDGET,
                    "payroll": {"total": 310000},
                }
            },
            apollo=NO_SECURITY_FEATURES,
        ),
        Probe(
            label="one-scope-for-all",
            query="{ libraries { id keyholder { name } budget { pence } } }",
            headers=bearer("admin"),
            data={"libraries": [{"id": "lb1", "keyholder": KEYHOLDER, "budget": BUDGET}]},
            apollo=NO_SECURITY_FEATURES,
        ),
        Probe(
            label="authenticated-without-the-scopes",
            query=EVERYTHING,
            headers=bearer("finance:read"),
            data={
                "library": {
                    "id": "lb1",
                    "name": "Longsight Library",
                    "keyholder": KEYHOLDER,
                    "budget": None,
                    "payroll": None,
                }
            },
            errors=(_denied("library", "budget"), _denied("library", "payroll")),
            apollo=NO_SECURITY_FEATURES,
        ),
        Probe(
            label="anonymous",
            query=EVERYTHING,
            data={
                "library": {
                    "id": "lb1",
                    "name": "Longsight Library",
                    "keyholder": None,
                    "budget": None,
                    "payroll": None,
                }
            },
            errors=(_denied("library", "keyholder"), _denied("library", "budget")),
            requests={"public": 1, "finance": 0, "hr": 0},
            apollo=NO_SECURITY_FEATURES,
        ),
        Probe(
            label="anonymous-in-a-list",
            query="{ libraries { id budget { pence } } }",
            data={"libraries": [{"id": "lb1", "budget": None}]},
            errors=(_denied("libraries", 0, "budget"),),
            apollo=NO_SECURITY_FEATURES,
        ),
        Probe(
            label="policy-without-a-policy-source",
            query="{ library { name staff } }",
            headers=bearer("admin", "hr"),
            data={"library": {"name": "Longsight Library", "staff": None}},
            errors=(_denied("library", "staff"),),
            requests={"public": 1, "hr": 0},
            apollo=NO_SECURITY_FEATURES,
        ),
        Probe(
            label="unprotected-only",
            query="{ library { name } }",
            data={"library": {"name": "Longsight Library"}},
            requests={"public": 1, "finance": 0, "hr": 0},
            apollo=NO_SECURITY_FEATURES,
        ),
        Probe(
            label="token-that-does-not-verify",
            query="{ library { name } }",
            headers=bearer("admin", secret="a-different-signing-secret-of-another-issuer"),
            data=None,
            errors=ANY_ERROR,
            apollo=NO_SECURITY_FEATURES,
        ),
    ),
)
