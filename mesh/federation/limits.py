"""Operation limits (depth, aliases, reserved aliases) as graphql-core validation rules; token
limits are enforced by the parser itself (``max_tokens``)."""

from __future__ import annotations

from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
)


def depth_limit(max_depth: int) -> type[ASTValidationRule]:
    class MaxDepth(ASTValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            depth = self._depth(node.selection_set, 0, set())
            if depth > max_depth:
                self.report_error(
                    GraphQLError(
                        f"query depth {depth} exceeds the limit of {max_depth}",
                        node,
                        extensions={"code": "QUERY_TOO_DEEP", "limit": max_depth},
                    )
                )

        def _depth(
            self, selection_set: SelectionSetNode | None, depth: int, visiting: set[str]
        ) -> int:
            if selection_set is None:
                return depth
            deepest = depth
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    if selection.name.value.startswith("__"):
                        continue  # introspection is bounded by the schema itself
                    deepest = max(
                        deepest, self._depth(selection.selection_set, depth + 1, visiting)
                    )
                elif isinstance(selection, InlineFragmentNode):
                    deepest = max(deepest, self._depth(selection.selection_set, depth, visiting))
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.context.get_fragment(name)
                    if fragment is not None and name not in visiting:
                        deepest = max(
                            deepest, self._depth(fragment.selection_set, depth, visiting | {name})
                        )
            return deepest

    return MaxDepth


def alias_limit(max_aliases: int) -> type[ASTValidationRule]:
    class MaxAliases(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.count = 0
            self.reported = False

        def enter_field(self, node: FieldNode, *_: Any) -> None:
            if node.alias is None:
                return
            self.count += 1
            if self.count > max_aliases and not self.reported:
                self.reported = True
                self.report_error(
                    GraphQLError(
                        f"the operation uses more than {max_aliases} aliases",
                        node,
                        extensions={"code": "TOO_MANY_ALIASES", "limit": max_aliases},
                    )
                )

    return MaxAliases


def reserved_aliases(*prefixes: str) -> type[ASTValidationRule]:
    """Aliases starting with one of ``prefixes`` belong to someone else: ``__`` to GraphQL and
    the engine (which reads an entity's type from ``__typename``), a gateway's prefix to its
    own internal selections (e.g. the opt-out status it fetches next to health data). A client
    using one could shadow them."""

    class ReservedAliases(ASTValidationRule):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            alias = node.alias.value if node.alias is not None else ""
            prefix = next((p for p in prefixes if alias.startswith(p)), None)
            if prefix is not None:
                self.report_error(
                    GraphQLError(
                        f"aliases starting with {prefix!r} are reserved",
                        node,
                        extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
                    )
                )

    return ReservedAliases
