"""Progressive ``@override(from:, label: "percent(N)")``: composition accepts it; with
``percent(0)`` the old subgraph keeps answering and with ``percent(100)`` the new one does
(both values answer every request the same way, so the expectation does not depend on luck)."""

from tests.federation.support import ApolloDifference, Case, Probe, Subgraph, link

old = Subgraph(
    name="old",
    sdl=link("@key", "@shareable", minor=7)
    + """
    type Query { permits: [Permit!]! }
    type Permit @key(fields: "id") { id: ID! zone: String! fee: Int! }
    """,
    resolvers={
        "Query": {"permits": lambda *_: [{"id": "pm1"}]},
        "Permit": {"zone": lambda *_: "old-zone", "fee": lambda *_: 10},
    },
    references={"Permit": lambda ref: {"id": ref["id"]}},
)

new = Subgraph(
    name="new",
    sdl=link("@key", "@override", minor=7)
    + """
    type Permit @key(fields: "id") {
      id: ID!
      zone: String! @override(from: "old", label: "percent(0)")
      fee: Int! @override(from: "old", label: "percent(100)")
    }
    """,
    resolvers={"Permit": {"zone": lambda *_: "new-zone", "fee": lambda *_: 25}},
    references={"Permit": lambda ref: {"id": ref["id"]}},
)

CASE = Case(
    name="progressive-override",
    behaviour="@override with percentage labels: 0 % stays, 100 % moves",
    subgraphs=(old, new),
    probes=(
        Probe(
            label="zero-percent-stays",
            query="{ permits { zone } }",
            data={"permits": [{"zone": "old-zone"}]},
        ),
        Probe(
            label="hundred-percent-moves",
            query="{ permits { fee } }",
            data={"permits": [{"fee": 25}]},
            apollo=ApolloDifference(
                reason="@apollo/gateway does not evaluate progressive override labels (a Router "
                "feature): a labelled field stays with the old subgraph even at percent(100)"
            ),
        ),
    ),
)
