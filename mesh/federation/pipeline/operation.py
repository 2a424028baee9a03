"""The one operation a request runs: chosen by name, its kind checked, its variables coerced."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.execution.values import get_variable_values
from graphql.language import Lexer, Source, TokenKind
from graphql.utilities import get_operation_ast

from mesh.federation.errors import BadUserInput, MethodNotAllowed, OperationResolutionFailure

INTROSPECTION_FIELDS = frozenset({"__schema", "__type", "__typename"})


@dataclass(frozen=True)
class PreparedOperation:
    """A validated document and the operation in it that this request runs."""

    query: str
    document: DocumentNode
    operation: OperationDefinitionNode
    operation_name: str | None
    variables: dict[str, Any]  # as the client sent them (JSON), after coercion succeeded
    request_id: str = ""  # the pipeline's id for this request (logs, subgraphs, a policy's)

    @property
    def kind(self) -> str:
        return self.operation.operation.value


def operation_in(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode:
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        raise OperationResolutionFailure(
            f"unknown operation {operation_name!r}"
            if operation_name
            else "the document has several operations: give operationName"
        )
    return operation


def is_introspection_only(document: DocumentNode, operation: OperationDefinitionNode) -> bool:
    """Whether the operation selects nothing but ``__schema``, ``__type`` and ``__typename`` at
    its root (fragments followed): it reads the schema, never data. Works on unvalidated ASTs
    (an unknown fragment makes it False)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }

    def only_schema(selection_set: SelectionSetNode, seen: frozenset[str]) -> bool:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value not in INTROSPECTION_FIELDS:
                    return False
            elif isinstance(selection, InlineFragmentNode):
                if not only_schema(selection.selection_set, seen):
                    return False
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is None or name in seen:
                    return False
                if not only_schema(fragment.selection_set, seen | {name}):
                    return False
        return True

    return only_schema(operation.selection_set, frozenset())


def may_be_schema_only(query: str) -> bool:
    """Without parsing, whether an operation might read only the schema: False as soon as the
    lexer meets a root field of an operation that is not ``__schema``, ``__type`` or
    ``__typename`` (usually the first one), so a stranger's data query is refused after a few
    tokens. True when it cannot tell (fragments at the root, a syntax error): parse then."""
    lexer = Lexer(Source(query))
    depth = parens = 0
    in_fragment_definition = False
    previous: TokenKind | None = None
    previous_value: str | None = None
    try:
        token = lexer.advance()
        while token.kind is not TokenKind.EOF:
            kind = token.kind
            if kind is TokenKind.BRACE_L:
                depth += 1
            elif kind is TokenKind.BRACE_R:
                depth -= 1
                in_fragment_definition = in_fragment_definition and depth > 0
            elif kind is TokenKind.PAREN_L:
                parens += 1
            elif kind is TokenKind.PAREN_R:
                parens -= 1
            elif kind is TokenKind.NAME and depth == 0 and token.value == "fragment":
                in_fragment_definition = True
            elif (
                kind is TokenKind.NAME
                and depth == 1
                and parens == 0
                and not in_fragment_definition
                and previous not in (TokenKind.AT, TokenKind.SPREAD)
                and token.value != "on"
                and previous_value != "on"  # a type condition
                and lexer.lookahead().kind is not TokenKind.COLON  # an alias
                and token.value not in INTROSPECTION_FIELDS
            ):
                return False
            previous, previous_value = kind, token.value
            token = lexer.advance()
    except GraphQLError:
        return True
    return True


def prepare_operation(
    schema: GraphQLSchema,
    query: str,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    *,
    allow_mutations: bool,
    request_id: str = "",
) -> PreparedOperation:
    operation = operation_in(document, operation_name)
    if operation.operation.value == "mutation" and not allow_mutations:
        raise MethodNotAllowed("mutations need POST")
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables or {})
    if isinstance(coerced, list):
        raise BadUserInput(coerced)
    return PreparedOperation(
        query, document, operation, operation_name, dict(variables or {}), request_id
    )
