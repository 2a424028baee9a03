"""Applying the access directives to one request: decide what the caller may not see, take
it out of the operation, and answer it ``null`` with an error.

A denied field is replaced in the operation by ``__typename`` under the same response key
(same directives): the plan asks no subgraph for it, selection sets stay valid, and the
shaped answer has a value exactly where the field would have been (type conditions and
``@skip``/``@include`` honoured by the executor), which is then set to ``null`` with an
``UNAUTHORIZED_FIELD_OR_TYPE`` error. Like Apollo Router, a denied field is ``null`` even
when its type is non-null: the rest of the answer is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    visit,
)

from mesh.federation.access.claims import ClaimsSource, NoClaims
from mesh.federation.access.rules import AccessRules, Coordinate

UNAUTHORIZED = "UNAUTHORIZED_FIELD_OR_TYPE"
TYPENAME = "__typename"


@dataclass(frozen=True, slots=True)
class AccessDecision:
    denied: frozenset[Coordinate] = frozenset()

    @property
    def restricts(self) -> bool:
        return bool(self.denied)


OPEN = AccessDecision()


@dataclass(frozen=True, slots=True)
class GuardedDocument:
    document: DocumentNode
    markers: frozenset[int]  # ids of the FieldNodes standing in for denied fields

    @property
    def changed(self) -> bool:
        return bool(self.markers)


class _StandIn(Visitor):
    def __init__(self, type_info: TypeInfo, denied: frozenset[Coordinate]) -> None:
        super().__init__()
        self.type_info = type_info
        self.denied = denied
        self.markers: list[FieldNode] = []

    def enter_field(self, node: FieldNode, *_: object) -> FieldNode | None:
        parent = self.type_info.get_parent_type()
        if parent is None or (parent.name, node.name.value) not in self.denied:
            return None
        marker = FieldNode(
            alias=NameNode(value=(node.alias or node.name).value),
            name=NameNode(value=TYPENAME),
            arguments=(),
            directives=node.directives,
            selection_set=None,
        )
        self.markers.append(marker)
        return marker


class AccessControl:
    """The access directives of one API schema, with where the caller's claims come from."""

    def __init__(
        self, rules: AccessRules, schema: GraphQLSchema, source: ClaimsSource | None = None
    ) -> None:
        self.rules = rules
        self.schema = schema
        self.source: ClaimsSource = source or NoClaims()
        self._guarded: LRUCache[tuple[int, frozenset[Coordinate]], tuple[DocumentNode, Any]] = (
            LRUCache(1024)
        )

    def decide(self, identity: object, headers: Mapping[str, str]) -> AccessDecision:
        if self.rules.empty:
            return OPEN
        return AccessDecision(self.rules.denied(self.source.claims(identity, headers)))

    def guard(self, document: DocumentNode, decision: AccessDecision) -> GuardedDocument:
        """``document`` with the fields ``decision`` denies stood in for (cached per document
        object, which the pipeline's document cache keeps alive)."""
        if not decision.restricts:
            return GuardedDocument(document, frozenset())
        key = (id(document), decision.denied)
        known = self._guarded.get(key)
        if known is not None and known[0] is document:
            guarded: GuardedDocument = known[1]
            return guarded
        type_info = TypeInfo(self.schema)
        stand_in = _StandIn(type_info, decision.denied)
        rewritten = visit(document, TypeInfoVisitor(type_info, stand_in))
        guarded = GuardedDocument(rewritten, frozenset(id(m) for m in stand_in.markers))
        self._guarded[key] = (document, guarded)
        return guarded


def withhold(
    body: dict[str, Any], guarded: GuardedDocument, operation: OperationDefinitionNode
) -> dict[str, Any]:
    """Set every stood-in field of the shaped ``body`` to null, with an error at its path."""
    data = body.get("data")
    if not guarded.changed or not isinstance(data, dict):
        return body
    fragments = {
        d.name.value: d
        for d in guarded.document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    found: dict[tuple[str | int, ...], None] = {}
    _walk(operation.selection_set, data, (), fragments, guarded.markers, found)
    if found:
        errors = [
            {
                "message": "Unauthorized field or type",
                "path": list(path),
                "extensions": {"code": UNAUTHORIZED},
            }
            for path in found
        ]
        body["errors"] = [*(body.get("errors") or []), *errors]
    return body


def _walk(
    selection_set: SelectionSetNode,
    data: Any,
    path: tuple[str | int, ...],
    fragments: Mapping[str, FragmentDefinitionNode],
    markers: frozenset[int],
    found: dict[tuple[str | int, ...], None],
) -> None:
    if isinstance(data, list):
        for index, item in enumerate(data):
            _walk(selection_set, item, (*path, index), fragments, markers, found)
        return
    if not isinstance(data, dict):
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            key = (selection.alias or selection.name).value
            if id(selection) in markers:
                if key in data:
                    data[key] = None
                    found[(*path, key)] = None
            elif selection.selection_set is not None and key in data:
                _walk(selection.selection_set, data[key], (*path, key), fragments, markers, found)
        elif isinstance(selection, InlineFragmentNode):
            _walk(selection.selection_set, data, path, fragments, markers, found)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                _walk(fragment.selection_set, data, path, fragments, markers, found)
