"""Shape fetched data into the client's response.

The merged subgraph data is completed against the API schema reading each field by its
response key (:mod:`mesh.federation.execute.shape`), so aliases, fragments, ``__typename``,
abstract types, error paths and null propagation follow the GraphQL spec; operations that
introspect go through graphql-core's executor, whose schema resolvers answer them.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

from cachetools import LRUCache
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

from mesh.federation.execute.default_values import introspection_defaults
from mesh.federation.execute.executor import ExecutionOutcome
from mesh.federation.execute.shape import (
    FieldReader,
    complete_answer,
    read_by_response_key,
    typename_of,
)

_NULL_PROPAGATION = "Cannot return null for non-nullable field"
_STAND_IN = "_Implementation_"  # prefix of the object types standing in for orphan interfaces


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


# Keyed by identity: a document's own hash walks its whole tree. The document is kept with
# its answer, so its id cannot be reused while the entry lives.
_introspecting: LRUCache[int, tuple[DocumentNode, bool]] = LRUCache(1024)


def _introspects(document: DocumentNode) -> bool:
    """Whether the document asks for ``__schema`` or ``__type`` (remembered per document:
    parsed documents are cached and shaped again and again)."""
    known = _introspecting.get(id(document))
    if known is not None and known[0] is document:
        return known[1]
    visitor = _Introspects()
    visit(document, visitor)
    _introspecting[id(document)] = (document, visitor.found)
    return visitor.found


def _as_resolver(reader: FieldReader) -> GraphQLFieldResolver:
    def resolve(source: Any, info: GraphQLResolveInfo[Any], **_: Any) -> Any:
        return reader(source, info.parent_type.name, info.field_name, str(info.path.key))

    return resolve


def _type_of(
    value: Any, info: GraphQLResolveInfo[Any], abstract: GraphQLAbstractType
) -> str | None:
    return typename_of(value, info.schema, abstract)


def shape_response(
    api_schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    outcome: ExecutionOutcome,
    field_reader: FieldReader | None = None,
) -> dict[str, Any]:
    """The client's response; ``field_reader`` (e.g. a governance guard) replaces the plain
    read-by-response-key when given. Operations that introspect are answered by graphql-core's
    executor (the schema's own resolvers), the rest by the lean walk."""
    reader = field_reader or read_by_response_key
    if _introspects(document):
        result = execute_sync(
            api_schema,  # introspection must not see the stand-ins
            document,
            root_value=outcome.data,
            variable_values=dict(variables or {}),
            operation_name=operation_name,
            field_resolver=_as_resolver(reader),
            type_resolver=_type_of,
            middleware=[introspection_defaults],
        )
        data, located = result.data, result.errors or []
    else:
        answer = complete_answer(
            _shaping_schema(api_schema),
            document,
            operation_name,
            variables or {},
            outcome.data,
            reader,
        )
        data, located = answer.data, answer.errors
    errors = list(outcome.errors)
    for error in located:
        if errors and error.message.startswith(_NULL_PROPAGATION):
            continue  # a subgraph's own error already explains this null
        errors.append(dict(error.formatted))
    body: dict[str, Any] = {}
    if errors:
        body["errors"] = errors
    body["data"] = data
    return body
