"""Compare two supergraph SDLs for meaning, not layout.

Both are reduced to a canonical form: per type its kind, description, interfaces, members; per
element its type, default, description, and its directives, join directives included, with
arguments sorted, defaults dropped (``resolvable: true``...) and field sets re-printed. Order of
fields and directives does not matter; anything else that differs is listed.
"""

from __future__ import annotations

import contextlib
from typing import Any

from graphql import (
    ConstDirectiveNode,
    DirectiveDefinitionNode,
    DocumentNode,
    SchemaDefinitionNode,
    StringValueNode,
    TypeDefinitionNode,
    parse,
    print_ast,
)

from mesh.federation.compose.field_set import FieldSetError, parse_field_set, printed_field_set

_DEFAULTS = {
    ("join__type", "extension"): "false",
    ("join__type", "resolvable"): "true",
    ("join__type", "isInterfaceObject"): "false",
}
_FIELD_SETS = {("join__type", "key"), ("join__field", "requires"), ("join__field", "provides")}


def _argument(directive: str, name: str, value: Any) -> str | None:
    printed = print_ast(value)
    if _DEFAULTS.get((directive, name)) == printed:
        return None
    if (directive, name) in _FIELD_SETS and isinstance(value, StringValueNode):
        with contextlib.suppress(FieldSetError):
            printed = repr(printed_field_set(parse_field_set(value.value)))
    return f"{name}: {printed}"


def _directive(node: ConstDirectiveNode) -> str:
    args = [_argument(node.name.value, a.name.value, a.value) for a in node.arguments or ()]
    kept = sorted(a for a in args if a is not None)
    return f"@{node.name.value}({', '.join(kept)})" if kept else f"@{node.name.value}"


def _directives(nodes: Any) -> tuple[str, ...]:
    return tuple(sorted(_directive(d) for d in nodes or ()))


def _description(node: Any) -> str | None:
    return node.description.value if getattr(node, "description", None) else None


def _input_value(node: Any) -> tuple[Any, ...]:
    default = print_ast(node.default_value) if node.default_value is not None else None
    return (print_ast(node.type), default, _description(node), _directives(node.directives))


def canonical(sdl: str) -> dict[str, Any]:
    document: DocumentNode = parse(sdl, no_location=True)
    result: dict[str, Any] = {"types": {}, "directives": {}, "schema": None}
    for node in document.definitions:
        if isinstance(node, SchemaDefinitionNode):
            roots = tuple(
                sorted((o.operation.value, o.type.name.value) for o in node.operation_types)
            )
            result["schema"] = (roots, _directives(node.directives), _description(node))
        elif isinstance(node, DirectiveDefinitionNode):
            args = tuple(sorted((a.name.value, _input_value(a)) for a in node.arguments or ()))
            locations = tuple(sorted(loc.value for loc in node.locations))
            result["directives"][node.name.value] = (
                args,
                locations,
                node.repeatable,
                _description(node),
            )
        elif isinstance(node, TypeDefinitionNode):
            result["types"][node.name.value] = _type(node)
    return result


def _type(node: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "kind": node.kind,
        "description": _description(node),
        "directives": _directives(node.directives),
    }
    if hasattr(node, "interfaces"):
        entry["interfaces"] = tuple(sorted(i.name.value for i in node.interfaces or ()))
    if hasattr(node, "types"):
        entry["members"] = tuple(sorted(t.name.value for t in node.types or ()))
    fields = {}
    for f in getattr(node, "fields", None) or ():
        if hasattr(f, "arguments"):
            args = tuple(sorted((a.name.value, _input_value(a)) for a in f.arguments or ()))
            fields[f.name.value] = (
                print_ast(f.type),
                _description(f),
                args,
                _directives(f.directives),
            )
        else:
            fields[f.name.value] = _input_value(f)
    if fields:
        entry["fields"] = fields
    values = {
        v.name.value: (_description(v), _directives(v.directives))
        for v in getattr(node, "values", None) or ()
    }
    if values:
        entry["values"] = values
    return entry


def supergraph_differences(ours: str, theirs: str) -> list[str]:
    """What differs in meaning between two supergraph SDLs (empty when equivalent)."""
    a, b = canonical(ours), canonical(theirs)
    problems: list[str] = []
    if a["schema"] != b["schema"]:
        problems.append(f"schema: ours {a['schema']} vs theirs {b['schema']}")
    for kind in ("directives", "types"):
        for name in sorted(set(a[kind]) | set(b[kind])):
            if name not in a[kind]:
                problems.append(f"{kind[:-1]} {name}: missing in ours")
            elif name not in b[kind]:
                problems.append(f"{kind[:-1]} {name}: only in ours")
            elif a[kind][name] != b[kind][name]:
                problems.extend(_element_differences(name, a[kind][name], b[kind][name]))
    return problems


def _element_differences(name: str, ours: Any, theirs: Any) -> list[str]:
    if not isinstance(ours, dict):
        return [f"{name}: ours {ours} vs theirs {theirs}"]
    problems = []
    for key in sorted(set(ours) | set(theirs)):
        if ours.get(key) == theirs.get(key):
            continue
        if (
            key in ("fields", "values")
            and isinstance(ours.get(key), dict)
            and isinstance(theirs.get(key), dict)
        ):
            for member in sorted(set(ours[key]) | set(theirs[key])):
                if ours[key].get(member) != theirs[key].get(member):
                    mine, other = ours[key].get(member), theirs[key].get(member)
                    problems.append(f"{name}.{member}: ours {mine} vs theirs {other}")
        else:
            problems.append(f"{name} {key}: ours {ours.get(key)} vs theirs {theirs.get(key)}")
    return problems
