"""The plain GraphQL rules every subgraph must pass, checked by graphql-core.

The subgraph document is checked as SDL (known types and directives, directive locations and
arguments, unique names) and then built and checked as a schema (interfaces implemented
correctly, union members are objects, input and output types in their places). Federation's own
definitions are supplied under the names the subgraph uses for them, and a type that is only
``extend``ed here counts as defined, as federation allows.
"""

from __future__ import annotations

import functools
from typing import Any

from graphql import (
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    GraphQLError,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    Node,
    ObjectTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    UnionTypeDefinitionNode,
    build_ast_schema,
    parse,
    validate_schema,
)
from graphql.validation import PossibleTypeExtensionsRule
from graphql.validation.specified_rules import specified_sdl_rules
from graphql.validation.validate import validate_sdl

from mesh.federation.compose.sdl_reader import EXTENSION_NODES, KIND_OF_NODE

_DEFINITION_OF_KIND: dict[str, type[Node]] = {
    "scalar": ScalarTypeDefinitionNode,
    "object": ObjectTypeDefinitionNode,
    "interface": InterfaceTypeDefinitionNode,
    "union": UnionTypeDefinitionNode,
    "enum": EnumTypeDefinitionNode,
    "input": InputObjectTypeDefinitionNode,
}
_SDL_RULES = [rule for rule in specified_sdl_rules if rule is not PossibleTypeExtensionsRule]

_ALL_LOCATIONS = (
    "FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | "
    "ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"
)
_AUTH_LOCATIONS = "FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"


def federation_definitions(
    directives: dict[str, str], types: dict[str, str], version: tuple[int, int]
) -> str:
    """SDL defining the federation directives under the names this subgraph uses for them."""
    field_set = types.get("FieldSet", "FieldSet")
    scope = types.get("Scope", "federation__Scope")
    policy = types.get("Policy", "federation__Policy")
    context_value = types.get("ContextFieldValue", "federation__ContextFieldValue")
    shareable_repeatable = " repeatable" if version >= (2, 2) else ""
    tag_locations = _ALL_LOCATIONS + (" | SCHEMA" if version >= (2, 3) else "")
    label = ", label: String" if version >= (2, 7) else ""
    specs = {
        "key": f"(fields: {field_set}!, resolvable: Boolean = true) repeatable on "
        "OBJECT | INTERFACE",
        "requires": f"(fields: {field_set}!) on FIELD_DEFINITION",
        "provides": f"(fields: {field_set}!) on FIELD_DEFINITION",
        "external": "(reason: String) on OBJECT | FIELD_DEFINITION",
        "tag": f"(name: String!) repeatable on {tag_locations}",
        "extends": " on OBJECT | INTERFACE",
        "shareable": f"{shareable_repeatable} on OBJECT | FIELD_DEFINITION",
        "inaccessible": f" on {_ALL_LOCATIONS}",
        "override": f"(from: String!{label}) on FIELD_DEFINITION",
        "composeDirective": "(name: String) repeatable on SCHEMA",
        "interfaceObject": " on OBJECT",
        "authenticated": f" on {_AUTH_LOCATIONS}",
        "requiresScopes": f"(scopes: [[{scope}!]!]!) on {_AUTH_LOCATIONS}",
        "policy": f"(policies: [[{policy}!]!]!) on {_AUTH_LOCATIONS}",
        "context": "(name: String!) repeatable on INTERFACE | OBJECT | UNION",
        "fromContext": f"(field: {context_value}) on ARGUMENT_DEFINITION",
        "cost": "(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | "
        "INPUT_FIELD_DEFINITION | OBJECT | SCALAR",
        "listSize": "(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], "
        "requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION",
        "cacheTag": "(format: String!) repeatable on OBJECT | FIELD_DEFINITION",
    }
    lines = [
        f"directive @{directives[name]}{spec}" for name, spec in specs.items() if name in directives
    ]
    lines.append(
        "directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) "
        "repeatable on SCHEMA"
    )
    lines.append("scalar link__Import")
    lines.append("enum link__Purpose { SECURITY EXECUTION }")
    for name in {field_set, scope, policy, context_value}:
        lines.append(f"scalar {name}")
    return "\n".join(lines)


@functools.lru_cache(maxsize=64)
def _parsed(sdl: str) -> tuple[Any, ...]:
    """Federation definitions, parsed once per distinct version and naming."""
    return tuple(parse(sdl, no_location=True).definitions)


def _as_definition(node: Any) -> Any:
    kind = KIND_OF_NODE[type(node)]
    definition = _DEFINITION_OF_KIND[kind]
    values = {key: getattr(node, key, None) for key in definition.keys if key != "loc"}
    values["description"] = None
    return definition(**{k: v for k, v in values.items() if k in definition.keys})


def _without(node: Any, field_names: set[str]) -> Any:
    values = {key: getattr(node, key) for key in node.keys if key != "loc"}
    values["fields"] = tuple(f for f in node.fields or () if f.name.value not in field_names)
    return type(node)(**values)


def graphql_errors(
    document: DocumentNode,
    *,
    skip_types: set[str],
    skip_directives: set[str],
    skip_query_fields: set[str],
    query_type: str,
    federation_sdl: str,
) -> list[GraphQLError]:
    """graphql-core's complaints about a subgraph document (empty when it is valid GraphQL)."""
    definitions: list[Any] = []
    nodes: list[Any] = list(document.definitions)
    defined = {
        node.name.value
        for node in nodes
        if type(node) in KIND_OF_NODE and not isinstance(node, EXTENSION_NODES)
    }
    promoted: set[str] = set()
    for node in nodes:
        if type(node) in KIND_OF_NODE:
            name = node.name.value
            if name in skip_types:
                continue
            if name == query_type and skip_query_fields and getattr(node, "fields", None):
                node = _without(node, skip_query_fields)
            if isinstance(node, EXTENSION_NODES) and name not in defined and name not in promoted:
                promoted.add(name)
                node = _as_definition(node)
        elif isinstance(node, DirectiveDefinitionNode) and node.name.value in skip_directives:
            continue
        definitions.append(node)
    definitions.extend(_parsed(federation_sdl))
    full = DocumentNode(definitions=tuple(definitions))
    errors = validate_sdl(full, rules=_SDL_RULES)
    if errors:
        return list(errors)
    try:
        schema = build_ast_schema(full, assume_valid_sdl=True)
    except (GraphQLError, TypeError) as exc:
        return [exc if isinstance(exc, GraphQLError) else GraphQLError(str(exc))]
    # A subgraph may have no query root at all (federation only needs one across subgraphs).
    return [e for e in validate_schema(schema) if e.message != "Query root type must be provided."]
