"""The client contract: the engine's API schema, with every field that governance may withhold
made nullable — a withheld field answers null with an error, for every caller alike, so the
schema never changes per role and a null never propagates past the field (Hasura's lesson).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from graphql import (
    DefinitionNode,
    DocumentNode,
    FieldDefinitionNode,
    GraphQLSchema,
    InterfaceTypeDefinitionNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    build_ast_schema,
    is_specified_directive,
    print_ast,
)

HEADER = (
    "# The Civic Mesh client contract, composed from every subgraph by `mesh schema write`.\n"
    "# Do not edit by hand: change a subgraph, re-run the command and review the diff.\n\n"
)
PUBLIC = "public"  # only fields carrying this directive are never withheld


def _withholdable(field: FieldDefinitionNode) -> bool:
    """Any field but a ``@public`` one may be withheld: ``@sensitive`` ones by the agreements,
    unclassified ones always."""
    return not any(d.name.value == PUBLIC for d in field.directives or ())


def _nullable(field: FieldDefinitionNode) -> FieldDefinitionNode:
    if isinstance(field.type, NonNullTypeNode) and _withholdable(field):
        return dataclasses.replace(field, type=field.type.type)
    return field


def _definitions(api_schema: GraphQLSchema) -> list[DefinitionNode]:
    """The API schema as definitions, from the AST it was built from (directive applications
    such as ``@sensitive(category:)`` included, which printing a schema would drop)."""
    found: list[DefinitionNode] = []
    for directive in sorted(api_schema.directives, key=lambda d: d.name):
        if not is_specified_directive(directive) and directive.ast_node is not None:
            found.append(directive.ast_node)
    for name in sorted(api_schema.type_map):
        named: Any = api_schema.type_map[name]
        if name.startswith("__") or named.ast_node is None:
            continue
        found.append(named.ast_node)
        found.extend(named.extension_ast_nodes or ())
    return found


def contract_document(api_schema: GraphQLSchema) -> DocumentNode:
    definitions: list[DefinitionNode] = []
    for node in _definitions(api_schema):
        if isinstance(node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            node = dataclasses.replace(node, fields=tuple(map(_nullable, node.fields or ())))
        definitions.append(node)
    return DocumentNode(definitions=tuple(definitions))


def contract_sdl(api_schema: GraphQLSchema) -> str:
    return HEADER + print_ast(contract_document(api_schema)) + "\n"


def contract_schema(api_schema: GraphQLSchema) -> GraphQLSchema:
    return build_ast_schema(contract_document(api_schema))
