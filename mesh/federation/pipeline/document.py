"""Parse and validate, each cached by query text, with limits checked before the expensive
validation rules run (a stranger's oversized query costs a parse, never a validation).

Validation is bounded for every caller: tokens, fields, selections per selection set, and the
pairs of fields the overlapping-fields rule would compare (:mod:`.complexity`), all checked in
one walk after parsing. What is left of a large document's cost is paid off the event loop, on
one worker thread, so that it delays other large documents rather than every request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

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
from mesh.federation.observe.metrics import CacheStats
from mesh.federation.pipeline.complexity import ComplexityLimits, check_complexity, check_text

# Documents longer than this are parsed and validated on the worker thread.
OFF_LOOP_BYTES = 4_096
T = TypeVar("T")


@dataclass(frozen=True)
class DocumentLimits:
    max_tokens: int = 5_000
    max_fields: int = 2_000  # field selections in the whole document, fragments counted once
    complexity: ComplexityLimits = field(default_factory=ComplexityLimits)


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
        *,
        parsed_stats: CacheStats | None = None,
        validated_stats: CacheStats | None = None,
    ) -> None:
        self.schema = schema
        self.limits = limits
        self.rules = (*specified_rules, *extra_rules)
        self._parsed: LRUCache[str, DocumentNode | GraphQLRequestError] = LRUCache(
            max(cache_size, 1)
        )
        self._valid: LRUCache[str, tuple[GraphQLError, ...]] = LRUCache(max(cache_size, 1))
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphql-document")
        # What this stage has done (parses and validations run, not served from the caches).
        self.parses = self.validations = 0
        self.off_loop = 0  # of those, how many ran on the worker thread
        self.parsed_stats = parsed_stats or CacheStats()
        self.validated_stats = validated_stats or CacheStats()
        self._answered_whole: LRUCache[str, DocumentNode] = LRUCache(max(cache_size, 1))

    async def parse(self, query: str, token_budget: int | None = None) -> DocumentNode:
        found = self._parsed.get(query)
        if found is None:
            self.parsed_stats.misses += 1
            found = await self._off_loop_if_large(query, lambda: self._parse(query, token_budget))
            if token_budget is None or not isinstance(found, QueryTooLarge):
                self._parsed[query] = found  # a budget refusal is the caller's, not the text's
        else:
            self.parsed_stats.hits += 1
        if isinstance(found, GraphQLRequestError):
            raise found
        return found

    def _parse(self, query: str, token_budget: int | None) -> DocumentNode | GraphQLRequestError:
        self.parses += 1
        max_tokens = self.limits.max_tokens
        if token_budget is not None:
            max_tokens = min(max_tokens, token_budget)
        if len(query) > OFF_LOOP_BYTES:  # large enough to hide a costly selection set
            try:
                check_text(query, self.limits.complexity)
            except GraphQLRequestError as refused:
                return refused
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
        try:
            check_complexity(document, self.limits.complexity)
        except GraphQLRequestError as refused:
            return refused
        return document

    def answered_whole(self, query: str, document: DocumentNode) -> DocumentNode:
        """The validated ``document`` without ``@defer``/``@stream`` (itself when it has none)."""
        if not _uses_incremental(query):
            return document
        found = self._answered_whole.get(query)
        if found is None:
            found = self._answered_whole[query] = visit(document, _WithoutIncremental())
        return found

    async def validate(self, query: str, document: DocumentNode) -> None:
        errors = self._valid.get(query)
        if errors is None:
            self.validated_stats.misses += 1
            errors = await self._off_loop_if_large(query, lambda: self._validate(document))
            self._valid[query] = errors
        else:
            self.validated_stats.hits += 1
        if errors:
            raise ValidationFailed(errors)

    def _validate(self, document: DocumentNode) -> tuple[GraphQLError, ...]:
        self.validations += 1
        return tuple(validate(self.schema, document, self.rules))

    async def _off_loop_if_large(self, query: str, work: Callable[[], T]) -> T:
        if len(query) <= OFF_LOOP_BYTES:
            return work()
        self.off_loop += 1
        return await asyncio.get_running_loop().run_in_executor(self._worker, work)

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)
