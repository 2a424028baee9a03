"""Whose data an answer held, for the audit record: taken from execution, never from the
request's variables or from what the client chose to select.

Every selection set on a subject type (a Person, a Household, a search result about a person,
an agency's needs indicator about one household member) gets an internal selection of the
entity's key under the reserved alias ``_meshSubject``; the field guard records the key of
every such object the answer serves, whatever the client selected or aliased, and an id that
only appears in the variables names nobody.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    FieldNode,
    GraphQLObjectType,
    GraphQLSchema,
    NameNode,
    SelectionSetNode,
    get_named_type,
)

from mesh.enforce.internal import SUBJECT_ALIAS

# Subject types and the path to the mesh id that names whose data they are.
SUBJECT_KEYS: dict[str, tuple[str, ...]] = {
    "Person": ("id",),
    "Household": ("id",),
    "PersonSearchResult": ("person", "id"),
    # an agency's indicator ("WELFARE_WORKLESS") is data about the member it names
    "NeedsIndicator": ("memberId",),
}


def _path_selection(path: tuple[str, ...], alias: str | None) -> FieldNode:
    head, *rest = path
    return FieldNode(
        alias=NameNode(value=alias) if alias else None,
        name=NameNode(value=head),
        selection_set=SelectionSetNode(selections=(_path_selection(tuple(rest), None),))
        if rest
        else None,
    )


def subject_selections(schema: GraphQLSchema) -> dict[str, list[FieldNode]]:
    """Per subject type in the schema, the internal selection of its key."""
    return {
        type_name: [_path_selection(path, SUBJECT_ALIAS)]
        for type_name, path in SUBJECT_KEYS.items()
        if isinstance(schema.type_map.get(type_name), GraphQLObjectType)
    }


def subject_fields(schema: GraphQLSchema) -> dict[tuple[str, str], tuple[str, ...]]:
    """(parent type, field) of every field that returns subjects, with the key path."""
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for type_name, graphql_type in schema.type_map.items():
        if isinstance(graphql_type, GraphQLObjectType) and not type_name.startswith("__"):
            for field_name, graphql_field in graphql_type.fields.items():
                path = SUBJECT_KEYS.get(get_named_type(graphql_field.type).name)
                if path is not None:
                    found[(type_name, field_name)] = path
    return found


def subjects_of(value: Any, path: tuple[str, ...], into: dict[str, None]) -> None:
    """Add the mesh id of each served subject object in ``value`` (lists followed)."""
    if isinstance(value, list):
        for item in value:
            subjects_of(item, path, into)
        return
    if not isinstance(value, Mapping):
        return
    key: Any = value.get(SUBJECT_ALIAS)
    for step in path[1:]:
        key = key.get(step) if isinstance(key, Mapping) else None
    if isinstance(key, str) and key:
        into[key] = None
