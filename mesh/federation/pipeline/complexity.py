"""What validating an operation would cost, bounded before any validation rule runs.

graphql-core's overlapping-fields rule compares every pair of fields that share a response key
in a selection set — after fragments are spread and same-named fields' sub-selections merged —
so one field repeated 1,000 times costs half a million comparisons (seconds of CPU), and
fragments spread in several places multiply. This walks the operation once, as that rule will,
and stops as soon as a bound is passed: selections in one selection set, fields once fragments
are spread, and pairs of fields the merge check would compare.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.language import Lexer, Source, TokenKind

from mesh.federation.errors import QueryTooComplex

MAX_NESTING = 64  # deeper than any depth limit: the walk stops there (validation reports it)


@dataclass(frozen=True)
class ComplexityLimits:
    max_selections: int = 100  # selections (fields and fragments) in one selection set
    max_spread_fields: int = 5_000  # fields once every fragment is spread where it is used
    max_merge_pairs: int = 2_000  # pairs of same-keyed fields the merge check would compare


class _Walk:
    def __init__(self, document: DocumentNode, limits: ComplexityLimits) -> None:
        self.limits = limits
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.spread_fields = 0
        self.pairs = 0

    def grouped(
        self,
        selection_set: SelectionSetNode,
        into: dict[str, list[FieldNode]],
        seen: frozenset[str],
    ) -> None:
        """The fields of a selection set by response key, fragments spread (cycles skipped:
        validation reports them)."""
        if len(selection_set.selections) > self.limits.max_selections:
            raise QueryTooComplex(
                f"a selection set has {len(selection_set.selections)} selections; the limit "
                f"is {self.limits.max_selections}"
            )
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self.spread_fields += 1
                if self.spread_fields > self.limits.max_spread_fields:
                    raise QueryTooComplex(
                        "the operation has more than "
                        f"{self.limits.max_spread_fields} fields once its fragments are spread"
                    )
                key = (selection.alias or selection.name).value
                into.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                self.grouped(selection.selection_set, into, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    self.grouped(fragment.selection_set, into, seen | {name})

    def merged(self, selection_sets: list[SelectionSetNode], nesting: int) -> None:
        """One merged selection set (the sub-selections of same-keyed fields together)."""
        if nesting > MAX_NESTING:
            return
        groups: dict[str, list[FieldNode]] = {}
        for selection_set in selection_sets:
            self.grouped(selection_set, groups, frozenset())
        for fields in groups.values():
            self.pairs += len(fields) * (len(fields) - 1) // 2
            if self.pairs > self.limits.max_merge_pairs:
                raise QueryTooComplex(
                    "the operation repeats fields so often that checking they can be merged "
                    f"would compare more than {self.limits.max_merge_pairs} pairs"
                )
            children = [f.selection_set for f in fields if f.selection_set is not None]
            if children:
                self.merged(children, nesting + 1)


def check_text(query: str, limits: ComplexityLimits) -> None:
    """Before parsing (lexing costs a third of parsing, and this stops at the first selection
    set over the limit): raise QueryTooComplex when one selection set has more selections
    than ``limits.max_selections``. Anything the lexer cannot read is left to the parser."""
    lexer = Lexer(Source(query))
    counts: list[int] = []  # selections so far in each open selection set
    parens = 0
    previous: TokenKind | None = None
    previous_value: str | None = None
    try:
        token = lexer.advance()
        while token.kind is not TokenKind.EOF:
            kind = token.kind
            if kind is TokenKind.BRACE_L:
                counts.append(0)
            elif kind is TokenKind.BRACE_R:
                if counts:
                    counts.pop()
            elif kind is TokenKind.PAREN_L:
                parens += 1
            elif kind is TokenKind.PAREN_R:
                parens -= 1
            elif (
                counts
                and parens == 0
                and (kind is TokenKind.NAME or kind is TokenKind.SPREAD)
                and previous not in (TokenKind.AT, TokenKind.SPREAD)
                and previous_value != "on"
                and (kind is TokenKind.SPREAD or lexer.lookahead().kind is not TokenKind.COLON)
            ):
                # a field (after its alias, if any), a fragment spread or an inline fragment
                counts[-1] += 1
                if counts[-1] > limits.max_selections:
                    raise QueryTooComplex(
                        f"a selection set has more than {limits.max_selections} selections"
                    )
            previous, previous_value = kind, token.value
            token = lexer.advance()
    except GraphQLError:
        return


def check_complexity(document: DocumentNode, limits: ComplexityLimits) -> None:
    """Raise QueryTooComplex when validating ``document`` would cost more than ``limits``."""
    walk = _Walk(document, limits)
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            walk.merged([definition.selection_set], 0)
