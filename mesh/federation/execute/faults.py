"""Why a subgraph could not answer: one exception class per fault, the code on the class."""

from __future__ import annotations

from typing import ClassVar


class SubgraphFault(Exception):
    """A subgraph could not answer. ``code`` goes into the client error's extensions."""

    code: ClassVar[str] = "SUBGRAPH_ERROR"

    def __init__(self, subgraph: str, detail: str) -> None:
        super().__init__(f"subgraph {subgraph}: {detail}")
        self.subgraph = subgraph
        self.detail = detail


class SubgraphUnavailable(SubgraphFault):
    """No connection (refused, reset, DNS) or no address configured."""

    code = "SUBGRAPH_UNAVAILABLE"


class SubgraphTimeout(SubgraphFault):
    """No complete answer within the subgraph's timeout."""

    code = "SUBGRAPH_TIMEOUT"


class SubgraphBadResponse(SubgraphFault):
    """An answer that is not a GraphQL response (not JSON, no data/errors, a 5xx without data)."""

    code = "SUBGRAPH_ERROR"
