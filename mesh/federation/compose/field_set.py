"""``fields:`` selections of ``@key``, ``@requires`` and ``@provides``: parse, walk, check.

A field set is a selection set without its braces (``"id owner { id }"``, ``"... on Car {
wheels }"``). It is checked against the type it applies to in one subgraph's schema: the
fields exist, leaves have no sub-selection, composites have one, no aliases, no directives,
arguments only where allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    print_ast,
)

from mesh.federation.compose.model import Directive, Field, Schema, base_type


class FieldSetError(Exception):
    def __init__(self, message: str, code_suffix: str = "INVALID_FIELDS") -> None:
        super().__init__(message)
        self.message = message
        self.code_suffix = code_suffix


def parse_field_set(text: str) -> SelectionSetNode:
    try:
        document = parse("{" + text + "}", no_location=True)
    except GraphQLSyntaxError as exc:
        raise FieldSetError(exc.message) from None
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return operation.selection_set


def fields_arg_of(directive: Directive) -> str:
    """The ``fields:`` string of a ``@key``/``@requires``/``@provides`` ("" when not a string)."""
    value = directive.arg("fields")
    return value if isinstance(value, str) else ""


def printed_field_set(selection_set: SelectionSetNode) -> str:
    """Canonical one-line text of a field set (``a b { c }``)."""
    return " ".join(_print_selection(s) for s in selection_set.selections)


def _print_selection(selection: object) -> str:
    text = print_ast(selection)  # type: ignore[arg-type]
    return " ".join(text.split())


@dataclass(frozen=True)
class Target:
    """A field a field set selects, with the type it was selected on."""

    type_name: str
    field: Field


def walk(
    schema: Schema,
    type_name: str,
    selection_set: SelectionSetNode,
    *,
    implementations: bool = False,
) -> Iterator[Target]:
    """Fields a field set selects, leniently: unknown fields and types are skipped."""
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            found = schema.field(type_name, selection.name.value)
            if found is None:
                continue
            yield Target(type_name, found)
            if implementations and schema.types[type_name].kind == "interface":
                for impl in schema.implementations(type_name):
                    impl_field = impl.fields.get(found.name)
                    if impl_field is not None:
                        yield Target(impl.name, impl_field)
            if selection.selection_set is not None:
                child = base_type(found.type)
                if child in schema.types:
                    yield from walk(
                        schema, child, selection.selection_set, implementations=implementations
                    )
        elif isinstance(selection, InlineFragmentNode):
            target = selection.type_condition.name.value if selection.type_condition else type_name
            if target in schema.types:
                yield from walk(
                    schema, target, selection.selection_set, implementations=implementations
                )


def targets(
    schema: Schema, type_name: str, text: str, *, implementations: bool = False
) -> list[Target]:
    try:
        selection_set = parse_field_set(text)
    except FieldSetError:
        return []
    return list(walk(schema, type_name, selection_set, implementations=implementations))


@dataclass
class FieldSetRules:
    directive: str  # "key", "requires" or "provides"
    allow_arguments: bool
    is_external: Callable[[Field], bool]
    check_external: bool  # leaves must be @external (fed 2 @requires / @provides)
    reject_abstract: bool = False  # @key: no interface or union fields


def check(schema: Schema, type_name: str, text: str, rules: FieldSetRules) -> list[FieldSetError]:
    """Every problem with ``text`` applied on ``type_name``; empty when it is valid."""
    try:
        selection_set = parse_field_set(text)
    except FieldSetError as exc:
        return [exc]
    problems: list[FieldSetError] = []
    try:
        _check_selections(schema, type_name, selection_set, rules, False, problems)
    except FieldSetError as exc:
        problems.append(exc)
    return problems


def _check_selections(
    schema: Schema,
    type_name: str,
    selection_set: SelectionSetNode,
    rules: FieldSetRules,
    external_parent: bool,
    problems: list[FieldSetError],
) -> None:
    parent = schema.types[type_name]
    for selection in selection_set.selections:
        if isinstance(selection, FragmentSpreadNode):
            raise FieldSetError(
                f'Invalid fragment spread "...{selection.name.value}": named fragments are '
                "not supported in field sets"
            )
        if selection.directives:
            applied = ", ".join(f"@{d.name.value}" for d in selection.directives)
            problems.append(
                FieldSetError(
                    f"cannot have directive applications in the @{rules.directive}(fields:) "
                    f"argument but found {applied}.",
                    "DIRECTIVE_IN_FIELDS_ARG",
                )
            )
        if isinstance(selection, InlineFragmentNode):
            target = type_name
            if selection.type_condition is not None:
                target = selection.type_condition.name.value
                if target not in schema.types:
                    raise FieldSetError(f'Unknown type "{target}"')
                possible = set(schema.possible_runtime_types(type_name)) | {type_name}
                if not set(schema.possible_runtime_types(target)) & possible:
                    raise FieldSetError(
                        f'Fragment cannot be spread here as objects of type "{type_name}" '
                        f'can never be of type "{target}".'
                    )
            _check_selections(
                schema, target, selection.selection_set, rules, external_parent, problems
            )
            continue
        assert isinstance(selection, FieldNode)
        name = selection.name.value
        if selection.alias is not None:
            raise FieldSetError(
                f'Cannot use alias "{selection.alias.value}" in "{_print_selection(selection)}": '
                f"aliases are not currently supported in @{rules.directive}"
            )
        if name == "__typename":
            continue
        found = parent.fields.get(name) if parent.kind in ("object", "interface") else None
        if found is None:
            hint = (
                " (the field should either be added to this subgraph or, if it should not be "
                "resolved by this subgraph, you need to add it to this subgraph with @external)"
                if rules.directive == "key"
                else " (if the field is defined in another subgraph, you need to add it to "
                "this subgraph with @external)"
            )
            raise FieldSetError(f'Cannot query field "{name}" on type "{type_name}"{hint}.')
        child_name = base_type(found.type)
        child = schema.types.get(child_name)
        if rules.reject_abstract and child is not None and child.kind in ("union", "interface"):
            kind = "Union" if child.kind == "union" else "Interface"
            raise FieldSetError(
                f'field "{found.coordinate}" is a {kind} type which is not allowed in @key',
                "KEY_FIELDS_SELECT_INVALID_TYPE",
            )
        _check_arguments(found, selection, rules, problems)
        is_external = rules.is_external(found)
        leaf = child is None or not child.is_composite
        if leaf and selection.selection_set is not None:
            raise FieldSetError(
                f'Field "{name}" must not have a selection since type "{found.type}" has no '
                "subfields."
            )
        if not leaf and selection.selection_set is None:
            raise FieldSetError(
                f'Field "{name}" of type "{found.type}" must have a selection of subfields. '
                f'Did you mean "{name} {{ ... }}"?'
            )
        leaf_must_be_external = (
            rules.check_external and selection.selection_set is None and not external_parent
        )
        if leaf_must_be_external and not is_external:
            problems.append(
                FieldSetError(
                    f'field "{found.coordinate}" should not be part of a '
                    f"@{rules.directive} since it is already provided by this subgraph "
                    "(it is not marked @external)",
                    "FIELDS_MISSING_EXTERNAL",
                )
            )
        if selection.selection_set is not None:
            nested_external = external_parent or is_external
            if not nested_external and parent.kind == "interface":
                nested_external = any(
                    impl.fields.get(name) is not None and rules.is_external(impl.fields[name])
                    for impl in schema.implementations(type_name)
                )
            _check_selections(
                schema, child_name, selection.selection_set, rules, nested_external, problems
            )


def _check_arguments(
    found: Field, selection: FieldNode, rules: FieldSetRules, problems: list[FieldSetError]
) -> None:
    if found.args and not rules.allow_arguments:
        problems.append(
            FieldSetError(
                f"field {found.coordinate} cannot be included because it has arguments (fields "
                f"with argument are not allowed in @{rules.directive})",
                "FIELDS_HAS_ARGS",
            )
        )
        return
    given = {a.name.value for a in selection.arguments or ()}
    for given_name in given:
        if given_name not in found.args:
            raise FieldSetError(
                f'Unknown argument "{given_name}" found in value: "{found.coordinate}" has no '
                f'argument "{given_name}".'
            )
    for arg in found.args.values():
        if arg.required and arg.name not in given:
            raise FieldSetError(
                f'Missing mandatory value for argument "{arg.name}" of field '
                f'"{found.coordinate}" in selection "{_print_selection(selection)}"'
            )
