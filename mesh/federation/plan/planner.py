"""``plan_operation``: a client operation over a supergraph → a :class:`QueryPlan`."""

from __future__ import annotations

import weakref

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    OperationType,
    parse,
    print_ast,
    validate,
    value_from_ast_untyped,
)
from graphql.utilities import get_operation_ast

from mesh.federation.plan.errors import PlanningError
from mesh.federation.plan.fetch_graph import FetchGroup, entity_targets
from mesh.federation.plan.graph import Mode, QueryGraph, named
from mesh.federation.plan.inputs_text import inputs_text
from mesh.federation.plan.nodes import FetchNode, PlanNode, QueryPlan
from mesh.federation.plan.operation import FieldSel, FragmentSel, Normalizer, Selection, SelSet
from mesh.federation.plan.position import IMPOSSIBLE, Cost, Estimates, Position
from mesh.federation.plan.reserved import Reserved
from mesh.federation.plan.split import fewest_parts
from mesh.federation.plan.walk import Walk
from mesh.federation.supergraph import FieldInSubgraph, Supergraph

_INTROSPECTION = frozenset({"__schema", "__type", "__typename"})
_graphs: weakref.WeakKeyDictionary[Supergraph, dict[frozenset[str], QueryGraph]] = (
    weakref.WeakKeyDictionary()
)


def query_graph(supergraph: Supergraph, labels: frozenset[str]) -> QueryGraph:
    """The query graph for these override labels, built once per supergraph."""
    by_labels = _graphs.setdefault(supergraph, {})
    graph = by_labels.get(labels)
    if graph is None:
        graph = by_labels[labels] = QueryGraph(supergraph, labels)
    return graph


def plan_operation(
    supergraph: Supergraph,
    document: DocumentNode | str,
    operation_name: str | None = None,
    *,
    override_labels: frozenset[str] = frozenset(),
) -> QueryPlan:
    """Plan one operation of ``document`` (validated against ``supergraph.api_schema``).

    ``override_labels`` are the progressive ``@override`` labels enabled for this request
    (the caller decides percentages). Raises :class:`PlanningError`.
    """
    if isinstance(document, str):
        try:
            document = parse(document)
        except GraphQLSyntaxError as exc:
            raise PlanningError(f"the operation does not parse: {exc.message}") from None
        errors = validate(supergraph.api_schema, document)
        if errors:
            raise PlanningError(f"the operation is not valid: {errors[0].message}")
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        raise PlanningError(f"no operation {operation_name or ''} to plan".replace("  ", " "))
    try:
        return _OperationPlanner(supergraph, document, operation, override_labels).plan()
    except PlanningError:
        raise
    except Exception as exc:
        # a planner bug is still a planning failure for the client, never a 500
        raise PlanningError(f"the planner failed ({type(exc).__name__}: {exc})") from exc


class _OperationPlanner:
    def __init__(
        self,
        supergraph: Supergraph,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        labels: frozenset[str],
    ) -> None:
        self.supergraph = supergraph
        self.operation = operation
        self.labels = labels
        self.kind = operation.operation.value
        if operation.operation is OperationType.SUBSCRIPTION:
            raise PlanningError("subscriptions are not supported")
        root_type = supergraph.root_types.get(self.kind)
        if root_type is None:
            raise PlanningError(f"the supergraph has no {self.kind} type")
        self.root_type = root_type
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.selection = Normalizer(supergraph.api_schema, fragments).selection_set(
            operation.selection_set, root_type
        )
        self.graph = query_graph(supergraph, labels)
        self.walk = Walk(self.graph, Estimates())
        self.name = operation.name.value if operation.name else None
        self.variable_definitions = {
            d.variable.name.value: print_ast(d) for d in operation.variable_definitions or ()
        }

    def plan(self) -> QueryPlan:
        """The cheaper of two greedy strategies (fewest fetches, then fewest levels): local
        fields first, and — when that plan asks some subgraph twice — jump fields first with
        local ones joining fetches that already receive the same objects."""
        node = self._walked()
        fetches = self.walk.fetches
        subgraphs = [g.subgraph for g in fetches.groups]
        if len(set(subgraphs)) < len(subgraphs) and self.kind != "mutation":
            first = (len(fetches.groups), fetches.depth(), self.walk)
            self.walk = Walk(self.graph, Estimates(), jumps_first=True)
            try:
                other = self._walked()
            except PlanningError:
                other = None
            second = self.walk.fetches
            if other is not None and (len(second.groups), second.depth()) < first[:2]:
                node = other
            else:
                self.walk = first[2]
        return QueryPlan(
            node=node,
            operation_kind=self.kind,
            override_labels=self.labels,
            variable_defaults={
                d.variable.name.value: value_from_ast_untyped(d.default_value)
                for d in self.operation.variable_definitions or ()
                if d.default_value is not None
            },
        )

    def _walked(self) -> PlanNode | None:
        fields = _root_fields(self.selection.items)
        reserved = Reserved.of(fields)
        ordered: list[FetchGroup] = []
        if self.kind != "mutation":
            # fields fewer subgraphs can answer first: shared ones can then join their fetches
            fields.sort(key=self._answerers)
        for field in fields:
            if field.name in _INTROSPECTION:
                continue
            resolvers = self.graph.resolvers(self.root_type, field.name)
            if not resolvers:
                raise PlanningError(
                    f"no subgraph resolves {self.root_type}.{field.name}",
                    path=(field.response_key,),
                )
            choice = self._choose_root(field, resolvers)
            if choice is None:
                self._split_root(field, resolvers, reserved, ordered)
                continue
            self._place_root(field, choice, resolvers[choice], reserved, ordered)
        fetches = self.walk.fetches
        fetches.merge_siblings()
        return fetches.plan_node(self._render, ordered if self.kind == "mutation" else None)

    def _answerers(self, field: FieldSel) -> int:
        """How many subgraphs can answer a root field with its whole selection."""
        if field.name in _INTROSPECTION:
            return 0
        resolvers = self.graph.resolvers(self.root_type, field.name)
        if len(resolvers) < 2:
            return len(resolvers)
        return sum(self._cost(field, s, r) != IMPOSSIBLE for s, r in resolvers.items())

    def _root_position(self, group: FetchGroup, reserved: Reserved) -> Position:
        return Position(
            group=group,
            builder=group.builder,
            subgraph=group.subgraph,
            type_name=self.root_type,
            mode=Mode.OBJECT,
            concrete=self.root_type,
            path=(),
            provided=None,
            conditions=frozenset(),
            reserved=reserved,
            trail=(),
        )

    def _group(self, subgraph: str, ordered: list[FetchGroup]) -> FetchGroup:
        fetches = self.walk.fetches
        if self.kind == "mutation":
            # mutation fields run in order: only consecutive fields share a request
            if ordered and ordered[-1].subgraph == subgraph:
                return ordered[-1]
            group = fetches.root_group(subgraph, self.kind, self.root_type, fresh=True)
            ordered.append(group)
            return group
        return fetches.root_group(subgraph, self.kind, self.root_type)

    def _place_root(
        self,
        field: FieldSel,
        subgraph: str,
        resolution: FieldInSubgraph,
        reserved: Reserved,
        ordered: list[FetchGroup],
    ) -> None:
        position = self._root_position(self._group(subgraph, ordered), reserved)
        self.walk.place(position, field, resolution)

    def _cost(self, field: FieldSel, subgraph: str, resolution: FieldInSubgraph) -> Cost:
        new = 0.0 if self.walk.fetches.existing_root(subgraph) else 1.0
        if field.selection is None:
            return new, new
        probe = self.walk.probe_position(subgraph, self.root_type, self.root_type)
        child = self.walk.child_position_of(probe, field, resolution, probe=True)
        sub = self.walk.estimate(child, field.selection)
        return new + sub[0], new + sub[1]

    def _choose_root(self, field: FieldSel, resolvers: dict[str, FieldInSubgraph]) -> str | None:
        if len(resolvers) == 1:
            return next(iter(resolvers))
        if self.kind == "mutation" and self.walk.fetches.groups:
            last = self.walk.fetches.groups[-1].subgraph
            if last in resolvers and field.selection is None:
                return last
        costs = sorted(
            (self._cost(field, s, r), index, s)
            for index, (s, r) in enumerate(sorted(resolvers.items()))
        )
        return None if costs[0][0] == IMPOSSIBLE else costs[0][2]

    def _split_root(
        self,
        field: FieldSel,
        resolvers: dict[str, FieldInSubgraph],
        reserved: Reserved,
        ordered: list[FetchGroup],
    ) -> None:
        """A shared root field no one subgraph fully answers: each part from one that can
        (never a mutation: it would run twice)."""
        if self.kind == "mutation" or field.selection is None:
            raise PlanningError(
                f"no subgraph resolves all of {self.root_type}.{field.name} as asked",
                path=(field.response_key,),
            )
        able: list[list[str]] = []
        for item in field.selection.items:
            single = SelSet(field.selection.type_name, (item,))
            found = []
            for subgraph, resolution in sorted(resolvers.items()):
                probe = self.walk.probe_position(subgraph, self.root_type, self.root_type)
                child = self.walk.child_position_of(probe, field, resolution, probe=True)
                if self.walk.estimate(child, single) != IMPOSSIBLE:
                    found.append(subgraph)
            if not found:
                raise PlanningError(
                    f"no subgraph can resolve this part of {self.root_type}.{field.name}",
                    path=(field.response_key,),
                )
            able.append(found)
        parts: dict[str, list[Selection]] = {}
        for item, subgraph in zip(field.selection.items, fewest_parts(able), strict=True):
            parts.setdefault(subgraph, []).append(item)
        for subgraph, items in parts.items():
            part = FieldSel(
                name=field.name,
                response_key=field.response_key,
                arguments=field.arguments,
                directives=field.directives,
                conditions=field.conditions,
                variables=field.variables,
                selection=SelSet(field.selection.type_name, tuple(items)),
            )
            self._place_root(part, subgraph, resolvers[subgraph], reserved, ordered)

    def _render(self, group: FetchGroup) -> FetchNode:
        builder = group.builder
        rewrites = tuple(builder.alias_conflicts(self.graph.possible_types))
        used = sorted(v for v in builder.all_variables() if v in self.variable_definitions)
        definitions = [self.variable_definitions[v] for v in used]
        name = f" {self.name}__{group.subgraph}__{group.id}" if self.name else ""
        if group.entity:
            head = ", ".join(["$representations: [_Any!]!", *definitions])
            operation = (
                f"query{name}({head}) "
                f"{{ _entities(representations: $representations) {builder.render()} }}"
            )
        else:
            head = f"({', '.join(definitions)})" if definitions else ""
            operation = f"{group.kind}{name}{head} {builder.render()}"
        targets = entity_targets(group) if group.entity else ()
        return FetchNode(
            id=group.id,
            subgraph=group.subgraph,
            operation=operation,
            variables=tuple(used),
            operation_kind=group.kind,
            targets=targets,
            rewrites=rewrites,
            selection_text="\n".join(builder.pretty(0)),
            inputs_text=inputs_text(targets),
        )


def _root_fields(items: tuple[Selection, ...]) -> list[FieldSel]:
    """Root fields in order, fragments on the root type flattened with their conditions."""
    fields: list[FieldSel] = []
    for item in items:
        if isinstance(item, FieldSel):
            fields.append(item)
            continue
        for inner in _root_fields(item.selection.items):
            fields.append(_under(inner, item))
    return fields


def _under(field: FieldSel, fragment: FragmentSel) -> FieldSel:
    return FieldSel(
        name=field.name,
        response_key=field.response_key,
        arguments=field.arguments,
        directives=field.directives + fragment.directives,
        conditions=field.conditions | fragment.conditions,
        variables=field.variables | fragment.variables,
        selection=field.selection,
        internal=field.internal,
    )


__all__ = ["named", "plan_operation", "query_graph"]
