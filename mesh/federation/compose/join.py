"""The ``join__*`` vocabulary of the supergraph: how it says which subgraph holds what.

``@join__graph`` names each subgraph in the ``join__Graph`` enum; ``@join__type`` (with its
keys), ``@join__field``, ``@join__implements``, ``@join__unionMember`` and ``@join__enumValue``
record, per element, the subgraphs that define it and how.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graphql import BooleanValueNode, EnumValueNode, StringValueNode, ValueNode

from mesh.federation.compose.model import Directive

JOIN_TYPE = "join__type"
JOIN_FIELD = "join__field"
JOIN_IMPLEMENTS = "join__implements"
JOIN_UNION_MEMBER = "join__unionMember"
JOIN_ENUM_VALUE = "join__enumValue"
JOIN_GRAPH = "join__graph"


def graph_enum_names(subgraph_names: Sequence[str]) -> dict[str, str]:
    """Subgraph name -> its ``join__Graph`` value (``my-reviews`` -> ``MY_REVIEWS``)."""
    by_sanitized: dict[str, list[str]] = {}
    for name in subgraph_names:
        by_sanitized.setdefault(_sanitize(name), []).append(name)
    result: dict[str, str] = {}
    for sanitized, names in by_sanitized.items():
        if len(names) == 1:
            result[names[0]] = sanitized
        else:
            for index, name in enumerate(names, start=1):
                result[name] = f"{sanitized}_{index}"
    return result


def _sanitize(name: str) -> str:
    text = re.sub(r"\W", "_", name)
    if re.match(r"^\d", text):
        text = "_" + text
    if re.search(r"_\d+$", text):
        text += "_"
    return text.upper()


def join_directive(name: str, **args: str | bool | None) -> Directive:
    """A join directive; ``graph`` is an enum value, ``None`` arguments are left out."""
    nodes: dict[str, ValueNode] = {}
    for key, value in args.items():
        if value is None:
            continue
        if key == "graph" and isinstance(value, str):
            nodes[key] = EnumValueNode(value=value)
        elif isinstance(value, bool):
            nodes[key] = BooleanValueNode(value=value)
        else:
            nodes[key] = StringValueNode(value=value)
    return Directive(name, nodes)


def join_definitions(version: tuple[int, int]) -> list[str]:
    """The join spec's directive definitions for ``version`` (0.3, 0.4 or 0.5)."""
    field_args = (
        "graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, "
        "external: Boolean, override: String, usedOverridden: Boolean"
    )
    if version >= (0, 4):
        field_args += ", overrideLabel: String"
    if version >= (0, 5):
        field_args += ", contextArguments: [join__ContextArgument!]"
    definitions = [
        f"directive @join__field({field_args}) repeatable on FIELD_DEFINITION | "
        "INPUT_FIELD_DEFINITION",
        "directive @join__graph(name: String!, url: String!) on ENUM_VALUE",
        "directive @join__implements(graph: join__Graph!, interface: String!) repeatable on "
        "OBJECT | INTERFACE",
        "directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = "
        "false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on "
        "OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR",
        "directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION",
        "directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE",
    ]
    if version >= (0, 4):
        definitions.append(
            "directive @join__directive(graphs: [join__Graph!], name: String!, args: "
            "join__DirectiveArguments) repeatable on SCHEMA | OBJECT | INTERFACE | "
            "FIELD_DEFINITION"
        )
    return definitions


def join_types(version: tuple[int, int]) -> list[str]:
    types = ["scalar join__FieldSet"]
    if version >= (0, 4):
        types.append("scalar join__DirectiveArguments")
    if version >= (0, 5):
        types.append("scalar join__FieldValue")
        types.append(
            "input join__ContextArgument {\n  name: String!\n  type: String!\n  context: "
            "String!\n  selection: join__FieldValue!\n}"
        )
    return types
