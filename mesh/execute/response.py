"""Shape fetched data into the client's response with graphql-core's own executor.

The merged subgraph data is executed against the client schema with a resolver that reads
each field by its response key, so aliases, fragments, ``__typename``, abstract types, error
paths and null propagation follow the GraphQL spec exactly, and introspection just works.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLAbstractType,
    GraphQLFieldResolver,
    GraphQLResolveInfo,
    GraphQLSchema,
    execute_sync,
)

from mesh.execute.executor import ExecutionOutcome

_NULL_PROPAGATION = "Cannot return null for non-nullable field"


def _by_response_key(source: Any, info: GraphQLResolveInfo[Any], **_: Any) -> Any:
    if isinstance(source, Mapping):
        return source.get(info.path.key)
    return None


def _type_of(
    value: Any, _info: GraphQLResolveInfo[Any], _abstract: GraphQLAbstractType
) -> str | None:
    if isinstance(value, Mapping):
        typename = value.get("__typename")
        return typename if isinstance(typename, str) else None
    return None


def shape_response(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    outcome: ExecutionOutcome,
    field_resolver: GraphQLFieldResolver | None = None,
) -> dict[str, Any]:
    """The client's response; ``field_resolver`` (the governance guard) replaces the plain
    read-by-response-key resolver when given."""
    result = execute_sync(
        schema,
        document,
        root_value=outcome.data,
        variable_values=dict(variables or {}),
        operation_name=operation_name,
        field_resolver=field_resolver or _by_response_key,
        type_resolver=_type_of,
    )
    errors = list(outcome.errors)
    for error in result.errors or ():
        if errors and error.message.startswith(_NULL_PROPAGATION):
            continue  # the subgraph's own error already explains this null
        errors.append(dict(error.formatted))
    body: dict[str, Any] = {}
    if errors:
        body["errors"] = errors
    body["data"] = result.data
    return body
