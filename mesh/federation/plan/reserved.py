"""Response keys the client uses at one object, so fields the plan adds never collide.

A key or ``@requires`` field the plan adds reuses the client's response key when the client
asks for the very same field, takes its own name when that is free, and otherwise an alias
(``household { id: size }`` leaves ``id`` to the client; the key is fetched as ``id__key``).
The choice depends only on the client's selection at that object, so every fetch that
writes the field and every representation that reads it agree on the key.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable

from mesh.federation.plan.nodes import InputField, InputSelection
from mesh.federation.plan.operation import FieldSel, FragmentSel, Selection, SelSet


class Reserved:
    __slots__ = ("_children", "entries")

    def __init__(self, entries: dict[str, list[FieldSel]]) -> None:
        self.entries = entries
        self._children: dict[str, Reserved] = {}

    @staticmethod
    def of(items: Iterable[Selection]) -> Reserved:
        entries: dict[str, list[FieldSel]] = {}
        _collect(items, entries)
        return Reserved(entries)

    def key_for(self, field: FieldSel) -> str:
        if not field.internal:
            return field.response_key
        if field.name == "__typename":
            return "__typename"  # what the executor reads types from
        identity = field.identity
        for key, fields in self.entries.items():
            if any(f.identity == identity for f in fields):
                return key
        if not field.arguments and field.name not in self.entries:
            return field.name
        suffix = "key" if not field.arguments else f"{zlib.crc32(field.arguments.encode()):x}"
        alias = f"{field.name}__{suffix}"
        while alias in self.entries:
            alias += "_"
        return alias

    def child(self, key: str) -> Reserved:
        found = self._children.get(key)
        if found is None:
            items: list[Selection] = []
            for field in self.entries.get(key, ()):
                if field.selection is not None:
                    items.extend(field.selection.items)
            found = self._children[key] = Reserved.of(items) if items else EMPTY
        return found


def _collect(items: Iterable[Selection], entries: dict[str, list[FieldSel]]) -> None:
    for item in items:
        if isinstance(item, FieldSel):
            if not item.internal:
                entries.setdefault(item.response_key, []).append(item)
        else:
            _collect(item.selection.items, entries)


EMPTY = Reserved({})


def input_selection(
    selection: SelSet, reserved: Reserved, expand: Callable[[str], frozenset[str]]
) -> InputSelection:
    """How to read a key or @requires field set back out of the merged data."""
    fields: list[InputField] = []
    fragments: list[tuple[frozenset[str], InputSelection]] = []
    for item in selection.items:
        if isinstance(item, FragmentSel):
            inner = input_selection(item.selection, reserved, expand)
            if item.type_condition is None:
                fields.extend(inner.fields)
                fragments.extend(inner.fragments)
            else:
                fragments.append((expand(item.type_condition), inner))
            continue
        key = reserved.key_for(item)
        nested = (
            input_selection(item.selection, reserved.child(key), expand)
            if item.selection is not None
            else None
        )
        fields.append(InputField(item.name, key, nested))
    return InputSelection(tuple(fields), tuple(fragments))
