"""Parse and validate, each cached by query text, with limits checked before the expensive
validation rules run (a stranger's oversized query costs a parse, never a validation)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cachetools import LRUCache
from graphql import (
    ASTValidationRule,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    parse,
    specified_rules,
    validate,
)
from graphql.language import REMOVE, Visitor, visit

from mesh.federation.errors import (
    GraphQLRequestError,
    ParseFailed,
    QueryTooLarge,
    ValidationFailed,
)


@dataclass(frozen=True)
class DocumentLimits:
    max_tokens: int = 5_000
    max_fields: int = 2_000  # field selections in the whole document, fragments counted once


class _FieldCounter(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def enter_field(self, _node: FieldNode, *_: object) -> None:
        self.count += 1


INCREMENTAL = frozenset({"defer", "stream"})


class _WithoutIncremental(Visitor):
    """Drops ``@defer`` and ``@stream``: the deferred parts are answered with the rest."""

    def enter_directive(self, node: DirectiveNode, *_: object) -> object:
        return REMOVE if node.name.value in INCREMENTAL else None


def _uses_incremental(query: str) -> bool:
    return "@defer" in query or "@stream" in query


class DocumentStage:
    """Parsed documents and validation outcomes, cached per query text."""

    def __init__(
        self,
        schema: GraphQLSchema,
        limits: DocumentLimits,
        extra_rules: Sequence[type[ASTValidationRule]] = (),
        cache_size: int = 512,
    ) -> None:
        self.schema = schema
        self.limits = limits
        self.rules = (*specified_rules, *extra_rules)
        self._parsed: LRUCache[str, DocumentNode | GraphQLRequestError] = LRUCache(
            max(cache_size, 1)
        )
        self._valid: LRUCache[str, tuple[GraphQLError, ...]] = LRUCache(max(cache_size, 1))
        self._answered_whole: LRUCache[str, DocumentNode] = LRUCache(max(cache_size, 1))

    def parse(self, query: str, token_budget: int | None = None) -> DocumentNode:
        found = self._parsed.get(query)
        if found is None:
            found = self._parse(query, token_budget)
            if token_budget is None or not isinstance(found, QueryTooLarge):
                self._parsed[query] = found  # a budget refusal is the caller's, not the text's
        if isinstance(found, GraphQLRequestError):
            raise found
        return found

    def _parse(self, query: str, token_budget: int | None) -> DocumentNode | GraphQLRequestError:
        max_tokens = self.limits.max_tokens
        if token_budget is not None:
            max_tokens = min(max_tokens, token_budget)
        try:
            document = parse(query, max_tokens=max_tokens)
        except GraphQLError as error:
            if "tokens" in error.message.lower():
                return QueryTooLarge(f"the operation is larger than {max_tokens} tokens")
            return ParseFailed(error)
        counter = _FieldCounter()
        visit(document, counter)
        if counter.count > self.limits.max_fields:
            return QueryTooLarge(
                f"the operation selects {counter.count} fields; the limit is "
                f"{self.limits.max_fields}"
            )
        return document

    def answered_whole(self, query: str, document: DocumentNode) -> DocumentNode:
        """The validated ``document`` without ``@defer``/``@stream`` (itself when it has none)."""
        if not _uses_incremental(query):
            return document
        found = self._answered_whole.get(query)
        if found is None:
            found = self._answered_whole[query] = visit(document, _WithoutIncremental())
        return found

    def validate(self, query: str, document: DocumentNode) -> None:
        errors = self._valid.get(query)
        if errors is None:
            errors = self._valid[query] = tuple(validate(self.schema, document, self.rules))
        if errors:
            raise ValidationFailed(errors)
