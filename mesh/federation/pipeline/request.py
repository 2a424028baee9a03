"""What a client asked, as the HTTP layer (or a test) hands it to the pipeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mesh.federation.errors import BadRequest


@dataclass(frozen=True)
class GraphQLRequest:
    """A GraphQL request before anything is checked: values are as the client sent them."""

    query: object
    variables: object = None
    operation_name: object = None
    headers: Mapping[str, str] = field(default_factory=dict)
    allow_mutations: bool = True  # False over GET (a mutation needs POST)
    extensions: object = None  # the request's ``extensions`` map (read by nothing yet)

    def checked(self) -> tuple[str, dict[str, Any] | None, str | None]:
        """(query, variables, operationName) with their JSON types checked."""
        if not isinstance(self.query, str) or not self.query.strip():
            raise BadRequest("a GraphQL query string is required")
        if self.variables is not None and not isinstance(self.variables, dict):
            raise BadRequest("variables must be a JSON object")
        if self.operation_name is not None and not isinstance(self.operation_name, str):
            raise BadRequest("operationName must be a string")
        if self.extensions is not None and not isinstance(self.extensions, dict):
            raise BadRequest("extensions must be a JSON object")
        return self.query, self.variables, self.operation_name
