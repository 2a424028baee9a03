"""The contract as a Federation supergraph SDL says it: which fields clients can select, how
each is classified (``@sensitive``, ``@public``) and which subgraphs resolve it — so that
``mesh policy check`` can judge the supergraph a deployment actually runs, not only the one in
the repository.

Reads the standard join spec (``join__Graph`` values with ``@join__graph(name:)``, types with
``@join__type(graph:)``, fields with ``@join__field(graph:)``; a field without ``@join__field``
is resolved by every graph of its type), as Apollo composition and other composers write it.
``@inaccessible`` fields and types are left out, as clients cannot select them.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    BooleanValueNode,
    ConstDirectiveNode,
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumValueNode,
    FieldDefinitionNode,
    GraphQLError,
    NamedTypeNode,
    NameNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    StringValueNode,
    TypeNode,
    parse,
    print_ast,
)

CLASSIFYING = ("sensitive", "public")
BUILT_IN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})


class SupergraphUnreadable(ValueError):
    """Not a Federation supergraph SDL this reader understands."""


@dataclass(frozen=True)
class SupergraphContract:
    contract_sdl: str  # client-selectable object types, with only @sensitive / @public kept
    field_agencies: dict[str, tuple[str, ...]]  # coordinate -> subgraph names resolving it
    subgraphs: tuple[str, ...]


def _argument(directive: ConstDirectiveNode, name: str) -> object:
    for argument in directive.arguments or ():
        if argument.name.value == name:
            value = argument.value
            if isinstance(value, StringValueNode | EnumValueNode):
                return value.value
            if isinstance(value, BooleanValueNode):
                return value.value
    return None


def _named(
    directives: tuple[ConstDirectiveNode, ...] | None, name: str
) -> list[ConstDirectiveNode]:
    return [d for d in directives or () if d.name.value == name]


def _graphs(document: DocumentNode) -> dict[str, str]:
    for definition in document.definitions:
        if isinstance(definition, EnumTypeDefinitionNode) and definition.name.value == (
            "join__Graph"
        ):
            found = {}
            for value in definition.values or ():
                joined = _named(value.directives, "join__graph")
                name = _argument(joined[0], "name") if joined else None
                found[value.name.value] = str(name or value.name.value.lower())
            return found
    raise SupergraphUnreadable("no join__Graph enum: not a Federation supergraph SDL")


def read_supergraph(text: str) -> SupergraphContract:
    """The client contract and field owners of a Federation supergraph SDL."""
    try:
        document = parse(text)
    except GraphQLError as error:
        raise SupergraphUnreadable(f"the supergraph does not parse: {error.message}") from None
    graphs = _graphs(document)
    types: dict[str, list[FieldDefinitionNode]] = {}
    agencies: dict[str, tuple[str, ...]] = {}
    directive_definitions = []
    for definition in document.definitions:
        if isinstance(definition, DirectiveDefinitionNode):
            if definition.name.value in CLASSIFYING:
                directive_definitions.append(definition)
            continue
        if not isinstance(definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode):
            continue
        name = definition.name.value
        if name.startswith(("join__", "link__")) or _named(definition.directives, "inaccessible"):
            continue
        type_graphs = [
            graphs.get(str(_argument(d, "graph")), "")
            for d in _named(definition.directives, "join__type")
        ]
        for node in definition.fields or ():
            if _named(node.directives, "inaccessible"):
                continue
            joined = [
                d for d in _named(node.directives, "join__field") if not _argument(d, "external")
            ]
            owners = [graphs.get(str(_argument(d, "graph")), "") for d in joined] or type_graphs
            agencies[f"{name}.{node.name.value}"] = tuple(dict.fromkeys(o for o in owners if o))
            kept = tuple(d for d in node.directives or () if d.name.value in CLASSIFYING)
            types.setdefault(name, []).append(
                FieldDefinitionNode(
                    name=node.name,
                    type=node.type,
                    arguments=node.arguments,
                    description=node.description,
                    directives=kept,
                )
            )
    return SupergraphContract(
        _contract_sdl(directive_definitions, types), agencies, tuple(graphs.values())
    )


def _named_type(node: TypeNode) -> str:
    while not isinstance(node, NamedTypeNode):
        node = node.type  # type: ignore[attr-defined]
    return node.name.value


def _contract_sdl(
    directives: list[DirectiveDefinitionNode], types: dict[str, list[FieldDefinitionNode]]
) -> str:
    """Object types reachable from the roots (what a client can select), printed as SDL; any
    other named type they use (scalars, enums, abstract types) is declared a scalar, which is
    all the policy check needs of it."""
    reached: set[str] = set()
    queue: list[str] = [r for r in ("Query", "Mutation") if r in types]
    while queue:
        name = queue.pop()
        if name not in reached:
            reached.add(name)
            queue.extend(t for f in types[name] if (t := _named_type(f.type)) in types)
    used = {_named_type(f.type) for name in reached for f in types[name]}
    used |= {
        _named_type(argument.type)
        for name in reached
        for f in types[name]
        for argument in f.arguments or ()
    }
    leaves = {t for t in used if t not in types} - BUILT_IN_SCALARS
    printed = [print_ast(d) for d in directives]
    printed += [f"scalar {name}" for name in sorted(leaves)]
    printed += [
        print_ast(ObjectTypeDefinitionNode(name=NameNode(value=name), fields=tuple(types[name])))
        for name in sorted(reached)
    ]
    return "\n\n".join(printed) + "\n"
