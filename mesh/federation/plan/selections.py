"""Selections under construction for one subgraph operation, and their rendering.

Items are keyed so the same field asked twice is fetched once. Rendering keeps the operation
valid for the subgraph's own schema: where one response key would carry fields of different
shapes (``id: ID!`` in one union member and ``id: ID`` in another) the later ones are aliased
and an :class:`OutputRewrite` restores the client's key once the answer arrives.
"""

from __future__ import annotations

from collections.abc import Callable

from mesh.federation.plan.nodes import OutputRewrite


class FieldItem:
    __slots__ = ("arguments", "directives", "name", "render_key", "response_key", "sub", "type")

    def __init__(
        self,
        name: str,
        response_key: str,
        arguments: str,
        directives: str,
        type_text: str,
        sub: SelectionBuilder | None,
    ) -> None:
        self.name = name
        self.response_key = response_key
        self.render_key = response_key  # differs only when aliased to avoid a conflict
        self.arguments = arguments
        self.directives = directives
        self.type = type_text
        self.sub = sub


class FragmentItem:
    __slots__ = ("directives", "sub", "type_condition")

    def __init__(self, type_condition: str | None, directives: str, sub: SelectionBuilder) -> None:
        self.type_condition = type_condition
        self.directives = directives
        self.sub = sub


Item = FieldItem | FragmentItem


class SelectionBuilder:
    """One selection set of a subgraph operation; ``type_name`` as that subgraph has it."""

    __slots__ = ("items", "type_name", "variables")

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name
        self.items: dict[tuple[str, ...], Item] = {}
        self.variables: set[str] = set()

    def field(
        self,
        *,
        name: str,
        response_key: str,
        type_text: str,
        child_type: str | None,
        arguments: str = "",
        directives: str = "",
        variables: frozenset[str] = frozenset(),
    ) -> FieldItem:
        key = ("f", response_key, name, arguments, directives)
        item = self.items.get(key)
        if item is None:
            sub = SelectionBuilder(child_type) if child_type is not None else None
            item = FieldItem(name, response_key, arguments, directives, type_text, sub)
            self.items[key] = item
            self.variables.update(variables)
        assert isinstance(item, FieldItem)
        return item

    def fragment(
        self,
        type_condition: str | None,
        directives: str = "",
        variables: frozenset[str] = frozenset(),
    ) -> SelectionBuilder:
        key = ("...", type_condition or "", directives)
        item = self.items.get(key)
        if item is None:
            item = FragmentItem(
                type_condition, directives, SelectionBuilder(type_condition or self.type_name)
            )
            self.items[key] = item
            self.variables.update(variables)
        assert isinstance(item, FragmentItem)
        return item.sub

    def has(self, response_key: str) -> bool:
        return any(
            isinstance(i, FieldItem) and i.response_key == response_key for i in self.items.values()
        )

    def all_variables(self) -> set[str]:
        found = set(self.variables)
        for item in self.items.values():
            if item.sub is not None:
                found |= item.sub.all_variables()
        return found

    # --- rendering ------------------------------------------------------------------------
    def render(self) -> str:
        parts: list[str] = []
        for item in self._ordered():
            if isinstance(item, FieldItem):
                text = (
                    item.name if item.render_key == item.name else f"{item.render_key}: {item.name}"
                )
                text += item.arguments + item.directives
                if item.sub is not None:
                    text += " " + item.sub.render()
            else:
                on = f" on {item.type_condition}" if item.type_condition else ""
                text = f"...{on}{item.directives} {item.sub.render()}"
            parts.append(text)
        return "{" + " ".join(parts) + "}"

    def pretty(self, indent: int) -> list[str]:
        pad = "  " * indent
        lines: list[str] = []
        for item in self._ordered():
            if isinstance(item, FieldItem):
                text = (
                    item.name if item.render_key == item.name else f"{item.render_key}: {item.name}"
                )
                text = pad + text + item.arguments + item.directives
                if item.sub is not None:
                    lines.append(text + " {")
                    lines.extend(item.sub.pretty(indent + 1))
                    lines.append(pad + "}")
                else:
                    lines.append(text)
            else:
                on = f" on {item.type_condition}" if item.type_condition else ""
                lines.append(f"{pad}...{on}{item.directives} {{")
                lines.extend(item.sub.pretty(indent + 1))
                lines.append(pad + "}")
        return lines

    def _ordered(self) -> list[Item]:
        """``__typename`` first, then fields, then fragments: a stable, readable order."""
        items = list(self.items.values())
        return sorted(
            items,
            key=lambda i: (
                0
                if isinstance(i, FieldItem) and i.name == "__typename"
                else 1
                if isinstance(i, FieldItem)
                else 2
            ),
        )

    # --- validity ---------------------------------------------------------------------------
    def alias_conflicts(
        self, possible_types: Callable[[str], frozenset[str]], path: tuple[str, ...] = ()
    ) -> list[OutputRewrite]:
        """Alias fields whose response key another field of another shape already uses here
        (across this selection's fragments), returning the rewrites that undo it."""
        rewrites: list[OutputRewrite] = []
        seen: dict[str, tuple[str, str, str]] = {}
        counter = 0
        for item, type_condition in self._flattened(None):
            signature = (item.name, item.arguments, item.type)
            first = seen.setdefault(item.render_key, signature)
            if first == signature or (first[2] == signature[2] and type_condition is not None):
                continue
            counter += 1
            alias = f"{item.response_key}__fed{counter}"
            while alias in seen:
                counter += 1
                alias = f"{item.response_key}__fed{counter}"
            item.render_key = alias
            seen[alias] = signature
            types = possible_types(type_condition) | {type_condition} if type_condition else None
            rewrites.append(OutputRewrite(path, types, alias, item.response_key))
        for field in _field_subs(self):
            assert field.sub is not None
            rewrites.extend(field.sub.alias_conflicts(possible_types, (*path, field.render_key)))
        return rewrites

    def _flattened(self, type_condition: str | None) -> list[tuple[FieldItem, str | None]]:
        found: list[tuple[FieldItem, str | None]] = []
        for item in self.items.values():
            if isinstance(item, FieldItem):
                found.append((item, type_condition))
            else:
                found.extend(item.sub._flattened(item.type_condition or type_condition))
        return found


def _field_subs(builder: SelectionBuilder) -> list[FieldItem]:
    found: list[FieldItem] = []
    for item in builder.items.values():
        if isinstance(item, FieldItem):
            if item.sub is not None:
                found.append(item)
        else:
            found.extend(_field_subs(item.sub))
    return found
