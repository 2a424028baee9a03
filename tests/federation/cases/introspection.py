"""Introspection through the gateway: ``__schema`` and ``__type`` answer the client's schema
(the API schema: no federation machinery, ``@inaccessible`` parts hidden), with descriptions,
deprecation reasons on fields, arguments and enum values, and introspection beside data."""

from tests.federation.support import Case, Probe, Subgraph, link

libraries = Subgraph(
    name="libraries",
    sdl=link("@key", "@inaccessible", "@shareable")
    + '''
    type Query {
      "Every branch library in the borough."
      branches(open: Boolean = true): [Branch!]!
      legacyBranches: [Branch!]! @deprecated(reason: "Use branches.")
      audit: Audit @inaccessible
    }
    """A lending library."""
    type Branch @key(fields: "id") {
      id: ID!
      name: String!
      code: String @deprecated(reason: "Codes were retired in 2019.")
      status: BranchStatus!
      staffNote: String @inaccessible
      seats(minimum: Int, legacyFilter: String @deprecated(reason: "Ignored.")): Int
    }
    enum BranchStatus { OPEN CLOSED TEMPORARILY_CLOSED @deprecated(reason: "Say CLOSED.") }
    type Audit @inaccessible { id: ID! }
    ''',
    resolvers={
        "Query": {
            "branches": lambda *_: [{"id": "b1", "name": "Central", "status": "OPEN"}],
            "legacyBranches": lambda *_: [],
        }
    },
    references={"Branch": lambda ref: {"id": ref["id"], "name": "Central", "status": "OPEN"}},
)

loans = Subgraph(
    name="loans",
    sdl=link("@key")
    + """
    type Branch @key(fields: "id") { id: ID! loansToday: Int! }
    """,
    references={"Branch": lambda ref: {"id": ref["id"], "loansToday": 87}},
)

CASE = Case(
    name="introspection",
    behaviour="introspection answers the API schema: hidden parts absent, deprecations kept",
    subgraphs=(libraries, loans),
    probes=(
        Probe(
            label="schema-roots",
            query="""{ __schema {
              queryType { name } mutationType { name } subscriptionType { name }
            } }""",
            data={
                "__schema": {
                    "queryType": {"name": "Query"},
                    "mutationType": None,
                    "subscriptionType": None,
                }
            },
        ),
        Probe(
            label="type-fields-without-hidden-ones",
            query='{ __type(name: "Branch") { name kind description fields { name } } }',
            data={
                "__type": {
                    "name": "Branch",
                    "kind": "OBJECT",
                    "description": "A lending library.",
                    "fields": [
                        {"name": "id"},
                        {"name": "name"},
                        {"name": "status"},
                        {"name": "seats"},
                        {"name": "loansToday"},
                    ],
                }
            },
        ),
        Probe(
            label="deprecated-fields-with-reasons",
            query="""{ __type(name: "Branch") {
              fields(includeDeprecated: true) { name isDeprecated deprecationReason }
            } }""",
            data={
                "__type": {
                    "fields": [
                        {"name": "id", "isDeprecated": False, "deprecationReason": None},
                        {"name": "name", "isDeprecated": False, "deprecationReason": None},
                        {
                            "name": "code",
                            "isDeprecated": True,
                            "deprecationReason": "Codes were retired in 2019.",
                        },
                        {"name": "status", "isDeprecated": False, "deprecationReason": None},
                        {"name": "seats", "isDeprecated": False, "deprecationReason": None},
                        {"name": "loansToday", "isDeprecated": False, "deprecationReason": None},
                    ]
                }
            },
        ),
        Probe(
            label="root-fields-description-and-default",
            query="""{ __schema { queryType { fields(includeDeprecated: true) {
              name description isDeprecated deprecationReason args { name defaultValue }
            } } } }""",
            data={
                "__schema": {
                    "queryType": {
                        "fields": [
                            {
                                "name": "branches",
                                "description": "Every branch library in the borough.",
                                "isDeprecated": False,
                                "deprecationReason": None,
                                "args": [{"name": "open", "defaultValue": "true"}],
                            },
                            {
                                "name": "legacyBranches",
                                "description": None,
                                "isDeprecated": True,
                                "deprecationReason": "Use branches.",
                                "args": [],
                            },
                        ]
                    }
                }
            },
        ),
        Probe(
            label="deprecated-enum-values-and-arguments",
            query="""{
              status: __type(name: "BranchStatus") {
                enumValues(includeDeprecated: true) { name isDeprecated deprecationReason }
              }
              branch: __type(name: "Branch") { fields { name args { name } } }
            }""",
            data={
                "status": {
                    "enumValues": [
                        {"name": "OPEN", "isDeprecated": False, "deprecationReason": None},
                        {"name": "CLOSED", "isDeprecated": False, "deprecationReason": None},
                        {
                            "name": "TEMPORARILY_CLOSED",
                            "isDeprecated": True,
                            "deprecationReason": "Say CLOSED.",
                        },
                    ]
                },
                "branch": {
                    "fields": [
                        {"name": "id", "args": []},
                        {"name": "name", "args": []},
                        {"name": "status", "args": []},
                        {"name": "seats", "args": [{"name": "minimum"}]},
                        {"name": "loansToday", "args": []},
                    ]
                },
            },
        ),
        Probe(
            label="machinery-and-hidden-types-absent",
            query="""{
              entity: __type(name: "_Entity") { name }
              any: __type(name: "_Any") { name }
              service: __type(name: "_Service") { name }
              audit: __type(name: "Audit") { name }
              graph: __type(name: "join__Graph") { name }
            }""",
            data={"entity": None, "any": None, "service": None, "audit": None, "graph": None},
        ),
        Probe(
            label="introspection-beside-data",
            query='{ __typename branches { name loansToday } t: __type(name: "Query") { name } }',
            data={
                "__typename": "Query",
                "branches": [{"name": "Central", "loansToday": 87}],
                "t": {"name": "Query"},
            },
        ),
        Probe(
            label="typename-of-introspection-objects",
            query="""{
              __schema { __typename queryType { __typename name } }
              __type(name: "Branch") { __typename }
            }""",
            data={
                "__schema": {
                    "__typename": "__Schema",
                    "queryType": {"__typename": "__Type", "name": "Query"},
                },
                "__type": {"__typename": "__Type"},
            },
        ),
    ),
)
