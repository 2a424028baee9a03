"""Printing the merged supergraph as standard supergraph SDL (``@link`` + ``join__*``).

The layout follows what @apollo/composition prints (a ``schema`` block with the ``@link``s,
directive definitions, then types sorted by name, directives of a type one per line), so a
supergraph from us diffs cleanly against one from ``rover``.
"""

from __future__ import annotations

from graphql import StringValueNode, print_ast
from graphql.language.block_string import is_printable_as_block_string

from mesh.federation.compose.composed_directives import DEFAULT_COMPOSED
from mesh.federation.compose.join import join_definitions, join_types
from mesh.federation.compose.merge import MergedSupergraph
from mesh.federation.compose.model import (
    BUILT_IN_SCALARS,
    Directive,
    DirectiveDefinition,
    EnumValue,
    Field,
    InputValue,
    NamedType,
)

_ALL = (
    "FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | "
    "ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"
)
_AUTH = "FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"
# spec -> (version, purpose, definition template with {name}, extra type definitions)
_SPECS: dict[str, tuple[str, str | None, str, list[str]]] = {
    "tag": (
        "v0.3",
        None,
        "directive @{name}(name: String!) repeatable on " + _ALL + " | SCHEMA",
        [],
    ),
    "inaccessible": ("v0.2", "SECURITY", "directive @{name} on " + _ALL, []),
    "authenticated": ("v0.1", "SECURITY", "directive @{name} on " + _AUTH, []),
    "requiresScopes": (
        "v0.1",
        "SECURITY",
        "directive @{name}(scopes: [[{ns}__Scope!]!]!) on " + _AUTH,
        ["scalar {ns}__Scope"],
    ),
    "policy": (
        "v0.1",
        "SECURITY",
        "directive @{name}(policies: [[{ns}__Policy!]!]!) on " + _AUTH,
        ["scalar {ns}__Policy"],
    ),
    "cost": (
        "v0.1",
        None,
        "directive @{name}(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | "
        "INPUT_FIELD_DEFINITION | OBJECT | SCALAR",
        [],
    ),
    "listSize": (
        "v0.1",
        None,
        "directive @{name}(assumedSize: Int, slicingArguments: [String!], sizedFields: "
        "[String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION",
        [],
    ),
}
_LINK_PURPOSE = '''enum link__Purpose {
  """
  `SECURITY` features provide metadata necessary to securely resolve fields.
  """
  SECURITY

  """
  `EXECUTION` features provide metadata necessary for operation execution.
  """
  EXECUTION
}'''


def print_supergraph(supergraph: MergedSupergraph) -> str:
    schema = supergraph.schema
    links = [
        '@link(url: "https://specs.apollo.dev/link/v1.0")',
        f'@link(url: "https://specs.apollo.dev/join/v{supergraph.join_version[0]}.'
        f'{supergraph.join_version[1]}", for: EXECUTION)',
    ]
    definitions: list[str] = [
        "directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) "
        "repeatable on SCHEMA",
        *join_definitions(supergraph.join_version),
    ]
    types: list[tuple[str, str]] = []
    # One @link per spec; a directive is imported when its name here is not the spec's default
    # (the spec's own name for its namesake directive, else ``spec__name``).
    by_identity: dict[str, list[tuple[str, str]]] = {}
    for spec, name in supergraph.composed.federation.items():
        by_identity.setdefault(DEFAULT_COMPOSED[spec][0], []).append((spec, name))
        definitions.append(_SPECS[spec][2].format(name=name, ns=spec))
        types.extend((t.split()[1], t.format(ns=spec)) for t in _SPECS[spec][3])
    for identity, members in by_identity.items():
        feature = identity.rsplit("/", 1)[1]
        version, purpose = _SPECS[members[0][0]][:2]
        imports = []
        for spec, name in members:
            default = feature if spec == feature else f"{feature}__{spec}"
            if name != default:
                imports.append(
                    f'"@{spec}"' if name == spec else f'{{name: "@{spec}", as: "@{name}"}}'
                )
        link = f'@link(url: "{identity}/{version}"'
        if imports:
            link += f", import: [{', '.join(imports)}]"
        if purpose:
            link += f", for: {purpose}"
        links.append(link + ")")
    for url, custom_imports in supergraph.composed.custom_links:
        printed = ", ".join(
            f'"@{spec}"' if spec == local else f'{{name: "@{spec}", as: "@{local}"}}'
            for spec, local in custom_imports
        )
        links.append(f'@link(url: "{url}", import: [{printed}])')
    for definition in schema.directive_definitions.values():
        definitions.append(
            _description(definition.description, "") + _directive_definition(definition)
        )
    roots = "\n".join(f"  {op}: {name}" for op, name in schema.roots.items())
    head = _description(schema.description, "") + "schema\n"
    head += "".join(f"  {link}\n" for link in links)
    applied = [d for d in schema.schema_directives]
    head += "".join(f"  {d.printed()}\n" for d in applied)
    head += "{\n" + roots + "\n}"
    types.append(("join__Graph", _graph_enum(supergraph)))
    types.extend((t.split()[1], t) for t in join_types(supergraph.join_version))
    types.append(("link__Import", "scalar link__Import"))
    types.append(("link__Purpose", _LINK_PURPOSE))
    for named in schema.types.values():
        if named.name not in BUILT_IN_SCALARS:
            types.append((named.name, print_type(named)))
    definitions.sort(key=lambda d: _sort_key(d.split("@", 1)[1].split("(")[0].split()[0]))
    types.sort(key=lambda pair: _sort_key(pair[0]))
    return "\n\n".join([head, *definitions, *(t for _, t in types)]) + "\n"


def _sort_key(name: str) -> tuple[str, str]:
    return (name.lower(), name)


def _graph_enum(supergraph: MergedSupergraph) -> str:
    values = [
        f'  {supergraph.graph_names[s.name]} @join__graph(name: "{s.name}", url: '
        f"{print_ast(StringValueNode(value=s.url))})"
        for s in supergraph.subgraphs
    ]
    return "enum join__Graph {\n" + "\n".join(values) + "\n}"


def _description(description: str | None, indentation: str, first: bool = True) -> str:
    if description is None:
        return ""
    block = print_ast(
        StringValueNode(value=description, block=is_printable_as_block_string(description))
    )
    prefix = "\n" + indentation if indentation and not first else indentation
    return prefix + block.replace("\n", "\n" + indentation) + "\n"


def _directives_inline(directives: list[Directive]) -> str:
    return "".join(f" {d.printed()}" for d in directives)


def _directives_block(directives: list[Directive]) -> str:
    return "".join(f"\n  {d.printed()}" for d in directives)


def _input_value(value: InputValue) -> str:
    text = f"{value.name}: {value.type}"
    if value.default is not None:
        text += f" = {print_ast(value.default)}"
    return text + _directives_inline(value.directives)


def _arguments(args: dict[str, InputValue], indentation: str) -> str:
    if not args:
        return ""
    if all(a.description is None for a in args.values()):
        return "(" + ", ".join(_input_value(a) for a in args.values()) + ")"
    lines = [
        _description(a.description, f"  {indentation}", i == 0)
        + f"  {indentation}"
        + _input_value(a)
        for i, a in enumerate(args.values())
    ]
    return "(\n" + "\n".join(lines) + f"\n{indentation})"


def _field(f: Field, first: bool) -> str:
    return (
        _description(f.description, "  ", first)
        + f"  {f.name}{_arguments(f.args, '  ')}: {f.type}{_directives_inline(f.directives)}"
    )


def _enum_value(value: EnumValue, first: bool) -> str:
    return (
        _description(value.description, "  ", first)
        + f"  {value.name}"
        + _directives_inline(value.directives)
    )


def print_type(named: NamedType) -> str:
    head = _description(named.description, "")
    keyword = {
        "scalar": "scalar",
        "object": "type",
        "interface": "interface",
        "union": "union",
        "enum": "enum",
        "input": "input",
    }[named.kind]
    head += f"{keyword} {named.name}"
    if named.interfaces:
        head += " implements " + " & ".join(named.interfaces)
    head += _directives_block(named.directives)
    if named.kind == "scalar":
        return head
    if named.kind == "union":
        return head + ("\n =" if named.directives else " =") + " " + " | ".join(named.members)
    if named.kind in ("object", "interface"):
        items = [_field(f, i == 0) for i, f in enumerate(named.fields.values())]
    elif named.kind == "enum":
        items = [_enum_value(v, i == 0) for i, v in enumerate(named.values.values())]
    else:
        items = [
            _description(v.description, "  ", i == 0) + "  " + _input_value(v)
            for i, v in enumerate(named.input_fields.values())
        ]
    opener = "\n{" if named.directives else " {"
    return head + opener + "\n" + "\n".join(items) + "\n}"


def _directive_definition(definition: DirectiveDefinition) -> str:
    text = f"directive @{definition.name}{_arguments(definition.args, '')}"
    if definition.repeatable:
        text += " repeatable"
    return text + " on " + " | ".join(definition.locations)
