"""Choosing how to resolve a field: the options the query graph offers at a position, what
each costs (planned in a scratch fetch graph: fewest fetches, then fewest levels), and a
field no single option covers split over several."""

from __future__ import annotations

import dataclasses

from mesh.federation.plan.errors import PlanningError
from mesh.federation.plan.fetch_graph import FetchGraph, FetchGroup
from mesh.federation.plan.graph import Hop, Mode, Node, QueryGraph
from mesh.federation.plan.operation import NO_CONDITIONS, FieldSel, Selection, SelSet
from mesh.federation.plan.position import (
    FREE,
    IMPOSSIBLE,
    Cost,
    Estimates,
    Jump,
    Local,
    Option,
    Position,
)
from mesh.federation.plan.reserved import EMPTY, input_selection
from mesh.federation.plan.selections import SelectionBuilder
from mesh.federation.plan.split import fewest_parts
from mesh.federation.supergraph import FieldInSubgraph


class Choosing:
    """The choosing half of :class:`~mesh.federation.plan.walk.Walk`."""

    qg: QueryGraph
    fetches: FetchGraph
    estimates: Estimates

    def __init__(
        self, graph: QueryGraph, estimates: Estimates, *, jumps_first: bool = False
    ) -> None:
        self.qg = graph
        self.fetches = FetchGraph()
        self.estimates = estimates
        # the second strategy: at each position fields needing a jump are placed before the
        # local ones, and a jump into a fetch that already receives these objects with this
        # key costs no fetch (its key is being fetched anyway)
        self.jumps_first = jumps_first

    # provided by the walk
    def items(
        self, pos: Position, items: list[Selection] | tuple[Selection, ...]
    ) -> set[FetchGroup]:
        raise NotImplementedError

    def apply(self, pos: Position, field: FieldSel, option: Option) -> set[FetchGroup]:
        raise NotImplementedError

    def child_position_of(
        self,
        pos: Position,
        field: FieldSel,
        resolution: FieldInSubgraph,
        *,
        builder: SelectionBuilder | None = None,
        probe: bool = False,
    ) -> Position:
        raise NotImplementedError

    def options(self, pos: Position, field: FieldSel) -> list[Option]:
        qg = self.qg
        options: list[Option] = []
        local = qg.local(pos.subgraph, pos.type_name, field.name, pos.provided)
        if local is not None:
            options.append(Local(local))
        targets: list[tuple[str, str]] = []
        type_names = [pos.type_name]
        if pos.concrete is not None and pos.concrete != pos.type_name:
            type_names.append(pos.concrete)
        if pos.concrete is not None:
            type_names.extend(qg.types[pos.concrete].interfaces)
        for type_name in type_names:
            for subgraph in qg.resolvers(type_name, field.name):
                if subgraph == pos.subgraph and local is not None:
                    continue
                if (subgraph, type_name) not in targets:
                    targets.append((subgraph, type_name))
        for subgraph, type_name in targets:

            def goal(n: Node, s: str = subgraph, t: str = type_name) -> bool:
                return n.subgraph == s and n.type_name == t

            route = qg.route(
                pos.node,
                goal,
                f"{subgraph}:{type_name}",
                provided=pos.provided,
                condition=self.key_condition,
            )
            if route is None or self._circular(pos.node, route):
                continue
            found = qg.resolution(subgraph, type_name, field.name)
            assert found is not None
            options.append(Jump(route, found, type_name))
        return options

    def choose(self, pos: Position, field: FieldSel, options: list[Option]) -> Option | None:
        """The cheapest option; None when none can resolve the field's whole selection."""
        if len(options) == 1:
            return options[0]
        costs: list[tuple[Cost, int, Option]] = []
        for index, option in enumerate(options):
            cost = self.option_cost(pos, field, option)
            if cost == FREE:
                return option
            costs.append((cost, index, option))
        costs.sort(key=lambda c: (c[0], c[1]))
        best = costs[0]
        return None if best[0] == IMPOSSIBLE else best[2]

    def option_cost(self, pos: Position, field: FieldSel, option: Option) -> Cost:
        if isinstance(option, Local):
            if field.selection is None:
                return FREE
            return self.estimate(
                self.child_position_of(pos, field, option.resolution, probe=True), field.selection
            )
        fetches = float(len(option.hops))
        first = option.hops[0]
        if option.resolution.requires is None and self.fetches.existing_child(
            first.subgraph, pos.path, {pos.group}
        ):
            fetches -= 1
        depth = float(len(option.hops))
        node = pos.node
        if self._keyed_fetch_exists(pos, option):
            fetches, depth = 0.0, 0.0
        else:
            for hop in option.hops:  # keys fetched partly elsewhere cost their own fetches
                key = self.key_cost(node, hop)
                fetches += key[0]
                depth += key[1]
                node = Node(hop.subgraph, hop.type_name, node.concrete)
        if field.selection is not None:
            probe = self.probe_position(option.hops[-1].subgraph, option.type_name, pos.concrete)
            sub = self.estimate(
                self.child_position_of(probe, field, option.resolution, probe=True), field.selection
            )
            fetches += sub[0]
            depth += sub[1]
        if option.resolution.requires is not None:
            requires = self.qg.requires(option.type_name, option.resolution)
            assert requires is not None
            cost = self.estimate(
                self.probe_position(pos.subgraph, pos.type_name, pos.concrete, pos.provided),
                requires,
            )
            fetches += cost[0]
            depth += cost[1]
        return fetches, depth

    def _keyed_fetch_exists(self, pos: Position, option: Jump) -> bool:
        """(Second strategy) whether a fetch to the jump's subgraph at this path already
        receives these objects with this very key: joining it costs no fetch."""
        if not self.jumps_first or len(option.hops) != 1 or option.resolution.requires:
            return False
        if pos.concrete is None:
            return False
        hop = option.hops[0]
        key_fields = tuple(
            f.data_key
            for f in input_selection(hop.key, pos.reserved, self.qg.possible_types).fields
        )
        return self.fetches.existing_keyed(hop.subgraph, pos.path, pos.concrete, key_fields)

    def split(self, pos: Position, field: FieldSel, options: list[Option]) -> set[FetchGroup]:
        """A field whose selection no single subgraph covers (a shareable value type): each
        part of the selection from a subgraph that has it; the answers merge."""
        assert field.selection is not None
        able: list[list[str]] = []
        for item in field.selection.items:
            single = SelSet(field.selection.type_name, (item,))
            found = []
            for index, option in enumerate(options):
                probe_pos = (
                    pos
                    if isinstance(option, Local)
                    else self.probe_position(
                        option.hops[-1].subgraph, option.type_name, pos.concrete
                    )
                )
                child = self.child_position_of(probe_pos, field, option.resolution, probe=True)
                if self.estimate(child, single) != IMPOSSIBLE:
                    found.append(str(index))
            if not found:
                raise PlanningError(
                    f"no subgraph can resolve this part of {pos.type_name}.{field.name}",
                    path=(*pos.trail, field.response_key),
                )
            able.append(found)
        parts: dict[int, list[Selection]] = {}
        for item, index_text in zip(field.selection.items, fewest_parts(able), strict=True):
            parts.setdefault(int(index_text), []).append(item)
        touched: set[FetchGroup] = set()
        for index, items in parts.items():
            part = dataclasses.replace(
                field, selection=SelSet(field.selection.type_name, tuple(items))
            )
            touched |= self.apply(pos, part, options[index])
        return touched

    # --- placing ---------------------------------------------------------------------------------

    def _circular(self, start: Node, route: tuple[Hop, ...]) -> bool:
        """Whether the route takes a key edge whose own key is being fetched right now."""
        satisfying = self.estimates.satisfying
        if not satisfying:
            return False
        node = start
        for hop in route:
            if (node, hop.subgraph, hop.type_name) in satisfying:
                return True
            node = Node(hop.subgraph, hop.type_name, node.concrete)
        return False

    def key_condition(self, node: Node, hop: Hop) -> bool:
        """Whether a key's fields can be fetched at ``node``, some from other subgraphs (not
        while that very key is being fetched there: that would go round in a circle)."""
        if (node, hop.subgraph, hop.type_name) in self.estimates.satisfying:
            return False
        return self.key_cost(node, hop) != IMPOSSIBLE

    def key_cost(self, node: Node, hop: Hop) -> Cost:
        if self.qg.locally_resolvable(node.subgraph, node.type_name, hop.key, None):
            return FREE
        probe = self.probe_position(node.subgraph, node.type_name, node.concrete)
        return self.estimate(probe, hop.key)

    def probe_position(
        self,
        subgraph: str,
        type_name: str,
        concrete: str | None,
        provided: SelSet | None = None,
        fetches: FetchGraph | None = None,
    ) -> Position:
        """A position at the top of a fresh fetch graph (a scratch one unless given)."""
        mode = self.qg.mode(subgraph, type_name)
        if mode is Mode.OBJECT:
            concrete = type_name
        group = (fetches or FetchGraph()).child_group(subgraph, (), ())
        return Position(
            group=group,
            builder=group.entity_selection(type_name),
            subgraph=subgraph,
            type_name=type_name,
            mode=mode,
            concrete=concrete,
            path=(),
            provided=provided,
            conditions=NO_CONDITIONS,
            reserved=EMPTY,
            trail=(),
        )

    def estimate(self, pos: Position, selection: SelSet) -> Cost:
        """Fetches and sequential levels ``selection`` costs from ``pos`` (planned in scratch).

        An estimate that meets one still being computed (a cycle) treats it as impossible;
        an impossible result reached that way is not remembered, since it may only be so
        because of the cycle.
        """
        memo_key = (
            pos.subgraph,
            pos.type_name,
            pos.concrete,
            pos.mode,
            id(selection),
            id(pos.provided),
        )
        memo = self.estimates
        known = memo.known.get(memo_key)
        if known is not None:
            return known[0]
        if memo_key in memo.in_progress:
            memo.cycles += 1
            return IMPOSSIBLE
        memo.in_progress.add(memo_key)
        cycles_before = memo.cycles
        scratch = type(self)(self.qg, memo, jumps_first=self.jumps_first)
        probe = scratch.probe_position(
            pos.subgraph, pos.type_name, pos.concrete, pos.provided, scratch.fetches
        )
        try:
            scratch.items(probe, selection.items)
            cost: Cost = (
                float(len(scratch.fetches.groups) - 1),
                float(scratch.fetches.depth() - 1),
            )
        except PlanningError:
            cost = IMPOSSIBLE
        finally:
            memo.in_progress.discard(memo_key)
        if cost != IMPOSSIBLE or memo.cycles == cycles_before:
            # keep the selection and provided sets alive: their ids are in the key
            memo.known[memo_key] = (cost, (selection, pos.provided))
        return cost
