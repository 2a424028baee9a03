"""The pipeline's answer: a GraphQL response body, or the request error that replaced it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mesh.federation.errors import GraphQLRequestError


@dataclass(frozen=True)
class GraphQLResponse:
    body: dict[str, Any]
    error: GraphQLRequestError | None = None  # set when the request failed as a whole
    request_id: str | None = None  # the pipeline's id for it (answered as X-Request-Id)

    @classmethod
    def failed(cls, error: GraphQLRequestError, request_id: str | None = None) -> GraphQLResponse:
        return cls(error.body(), error, request_id)

    @property
    def request_error(self) -> bool:
        return self.error is not None

    def http_status(self, graphql_response_media_type: bool = True) -> int:
        """200 once the operation executed (field errors included); else the error's own."""
        if self.error is None:
            return 200
        return self.error.http_status(graphql_response_media_type)
