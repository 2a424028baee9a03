"""Jumping between subgraphs, and the conditions that allow it.

From a position, a ``@key`` of the same type in another subgraph can be used when its fields
can be collected where we are; below the root, a root type leads to the same root type in any
other subgraph. Conditions (``@key`` fields, ``@requires``, an ``@interfaceObject``'s
``__typename``) are checked as small queries from the position, excluding the subgraph being
jumped to and the condition being checked, so that nothing resolves itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode

from mesh.federation.compose import field_set
from mesh.federation.compose.model import base_type
from mesh.federation.compose.positions import Outcome, Position, Reason, Step
from mesh.federation.compose.supergraph_view import (
    ApiType,
    SubgraphView,
    SubType,
    SupergraphView,
)


class ConditionResolver:
    def __init__(self, view: SupergraphView) -> None:
        self.view = view
        self.api = view.api
        self._condition_cache: dict[tuple[object, ...], bool] = {}

    def _collect(
        self,
        position: Position,
        sub: SubgraphView,
        local: SubType,
        step: Step,
        overrides: dict[str, bool],
        excluded_graphs: tuple[str, ...],
        excluded_conditions: tuple[str, ...],
    ) -> Outcome:
        raise NotImplementedError

    def _cast(
        self,
        position: Position,
        sub: SubgraphView,
        local: SubType,
        target: str,
        excluded_graphs: tuple[str, ...],
        excluded_conditions: tuple[str, ...],
    ) -> Outcome:
        raise NotImplementedError

    def _jumps(
        self,
        position: Position,
        excluded_graphs: tuple[str, ...],
        excluded_conditions: tuple[str, ...],
    ) -> tuple[list[Position], list[Reason]]:
        if position.top or (position.last == "fake" and position.after_jump):
            return [], []
        origin = position.graph
        best: dict[str, tuple[int, Position]] = {}
        reasons: list[Reason] = []
        queue: list[tuple[int, Position, str | None]] = [(0, position, None)]
        while queue:
            queue.sort(key=lambda item: item[0])
            size, current, last_condition = queue.pop(0)
            for target, target_type, condition, kind in self._jump_edges(current):
                if kind == "key" and condition == last_condition:
                    continue
                if target in excluded_graphs or target == origin:
                    continue
                if target in best and best[target][0] <= size + 1:
                    continue
                if condition is not None and condition in excluded_conditions:
                    continue
                if condition is not None and not self._conditions(
                    current, condition, (*excluded_graphs, target), excluded_conditions
                ):
                    reasons.append(
                        Reason(
                            current.graph,
                            f'cannot move to subgraph "{target}" using @key(fields: '
                            f'"{_one_line(condition)}") of "{current.type}", the key field(s) '
                            f'cannot be resolved from subgraph "{current.graph}"',
                        )
                    )
                    continue
                sub = self.view.subgraphs[target]
                jumped = Position(
                    target,
                    target_type,
                    None,
                    frozenset(sub.runtime_types(target_type, self.api)),
                    kind,
                    False,
                    False,
                )
                best[target] = (size + 1, jumped)
                if kind == "key":
                    queue.append((size + 1, jumped, condition))
        return [p for _, p in best.values()], reasons

    def _jump_edges(self, position: Position) -> Iterator[tuple[str, str, str | None, str]]:
        """(target subgraph, target type, key condition, "key" or "root") from ``position``."""
        sub = self.view.subgraphs[position.graph]
        local = sub.types.get(position.type)
        if local is None:
            return
        for other in self.view.subgraphs.values():
            if other.name == sub.name:
                continue
            target = other.types.get(position.type)
            if target is not None and target.kind in ("object", "interface"):
                for fields, resolvable in target.keys:
                    if resolvable:
                        yield other.name, position.type, fields, "key"
            if local.kind == "object" and not local.interface_object:
                for interface in self.api.get(position.type, ApiType("", "")).interfaces:
                    target = other.types.get(interface)
                    if target is None or not target.interface_object:
                        continue
                    for fields, resolvable in target.keys:
                        if resolvable and _selects_existing(sub, position.type, fields):
                            yield other.name, interface, fields, "key"
        kind = next((op for op, name in sub.roots.items() if name == position.type), None)
        if kind is not None and position.last != "root":
            for other in self.view.subgraphs.values():
                root = other.roots.get(kind)
                if other.name != sub.name and root is not None:
                    yield other.name, root, None, "root"

    # -- conditions (@key fields, @requires, __typename) --------------------------------------

    def _conditions(
        self,
        position: Position,
        condition: str,
        excluded_graphs: tuple[str, ...],
        excluded_conditions: tuple[str, ...],
    ) -> bool:
        key = (position, condition, excluded_graphs, excluded_conditions)
        cached = self._condition_cache.get(key)
        if cached is not None:
            return cached
        self._condition_cache[key] = False  # a condition never depends on itself
        try:
            selection = field_set.parse_field_set(condition)
        except field_set.FieldSetError:
            return False
        start = replace(position, top=False)
        result = all(
            self._condition_selection([start], s, excluded_graphs, excluded_conditions)
            for s in selection.selections
        )
        self._condition_cache[key] = result
        return result

    def _condition_selection(
        self,
        positions: list[Position],
        selection: object,
        excluded_graphs: tuple[str, ...],
        excluded_conditions: tuple[str, ...],
    ) -> bool:
        advanced: list[Position] = []
        children: SelectionSetNode | None
        if isinstance(selection, InlineFragmentNode):
            children = selection.selection_set
            for position in positions:
                if selection.type_condition is None:
                    advanced.append(position)
                    continue
                cast = selection.type_condition.name.value
                exploded = self._explode(position, cast)
                if exploded is not None:
                    # A condition on another abstract type: every possible runtime type there
                    # must satisfy the fragment (none at all: it selects nothing).
                    if all(
                        self._condition_selection([p], s, excluded_graphs, excluded_conditions)
                        for p in exploded
                        for s in children.selections
                    ):
                        return True
                    continue
                sub = self.view.subgraphs[position.graph]
                local = sub.types.get(position.type)
                if local is None:
                    continue
                if local.kind == "object" and not local.interface_object and position.type != cast:
                    continue
                outcome = self._cast(
                    position, sub, local, cast, excluded_graphs, excluded_conditions
                )
                advanced.extend(outcome.positions)
            if not advanced:
                return False
        else:
            assert isinstance(selection, FieldNode)
            children = selection.selection_set
            name = selection.name.value
            for position in positions:
                advanced.extend(
                    self._condition_field(position, name, excluded_graphs, excluded_conditions)
                )
            if not advanced:
                return False
        if children is None:
            return True
        return all(
            self._condition_selection(advanced, s, excluded_graphs, excluded_conditions)
            for s in children.selections
        )

    def _explode(self, position: Position, cast: str) -> list[Position] | None:
        """Positions at each runtime type a cast to another abstract type can be, or ``None``
        when the cast is not abstract-to-abstract."""
        sub = self.view.subgraphs[position.graph]
        local, target = sub.types.get(position.type), sub.types.get(cast)
        if (
            local is None
            or target is None
            or local.interface_object
            or cast == position.type
            or local.kind not in ("interface", "union")
            or target.kind not in ("interface", "union")
        ):
            return None
        runtime = set(sub.runtime_types(local.name, self.api)) & set(
            sub.runtime_types(cast, self.api)
        )
        return [
            Position(sub.name, name, None, frozenset({name}), "cast", False, False)
            for name in sorted(runtime)
        ]

    def _condition_field(
        self,
        position: Position,
        name: str,
        excluded_graphs: tuple[str, ...],
        excluded_conditions: tuple[str, ...],
    ) -> list[Position]:
        sub = self.view.subgraphs[position.graph]
        local = sub.types.get(position.type)
        if local is None:
            return []
        if name == "__typename":
            if not local.interface_object:
                return [position]
            options: list[Position] = []
        else:
            step = Step("field", name, position.type, "")
            direct = self._collect(
                position, sub, local, step, {}, excluded_graphs, excluded_conditions
            )
            options = list(direct.positions)
            f = local.fields.get(name)
            if options and (f is None or not self._is_composite(sub, f.type)):
                return options
        jumps, _ = self._jumps(position, excluded_graphs, excluded_conditions)
        for jumped in jumps:
            jumped_sub = self.view.subgraphs[jumped.graph]
            jumped_local = jumped_sub.types.get(jumped.type)
            if jumped_local is None:
                continue
            if name == "__typename":
                if not jumped_local.interface_object:
                    options.append(jumped)
                continue
            step = Step("field", name, jumped.type, "")
            further = self._collect(
                jumped, jumped_sub, jumped_local, step, {}, excluded_graphs, excluded_conditions
            )
            options.extend(further.positions)
        return options

    @staticmethod
    def _is_composite(sub: SubgraphView, type_ref: str) -> bool:
        t = sub.types.get(base_type(type_ref))
        return t is not None and t.kind in ("object", "interface", "union")

    # -- reporting -----------------------------------------------------------------------------


def locally_satisfiable_key(sub: SubgraphView, local: SubType) -> bool:
    return any(not _selects_external(sub, local.name, fields) for fields, _ in local.keys)


def _selects_external(sub: SubgraphView, type_name: str, fields: str) -> bool:
    try:
        selection = field_set.parse_field_set(fields)
    except field_set.FieldSetError:
        return True
    return _any_external(sub, type_name, selection)


def _any_external(sub: SubgraphView, type_name: str, selection: SelectionSetNode) -> bool:
    local = sub.types.get(type_name)
    for s in selection.selections:
        if isinstance(s, FieldNode):
            f = local.fields.get(s.name.value) if local else None
            if f is not None and f.external:
                return True
            if (
                s.selection_set is not None
                and f is not None
                and _any_external(sub, base_type(f.type), s.selection_set)
            ):
                return True
        elif isinstance(s, InlineFragmentNode):
            target = s.type_condition.name.value if s.type_condition else type_name
            if _any_external(sub, target, s.selection_set):
                return True
    return False


def _selects_existing(sub: SubgraphView, type_name: str, fields: str) -> bool:
    try:
        selection = field_set.parse_field_set(fields)
    except field_set.FieldSetError:
        return False
    local = sub.types.get(type_name)
    return local is not None and all(
        not isinstance(s, FieldNode) or s.name.value in local.fields for s in selection.selections
    )


def _one_line(text: str) -> str:
    try:
        return field_set.printed_field_set(field_set.parse_field_set(text))
    except field_set.FieldSetError:
        return text
