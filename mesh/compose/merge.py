"""Merge subgraphs into a supergraph, checking the Federation v2 composition rules we rely on.

Rules checked (each error names subgraphs, coordinate and rule code, after Apollo's codes):
INVALID_GRAPHQL, TYPE_KIND_MISMATCH, INVALID_FIELD_SHARING, FIELD_TYPE_MISMATCH,
REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH, KEY_INVALID_FIELDS, EXTERNAL_MISSING_ON_BASE,
REQUIRES_INVALID_FIELDS, PROVIDES_INVALID_FIELDS, OVERRIDE_SOURCE_HAS_OVERRIDE, NO_QUERIES.
"""

from __future__ import annotations

from graphql import (
    DirectiveNode,
    FieldDefinitionNode,
    FieldNode,
    GraphQLError,
    InputValueDefinitionNode,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    SelectionSetNode,
    TypeNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    print_ast,
)

from mesh.compose.client_sdl import print_client_sdl
from mesh.compose.errors import CompositionError, CompositionFailed
from mesh.compose.model import FieldDef, Resolution, Supergraph, TypeDef, parse_field_set
from mesh.compose.subgraph_sdl import (
    FEDERATION_ROOT_FIELDS,
    FEDERATION_TYPES,
    SubgraphSDL,
    bool_arg,
    string_arg,
)

_ROOT_CANONICAL = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}


def named_type(node: TypeNode) -> str:
    while isinstance(node, (NonNullTypeNode, ListTypeNode)):
        node = node.type
    assert isinstance(node, NamedTypeNode)
    return node.name.value


def _nullable(node: TypeNode) -> TypeNode:
    return node.type if isinstance(node, NonNullTypeNode) else node


def _shape(node: TypeNode) -> str:
    """A type with every nullability dropped, to compare shapes across subgraphs."""
    if isinstance(node, NonNullTypeNode):
        return _shape(node.type)
    if isinstance(node, ListTypeNode):
        return f"[{_shape(node.type)}]"
    assert isinstance(node, NamedTypeNode)
    return node.name.value


class _Composer:
    def __init__(self, subgraphs: list[SubgraphSDL]) -> None:
        self.subgraphs = subgraphs
        self.errors: list[CompositionError] = []
        self.types: dict[str, TypeDef] = {}
        self.directive_definitions: dict[str, str] = {}
        self.shareable: set[tuple[str, str, str]] = set()  # (subgraph, type, field)
        self.key_fields: set[tuple[str, str, str]] = set()
        self.overrides: dict[tuple[str, str], tuple[str, str]] = {}  # (type, field) -> (to, from)

    def error(self, code: str, coordinate: str, subgraphs: tuple[str, ...], message: str) -> None:
        self.errors.append(CompositionError(code, coordinate, subgraphs, message))

    def canonical_root(self, sg: SubgraphSDL, type_name: str) -> str:
        for op, name in sg.root_names.items():
            if name == type_name:
                return _ROOT_CANONICAL[op]
        return type_name

    def run(self) -> Supergraph:
        for sg in self.subgraphs:
            self.errors.extend(sg.parse())
        if self.errors:
            raise CompositionFailed(self.errors)
        for sg in self.subgraphs:
            self.collect(sg)
        self.apply_overrides()
        self.check_sharing()
        self.check_field_sets()
        if "Query" not in self.types or not any(
            not f.inaccessible for f in self.types["Query"].fields.values()
        ):
            self.error(
                "NO_QUERIES",
                "Query",
                tuple(s.name for s in self.subgraphs),
                "no subgraph defines a client-visible root query field",
            )
        if self.errors:
            raise CompositionFailed(self.errors)
        roots = {op: name for op, name in _ROOT_CANONICAL.items() if name in self.types}
        client_sdl = print_client_sdl(self.types, self.directive_definitions, roots)
        return Supergraph({s.name: s.url for s in self.subgraphs}, self.types, client_sdl, roots)

    def collect(self, sg: SubgraphSDL) -> None:
        for name in sg.composed:
            definition = sg.directive_definitions.get(name)
            if definition is not None:
                self.directive_definitions.setdefault(name, print_ast(definition))
        for raw_name, nodes in sg.definitions.items():
            if raw_name in FEDERATION_TYPES:
                continue
            name = self.canonical_root(sg, raw_name)
            kind = sg.kind(raw_name)
            type_def = self.types.setdefault(name, TypeDef(name=name, kind=kind))
            if type_def.kind != kind:
                self.error(
                    "TYPE_KIND_MISMATCH",
                    name,
                    (sg.name,),
                    f"defined as {kind} here but as {type_def.kind} elsewhere",
                )
                continue
            type_def.subgraphs.add(sg.name)
            for node in nodes:
                self.collect_type_node(sg, type_def, node)

    def collect_type_node(self, sg: SubgraphSDL, type_def: TypeDef, node: object) -> None:
        directives: tuple[DirectiveNode, ...] = tuple(getattr(node, "directives", None) or ())
        if sg.fed_directives(directives, "inaccessible"):
            type_def.inaccessible = True
        type_shareable = bool(sg.fed_directives(directives, "shareable"))
        for key in sg.fed_directives(directives, "key"):
            fields = string_arg(key, "fields") or ""
            try:
                selection = parse_field_set(fields)
            except GraphQLError as exc:
                self.error(
                    "KEY_INVALID_FIELDS",
                    type_def.name,
                    (sg.name,),
                    f"@key(fields: {fields!r}) does not parse: {exc.message}",
                )
                continue
            for f in selection.selections:
                if isinstance(f, FieldNode):
                    self.key_fields.add((sg.name, type_def.name, f.name.value))
            if bool_arg(key, "resolvable", True):
                type_def.keys.setdefault(sg.name, []).append(selection)
                type_def.key_strings.setdefault(sg.name, []).append(fields)
        for iface in getattr(node, "interfaces", None) or ():
            if iface.name.value not in type_def.interfaces:
                type_def.interfaces.append(iface.name.value)
        if isinstance(node, (UnionTypeDefinitionNode, UnionTypeExtensionNode)):
            for member in node.types or ():
                if member.name.value not in type_def.members:
                    type_def.members.append(member.name.value)
        for field_node in getattr(node, "fields", None) or ():
            if type_def.name in ("Query",) and field_node.name.value in FEDERATION_ROOT_FIELDS:
                continue
            if isinstance(field_node, FieldDefinitionNode):
                shareable = type_shareable or bool(
                    sg.fed_directives(field_node.directives, "shareable")
                )
                self.collect_field(sg, type_def, field_node, shareable)
            elif isinstance(field_node, InputValueDefinitionNode):
                type_def.value_nodes.setdefault(field_node.name.value, field_node)
        for value in getattr(node, "values", None) or ():
            type_def.value_nodes.setdefault(value.name.value, value)
        if type_def.description is None:
            type_def.description = getattr(node, "description", None)

    def collect_field(
        self, sg: SubgraphSDL, type_def: TypeDef, node: FieldDefinitionNode, shareable: bool
    ) -> None:
        name = node.name.value
        existing = type_def.fields.get(name)
        if existing is None:
            existing = type_def.fields[name] = FieldDef(
                type_def.name, name, node.type, named_type(node.type)
            )
            existing.client_directives = [
                d
                for d in node.directives or ()
                if d.name.value in sg.composed or d.name.value == "deprecated"
            ]
            existing.definition = node
        elif _shape(existing.type) != _shape(node.type):
            self.error(
                "FIELD_TYPE_MISMATCH",
                existing.coordinate,
                (sg.name,),
                f"type {print_ast(node.type)} here, {print_ast(existing.type)} elsewhere",
            )
            return
        elif isinstance(existing.type, NonNullTypeNode) and not isinstance(
            node.type, NonNullTypeNode
        ):
            existing.type = _nullable(existing.type)
        self.check_arguments(sg, existing, node)
        directives = node.directives or ()
        if sg.fed_directives(directives, "inaccessible"):
            existing.inaccessible = True
        for tag in sg.fed_directives(directives, "tag"):
            existing.tags.add(string_arg(tag, "name") or "")
        if sg.fed_directives(directives, "external"):
            existing.external_in.add(sg.name)
            return
        resolution = Resolution()
        for requires in sg.fed_directives(directives, "requires"):
            resolution.requires = self.field_set(
                sg, existing.coordinate, requires, "REQUIRES_INVALID_FIELDS"
            )
        for provides in sg.fed_directives(directives, "provides"):
            resolution.provides = self.field_set(
                sg, existing.coordinate, provides, "PROVIDES_INVALID_FIELDS"
            )
        for override in sg.fed_directives(directives, "override"):
            source = string_arg(override, "from") or ""
            self.overrides[(type_def.name, name)] = (sg.name, source)
        existing.resolvers[sg.name] = resolution
        if shareable:
            self.shareable.add((sg.name, type_def.name, name))

    def check_arguments(
        self, sg: SubgraphSDL, existing: FieldDef, node: FieldDefinitionNode
    ) -> None:
        first = existing.definition
        if first is node or not isinstance(first, FieldDefinitionNode):
            return
        mine = {a.name.value: a for a in node.arguments or ()}
        theirs = {a.name.value: a for a in first.arguments or ()}
        for name in mine.keys() ^ theirs.keys():
            arg = mine.get(name) or theirs[name]
            if isinstance(arg.type, NonNullTypeNode) and arg.default_value is None:
                self.error(
                    "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
                    f"{existing.coordinate}({name}:)",
                    (sg.name,),
                    "a required argument must be defined in every subgraph of the field",
                )
        for name in mine.keys() & theirs.keys():
            if _shape(mine[name].type) != _shape(theirs[name].type):
                self.error(
                    "FIELD_ARGUMENT_TYPE_MISMATCH",
                    f"{existing.coordinate}({name}:)",
                    (sg.name,),
                    "argument types differ between subgraphs",
                )

    def field_set(
        self, sg: SubgraphSDL, coordinate: str, directive: DirectiveNode, code: str
    ) -> SelectionSetNode | None:
        fields = string_arg(directive, "fields") or ""
        try:
            return parse_field_set(fields)
        except GraphQLError as exc:
            self.error(code, coordinate, (sg.name,), f"{fields!r} does not parse: {exc.message}")
            return None

    def apply_overrides(self) -> None:
        for (type_name, field_name), (to, source) in self.overrides.items():
            field_def = self.types[type_name].fields[field_name]
            if (type_name, field_name) in {k for k, v in self.overrides.items() if v[0] == source}:
                self.error(
                    "OVERRIDE_SOURCE_HAS_OVERRIDE",
                    field_def.coordinate,
                    (to, source),
                    "a field cannot be overridden from a subgraph that overrides it too",
                )
            field_def.resolvers.pop(source, None)

    def check_sharing(self) -> None:
        for type_def in self.types.values():
            if type_def.kind != "object":
                continue
            for field_def in type_def.fields.values():
                if not field_def.resolvers and field_def.external_in:
                    self.error(
                        "EXTERNAL_MISSING_ON_BASE",
                        field_def.coordinate,
                        tuple(sorted(field_def.external_in)),
                        "marked @external but no subgraph resolves it",
                    )
                if len(field_def.resolvers) < 2:
                    continue
                unshared = [
                    s
                    for s in field_def.resolvers
                    if (s, type_def.name, field_def.name) not in self.shareable
                    and (s, type_def.name, field_def.name) not in self.key_fields
                ]
                if unshared:
                    self.error(
                        "INVALID_FIELD_SHARING",
                        field_def.coordinate,
                        tuple(sorted(field_def.resolvers)),
                        "resolved by several subgraphs but not @shareable in "
                        + ", ".join(sorted(unshared)),
                    )

    def check_field_sets(self) -> None:
        for type_def in self.types.values():
            for subgraph, keys in type_def.keys.items():
                for key in keys:
                    self._check_selection(
                        type_def.name, key, subgraph, "KEY_INVALID_FIELDS", type_def.name
                    )
            for field_def in type_def.fields.values():
                for subgraph, resolution in field_def.resolvers.items():
                    if resolution.requires is not None:
                        self._check_selection(
                            type_def.name,
                            resolution.requires,
                            subgraph,
                            "REQUIRES_INVALID_FIELDS",
                            field_def.coordinate,
                        )
                    if resolution.provides is not None:
                        self._check_selection(
                            field_def.named_type,
                            resolution.provides,
                            subgraph,
                            "PROVIDES_INVALID_FIELDS",
                            field_def.coordinate,
                        )

    def _check_selection(
        self, type_name: str, selection: SelectionSetNode, subgraph: str, code: str, coordinate: str
    ) -> None:
        type_def = self.types.get(type_name)
        for node in selection.selections:
            if not isinstance(node, FieldNode):
                continue
            field_def = type_def.fields.get(node.name.value) if type_def else None
            if field_def is None:
                self.error(
                    code,
                    coordinate,
                    (subgraph,),
                    f"field {type_name}.{node.name.value} does not exist",
                )
            elif node.selection_set is not None:
                self._check_selection(
                    field_def.named_type, node.selection_set, subgraph, code, coordinate
                )


def compose(subgraphs: list[SubgraphSDL]) -> Supergraph:
    """Compose subgraphs; raises :class:`CompositionFailed` listing every error found."""
    return _Composer(subgraphs).run()
