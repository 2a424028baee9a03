"""Shape fetched data into the client's response with graphql-core's own executor.

The merged subgraph data is executed against the API schema with a resolver that reads each
field by its response key, so aliases, fragments, ``__typename``, abstract types, error paths
and null propagation follow the GraphQL spec exactly, and introspection just works.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLAbstractType,
    GraphQLField,
    GraphQLFieldResolver,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    execute_sync,
    visit,
)
from graphql.language import Visitor

from mesh.federation.execute.executor import ExecutionOutcome

_NULL_PROPAGATION = "Cannot return null for non-nullable field"
_STAND_IN = "_Implementation_"  # prefix of the object types standing in for orphan interfaces


def _by_response_key(source: Any, info: GraphQLResolveInfo[Any], **_: Any) -> Any:
    if isinstance(source, Mapping):
        return source.get(info.path.key)
    return None


def _type_of(
    value: Any, info: GraphQLResolveInfo[Any], abstract: GraphQLAbstractType
) -> str | None:
    """The object's ``__typename``. Objects an ``@interfaceObject`` subgraph returned carry
    the interface's name (or none): when the operation needs no more than the interface's
    fields here, the plan does not ask for the real type and any implementation shapes them
    alike (an interface no type implements gets a stand-in)."""
    if not isinstance(value, Mapping):
        return None
    typename = value.get("__typename")
    possible = info.schema.get_possible_types(abstract)
    if isinstance(typename, str) and any(t.name == typename for t in possible):
        return typename
    return possible[0].name if possible else None


_shaping_schemas: weakref.WeakKeyDictionary[GraphQLSchema, GraphQLSchema] = (
    weakref.WeakKeyDictionary()
)


def _shaping_schema(api_schema: GraphQLSchema) -> GraphQLSchema:
    """The API schema plus a stand-in object type for each interface nothing implements
    (an @interfaceObject's interface whose implementations no subgraph declares), so data
    under it can still be shaped. The API schema itself when there is none (the usual case)."""
    known = _shaping_schemas.get(api_schema)
    if known is not None:
        return known
    orphans = [
        t
        for t in api_schema.type_map.values()
        if isinstance(t, GraphQLInterfaceType)
        and not t.name.startswith("__")
        and not api_schema.get_possible_types(t)
    ]
    schema = api_schema
    if orphans:
        stand_ins = [
            GraphQLObjectType(
                _STAND_IN + t.name,
                fields={n: GraphQLField(f.type, args=f.args) for n, f in t.fields.items()},
                interfaces=[t],
            )
            for t in orphans
        ]
        schema = GraphQLSchema(
            query=api_schema.query_type,
            mutation=api_schema.mutation_type,
            subscription=api_schema.subscription_type,
            types=[*api_schema.type_map.values(), *stand_ins],
            directives=api_schema.directives,
        )
    _shaping_schemas[api_schema] = schema
    return schema


class _Introspects(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_field(self, node: FieldNode, *_: object) -> None:
        if node.name.value in ("__schema", "__type"):
            self.found = True


def _introspects(document: DocumentNode) -> bool:
    visitor = _Introspects()
    visit(document, visitor)
    return visitor.found


def shape_response(
    api_schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    outcome: ExecutionOutcome,
    field_resolver: GraphQLFieldResolver | None = None,
) -> dict[str, Any]:
    """The client's response; ``field_resolver`` (e.g. a governance guard) replaces the plain
    read-by-response-key resolver when given."""
    schema = _shaping_schema(api_schema)
    if schema is not api_schema and _introspects(document):
        schema = api_schema  # introspection must not see the stand-ins
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
            continue  # a subgraph's own error already explains this null
        errors.append(dict(error.formatted))
    body: dict[str, Any] = {}
    if errors:
        body["errors"] = errors
    body["data"] = result.data
    return body
