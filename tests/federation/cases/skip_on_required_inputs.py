"""``@skip``/``@include`` on fields a ``@requires`` needs, ``@provides`` on a list and not on
another path to the same type, aliases that swap a provided field and a key-hop field,
``__typename`` at every level, and an API schema that shows no federation machinery."""

from tests.federation.support import ApolloDifference, Case, Probe, Subgraph, link

SHOPS = {"s1": {"name": "Deli", "size": 30}, "s2": {"name": "Cafe", "size": 20}}

market = Subgraph(
    name="market",
    sdl=link("@key", "@provides", "@external")
    + """
    type Query { market: Market! }
    type Market { shops: [Shop!]! @provides(fields: "name") stalls: [Shop!]! }
    type Shop @key(fields: "id") { id: ID! name: String! @external }
    """,
    resolvers={
        "Query": {
            "market": lambda *_: {
                "shops": [{"id": k, "name": v["name"]} for k, v in SHOPS.items()],
                "stalls": [{"id": "s2"}],
            }
        }
    },
    references={"Shop": lambda ref: {"id": ref["id"]}},
)

shops = Subgraph(
    name="shops",
    sdl=link("@key", "@shareable")
    + """
    type Shop @key(fields: "id") { id: ID! name: String! @shareable size: Int! }
    """,
    references={"Shop": lambda ref: {"id": ref["id"], **SHOPS[ref["id"]]}},
)

rates = Subgraph(
    name="rates",
    sdl=link("@key", "@external", "@requires")
    + """
    type Shop @key(fields: "id") {
      id: ID!
      size: Int! @external
      rate: Int! @requires(fields: "size")
    }
    """,
    resolvers={"Shop": {"rate": lambda s, _: s["size"] * 10}},
    references={"Shop": lambda ref: dict(ref)},
)

RATES = {"market": {"shops": [{"rate": 300}, {"rate": 200}]}}

CASE = Case(
    name="skip-on-required-inputs",
    behaviour="skipped fields that a @requires still needs; provides per path; API schema",
    subgraphs=(market, shops, rates),
    probes=(
        Probe(
            label="skip-literal-on-the-required-field",
            query="{ market { shops { size @skip(if: true) rate } } }",
            data=RATES,
        ),
        Probe(
            label="skip-variable-on-the-required-field",
            query="query($s: Boolean!) { market { shops { size @skip(if: $s) rate } } }",
            variables={"s": True},
            data=RATES,
        ),
        Probe(
            label="include-false-on-the-required-field",
            query="query($i: Boolean!) { market { shops { size @include(if: $i) rate } } }",
            variables={"i": False},
            data=RATES,
        ),
        Probe(
            label="include-false-on-the-requirer",
            query="query($i: Boolean!) { market { shops { name rate @include(if: $i) } } }",
            variables={"i": False},
            data={"market": {"shops": [{"name": "Deli"}, {"name": "Cafe"}]}},
            requests={"market": 1, "shops": 0, "rates": 0},
        ),
        Probe(
            label="provided-on-this-path",
            query="{ market { shops { name } } }",
            data={"market": {"shops": [{"name": "Deli"}, {"name": "Cafe"}]}},
            requests={"shops": 0},
        ),
        Probe(
            label="not-provided-on-the-other-path",
            query="{ market { stalls { name } } }",
            data={"market": {"stalls": [{"name": "Cafe"}]}},
            requests={"shops": 1},
        ),
        Probe(
            label="aliases-swap-provided-and-required-fields",
            query="{ market { shops { name: size size: name rate } } }",
            data={
                "market": {
                    "shops": [
                        {"name": 30, "size": "Deli", "rate": 300},
                        {"name": 20, "size": "Cafe", "rate": 200},
                    ]
                }
            },
            apollo=ApolloDifference(
                reason="@apollo/gateway merges the provided name into the client's 'name' "
                "alias of size and rejects the response as invalid"
            ),
        ),
        Probe(
            label="typename-at-every-level",
            query="{ __typename market { __typename shops { __typename rate } } }",
            data={
                "__typename": "Query",
                "market": {
                    "__typename": "Market",
                    "shops": [
                        {"__typename": "Shop", "rate": 300},
                        {"__typename": "Shop", "rate": 200},
                    ],
                },
            },
        ),
        Probe(
            label="no-federation-types-in-the-api-schema",
            query=(
                '{ j: __type(name: "join__Graph") { name } e: __type(name: "_Entity") { name } '
                's: __type(name: "_Service") { name } l: __type(name: "link__Purpose") { name } '
                'q: __type(name: "Query") { fields { name } } }'
            ),
            data={
                "j": None,
                "e": None,
                "s": None,
                "l": None,
                "q": {"fields": [{"name": "market"}]},
            },
        ),
    ),
)
