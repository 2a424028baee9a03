"""A federated subgraph on graphql-core: the equivalent of @apollo/subgraph's
``buildSubgraphSchema`` (SDL + resolvers + reference resolvers → executable schema)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    ValueNode,
    build_ast_schema,
    graphql,
    value_from_ast_untyped,
)

from tests.federation.support.case import ReferenceResolver, Resolver, ScalarCodec, Subgraph
from tests.federation.support.sdl import executable_document


class SubgraphDefinitionError(ValueError):
    """A case's subgraph is inconsistent (a resolver for a field its SDL does not have...)."""


class ExecutableSubgraph:
    """One subgraph ready to answer GraphQL requests (in process, no HTTP)."""

    def __init__(self, subgraph: Subgraph) -> None:
        self.name = subgraph.name
        self.sdl = subgraph.sdl
        self.fault = subgraph.fault
        document, self.dialect = executable_document(subgraph.sdl)
        try:
            self.schema: GraphQLSchema = build_ast_schema(document)
        except (TypeError, ValueError) as error:
            raise SubgraphDefinitionError(f"subgraph {self.name}: {error}") from error
        self._references = dict(subgraph.references)
        self._attach_resolvers(subgraph.resolvers)
        self._attach_scalars(subgraph.scalars)
        self._attach_federation_roots()

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        operation_name: str | None = None,
    ) -> dict[str, Any]:
        result = await graphql(
            self.schema,
            query,
            variable_values=dict(variables) if variables is not None else None,
            operation_name=operation_name,
        )
        return dict(result.formatted)

    # --- wiring ---------------------------------------------------------------------------
    def _field(self, type_name: str, field_name: str) -> GraphQLField:
        owner = self.schema.type_map.get(type_name)
        if not isinstance(owner, GraphQLObjectType | GraphQLInterfaceType):
            raise SubgraphDefinitionError(f"subgraph {self.name}: no object type {type_name}")
        if field_name not in owner.fields:
            raise SubgraphDefinitionError(
                f"subgraph {self.name}: no field {type_name}.{field_name}"
            )
        field: GraphQLField = owner.fields[field_name]
        return field

    def _attach_resolvers(self, resolvers: Mapping[str, Mapping[str, Resolver]]) -> None:
        for type_name, fields in resolvers.items():
            for field_name, resolver in fields.items():
                self._field(type_name, field_name).resolve = _graphql_core_resolver(resolver)
        for type_name in self._references:
            if type_name not in self.schema.type_map:
                raise SubgraphDefinitionError(f"subgraph {self.name}: no type {type_name}")

    def _attach_scalars(self, scalars: Mapping[str, ScalarCodec]) -> None:
        for name, codec in scalars.items():
            scalar = self.schema.type_map.get(name)
            if not isinstance(scalar, GraphQLScalarType):
                raise SubgraphDefinitionError(f"subgraph {self.name}: no scalar {name}")
            literal = _literal_parser(codec)
            # graphql-core 3.3 reads coerce_*; older versions serialize/parse_*: set both.
            behaviour = {
                "serialize": codec.serialize,
                "coerce_output_value": codec.serialize,
                "parse_value": codec.parse,
                "coerce_input_value": codec.parse,
                "parse_literal": literal,
                "coerce_input_literal": literal,
            }
            for attribute, function in behaviour.items():
                setattr(scalar, attribute, function)

    def _attach_federation_roots(self) -> None:
        query = self.schema.query_type
        assert query is not None
        query.fields["_service"].resolve = lambda *_: {"sdl": self.sdl}
        if "_entities" in query.fields:
            query.fields["_entities"].resolve = self._resolve_entities

    def _resolve_entities(
        self, _root: object, _info: GraphQLResolveInfo[Any], representations: list[Any]
    ) -> list[Any]:
        return [self._entity_or_error(representation) for representation in representations]

    def _entity_or_error(self, representation: Any) -> Any:
        """graphql-core raises an Exception found as a list item at that item's path."""
        try:
            return self._resolve_entity(representation)
        except Exception as error:  # a case's resolver failing is an answer, not a crash
            return error

    def _resolve_entity(self, representation: Any) -> Any:
        """Apollo's semantics: the type's reference resolver, or the representation itself.

        An error here becomes an error at ``_entities.<i>`` with a null entry, as in Apollo.
        """
        if not isinstance(representation, dict) or not isinstance(
            representation.get("__typename"), str
        ):
            raise ValueError("a representation must be an object with a __typename")
        type_name = representation["__typename"]
        target = self.schema.type_map.get(type_name)
        if not isinstance(target, GraphQLObjectType | GraphQLInterfaceType):
            raise ValueError(f"{type_name} is not an entity type of subgraph {self.name}")
        resolver = self._references.get(type_name)
        found = resolver(representation) if resolver is not None else dict(representation)
        if found is None:
            return None
        if isinstance(found, dict) and "__typename" not in found:
            if isinstance(target, GraphQLInterfaceType):
                raise ValueError(f"the reference resolver for {type_name} gave no __typename")
            return {**found, "__typename": type_name}
        return found


def _graphql_core_resolver(resolver: Resolver) -> Any:
    def resolve(parent: Any, _info: GraphQLResolveInfo[Any], **arguments: Any) -> Any:
        return resolver(parent, arguments)

    return resolve


def _literal_parser(codec: ScalarCodec) -> Any:
    def parse_literal(node: ValueNode, variables: dict[str, Any] | None = None) -> Any:
        return codec.parse(value_from_ast_untyped(node, variables))

    return parse_literal


__all__ = ["ExecutableSubgraph", "ReferenceResolver", "SubgraphDefinitionError"]
