"""The walk: every selection of the operation placed in a fetch group.

At each position (a fetch group, a subgraph, a type, a path in the response) a field is
resolved where the walk already is when that subgraph can (cost nothing), otherwise over the
cheapest route of key edges to a subgraph that can (each hop one more fetch). Alternatives
are compared by planning them in a scratch fetch graph: fewest fetches, then fewest sequential
levels. Abstract types are kept abstract while the subgraph resolves every selected field for
every implementation the same way, and split per implementation otherwise. ``@requires``
fields are planned first, at the entity, and the fetch that needs them waits for the groups
that fetch them. Types an ``@interfaceObject`` subgraph returns get their real ``__typename``
from a subgraph that has the interface itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from mesh.federation.plan.choice import Choosing
from mesh.federation.plan.errors import PlanningError
from mesh.federation.plan.fetch_graph import FetchGroup, merge_inputs
from mesh.federation.plan.graph import Hop, Mode, list_depth, named, provided_child
from mesh.federation.plan.nodes import ANY_TYPE, LIST
from mesh.federation.plan.operation import Condition, FieldSel, Selection, SelSet
from mesh.federation.plan.position import (
    IMPOSSIBLE,
    TYPENAME,
    Estimates,
    Local,
    Option,
    Position,
)
from mesh.federation.plan.reserved import EMPTY, input_selection
from mesh.federation.plan.selections import SelectionBuilder
from mesh.federation.supergraph import FieldInSubgraph

__all__ = ["Estimates", "Position", "Walk"]


class Walk(Choosing):
    """Places selections into one fetch graph; scratch walks estimate alternatives."""

    # --- entry points -----------------------------------------------------------------------
    def items(self, pos: Position, items: Sequence[Selection]) -> set[FetchGroup]:
        """Plan ``items`` at ``pos``; the groups where their data lands."""
        if pos.mode is Mode.ABSTRACT:
            return self._abstract(pos, items)
        if pos.mode is Mode.INTERFACE_OBJECT and pos.concrete is None:
            return self._interface_object(pos, items)
        return self._object(pos, items)

    def field(self, pos: Position, field: FieldSel) -> set[FetchGroup]:
        if field.name == "__typename":
            return set()  # graphql-core answers it from the runtime type when shaping
        if field.selection is None:
            here = self.qg.local(pos.subgraph, pos.type_name, field.name, pos.provided)
            if here is not None:  # a leaf where the walk is: nothing can be cheaper
                return self.place(pos, field, here)
        options = self.options(pos, field)
        if not options:
            raise PlanningError(
                f"no subgraph can resolve {pos.type_name}.{field.name} from {pos.subgraph}",
                path=(*pos.trail, field.response_key),
            )
        option = self.choose(pos, field, options)
        if option is None:
            return self.split(pos, field, options)
        return self.apply(pos, field, option)

    # --- object positions ---------------------------------------------------------------------
    def _applies(self, pos: Position, type_condition: str | None) -> bool:
        if type_condition is None or type_condition == pos.type_name:
            return True
        concrete = pos.concrete
        return concrete is not None and (
            type_condition == concrete or self.qg.implements(concrete, type_condition)
        )

    def _object(self, pos: Position, items: Sequence[Selection]) -> set[FetchGroup]:
        touched: set[FetchGroup] = set()
        fields: list[FieldSel] = []
        for item in items:
            if isinstance(item, FieldSel):
                fields.append(item)
                continue
            if not self._applies(pos, item.type_condition):
                continue
            if item.directives:
                inner = dataclasses.replace(
                    pos,
                    builder=pos.builder.fragment(None, item.directives, item.variables),
                    conditions=pos.conditions | item.conditions,
                )
                touched |= self._object(inner, item.selection.items)
            else:
                touched |= self._object(pos, item.selection.items)
        # fields this subgraph resolves first: later jumps can then share their fetches (the
        # second strategy does the opposite: local fields may then join the jumps' fetches)
        fields.sort(
            key=lambda f: (
                (self.qg.local(pos.subgraph, pos.type_name, f.name, pos.provided) is None)
                != self.jumps_first
            )
        )
        for field in fields:
            touched |= self.field(pos, field)
        return touched

    # --- abstract positions -------------------------------------------------------------------
    def _abstract(self, pos: Position, items: Sequence[Selection]) -> set[FetchGroup]:
        runtime = self.qg.runtime_types(pos.subgraph, pos.type_name)
        self.place(pos, TYPENAME, None)
        touched = {pos.group}
        buckets: dict[str, list[Selection]] = {}
        for item in items:
            if isinstance(item, FieldSel):
                if item.name == "__typename":
                    continue
                here = self._abstract_local(pos, item, runtime)
                if here is not None:
                    touched |= self.place(pos, item, here)
                elif not runtime:
                    raise PlanningError(
                        f"{pos.subgraph} returns no implementation of {pos.type_name} that "
                        f"could resolve {item.name}",
                        path=(*pos.trail, item.response_key),
                    )
                else:
                    for type_name in sorted(runtime):
                        buckets.setdefault(type_name, []).append(item)
                continue
            condition = item.type_condition
            if condition is None or condition == pos.type_name:
                inner_pos = pos
                if item.directives:
                    inner_pos = dataclasses.replace(
                        pos,
                        builder=pos.builder.fragment(None, item.directives, item.variables),
                        conditions=pos.conditions | item.conditions,
                    )
                touched |= self._abstract(inner_pos, item.selection.items)
                continue
            types = runtime & self.qg.possible_types(condition)
            if not types:
                continue
            if self._fragment_fits(pos.subgraph, condition, types):
                mode = self.qg.mode(pos.subgraph, condition)
                inner = dataclasses.replace(
                    pos,
                    builder=pos.builder.fragment(condition, item.directives, item.variables),
                    type_name=condition,
                    mode=mode,
                    concrete=condition if mode is Mode.OBJECT else None,
                    path=(*pos.path, frozenset(types)),
                    conditions=pos.conditions | item.conditions,
                )
                touched |= self.items(inner, item.selection.items)
                continue
            entry: Sequence[Selection] = (
                [dataclasses.replace(item, type_condition=None)]
                if item.directives
                else item.selection.items
            )
            for type_name in sorted(types):
                buckets.setdefault(type_name, []).extend(entry)
        for type_name, bucket in buckets.items():
            inner = dataclasses.replace(
                pos,
                builder=pos.builder.fragment(type_name),
                type_name=type_name,
                mode=Mode.OBJECT,
                concrete=type_name,
                path=(*pos.path, frozenset({type_name})),
            )
            touched |= self._object(inner, bucket)
        return touched

    def _fragment_fits(self, subgraph: str, condition: str, types: frozenset[str]) -> bool:
        """Whether ``... on condition`` in ``subgraph``'s operation matches exactly the
        implementations ``types`` (the subgraph may not know that some of them implement it)."""
        qg = self.qg
        if not qg.has_type(subgraph, condition):
            return False
        mode = qg.mode(subgraph, condition)
        if mode is Mode.OBJECT:
            return True
        if mode is Mode.INTERFACE_OBJECT:
            return False
        return types <= qg.runtime_types(subgraph, condition)

    def _abstract_local(
        self, pos: Position, field: FieldSel, runtime: frozenset[str]
    ) -> FieldInSubgraph | None:
        """How this subgraph resolves ``field`` on the abstract type itself, when it does so
        for every implementation it can return, the same way (else None)."""
        qg = self.qg
        here = qg.local(pos.subgraph, pos.type_name, field.name, pos.provided)
        if here is None:
            return None
        for type_name in runtime:
            found = qg.local(pos.subgraph, type_name, field.name, pos.provided)
            if found is None or found.provides != here.provides:
                return None
        if field.selection is None:
            return here
        child = self.child_position_of(pos, field, here, probe=True)
        return here if self.estimate(child, field.selection) != IMPOSSIBLE else None

    # --- interface objects ----------------------------------------------------------------------
    def _interface_object(self, pos: Position, items: Sequence[Selection]) -> set[FetchGroup]:
        """Objects an ``@interfaceObject`` subgraph returned: it cannot tell their type, so
        ``__typename`` and fragments on implementations move to a subgraph that has the
        interface itself (which answers the real ``__typename``). Fields of the interface
        need no type and stay."""
        here: list[Selection] = []
        typed: list[Selection] = []
        for item in items:
            if isinstance(item, FieldSel):
                (typed if item.name == "__typename" else here).append(item)
            elif item.type_condition is None or item.type_condition == pos.type_name:
                if item.directives:
                    here.append(dataclasses.replace(item, type_condition=None))
                else:
                    here.extend(item.selection.items)
            else:
                typed.append(item)
        touched = self._object(pos, here)
        if not typed:
            return touched
        route = self.qg.route(
            pos.node,
            lambda n: self.qg.mode(n.subgraph, n.type_name) is Mode.ABSTRACT,
            "__typename",
        )
        if route is None:
            raise PlanningError(
                f"no subgraph can tell the type of {pos.type_name} objects from {pos.subgraph}",
                path=pos.trail,
            )
        cur = pos
        for hop in route:
            cur = self.jump(cur, hop, pos.conditions, set(), None)
        return touched | self._abstract(cur, typed)

    # --- options -------------------------------------------------------------------------------

    def apply(self, pos: Position, field: FieldSel, option: Option) -> set[FetchGroup]:
        if isinstance(option, Local):
            return self.place(pos, field, option.resolution)
        conditions = pos.conditions | field.conditions
        waits: set[FetchGroup] = set()
        requires_input = None
        if option.resolution.requires is not None:
            requires = self.qg.requires(option.type_name, option.resolution)
            assert requires is not None
            at = dataclasses.replace(pos, conditions=conditions)
            waits = self.items(at, requires.items)
            requires_input = requires
        cur = pos
        for index, hop in enumerate(option.hops):
            last = index == len(option.hops) - 1
            cur = self.jump(
                cur, hop, conditions, waits if last else set(), requires_input if last else None
            )
        return self.place(cur, field, option.resolution)

    def place(
        self, pos: Position, field: FieldSel, resolution: FieldInSubgraph | None
    ) -> set[FetchGroup]:
        key = pos.reserved.key_for(field)
        type_text = resolution.type if resolution is not None else "String!"
        child_type = named(type_text) if field.selection is not None else None
        item = pos.builder.field(
            name=field.name,
            response_key=key,
            type_text=type_text,
            child_type=child_type,
            arguments=field.arguments,
            directives=field.directives,
            variables=field.variables,
        )
        pos.group.needs(pos.conditions | field.conditions)
        touched = {pos.group}
        if field.selection is not None and resolution is not None:
            assert item.sub is not None
            child = self.child_position_of(pos, field, resolution, builder=item.sub)
            if child.mode is Mode.OBJECT and self.qg.types[field.selection.type_name].is_abstract:
                # the subgraph's type is narrower than the client's: shaping needs the type
                self.place(child, TYPENAME, None)
            touched |= self.items(child, field.selection.items)
        return touched

    def child_position_of(
        self,
        pos: Position,
        field: FieldSel,
        resolution: FieldInSubgraph,
        *,
        builder: SelectionBuilder | None = None,
        probe: bool = False,
    ) -> Position:
        child_type = named(resolution.type)
        mode = self.qg.mode(pos.subgraph, child_type)
        provided = provided_child(self.qg, pos.provided, pos.type_name, field.name)
        key = pos.reserved.key_for(field)
        return Position(
            group=pos.group,
            builder=builder if builder is not None else SelectionBuilder(child_type),
            subgraph=pos.subgraph,
            type_name=child_type,
            mode=mode,
            concrete=child_type if mode is Mode.OBJECT else None,
            path=(*pos.path, key, *([LIST] * list_depth(resolution.type))),
            provided=provided if isinstance(provided, SelSet) else self.qg.provides(resolution),
            conditions=pos.conditions | field.conditions,
            reserved=EMPTY if probe else pos.reserved.child(key),
            trail=(*pos.trail, field.response_key),
        )

    def jump(
        self,
        cur: Position,
        hop: Hop,
        conditions: frozenset[Condition],
        waits: set[FetchGroup],
        requires: SelSet | None,
    ) -> Position:
        """Key fields where the walk is, then a fetch from ``hop.subgraph`` for the entity."""
        at = dataclasses.replace(cur, conditions=conditions)
        satisfying = (cur.node, hop.subgraph, hop.type_name)
        if satisfying in self.estimates.satisfying:
            raise PlanningError(
                f"the key of {hop.type_name} in {hop.subgraph} depends on itself", path=cur.trail
            )
        self.estimates.satisfying.add(satisfying)
        try:
            parents = {cur.group, *waits} | self._object(at, hop.key.items)
        finally:
            self.estimates.satisfying.discard(satisfying)
        if not (cur.mode is Mode.INTERFACE_OBJECT and cur.concrete is not None):
            self.place(at, TYPENAME, None)
        expand = self.qg.possible_types
        selection = input_selection(hop.key, cur.reserved, expand)
        if requires is not None:
            selection = merge_inputs(selection, input_selection(requires, cur.reserved, expand))
        key_fields = tuple(
            f.data_key for f in input_selection(hop.key, cur.reserved, expand).fields
        )
        if cur.concrete is not None:
            types = frozenset({cur.concrete})
        elif cur.mode is Mode.ABSTRACT:
            types = self.qg.runtime_types(cur.subgraph, cur.type_name)
        else:  # an @interfaceObject's own objects: whatever __typename it gave them
            types = frozenset({ANY_TYPE})
        child = self.fetches.child_group(hop.subgraph, cur.path, parents, inputs=(types, selection))
        child.needs(conditions)
        child.add_input(sorted(types), selection, key=key_fields, typename=hop.typename)
        mode = self.qg.mode(hop.subgraph, hop.type_name)
        landed = Position(
            group=child,
            builder=child.entity_selection(hop.type_name),
            subgraph=hop.subgraph,
            type_name=hop.type_name,
            mode=mode,
            concrete=cur.concrete
            if cur.concrete is not None
            else (hop.type_name if mode is Mode.OBJECT else None),
            path=cur.path,
            provided=None,
            conditions=conditions,
            reserved=cur.reserved,
            trail=cur.trail,
        )
        if mode is Mode.ABSTRACT and cur.concrete is None:
            self.place(landed, TYPENAME, None)  # the real type, known here
        return landed

    # --- estimates -------------------------------------------------------------------------------
