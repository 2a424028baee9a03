"""Reading a subgraph's SDL the way @apollo/subgraph does, to build its executable schema.

Type-system directives only matter to composition, which reads ``_service { sdl }`` (the SDL
exactly as written). The executable schema drops them, turns orphan ``extend type`` (an
extension of a type defined elsewhere in the graph, Fed 1 style) into definitions and adds
``_Any``, ``_Service``, ``_Entity``, ``Query._service`` and ``Query._entities``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    REMOVE,
    DefinitionNode,
    DirectiveDefinitionNode,
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ListValueNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ObjectValueNode,
    OperationTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    StringValueNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    Visitor,
    parse,
    visit,
)

from mesh.federation.compose.merge_directives import EXECUTABLE_LOCATIONS

FEDERATION_SPEC_PREFIX = "https://specs.apollo.dev/federation/v"

_DEFINITION_OF: Mapping[type[TypeExtensionNode], type[TypeDefinitionNode]] = {
    ObjectTypeExtensionNode: ObjectTypeDefinitionNode,
    InterfaceTypeExtensionNode: InterfaceTypeDefinitionNode,
    UnionTypeExtensionNode: UnionTypeDefinitionNode,
    EnumTypeExtensionNode: EnumTypeDefinitionNode,
    InputObjectTypeExtensionNode: InputObjectTypeDefinitionNode,
    ScalarTypeExtensionNode: ScalarTypeDefinitionNode,
}


@dataclass(frozen=True, kw_only=True)
class FederationDialect:
    """Which federation version an SDL speaks and what it calls each federation directive."""

    version: int
    imported: Mapping[str, str]
    namespace: str = "federation"

    def called(self, directive: str) -> str:
        """The name this SDL uses for the federation directive ``directive`` (no ``@``)."""
        if self.version == 1:
            return directive
        return self.imported.get(directive, f"{self.namespace}__{directive}")


def read_dialect(document: DocumentNode) -> FederationDialect:
    """Fed 2 when the schema ``@link``s the federation spec; otherwise Fed 1 (plain names)."""
    for definition in document.definitions:
        if not isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            continue
        for directive in definition.directives or ():
            link = _federation_link(directive)
            if link is not None:
                return link
    return FederationDialect(version=1, imported={})


def _federation_link(directive: DirectiveNode) -> FederationDialect | None:
    if directive.name.value != "link":
        return None
    arguments = {argument.name.value: argument.value for argument in directive.arguments or ()}
    url = arguments.get("url")
    if not isinstance(url, StringValueNode) or not url.value.startswith(FEDERATION_SPEC_PREFIX):
        return None
    namespace_node = arguments.get("as")
    namespace = namespace_node.value if isinstance(namespace_node, StringValueNode) else None
    imported: dict[str, str] = {}
    imports = arguments.get("import")
    for item in imports.values if isinstance(imports, ListValueNode) else ():
        if isinstance(item, StringValueNode):
            imported[item.value.lstrip("@")] = item.value.lstrip("@")
        elif isinstance(item, ObjectValueNode):
            fields = {f.name.value: f.value for f in item.fields}
            name, alias = fields.get("name"), fields.get("as")
            if isinstance(name, StringValueNode):
                local = alias.value if isinstance(alias, StringValueNode) else name.value
                imported[name.value.lstrip("@")] = local.lstrip("@")
    return FederationDialect(version=2, imported=imported, namespace=namespace or "federation")


def entity_type_names(document: DocumentNode, dialect: FederationDialect) -> list[str]:
    """Object types with at least one ``@key`` (on their definition or any extension)."""
    key = dialect.called("key")
    found: list[str] = []
    for definition in document.definitions:
        if not isinstance(definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode):
            continue
        keyed = any(d.name.value == key for d in definition.directives or ())
        if keyed and definition.name.value not in found:
            found.append(definition.name.value)
    return found


def root_query_type_name(document: DocumentNode) -> str:
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            for operation in definition.operation_types or ():
                if operation.operation.value == "query":
                    return operation.type.name.value
    return "Query"


class _StripTypeSystemDirectives(Visitor):
    """Remove directive usages and type-system directive definitions: execution needs
    neither. A directive that may be used in operations (``on FIELD``) stays defined, as
    graphql-js keeps it, so the subgraph validates operations that use it."""

    def enter_directive(self, *_: object) -> object:
        return REMOVE

    def enter_directive_definition(self, node: DirectiveDefinitionNode, *_: object) -> object:
        executable = any(location.value in EXECUTABLE_LOCATIONS for location in node.locations)
        return None if executable else REMOVE


def _defines(document: DocumentNode, name: str) -> bool:
    return any(
        isinstance(d, TypeDefinitionNode) and d.name.value == name for d in document.definitions
    )


def _orphans_to_definitions(definitions: Iterable[DefinitionNode]) -> list[DefinitionNode]:
    """The first extension of a type defined nowhere in this SDL becomes its definition."""
    definitions = list(definitions)
    defined = {d.name.value for d in definitions if isinstance(d, TypeDefinitionNode)}
    result: list[DefinitionNode] = []
    for definition in definitions:
        if isinstance(definition, TypeExtensionNode) and definition.name.value not in defined:
            definition_kind = _DEFINITION_OF[type(definition)]
            keys = definition_kind.keys
            values: dict[str, Any] = {
                k: getattr(definition, k, None) for k in keys if k != "description"
            }
            result.append(definition_kind(**values, description=None))
            defined.add(definition.name.value)
        else:
            result.append(definition)
    return result


def _schema_without_directives(definitions: list[DefinitionNode]) -> list[DefinitionNode]:
    """Schema extensions that only carried ``@link`` go; root operation types stay."""
    operation_types: list[OperationTypeDefinitionNode] = []
    for definition in definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            operation_types.extend(definition.operation_types or ())
    rest = [d for d in definitions if not isinstance(d, SchemaDefinitionNode | SchemaExtensionNode)]
    if operation_types:
        rest.insert(0, SchemaDefinitionNode(operation_types=tuple(operation_types), directives=()))
    return rest


def executable_document(sdl: str) -> tuple[DocumentNode, FederationDialect]:
    """The SDL as graphql-core can build it, with the federation additions."""
    document = parse(sdl)
    dialect = read_dialect(document)
    entities = entity_type_names(document, dialect)
    query_type = root_query_type_name(document)
    stripped = visit(document, _StripTypeSystemDirectives())
    assert isinstance(stripped, DocumentNode)
    definitions = _schema_without_directives(_orphans_to_definitions(stripped.definitions))
    defined = DocumentNode(definitions=tuple(definitions))
    additions = ["scalar _Any", "type _Service { sdl: String }"]
    root_fields = ["_service: _Service!"]
    if entities:
        additions.append(f"union _Entity = {' | '.join(entities)}")
        root_fields.insert(0, "_entities(representations: [_Any!]!): [_Entity]!")
    keyword = "extend type" if _defines(defined, query_type) else "type"
    additions.append(f"{keyword} {query_type} {{ {' '.join(root_fields)} }}")
    federation = parse("\n".join(additions))
    return (
        DocumentNode(definitions=(*defined.definitions, *federation.definitions)),
        dialect,
    )


__all__ = [
    "FederationDialect",
    "entity_type_names",
    "executable_document",
    "read_dialect",
    "root_query_type_name",
]
