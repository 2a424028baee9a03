"""One error hierarchy for the request pipeline: each error carries its GraphQL error code and
the HTTP status it maps to, so the HTTP layer never re-derives a status from codes.

Statuses follow the GraphQL-over-HTTP spec: under ``application/graphql-response+json`` a
request that never executes is a 4xx; under legacy ``application/json`` the same errors are
traditionally answered with 200 (``status_legacy``), except for malformed HTTP requests.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from graphql import GraphQLError


class GraphQLRequestError(Exception):
    """A request that cannot be answered as asked (the whole request, not one field)."""

    default_code: ClassVar[str] = "INTERNAL_SERVER_ERROR"
    status: ClassVar[int] = 500
    status_legacy: ClassVar[int | None] = None  # None: the same as ``status``
    keeps_data_key: ClassVar[bool] = False  # answer ``"data": null`` (the request executed)

    def __init__(
        self, message: str, *, code: str | None = None, extensions: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code  # a subclass's family of codes (TOKEN_EXPIRED...)
        self.extensions = dict(extensions or {})

    def http_status(self, graphql_response_media_type: bool) -> int:
        if graphql_response_media_type or self.status_legacy is None:
            return self.status
        return self.status_legacy

    def errors(self) -> list[dict[str, Any]]:
        """The response's ``errors`` entries."""
        return [{"message": self.message, "extensions": {**self.extensions, "code": self.code}}]

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"errors": self.errors()}
        if self.keeps_data_key:
            body["data"] = None
        return body


class NotExecuted(GraphQLRequestError):
    """The operation never ran: 400, or 200 under legacy ``application/json``."""

    status = 400
    status_legacy = 200


class ServiceUnavailable(GraphQLRequestError):
    """Something the answer depends on is down (e.g. an audit log that must record it first)."""

    default_code = "SERVICE_UNAVAILABLE"
    status = 503
    keeps_data_key = True


class BadRequest(GraphQLRequestError):
    """The HTTP request is not a GraphQL request (no query, variables not an object...)."""

    default_code = "BAD_REQUEST"
    status = 400


class MethodNotAllowed(GraphQLRequestError):
    """A mutation over GET."""

    default_code = "METHOD_NOT_ALLOWED"
    status = 405


class NotAcceptable(GraphQLRequestError):
    default_code = "NOT_ACCEPTABLE"
    status = 406


class PayloadTooLarge(GraphQLRequestError):
    default_code = "PAYLOAD_TOO_LARGE"
    status = 413


class UnsupportedMediaType(GraphQLRequestError):
    default_code = "UNSUPPORTED_MEDIA_TYPE"
    status = 415


class Unauthenticated(GraphQLRequestError):
    """No credentials where they are needed, or credentials that do not verify."""

    default_code = "UNAUTHENTICATED"
    status = 401


class QueryTooLarge(NotExecuted):
    default_code = "QUERY_TOO_LARGE"


class QueryTooComplex(NotExecuted):
    """An operation whose validation alone would cost too much (too many selections in one
    selection set, too many fields to compare for merging, fragments that multiply)."""

    default_code = "QUERY_TOO_COMPLEX"


class ParseFailed(NotExecuted):
    default_code = "GRAPHQL_PARSE_FAILED"

    def __init__(self, error: GraphQLError) -> None:
        super().__init__(error.message)
        self.error = error

    def errors(self) -> list[dict[str, Any]]:
        return _with_code([self.error], self.code)


class ValidationFailed(NotExecuted):
    """Validation errors (each keeps its own code when a rule gave one, e.g. QUERY_TOO_DEEP)."""

    default_code = "GRAPHQL_VALIDATION_FAILED"

    def __init__(self, errors: Sequence[GraphQLError]) -> None:
        super().__init__(errors[0].message if errors else "invalid operation")
        self.validation_errors = tuple(errors)

    def errors(self) -> list[dict[str, Any]]:
        return _with_code(self.validation_errors, self.code)


class OperationResolutionFailure(NotExecuted):
    default_code = "OPERATION_RESOLUTION_FAILURE"


class BadUserInput(ValidationFailed):
    """Variables that do not coerce to their declared types."""

    default_code = "BAD_USER_INPUT"


class QueryPlanningFailed(NotExecuted):
    """No plan reaches what the operation asks for (carries the unreachable path if known)."""

    default_code = "QUERY_PLANNING_FAILED"


def _with_code(errors: Sequence[GraphQLError], code: str) -> list[dict[str, Any]]:
    formatted: list[dict[str, Any]] = []
    for error in errors:
        entry: dict[str, Any] = dict(error.formatted)
        extensions: dict[str, Any] = {**(error.extensions or {})}
        extensions.setdefault("code", code)
        entry["extensions"] = extensions
        formatted.append(entry)
    return formatted
