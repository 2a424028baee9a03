"""Subgraphs from SDL alone, for differential testing against @apollo/gateway.

Every object has an identity (a path-like string); every field's value is a deterministic
function of the object's identity, the field and its arguments, so any subgraph that has a
field answers it the same way and two gateways asking differently still see the same data.
Key fields carry the identity (``"p1|upc"``), so a representation leads back to its object;
a field with ``@requires`` answers with what it was sent, so a wrong representation shows.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLUnionType,
    parse,
)

from tests.engine.kit import Subgraph


def _js_numbers(value: Any) -> Any:
    """Integral floats as JavaScript prints them (72.0 -> 72), as a Node gateway forwards them."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_js_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: _js_numbers(v) for k, v in value.items()}
    return value


def _hash(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest()[:8], 16)


def _identity_of(value: Any) -> str | None:
    if isinstance(value, str) and "|" in value:
        return value.split("|", 1)[0]
    if isinstance(value, list):
        return next((found for item in value if (found := _identity_of(item))), None)
    if isinstance(value, dict):
        ordered = sorted(value.values(), key=lambda v: isinstance(v, dict | list))
        for inner in ordered:
            found = _identity_of(inner)
            if found:
                return found
    return None


class MockSubgraph(Subgraph):
    def __init__(
        self, name: str, sdl: str, *, lists: int = 2, shared: dict[str, set[str]] | None = None
    ) -> None:
        self.lists = lists
        # implementations every subgraph defining an abstract type agrees on: objects of a
        # shared abstract type are chosen among them, so any subgraph answers alike
        self.shared = shared or {}
        super().__init__(name, sdl)
        # field -> the top-level fields its @requires names (what it may read from a
        # representation: a gateway may send more)
        self.requires_fields: dict[tuple[str, str], set[str]] = {}
        for t in self.schema.type_map.values():
            if not isinstance(t, GraphQLObjectType | GraphQLInterfaceType):
                continue
            for f, d in t.fields.items():
                for directive in (d.ast_node.directives or ()) if d.ast_node else ():
                    if directive.name.value != "requires":
                        continue
                    text = next(getattr(a.value, "value", "") for a in directive.arguments or ())
                    selection = parse("{" + text + "}").definitions[0]
                    self.requires_fields[(t.name, f)] = {
                        s.name.value
                        for s in selection.selection_set.selections  # type: ignore[attr-defined]
                        if hasattr(s, "name")
                    }
        self.key_fields: dict[str, set[str]] = {}
        for t in self.schema.type_map.values():
            if isinstance(t, GraphQLObjectType | GraphQLInterfaceType) and t.ast_node is not None:
                for directive in t.ast_node.directives or ():
                    for arg in directive.arguments or ():
                        if directive.name.value == "key" and arg.name.value == "fields":
                            selection = parse(
                                "{" + getattr(arg.value, "value", "") + "}"
                            ).definitions[0]
                            self.key_fields.setdefault(t.name, set()).update(
                                s.name.value
                                for s in selection.selection_set.selections  # type: ignore[attr-defined]
                            )
        for type_ in self.schema.type_map.values():
            if isinstance(
                type_, GraphQLObjectType | GraphQLInterfaceType
            ) and not type_.name.startswith("__"):
                for field_name, field in type_.fields.items():
                    if field_name.startswith("_"):
                        continue
                    field.resolve = self._resolver(type_.name, field_name, field)
        self.references = {
            t.name: self._reference(t.name)
            for t in self.schema.type_map.values()
            if isinstance(t, GraphQLObjectType | GraphQLInterfaceType)
            and t.ast_node is not None
            and any(d.name.value == "key" for d in t.ast_node.directives or ())
        }
        # the _Entity union was built before references existed: rebuild with them
        Subgraph.__post_init__(self)
        for type_ in self.schema.type_map.values():
            if isinstance(
                type_, GraphQLObjectType | GraphQLInterfaceType
            ) and not type_.name.startswith("__"):
                for field_name, field in type_.fields.items():
                    if not field_name.startswith("_"):
                        field.resolve = self._resolver(type_.name, field_name, field)

    def _root_value(self) -> dict[str, Any]:
        root = super()._root_value()
        root["__identity"] = ""
        return root

    def _reference(self, type_name: str) -> Any:
        def resolve(rep: dict[str, Any]) -> dict[str, Any] | None:
            identity = _identity_of({k: v for k, v in rep.items() if k != "__typename"})
            if identity is None or identity.startswith("missing"):
                return None
            obj = dict(rep)
            obj["__identity"] = identity
            named = self.schema.type_map.get(type_name)
            if isinstance(named, GraphQLInterfaceType):
                possible = sorted(t.name for t in self.schema.get_possible_types(named))
                obj["__typename"] = (
                    possible[_hash(identity) % len(possible)] if possible else type_name
                )
            return obj

        return resolve

    def _resolver(self, parent: str, field_name: str, field: GraphQLField) -> Any:
        def resolve(source: Any, info: GraphQLResolveInfo[Any], **args: Any) -> Any:
            if isinstance(source, dict) and callable(source.get(field_name)):
                return source[field_name](info, **args)
            if (
                isinstance(source, dict)
                and field_name in source
                and not args
                and (parent, field_name) not in self.requires_fields
            ):
                return source[field_name]
            identity = source.get("__identity", "") if isinstance(source, dict) else ""
            arguments = ", ".join(
                f"{k}: {json.dumps(v, sort_keys=True)}" for k, v in sorted(args.items())
            )
            text = f"{field_name}{'(' + arguments + ')' if arguments else ''}"
            if (parent, field_name) in self.requires_fields:
                wanted = self.requires_fields[(parent, field_name)]
                sent = {k: v for k, v in source.items() if k in wanted}
                text += "<" + json.dumps(_js_numbers(sent), sort_keys=True) + ">"
            return self._value(field.type, identity, text)

        return resolve

    def _value(self, type_: GraphQLOutputType, parent: str, text: str) -> Any:
        if isinstance(type_, GraphQLNonNull):
            return self._value(type_.of_type, parent, text)
        if isinstance(type_, GraphQLList):
            return [self._value(type_.of_type, parent, f"{text}[{i}]") for i in range(self.lists)]
        named: GraphQLNamedType = type_
        here = f"{parent}.{text}".lstrip(".")
        if isinstance(named, GraphQLScalarType):
            if named.name == "Int":
                return _hash(here) % 1000
            if named.name == "Float":
                return (_hash(here) % 1000) / 10
            if named.name == "Boolean":
                return _hash(here) % 2 == 0
            return f"{parent}|{text}"
        if isinstance(named, GraphQLEnumType):
            values = list(named.values)
            return values[_hash(here) % len(values)]
        if isinstance(named, GraphQLObjectType):
            return {"__identity": here, "__typename": named.name}
        assert isinstance(named, GraphQLInterfaceType | GraphQLUnionType)
        possible = sorted(t.name for t in self.schema.get_possible_types(named))
        agreed = [t for t in possible if t in self.shared.get(named.name, possible)]
        possible = agreed or possible
        chosen = possible[_hash(here) % len(possible)]
        return {"__identity": here, "__typename": chosen}


def mock_subgraphs(sdls: dict[str, str]) -> list[MockSubgraph]:
    """Mocks for a set of subgraphs that agree on which implementations they return."""
    plain = [MockSubgraph(name, sdl) for name, sdl in sdls.items()]
    shared: dict[str, set[str]] = {}
    for mock in plain:
        for type_ in mock.schema.type_map.values():
            if isinstance(
                type_, GraphQLInterfaceType | GraphQLUnionType
            ) and not type_.name.startswith("_"):
                names = {t.name for t in mock.schema.get_possible_types(type_)}
                shared[type_.name] = shared[type_.name] & names if type_.name in shared else names
    return [MockSubgraph(name, sdl, shared=shared) for name, sdl in sdls.items()]
