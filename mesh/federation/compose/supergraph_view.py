"""A supergraph SDL read back into what each subgraph contributes (for the satisfiability check).

This reads ``@join__type``/``@join__field``/``@join__implements``/``@join__unionMember`` the way
routers do, so the check runs on the supergraph as written (ours or anyone's), not on the
composer's memory. Only what the check needs is kept; the planner has its own reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ConstDirectiveNode,
    EnumTypeDefinitionNode,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    UnionTypeDefinitionNode,
    parse,
    print_ast,
    value_from_ast_untyped,
)

_KINDS = {
    ObjectTypeDefinitionNode: "object",
    InterfaceTypeDefinitionNode: "interface",
    UnionTypeDefinitionNode: "union",
    EnumTypeDefinitionNode: "enum",
    ScalarTypeDefinitionNode: "scalar",
    InputObjectTypeDefinitionNode: "input",
}


@dataclass
class ApiField:
    name: str
    type: str
    args: dict[str, str]  # argument -> type (for witness operations)


@dataclass
class ApiType:
    name: str
    kind: str
    fields: dict[str, ApiField] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    enum_values: list[str] = field(default_factory=list)
    input_fields: dict[str, str] = field(default_factory=dict)


@dataclass
class SubField:
    name: str
    type: str
    external: bool = False
    requires: str | None = None
    provides: str | None = None
    override_condition: tuple[str, bool] | None = None  # (label, True in the new owner)
    overridden_by: str | None = None  # set on a "[overridden]" external field


@dataclass
class SubType:
    name: str
    kind: str  # kind in this subgraph (an @interfaceObject is an "object")
    interface_object: bool = False
    fields: dict[str, SubField] = field(default_factory=dict)
    keys: list[tuple[str, bool]] = field(default_factory=list)  # (fields, resolvable)
    interfaces: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)


@dataclass
class SubgraphView:
    name: str
    types: dict[str, SubType] = field(default_factory=dict)
    roots: dict[str, str] = field(default_factory=dict)

    def runtime_types(self, type_name: str, api: dict[str, ApiType]) -> list[str]:
        t = self.types.get(type_name)
        if t is None:
            return []
        if t.kind == "object" and not t.interface_object:
            return [t.name]
        if t.interface_object:
            return [o for o in _api_runtime(type_name, api)]
        if t.kind == "union":
            return [m for m in t.members if m in self.types]
        if t.kind == "interface":
            return [
                o.name
                for o in self.types.values()
                if o.kind == "object" and type_name in o.interfaces
            ]
        return []


@dataclass
class SupergraphView:
    api: dict[str, ApiType]  # accessible elements only
    roots: dict[str, str]
    subgraphs: dict[str, SubgraphView]
    graph_names: dict[str, str]  # join__Graph value -> subgraph name

    def api_runtime_types(self, type_name: str) -> list[str]:
        return _api_runtime(type_name, self.api)


def _api_runtime(type_name: str, api: dict[str, ApiType]) -> list[str]:
    t = api.get(type_name)
    if t is None:
        return []
    if t.kind == "object":
        return [t.name]
    if t.kind == "union":
        return [m for m in t.members if m in api]
    if t.kind == "interface":
        return [o.name for o in api.values() if o.kind == "object" and type_name in o.interfaces]
    return []


def _args(directive: ConstDirectiveNode) -> dict[str, object]:
    return {a.name.value: value_from_ast_untyped(a.value) for a in directive.arguments or ()}


def _named(directives: object, name: str) -> list[dict[str, object]]:
    return [_args(d) for d in directives or () if d.name.value == name]  # type: ignore[attr-defined]


def read_supergraph(sdl: str) -> SupergraphView:
    document = parse(sdl, no_location=True)
    graph_names: dict[str, str] = {}
    roots: dict[str, str] = {}
    type_nodes: list[Any] = []
    for node in document.definitions:
        if isinstance(node, SchemaDefinitionNode):
            roots = {op.operation.value: op.type.name.value for op in node.operation_types}
        elif isinstance(node, EnumTypeDefinitionNode) and node.name.value == "join__Graph":
            for value in node.values or ():
                joined = _named(value.directives, "join__graph")
                graph_names[value.name.value] = (
                    str(joined[0]["name"]) if joined else value.name.value
                )
        if type(node) in _KINDS:
            type_nodes.append(node)
    subgraphs = {name: SubgraphView(name) for name in graph_names.values()}
    api: dict[str, ApiType] = {}
    for node in type_nodes:
        name = node.name.value
        if name.startswith(("join__", "link__")) or ("__" in name and _is_spec_type(name)):
            continue
        kind = _KINDS[type(node)]
        inaccessible = bool(_named(node.directives, "inaccessible"))
        if not inaccessible:
            api[name] = _api_type(node, kind)
        _extract(node, kind, graph_names, subgraphs)
    for scalar in ("String", "Int", "Float", "Boolean", "ID"):
        api.setdefault(scalar, ApiType(scalar, "scalar"))
    for op, name in roots.items():
        for view in subgraphs.values():
            if name in view.types:
                view.roots[op] = name
    return SupergraphView(api=api, roots=roots, subgraphs=subgraphs, graph_names=graph_names)


def _is_spec_type(name: str) -> bool:
    return name.split("__")[0] in {"requiresScopes", "policy", "join", "link", "federation"}


def _api_type(node: object, kind: str) -> ApiType:
    t = ApiType(node.name.value, kind)  # type: ignore[attr-defined]
    if kind in ("object", "interface"):
        for f in node.fields or ():  # type: ignore[attr-defined]
            if _named(f.directives, "inaccessible"):
                continue
            t.fields[f.name.value] = ApiField(
                f.name.value,
                print_ast(f.type),
                {
                    a.name.value: print_ast(a.type)
                    for a in f.arguments or ()
                    if not _named(a.directives, "inaccessible")
                },
            )
        t.interfaces = [i.name.value for i in node.interfaces or ()]  # type: ignore[attr-defined]
    elif kind == "union":
        t.members = [m.name.value for m in node.types or ()]  # type: ignore[attr-defined]
    elif kind == "enum":
        t.enum_values = [
            v.name.value
            for v in node.values or ()  # type: ignore[attr-defined]
            if not _named(v.directives, "inaccessible")
        ]
    elif kind == "input":
        t.input_fields = {
            f.name.value: print_ast(f.type)
            for f in node.fields or ()  # type: ignore[attr-defined]
            if not _named(f.directives, "inaccessible")
        }
    return t


def _extract(
    node: object, kind: str, graph_names: dict[str, str], subgraphs: dict[str, SubgraphView]
) -> None:
    name = node.name.value  # type: ignore[attr-defined]
    directives = node.directives  # type: ignore[attr-defined]
    in_graphs: dict[str, SubType] = {}
    for join_type in _named(directives, "join__type"):
        graph = graph_names.get(str(join_type["graph"]))
        if graph is None:
            continue
        interface_object = join_type.get("isInterfaceObject") is True
        sub = in_graphs.get(graph)
        if sub is None:
            sub = in_graphs[graph] = SubType(
                name, "object" if interface_object else kind, interface_object
            )
            subgraphs[graph].types[name] = sub
        key = join_type.get("key")
        if isinstance(key, str):
            sub.keys.append((key, join_type.get("resolvable") is not False))
    for implements in _named(directives, "join__implements"):
        graph = graph_names.get(str(implements["graph"]))
        if graph in in_graphs:
            in_graphs[graph].interfaces.append(str(implements["interface"]))
    if kind == "union":
        members = _named(directives, "join__unionMember")
        for sub_type in in_graphs.values():
            if not members:
                sub_type.members = [m.name.value for m in node.types or ()]  # type: ignore[attr-defined]
        for member in members:
            graph = graph_names.get(str(member["graph"]))
            if graph in in_graphs:
                in_graphs[graph].members.append(str(member["member"]))
    if kind not in ("object", "interface"):
        return
    for f in node.fields or ():  # type: ignore[attr-defined]
        joins = _named(f.directives, "join__field")
        field_type = print_ast(f.type)
        if not joins:
            for sub_type in in_graphs.values():
                sub_type.fields[f.name.value] = SubField(f.name.value, field_type)
            continue
        for joined in joins:
            graph = graph_names.get(str(joined.get("graph")))
            if graph is None or graph not in in_graphs:
                continue
            label = joined.get("overrideLabel")
            used_overridden = joined.get("usedOverridden") is True
            sub_field = SubField(
                f.name.value,
                str(joined["type"]) if isinstance(joined.get("type"), str) else field_type,
                external=joined.get("external") is True or (used_overridden and not label),
                requires=joined.get("requires")
                if isinstance(joined.get("requires"), str)
                else None,  # type: ignore[arg-type]
                provides=joined.get("provides")
                if isinstance(joined.get("provides"), str)
                else None,  # type: ignore[arg-type]
            )
            if isinstance(label, str):
                sub_field.override_condition = (label, isinstance(joined.get("override"), str))
            if used_overridden and not label:
                sub_field.overridden_by = "[overridden]"
            in_graphs[graph].fields[f.name.value] = sub_field
