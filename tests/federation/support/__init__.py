"""The kit the federation conformance corpus is built with: cases as data, graphql-core
subgraphs with federation support, a server for them, and runners (Apollo, our engine)."""

from tests.federation.support.case import (
    ANY_ERROR,
    ApolloDifference,
    Case,
    ExpectedError,
    Probe,
    ScalarCodec,
    Subgraph,
)

FED2 = '@link(url: "https://specs.apollo.dev/federation/v2.{minor}", import: [{imports}])'


def link(*directives: str, minor: int = 3) -> str:
    """``extend schema @link(...)`` importing the given federation directives (Fed 2)."""
    imports = ", ".join(f'"{d}"' for d in directives)
    return f"extend schema {FED2.format(minor=minor, imports=imports)}\n"


__all__ = [
    "ANY_ERROR",
    "ApolloDifference",
    "Case",
    "ExpectedError",
    "Probe",
    "ScalarCodec",
    "Subgraph",
    "link",
]
