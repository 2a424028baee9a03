"""One error hierarchy for the request pipeline: each error carries its GraphQL error code and
the HTTP status it maps to, so the HTTP layer never re-derives a status from codes."""

from __future__ import annotations

from typing import Any, ClassVar


class GraphQLRequestError(Exception):
    """A request that cannot be answered as asked.

    ``code`` goes into ``extensions.code``; ``status`` is the HTTP status under
    ``application/graphql-response+json`` (the GraphQL-over-HTTP spec). ``status_legacy`` is the
    status under plain ``application/json``, where request errors are traditionally 200.
    """

    code: ClassVar[str] = "INTERNAL_SERVER_ERROR"
    status: ClassVar[int] = 500
    status_legacy: ClassVar[int | None] = None  # None: same as ``status``

    def __init__(self, message: str, *, extensions: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = dict(extensions or {})

    def http_status(self, graphql_response_media_type: bool) -> int:
        if graphql_response_media_type or self.status_legacy is None:
            return self.status
        return self.status_legacy

    def formatted(self) -> dict[str, Any]:
        return {"message": self.message, "extensions": {**self.extensions, "code": self.code}}


class BadRequest(GraphQLRequestError):
    """The HTTP request is not a GraphQL request (no query, variables not an object...)."""

    code = "BAD_REQUEST"
    status = 400


class RequestNotExecuted(GraphQLRequestError):
    """Parse, validation or variable errors: the operation never ran (400, or 200 legacy)."""

    code = "GRAPHQL_VALIDATION_FAILED"
    status = 400
    status_legacy = 200
