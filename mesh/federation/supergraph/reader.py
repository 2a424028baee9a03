"""Read a supergraph SDL (join spec v0.1 to v0.5, ``@link`` or Fed-1-era ``@core``) into the model.

This follows the join spec's rules as Apollo Router, @apollo/gateway and Hive Gateway read them:
a field without ``@join__field`` is resolved by every subgraph that has its type (by the
type's ``@join__owner`` in join v0.1, plus the subgraphs whose keys name it); a
``@join__field`` without ``graph`` means no subgraph resolves it itself (fields an
``@interfaceObject`` adds to implementations); ``type:`` records a subgraph's own field type.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from graphql import (
    DirectiveNode,
    FieldNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSyntaxError,
    GraphQLUnionType,
    build_ast_schema,
    get_named_type,
    parse,
    value_from_ast_untyped,
)
from graphql.type import is_introspection_type, is_specified_scalar_type

from mesh.federation.supergraph.api_schema import build_api_schema
from mesh.federation.supergraph.errors import SupergraphError
from mesh.federation.supergraph.fieldsets import parse_field_set
from mesh.federation.supergraph.links import (
    AUTHENTICATED_SPEC,
    INACCESSIBLE_SPEC,
    JOIN_SPEC,
    POLICY_SPEC,
    REQUIRES_SCOPES_SPEC,
    TAG_SPEC,
    Feature,
    LinkedFeatures,
    read_links,
)
from mesh.federation.supergraph.model import (
    Authorization,
    DirectiveUse,
    FieldInfo,
    FieldInSubgraph,
    Key,
    Subgraph,
    Supergraph,
    TypeInfo,
    TypeInSubgraph,
    TypeKind,
)

_BUILT_IN_DIRECTIVES = frozenset({"deprecated", "specifiedBy", "oneOf", "skip", "include"})


def load_supergraph(sdl: str) -> Supergraph:
    """Read a supergraph SDL; :class:`SupergraphError` names what is wrong with a bad one."""
    try:
        document = parse(sdl)
    except GraphQLSyntaxError as exc:
        raise SupergraphError(f"the supergraph SDL does not parse: {exc.message}") from None
    links = read_links(document)
    try:
        schema = build_ast_schema(document, assume_valid_sdl=True)
    except (GraphQLError, TypeError) as exc:
        raise SupergraphError(f"the supergraph SDL is not a valid schema: {exc}") from None
    reader = _Reader(schema, links)
    return Supergraph(
        sdl=sdl,
        schema=schema,
        api_schema=build_api_schema(document, links),
        subgraphs=reader.subgraphs,
        types=reader.read_types(),
        root_types=reader.root_types(),
        join_version=reader.join.version,
    )


def _directives(element: Any) -> list[DirectiveNode]:
    found: list[DirectiveNode] = []
    node = getattr(element, "ast_node", None)
    if node is not None:
        found.extend(getattr(node, "directives", None) or ())
    for extension in getattr(element, "extension_ast_nodes", None) or ():
        found.extend(extension.directives or ())
    return found


def _args(directive: DirectiveNode) -> dict[str, Any]:
    return {arg.name.value: value_from_ast_untyped(arg.value) for arg in directive.arguments or ()}


def _kind(named: GraphQLNamedType) -> TypeKind:
    if isinstance(named, GraphQLObjectType):
        return TypeKind.OBJECT
    if isinstance(named, GraphQLInterfaceType):
        return TypeKind.INTERFACE
    if isinstance(named, GraphQLUnionType):
        return TypeKind.UNION
    if isinstance(named, GraphQLEnumType):
        return TypeKind.ENUM
    if isinstance(named, GraphQLInputObjectType):
        return TypeKind.INPUT
    return TypeKind.SCALAR


class _Reader:
    def __init__(self, schema: GraphQLSchema, links: LinkedFeatures) -> None:
        self.schema = schema
        self.links = links
        join = links.get(JOIN_SPEC)
        assert join is not None  # read_links refuses a schema without it
        self.join = join
        self.legacy = join.version_number < (0, 3)  # no join__implements / unionMember yet
        self.names = {
            element: join.directive(element)
            for element in (
                "graph",
                "type",
                "field",
                "implements",
                "unionMember",
                "enumValue",
                "owner",
            )
        }
        self.subgraphs = self._read_graphs()
        self.by_enum = {s.enum_value: s.name for s in self.subgraphs.values()}
        self.metadata = _Metadata(links)

    # --- graphs -----------------------------------------------------------------------------
    def _read_graphs(self) -> dict[str, Subgraph]:
        enum_name = self.join.type_name("Graph")
        graph_enum = self.schema.type_map.get(enum_name)
        if not isinstance(graph_enum, GraphQLEnumType):
            raise SupergraphError(f"the enum {enum_name} listing the subgraphs is missing")
        subgraphs: dict[str, Subgraph] = {}
        for value_name, value in graph_enum.values.items():
            uses = [d for d in _directives(value) if d.name.value == self.names["graph"]]
            if len(uses) != 1:
                raise SupergraphError(
                    f"needs exactly one @{self.names['graph']}(name:, url:)",
                    element=f"{enum_name}.{value_name}",
                )
            args = _args(uses[0])
            name, url = args.get("name"), args.get("url")
            if not isinstance(name, str) or not isinstance(url, str):
                raise SupergraphError(
                    "@join__graph needs a name and a url string",
                    element=f"{enum_name}.{value_name}",
                )
            if name in subgraphs:
                raise SupergraphError(f"the subgraph name {name!r} is used twice")
            subgraphs[name] = Subgraph(name=name, url=url, enum_value=value_name)
        if not subgraphs:
            raise SupergraphError(f"{enum_name} lists no subgraphs")
        return subgraphs

    def _graph(self, value: Any, element: str) -> str:
        name = self.by_enum.get(value) if isinstance(value, str) else None
        if name is None:
            raise SupergraphError(f"names an unknown subgraph {value!r}", element=element)
        return name

    def root_types(self) -> dict[str, str]:
        roots = {
            "query": self.schema.query_type,
            "mutation": self.schema.mutation_type,
            "subscription": self.schema.subscription_type,
        }
        found = {kind: t.name for kind, t in roots.items() if t is not None}
        if "query" not in found:
            raise SupergraphError("the supergraph has no query type")
        return found

    # --- types ------------------------------------------------------------------------------
    def read_types(self) -> dict[str, TypeInfo]:
        types: dict[str, TypeInfo] = {}
        for name, named in self.schema.type_map.items():
            if is_introspection_type(named) or self.links.machinery_type(name):
                continue
            if is_specified_scalar_type(named) and named.ast_node is None:
                types[name] = TypeInfo(
                    name=name,
                    kind=TypeKind.SCALAR,
                    subgraphs={s: TypeInSubgraph(subgraph=s) for s in self.subgraphs},
                )
                continue
            types[name] = self._read_type(named)
        self._fill_legacy_relations(types)
        return types

    def _read_type(self, named: GraphQLNamedType) -> TypeInfo:
        kind = _kind(named)
        directives = _directives(named)
        presence: dict[str, TypeInSubgraph] = {}
        for directive in directives:
            if directive.name.value != self.names["type"]:
                continue
            args = _args(directive)
            graph = self._graph(args.get("graph"), named.name)
            previous = presence.get(graph, TypeInSubgraph(subgraph=graph))
            keys = previous.keys
            key_text = args.get("key")
            if isinstance(key_text, str):
                field_set = parse_field_set(key_text, element=f"{named.name} @key")
                keys = (*keys, Key(fields=field_set, resolvable=args.get("resolvable", True)))
            presence[graph] = TypeInSubgraph(
                subgraph=graph,
                keys=keys,
                extension=previous.extension or bool(args.get("extension", False)),
                interface_object=previous.interface_object
                or bool(args.get("isInterfaceObject", False)),
            )
        if not presence:
            # Fed-1-era supergraphs leave value types, enums and scalars unmarked: every
            # subgraph may have them.
            presence = {s: TypeInSubgraph(subgraph=s) for s in self.subgraphs}
        meta = self.metadata.read(directives)
        info = TypeInfo(
            name=named.name,
            kind=kind,
            subgraphs=presence,
            directives=meta.custom,
            tags=meta.tags,
            authorization=meta.authorization,
            inaccessible=meta.inaccessible,
        )
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            info.interfaces = tuple(i.name for i in named.interfaces)
            info.interfaces_in = self._relation(directives, "implements", "interface", named.name)
            owner = self._owner(directives, named.name)
            for field_name in named.fields:
                info.fields[field_name] = self._read_field(named, field_name, presence, owner)
            _external_where_required(info)
        elif isinstance(named, GraphQLUnionType):
            info.members = tuple(t.name for t in named.types)
            info.members_in = self._relation(directives, "unionMember", "member", named.name)
        elif isinstance(named, GraphQLEnumType):
            for value_name, value in named.values.items():
                for directive in _directives(value):
                    if directive.name.value == self.names["enumValue"]:
                        graph = self._graph(_args(directive).get("graph"), named.name)
                        values = info.enum_values_in.get(graph, frozenset())
                        info.enum_values_in[graph] = values | {value_name}
        return info

    def _relation(
        self, directives: Iterable[DirectiveNode], element: str, arg: str, type_name: str
    ) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {}
        for directive in directives:
            if directive.name.value != self.names[element]:
                continue
            args = _args(directive)
            graph = self._graph(args.get("graph"), type_name)
            target = args.get(arg)
            if not isinstance(target, str):
                raise SupergraphError(f"@{self.names[element]} needs {arg}:", element=type_name)
            found.setdefault(graph, set()).add(target)
        return {graph: frozenset(names) for graph, names in found.items()}

    def _owner(self, directives: Iterable[DirectiveNode], type_name: str) -> str | None:
        for directive in directives:
            if directive.name.value == self.names["owner"]:
                return self._graph(_args(directive).get("graph"), type_name)
        return None

    def _read_field(
        self,
        parent: GraphQLObjectType | GraphQLInterfaceType,
        field_name: str,
        presence: dict[str, TypeInSubgraph],
        owner: str | None,
    ) -> FieldInfo:
        definition = parent.fields[field_name]
        coordinate = f"{parent.name}.{field_name}"
        type_text = str(definition.type)
        directives = _directives(definition)
        joins = [d for d in directives if d.name.value == self.names["field"]]
        subgraphs: dict[str, FieldInSubgraph] = {}
        if joins:
            for directive in joins:
                args = _args(directive)
                if args.get("graph") is None:
                    continue  # no subgraph resolves it itself (added by an @interfaceObject)
                graph = self._graph(args["graph"], coordinate)
                subgraphs[graph] = self._resolution(graph, args, type_text, coordinate)
        else:
            for graph in presence:
                if owner is None or graph == owner or _in_keys(field_name, presence[graph]):
                    subgraphs[graph] = FieldInSubgraph(subgraph=graph, type=type_text)
        meta = self.metadata.read(directives)
        return FieldInfo(
            parent=parent.name,
            name=field_name,
            type=type_text,
            named_type=get_named_type(definition.type).name,
            subgraphs=subgraphs,
            directives=meta.custom,
            tags=meta.tags,
            authorization=meta.authorization,
            inaccessible=meta.inaccessible,
        )

    def _resolution(
        self, graph: str, args: dict[str, Any], type_text: str, coordinate: str
    ) -> FieldInSubgraph:
        requires = args.get("requires")
        provides = args.get("provides")
        declared = args.get("type")
        override = args.get("override")
        label = args.get("overrideLabel")
        return FieldInSubgraph(
            subgraph=graph,
            type=declared if isinstance(declared, str) else type_text,
            requires=parse_field_set(requires, element=f"{coordinate} @requires")
            if isinstance(requires, str)
            else None,
            provides=parse_field_set(provides, element=f"{coordinate} @provides")
            if isinstance(provides, str)
            else None,
            external=bool(args.get("external", False)),
            override_from=override if isinstance(override, str) else None,
            override_label=label if isinstance(label, str) else None,
            used_overridden=bool(args.get("usedOverridden", False)),
        )

    def _fill_legacy_relations(self, types: dict[str, TypeInfo]) -> None:
        """Before join v0.3 a subgraph implements every interface (and has every union
        member) of the supergraph that it has."""
        for info in types.values():
            if info.kind in (TypeKind.OBJECT, TypeKind.INTERFACE) and not info.interfaces_in:
                info.interfaces_in = {
                    graph: frozenset(i for i in info.interfaces if graph in types[i].subgraphs)
                    for graph in info.subgraphs
                }
            elif info.kind is TypeKind.UNION and not info.members_in and self.legacy:
                info.members_in = {
                    graph: frozenset(m for m in info.members if graph in types[m].subgraphs)
                    for graph in info.subgraphs
                }


def _external_where_required(info: TypeInfo) -> None:
    """A leaf field a ``@requires`` names is ``@external`` in the requiring subgraph
    (composition allows nothing else; a field with a selection may be local with external
    leaves). Some composers print it with no ``@join__field`` at all, which reads as "every
    subgraph of the type resolves it": say what the ``@requires`` implies."""
    for field in list(info.fields.values()):
        for graph, resolution in field.subgraphs.items():
            if resolution.requires is None:
                continue
            for selection in resolution.requires.selection.selections:
                if not isinstance(selection, FieldNode) or selection.selection_set is not None:
                    continue
                required = info.fields.get(selection.name.value)
                known = required.subgraphs.get(graph) if required is not None else None
                if required is not None and known is not None and not known.external:
                    required.subgraphs[graph] = replace(known, external=True)


def _in_keys(field_name: str, presence: TypeInSubgraph) -> bool:
    return any(
        isinstance(s, FieldNode) and s.name.value == field_name
        for key in presence.keys
        for s in key.fields.selection.selections
    )


class _ElementMetadata:
    __slots__ = ("authorization", "custom", "inaccessible", "tags")

    def __init__(
        self,
        custom: tuple[DirectiveUse, ...],
        tags: tuple[str, ...],
        authorization: Authorization,
        inaccessible: bool,
    ) -> None:
        self.custom = custom
        self.tags = tags
        self.authorization = authorization
        self.inaccessible = inaccessible


class _Metadata:
    """Sorts an element's directives into machinery, carried security, tags and custom ones."""

    def __init__(self, links: LinkedFeatures) -> None:
        self.links = links

        def name_of(identity: str, element: str) -> str | None:
            feature: Feature | None = links.get(identity)
            return feature.directive(element) if feature else None

        self.inaccessible = name_of(INACCESSIBLE_SPEC, "inaccessible")
        self.tag = name_of(TAG_SPEC, "tag")
        self.authenticated = name_of(AUTHENTICATED_SPEC, "authenticated")
        self.requires_scopes = name_of(REQUIRES_SCOPES_SPEC, "requiresScopes")
        self.policy = name_of(POLICY_SPEC, "policy")
        self.link_names = {f.namespace for f in links.features if f.name in ("link", "core")}

    def read(self, directives: Sequence[DirectiveNode]) -> _ElementMetadata:
        custom: list[DirectiveUse] = []
        tags: list[str] = []
        authenticated = False
        scopes: tuple[tuple[str, ...], ...] = ()
        policies: tuple[tuple[str, ...], ...] = ()
        inaccessible = False
        for directive in directives:
            name = directive.name.value
            if name == self.inaccessible:
                inaccessible = True
            elif name == self.tag:
                tag = _args(directive).get("name")
                if isinstance(tag, str):
                    tags.append(tag)
            elif name == self.authenticated:
                authenticated = True
            elif name == self.requires_scopes:
                scopes = scopes + _nested_strings(_args(directive).get("scopes"))
            elif name == self.policy:
                policies = policies + _nested_strings(_args(directive).get("policies"))
            elif (
                name not in _BUILT_IN_DIRECTIVES
                and name not in self.link_names
                and self.links.machinery_directive(name) is None
            ):
                custom.append(DirectiveUse(name=name, arguments=_args(directive)))
        return _ElementMetadata(
            custom=tuple(custom),
            tags=tuple(tags),
            authorization=Authorization(
                authenticated=authenticated, scopes=scopes, policies=policies
            ),
            inaccessible=inaccessible,
        )


def _nested_strings(value: Any) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list):
        return ()
    return tuple(tuple(str(item) for item in group) for group in value if isinstance(group, list))


__all__ = ["load_supergraph"]
