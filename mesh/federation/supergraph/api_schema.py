"""The client's API schema: the supergraph without federation machinery or inaccessible parts.

Join, link and other spec directives and types go; ``@inaccessible`` types, fields, arguments,
enum values and input fields go, with every field whose type went; composed custom directives
(``@sensitive``) and executable directives stay, so clients can use and see them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, TypeVar

from graphql import (
    DefinitionNode,
    DirectiveDefinitionNode,
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    FieldDefinitionNode,
    GraphQLDeferDirective,
    GraphQLError,
    GraphQLSchema,
    GraphQLStreamDirective,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    TypeNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    build_ast_schema,
)

from mesh.federation.supergraph.errors import SupergraphError
from mesh.federation.supergraph.links import INACCESSIBLE_SPEC, LinkedFeatures


def _named(type_node: TypeNode) -> str:
    while isinstance(type_node, ListTypeNode | NonNullTypeNode):
        type_node = type_node.type
    assert isinstance(type_node, NamedTypeNode)
    return type_node.name.value


class _Pruner:
    def __init__(self, document: DocumentNode, links: LinkedFeatures) -> None:
        self.links = links
        feature = links.get(INACCESSIBLE_SPEC)
        self.inaccessible = feature.directive("inaccessible") if feature else None
        self.link_names = {f.namespace for f in links.features if f.name in ("link", "core")}
        self.removed_types: set[str] = set()
        for definition in document.definitions:
            if isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
                name = definition.name.value
                if links.machinery_type(name) or self.hidden(definition.directives):
                    self.removed_types.add(name)

    def hidden(self, directives: Sequence[DirectiveNode] | None) -> bool:
        return self.inaccessible is not None and any(
            d.name.value == self.inaccessible for d in directives or ()
        )

    def machinery(self, name: str) -> bool:
        return name in self.link_names or self.links.machinery_directive(name) is not None

    def directives(self, directives: Sequence[DirectiveNode] | None) -> tuple[DirectiveNode, ...]:
        return tuple(d for d in directives or () if not self.machinery(d.name.value))

    def arguments(
        self, values: Sequence[InputValueDefinitionNode] | None
    ) -> tuple[InputValueDefinitionNode, ...]:
        kept: list[InputValueDefinitionNode] = []
        for value in values or ():
            if self.hidden(value.directives) or _named(value.type) in self.removed_types:
                continue
            kept.append(_with(value, directives=self.directives(value.directives)))
        return tuple(kept)

    def fields(
        self, fields: Sequence[FieldDefinitionNode] | None
    ) -> tuple[FieldDefinitionNode, ...]:
        kept: list[FieldDefinitionNode] = []
        for field in fields or ():
            if self.hidden(field.directives) or _named(field.type) in self.removed_types:
                continue
            kept.append(
                _with(
                    field,
                    directives=self.directives(field.directives),
                    arguments=self.arguments(field.arguments),
                )
            )
        return tuple(kept)

    def definition(self, node: DefinitionNode) -> DefinitionNode | None:
        if isinstance(node, SchemaDefinitionNode | SchemaExtensionNode):
            return _with(node, directives=self.directives(node.directives))
        if isinstance(node, DirectiveDefinitionNode):
            if self.machinery(node.name.value):
                return None
            return _with(node, arguments=self.arguments(node.arguments))
        if not isinstance(node, TypeDefinitionNode | TypeExtensionNode):
            return node
        if node.name.value in self.removed_types:
            return None
        changes: dict[str, Any] = {"directives": self.directives(node.directives)}
        if isinstance(
            node,
            ObjectTypeDefinitionNode
            | ObjectTypeExtensionNode
            | InterfaceTypeDefinitionNode
            | InterfaceTypeExtensionNode,
        ):
            changes["fields"] = self.fields(node.fields)
            changes["interfaces"] = tuple(
                i for i in node.interfaces or () if i.name.value not in self.removed_types
            )
        elif isinstance(node, UnionTypeDefinitionNode | UnionTypeExtensionNode):
            changes["types"] = tuple(
                t for t in node.types or () if t.name.value not in self.removed_types
            )
        elif isinstance(node, EnumTypeDefinitionNode | EnumTypeExtensionNode):
            changes["values"] = tuple(
                _with(v, directives=self.directives(v.directives))
                for v in node.values or ()
                if not self.hidden(v.directives)
            )
        elif isinstance(node, InputObjectTypeDefinitionNode | InputObjectTypeExtensionNode):
            changes["fields"] = self.arguments(node.fields)
        return _with(node, **changes)


NodeT = TypeVar("NodeT")


def _with(node: NodeT, **changes: Any) -> NodeT:
    return dataclasses.replace(node, **changes)  # type: ignore[type-var]


def build_api_schema(document: DocumentNode, links: LinkedFeatures) -> GraphQLSchema:
    pruner = _Pruner(document, links)
    definitions = [kept for d in document.definitions if (kept := pruner.definition(d)) is not None]
    try:
        schema = build_ast_schema(DocumentNode(definitions=tuple(definitions)))
    except (GraphQLError, TypeError) as exc:
        raise SupergraphError(f"the client API schema cannot be built: {exc}") from None
    if schema.query_type is None:
        raise SupergraphError("the client API schema has no query type")
    return _with_incremental_delivery(schema)


def _with_incremental_delivery(schema: GraphQLSchema) -> GraphQLSchema:
    """``@defer`` and ``@stream`` are accepted (as Apollo Router's API schema does); the
    gateway answers them in one response, which the incremental delivery proposal allows
    ("a server may ignore @defer"). They carry no SDL of their own, so printed contracts
    do not change."""
    known = {d.name for d in schema.directives}
    added = [d for d in (GraphQLDeferDirective, GraphQLStreamDirective) if d.name not in known]
    if not added:
        return schema
    return GraphQLSchema(
        query=schema.query_type,
        mutation=schema.mutation_type,
        subscription=schema.subscription_type,
        types=[t for n, t in schema.type_map.items() if not n.startswith("__")],
        directives=[*schema.directives, *added],
        description=schema.description,
        ast_node=schema.ast_node,
    )
