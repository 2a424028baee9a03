"""An executable directive kept by ``@composeDirective`` whose argument has a default in one
subgraph and none (required) in another: the client may leave the argument out, and the
field of each subgraph still answers (the subgraph that requires the argument must not be
sent a directive it would reject)."""

from tests.federation.support import ApolloDifference, Case, Probe, Subgraph


def _head(argument: str) -> str:
    return f"""
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.1", import: ["@key", "@composeDirective"])
  @link(url: "https://civic.example/masking/v1.0", import: ["@mask"])
  @composeDirective(name: "@mask")

directive @mask({argument}) on FIELD

enum Sensitivity {{ OFFICIAL SECRET }}
"""


benefits = Subgraph(
    name="benefits",
    sdl=_head("level: Sensitivity!") + "type Query { claimant: String }",
    resolvers={"Query": {"claimant": lambda *_: "J. Bloggs"}},
)

housing = Subgraph(
    name="housing",
    sdl=_head("level: Sensitivity! = OFFICIAL") + "type Query { tenancy: String }",
    resolvers={"Query": {"tenancy": lambda *_: "T-1001"}},
)

APOLLO_DROPS_DIRECTIVE = ApolloDifference(
    reason="Apollo's composition keeps @mask(level: Sensitivity! = OFFICIAL) on FIELD in the "
    'supergraph, but @apollo/gateway\'s API schema leaves it out: Unknown directive "@mask"'
)

CASE = Case(
    name="executable-directive-defaults",
    behaviour="a composed executable directive whose argument default only one subgraph has",
    subgraphs=(benefits, housing),
    probes=(
        Probe(
            label="argument-left-out",
            query="{ claimant @mask tenancy @mask }",
            data={"claimant": "J. Bloggs", "tenancy": "T-1001"},
            apollo=APOLLO_DROPS_DIRECTIVE,
        ),
        Probe(
            label="argument-given",
            query="{ claimant @mask(level: SECRET) tenancy @mask(level: OFFICIAL) }",
            data={"claimant": "J. Bloggs", "tenancy": "T-1001"},
            apollo=APOLLO_DROPS_DIRECTIVE,
        ),
    ),
)
