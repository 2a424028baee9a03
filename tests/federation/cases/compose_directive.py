"""``@composeDirective``: a custom directive imported through its own ``@link`` and kept in
the supergraph; the gateway answers as usual (the directive is metadata, not behaviour)."""

from tests.federation.support import Case, Probe, Subgraph

SDL_HEAD = """
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@composeDirective"])
  @link(url: "https://civic.example/retention/v1.0", import: ["@retain"])
  @composeDirective(name: "@retain")

directive @retain(years: Int!) on FIELD_DEFINITION | OBJECT
"""

records = Subgraph(
    name="records",
    sdl=SDL_HEAD
    + """
    type Query { record: Record }
    type Record @key(fields: "id") @retain(years: 7) { id: ID! summary: String! @retain(years: 2) }
    """,
    resolvers={"Query": {"record": lambda *_: {"id": "rc1", "summary": "Tenancy renewed"}}},
)

notes = Subgraph(
    name="notes",
    sdl=SDL_HEAD
    + """
    type Record @key(fields: "id") { id: ID! note: String @retain(years: 1) }
    """,
    references={"Record": lambda ref: {"id": ref["id"], "note": "call back"}},
)

CASE = Case(
    name="compose-directive",
    behaviour="@composeDirective: a linked custom directive survives composition",
    subgraphs=(records, notes),
    probes=(
        Probe(
            label="fields-with-composed-directive",
            query="{ record { id summary note } }",
            data={"record": {"id": "rc1", "summary": "Tenancy renewed", "note": "call back"}},
        ),
    ),
)
