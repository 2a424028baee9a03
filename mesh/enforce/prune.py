"""Remove denied fields from the operation before planning, so they are never requested
from an agency (data minimisation). The response keeps its shape: the guard answers each
denied field with null and an error."""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLSchema,
    NameNode,
    SelectionSetNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    visit,
)
from graphql.language import REMOVE

_TYPENAME = FieldNode(name=NameNode(value="__typename"))


class _Pruner(Visitor):
    def __init__(
        self,
        type_info: TypeInfo,
        denied: set[tuple[str, str]],
        extra: dict[tuple[str, str], list[FieldNode]],
        always: dict[str, list[FieldNode]],
    ) -> None:
        super().__init__()
        self.type_info = type_info
        self.denied = denied
        self.extra = extra
        self.always = always

    def enter_field(self, node: FieldNode, *_: Any) -> Any:
        parent = self.type_info.get_parent_type()
        if parent is None:
            return None
        if (get_named_type(parent).name, node.name.value) in self.denied:
            return REMOVE
        return None

    def leave_selection_set(self, node: SelectionSetNode, *_: Any) -> Any:
        parent = self.type_info.get_parent_type()
        additions: list[FieldNode] = []
        if parent is not None:
            named = get_named_type(parent).name
            additions.extend(self.always.get(named, ()))
            for (type_name, field_name), fields in self.extra.items():
                if type_name == named and any(
                    isinstance(s, FieldNode) and s.name.value == field_name for s in node.selections
                ):
                    additions.extend(fields)
        if not node.selections or additions:
            selections = tuple(node.selections) + tuple(additions)
            return SelectionSetNode(selections=selections or (_TYPENAME,))
        return None


def prune_denied(
    schema: GraphQLSchema,
    document: DocumentNode,
    denied: set[tuple[str, str]],
    extra: dict[tuple[str, str], list[FieldNode]] | None = None,
    always: dict[str, list[FieldNode]] | None = None,
) -> DocumentNode:
    """The document without denied fields; ``extra`` adds enforcement-only selections next to
    a selected field (e.g. the opt-out flag next to ``Person.health``) and ``always`` to every
    selection set of a type (e.g. the key of every Person, for the audit)."""
    if not denied and not extra and not always:
        return document
    type_info = TypeInfo(schema)
    pruner = _Pruner(type_info, denied, extra or {}, always or {})
    pruned = visit(document, TypeInfoVisitor(type_info, pruner))
    assert isinstance(pruned, DocumentNode)
    return pruned
