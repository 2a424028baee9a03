"""One subgraph's SDL as composition sees it: types, fields and federation directives.

Federation directives are recognised through the subgraph's ``@link`` imports (``@key``,
or an alias such as ``{name: "@key", as: "@primaryKey"}``) and the default namespaced form
(``@federation__key``), as the Federation v2 spec lays down.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import (
    BooleanValueNode,
    ConstValueNode,
    DirectiveDefinitionNode,
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    GraphQLError,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ListValueNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ObjectValueNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    StringValueNode,
    TypeDefinitionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    parse,
)

from mesh.compose.errors import CompositionError

FEDERATION_DIRECTIVES = (
    "key",
    "shareable",
    "external",
    "requires",
    "provides",
    "override",
    "inaccessible",
    "tag",
    "extends",
    "composeDirective",
    "interfaceObject",
    "authenticated",
    "requiresScopes",
    "policy",
    "context",
    "fromContext",
    "cost",
    "listSize",
)
FEDERATION_TYPES = {
    "_Service",
    "_Any",
    "_Entity",
    "_FieldSet",
    "FieldSet",
    "link__Import",
    "link__Purpose",
    "federation__FieldSet",
    "federation__Scope",
    "federation__Policy",
    "federation__ContextFieldValue",
}
FEDERATION_ROOT_FIELDS = {"_entities", "_service"}

_KINDS: dict[type, str] = {
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
    ScalarTypeDefinitionNode: "scalar",
    ScalarTypeExtensionNode: "scalar",
}


@dataclass
class SubgraphSDL:
    """A subgraph's name, URL and parsed SDL, with its federation directive names resolved."""

    name: str
    sdl: str
    url: str = ""
    document: DocumentNode = field(init=False)
    # canonical federation name -> name used in this subgraph's SDL
    names: dict[str, str] = field(init=False, default_factory=dict)
    composed: set[str] = field(init=False, default_factory=set)
    directive_definitions: dict[str, DirectiveDefinitionNode] = field(
        init=False, default_factory=dict
    )
    definitions: dict[str, list[TypeDefinitionNode]] = field(init=False, default_factory=dict)
    root_names: dict[str, str] = field(init=False, default_factory=dict)

    def parse(self) -> list[CompositionError]:
        try:
            self.document = parse(self.sdl)
        except GraphQLError as exc:
            return [CompositionError("INVALID_GRAPHQL", self.name, (self.name,), exc.message)]
        self.names = {d: f"federation__{d}" for d in FEDERATION_DIRECTIVES}
        self.root_names = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
        for node in self.document.definitions:
            if isinstance(node, (SchemaDefinitionNode, SchemaExtensionNode)):
                self._read_schema_node(node)
            elif isinstance(node, DirectiveDefinitionNode):
                self.directive_definitions[node.name.value] = node
            elif type(node) in _KINDS:
                assert isinstance(node, TypeDefinitionNode)
                self.definitions.setdefault(node.name.value, []).append(node)
        return []

    def _read_schema_node(self, node: SchemaDefinitionNode | SchemaExtensionNode) -> None:
        for op in node.operation_types or ():
            self.root_names[op.operation.value] = op.type.name.value
        for directive in node.directives or ():
            if directive.name.value == "link":
                self._read_link(directive)
        for directive in node.directives or ():
            if directive.name.value in (self.names["composeDirective"], "composeDirective"):
                name = string_arg(directive, "name")
                if name:
                    self.composed.add(name.lstrip("@"))

    def _read_link(self, directive: DirectiveNode) -> None:
        url = string_arg(directive, "url") or ""
        if "specs.apollo.dev/federation/" not in url:
            return
        for item in list_arg(directive, "import"):
            if isinstance(item, StringValueNode):
                name = item.value.lstrip("@")
                self.names[name] = name
            elif isinstance(item, ObjectValueNode):
                values = {f.name.value: f.value for f in item.fields}
                original, alias = values.get("name"), values.get("as")
                if isinstance(original, StringValueNode):
                    target = alias if isinstance(alias, StringValueNode) else original
                    self.names[original.value.lstrip("@")] = target.value.lstrip("@")

    def kind(self, type_name: str) -> str:
        nodes = self.definitions.get(type_name, [])
        return _KINDS[type(nodes[0])] if nodes else ""

    def is_fed(self, directive: DirectiveNode, canonical: str) -> bool:
        return directive.name.value == self.names.get(canonical, canonical)

    def fed_directives(
        self, directives: tuple[DirectiveNode, ...] | None, canonical: str
    ) -> list[DirectiveNode]:
        return [d for d in directives or () if self.is_fed(d, canonical)]

    def is_federation_directive(self, directive: DirectiveNode) -> bool:
        name = directive.name.value
        return name in self.names.values() or name.startswith("federation__") or name == "link"


def string_arg(directive: DirectiveNode, name: str) -> str | None:
    for arg in directive.arguments or ():
        if arg.name.value == name and isinstance(arg.value, StringValueNode):
            return arg.value.value
    return None


def bool_arg(directive: DirectiveNode, name: str, default: bool) -> bool:
    for arg in directive.arguments or ():
        if arg.name.value == name and isinstance(arg.value, BooleanValueNode):
            return arg.value.value
    return default


def list_arg(directive: DirectiveNode, name: str) -> list[ConstValueNode]:
    for arg in directive.arguments or ():
        if arg.name.value == name and isinstance(arg.value, ListValueNode):
            return list(arg.value.values)  # type: ignore[arg-type]
    return []
