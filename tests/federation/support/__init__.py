"""The kit the federation conformance corpus is built with: cases as data, graphql-core
subgraphs with federation support, a server for them, and runners (Apollo, our engine)."""

import jwt

from tests.federation.support.case import (
    ANY_ERROR,
    ApolloDifference,
    Case,
    ExpectedError,
    HttpFault,
    Probe,
    ScalarCodec,
    Subgraph,
)

CORPUS_JWT_SECRET = "civic-mesh-corpus-signing-secret"
"""The HS256 secret every gateway under test verifies bearer tokens with (the corpus's own
identity provider, for the access directives)."""

FED2 = '@link(url: "https://specs.apollo.dev/federation/v2.{minor}", import: [{imports}])'


def link(*directives: str, minor: int = 3) -> str:
    """``extend schema @link(...)`` importing the given federation directives (Fed 2)."""
    imports = ", ".join(f'"{d}"' for d in directives)
    return f"extend schema {FED2.format(minor=minor, imports=imports)}\n"


def bearer(*scopes: str, secret: str = CORPUS_JWT_SECRET) -> dict[str, str]:
    """An ``Authorization`` header with a token carrying these scopes (OAuth ``scope``)."""
    token = jwt.encode({"sub": "corpus-caller", "scope": " ".join(scopes)}, secret, "HS256")
    return {"Authorization": f"Bearer {token}"}


__all__ = [
    "ANY_ERROR",
    "CORPUS_JWT_SECRET",
    "ApolloDifference",
    "Case",
    "ExpectedError",
    "HttpFault",
    "Probe",
    "ScalarCodec",
    "Subgraph",
    "bearer",
    "link",
]
