"""SDL text → ``model.Schema``, keeping definitions and ``extend`` blocks apart.

Definitions and extensions of one type merge into one ``NamedType``; each element remembers
which block declared it (``extension``). Nothing federation-specific happens here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from graphql import (
    ConstDirectiveNode,
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    FieldDefinitionNode,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    print_ast,
)

from mesh.federation.compose.model import (
    Directive,
    DirectiveDefinition,
    EnumValue,
    Field,
    InputValue,
    NamedType,
    Schema,
)

KIND_OF_NODE: dict[type, str] = {
    ScalarTypeDefinitionNode: "scalar",
    ScalarTypeExtensionNode: "scalar",
    ObjectTypeDefinitionNode: "object",
    ObjectTypeExtensionNode: "object",
    InterfaceTypeDefinitionNode: "interface",
    InterfaceTypeExtensionNode: "interface",
    UnionTypeDefinitionNode: "union",
    UnionTypeExtensionNode: "union",
    EnumTypeDefinitionNode: "enum",
    EnumTypeExtensionNode: "enum",
    InputObjectTypeDefinitionNode: "input",
    InputObjectTypeExtensionNode: "input",
}
EXTENSION_NODES = (
    ScalarTypeExtensionNode,
    ObjectTypeExtensionNode,
    InterfaceTypeExtensionNode,
    UnionTypeExtensionNode,
    EnumTypeExtensionNode,
    InputObjectTypeExtensionNode,
)


def directives_of(
    nodes: Iterable[ConstDirectiveNode] | None, extension: int | None
) -> list[Directive]:
    return [
        Directive(d.name.value, {a.name.value: a.value for a in d.arguments or ()}, extension)
        for d in nodes or ()
    ]


def _description(node: Any) -> str | None:
    description = getattr(node, "description", None)
    return None if description is None else str(description.value)


def input_value(node: InputValueDefinitionNode, parent: str, extension: int | None) -> InputValue:
    return InputValue(
        name=node.name.value,
        type=print_ast(node.type),
        parent=parent,
        default=node.default_value,
        description=_description(node),
        directives=directives_of(node.directives, extension),
        extension=extension,
    )


def _field(node: FieldDefinitionNode, parent: str, extension: int | None) -> Field:
    coordinate = f"{parent}.{node.name.value}"
    return Field(
        name=node.name.value,
        type=print_ast(node.type),
        parent=parent,
        args={a.name.value: input_value(a, coordinate, extension) for a in node.arguments or ()},
        description=_description(node),
        directives=directives_of(node.directives, extension),
        extension=extension,
    )


def add_type_node(schema: Schema, node: Any) -> None:
    """Fold one type definition or extension node into ``schema``."""
    name = node.name.value
    kind = KIND_OF_NODE[type(node)]
    named = schema.types.get(name)
    if named is None:
        named = schema.types[name] = NamedType(name=name, kind=kind)
    is_extension = isinstance(node, EXTENSION_NODES)
    extension: int | None = None
    if is_extension:
        extension = named.extensions
        named.extensions += 1
    else:
        named.has_definition = True
        if named.description is None:
            named.description = _description(node)
    named.directives.extend(directives_of(node.directives, extension))
    for interface in getattr(node, "interfaces", None) or ():
        if interface.name.value not in named.interfaces:
            named.interfaces.append(interface.name.value)
            named.interface_extension[interface.name.value] = extension
    if kind in ("object", "interface"):
        for field_node in node.fields or ():
            named.fields.setdefault(field_node.name.value, _field(field_node, name, extension))
    elif kind == "input":
        for field_node in node.fields or ():
            named.input_fields.setdefault(
                field_node.name.value, input_value(field_node, name, extension)
            )
    elif kind == "union":
        for member in node.types or ():
            if member.name.value not in named.members:
                named.members.append(member.name.value)
    elif kind == "enum":
        for value in node.values or ():
            named.values.setdefault(
                value.name.value,
                EnumValue(
                    name=value.name.value,
                    parent=name,
                    description=_description(value),
                    directives=directives_of(value.directives, extension),
                    extension=extension,
                ),
            )


def directive_definition(node: DirectiveDefinitionNode) -> DirectiveDefinition:
    coordinate = f"@{node.name.value}"
    return DirectiveDefinition(
        name=node.name.value,
        locations=[loc.value for loc in node.locations],
        repeatable=node.repeatable,
        args={a.name.value: input_value(a, coordinate, None) for a in node.arguments or ()},
        description=_description(node),
    )


def schema_nodes(
    document: DocumentNode,
) -> tuple[list[ConstDirectiveNode], dict[str, str], str | None]:
    """The schema-level directives, explicit root operation types and description."""
    directives: list[ConstDirectiveNode] = []
    roots: dict[str, str] = {}
    description: str | None = None
    for node in document.definitions:
        if isinstance(node, (SchemaDefinitionNode, SchemaExtensionNode)):
            directives.extend(node.directives or ())
            for op in node.operation_types or ():
                roots[op.operation.value] = op.type.name.value
            if isinstance(node, SchemaDefinitionNode) and description is None:
                description = _description(node)
    return directives, roots, description


def read_schema(
    document: DocumentNode, *, skip_types: Sequence[str] = (), skip_directives: Sequence[str] = ()
) -> Schema:
    schema = Schema()
    schema_directives, roots, description = schema_nodes(document)
    schema.schema_directives = directives_of(schema_directives, None)
    schema.description = description
    for node in document.definitions:
        if type(node) in KIND_OF_NODE:
            if node.name.value not in skip_types:  # type: ignore[attr-defined]
                add_type_node(schema, node)
        elif isinstance(node, DirectiveDefinitionNode) and node.name.value not in skip_directives:
            schema.directive_definitions[node.name.value] = directive_definition(node)
    for operation, default in (
        ("query", "Query"),
        ("mutation", "Mutation"),
        ("subscription", "Subscription"),
    ):
        if operation in roots:
            schema.roots[operation] = roots[operation]
        elif not roots and default in schema.types and schema.types[default].kind == "object":
            schema.roots[operation] = default
    return schema
