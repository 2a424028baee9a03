"""Print the client-facing contract: no federation machinery, no @inaccessible elements.

Composed directives (``@sensitive``) stay, so the gateway's sharing rules and anyone reading
the contract see which category every personal field belongs to.
"""

from __future__ import annotations

from typing import Any, cast

from graphql import (
    ConstDirectiveNode,
    EnumTypeDefinitionNode,
    EnumValueDefinitionNode,
    FieldDefinitionNode,
    InputObjectTypeDefinitionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    NamedTypeNode,
    NameNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    TypeDefinitionNode,
    UnionTypeDefinitionNode,
    print_ast,
)

from mesh.compose.model import TypeDef

_KEPT_DIRECTIVES = {"deprecated", "specifiedBy", "oneOf"}
_BUILT_IN_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}


def _kept(directives: Any, composed: set[str]) -> tuple[ConstDirectiveNode, ...]:
    """Directives a client may see (schema directives are constant in SDL)."""
    return tuple(
        cast(ConstDirectiveNode, d)
        for d in directives or ()
        if d.name.value in _KEPT_DIRECTIVES | composed
    )


def _reachable(types: dict[str, TypeDef], roots: dict[str, str]) -> set[str]:
    seen: set[str] = set()
    stack = list(roots.values())
    while stack:
        name = stack.pop()
        type_def = types.get(name)
        if name in seen or type_def is None or type_def.inaccessible:
            continue
        seen.add(name)
        for field_def in type_def.fields.values():
            if field_def.inaccessible:
                continue
            stack.append(field_def.named_type)
            node = field_def.definition
            for arg in getattr(node, "arguments", None) or ():
                stack.append(_named(arg.type))
        for node in type_def.value_nodes.values():
            if isinstance(node, InputValueDefinitionNode):
                stack.append(_named(node.type))
        stack.extend(type_def.members)
        stack.extend(type_def.interfaces)
        if type_def.kind == "interface":
            stack.extend(t.name for t in types.values() if name in t.interfaces)
    return seen


def _named(node: object) -> str:
    while not isinstance(node, NamedTypeNode):
        node = node.type  # type: ignore[attr-defined]
    return node.name.value


def _type_node(type_def: TypeDef, composed: set[str], visible: set[str]) -> TypeDefinitionNode:
    name = NameNode(value=type_def.name)
    description = type_def.description
    if type_def.kind in ("object", "interface"):
        fields = []
        for field_def in type_def.fields.values():
            if field_def.inaccessible or field_def.named_type not in visible | _BUILT_IN_SCALARS:
                continue
            source = field_def.definition
            assert isinstance(source, FieldDefinitionNode)
            arguments = tuple(
                InputValueDefinitionNode(
                    name=a.name,
                    type=a.type,
                    default_value=a.default_value,
                    description=a.description,
                    directives=_kept(a.directives, composed),
                )
                for a in source.arguments or ()
                if not any(d.name.value.endswith("inaccessible") for d in a.directives or ())
            )
            field_type = field_def.type
            if isinstance(field_type, NonNullTypeNode) and any(
                d.name.value == "sensitive" for d in field_def.client_directives
            ):
                # Any personal field may be withheld by the sharing rules: it answers null
                # with an error, so the contract makes it nullable for every role alike.
                field_type = field_type.type
            fields.append(
                FieldDefinitionNode(
                    name=source.name,
                    type=field_type,
                    arguments=arguments,
                    description=source.description,
                    directives=_kept(field_def.client_directives, composed),
                )
            )
        interfaces = tuple(
            NamedTypeNode(name=NameNode(value=i)) for i in type_def.interfaces if i in visible
        )
        cls = ObjectTypeDefinitionNode if type_def.kind == "object" else InterfaceTypeDefinitionNode
        return cls(
            name=name,
            description=description,
            fields=tuple(fields),
            interfaces=interfaces,
            directives=(),
        )
    if type_def.kind == "union":
        return UnionTypeDefinitionNode(
            name=name,
            description=description,
            directives=(),
            types=tuple(
                NamedTypeNode(name=NameNode(value=m)) for m in type_def.members if m in visible
            ),
        )
    if type_def.kind == "enum":
        values = tuple(
            EnumValueDefinitionNode(
                name=cast(EnumValueDefinitionNode, v).name,
                description=getattr(v, "description", None),
                directives=_kept(getattr(v, "directives", None), composed),
            )
            for v in type_def.value_nodes.values()
            if not any(
                d.name.value.endswith("inaccessible") for d in getattr(v, "directives", None) or ()
            )
        )
        return EnumTypeDefinitionNode(
            name=name, description=description, values=values, directives=()
        )
    if type_def.kind == "input":
        inputs = tuple(
            InputValueDefinitionNode(
                name=v.name,
                type=v.type,
                default_value=v.default_value,
                description=v.description,
                directives=(),
            )
            for v in type_def.value_nodes.values()
            if isinstance(v, InputValueDefinitionNode)
        )
        return InputObjectTypeDefinitionNode(
            name=name, description=description, fields=inputs, directives=()
        )
    return ScalarTypeDefinitionNode(name=name, description=description, directives=())


def print_client_sdl(
    types: dict[str, TypeDef], directive_definitions: dict[str, str], roots: dict[str, str]
) -> str:
    visible = _reachable(types, roots)
    composed = set(directive_definitions)
    parts = [directive_definitions[name] for name in sorted(directive_definitions)]
    for name in sorted(visible):
        if name in _BUILT_IN_SCALARS:
            continue
        parts.append(print_ast(_type_node(types[name], composed, visible)))
    return "\n\n".join(parts) + "\n"
