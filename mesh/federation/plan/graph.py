"""The query graph: where each field can be resolved and how to move between subgraphs.

Nodes are (subgraph, type); a field edge leaves a node when that subgraph resolves the field
there (directly, or because a ``@provides`` on the path makes an ``@external`` field local); a
key edge goes to another subgraph's node for the same entity (or an interface it implements
as an entity interface or ``@interfaceObject``) when the key's fields are resolvable where it
starts. :meth:`QueryGraph.route` searches key edges breadth-first, so the route found takes
the fewest fetches.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from mesh.federation.plan.operation import FieldSel, FragmentSel, SelSet, field_set
from mesh.federation.supergraph import FieldInSubgraph, Supergraph, TypeKind


class Mode(enum.Enum):
    OBJECT = "object"  # a concrete object type
    ABSTRACT = "abstract"  # an interface or union the subgraph returns concrete objects for
    INTERFACE_OBJECT = "interface object"  # an interface the subgraph has as an object type


@dataclass(frozen=True, slots=True)
class Hop:
    """A key edge: send representations to ``subgraph`` as ``type_name`` using ``key``."""

    subgraph: str
    type_name: str
    key: SelSet
    key_text: str
    typename: str | None  # representation __typename when it is not the object's own


@dataclass(frozen=True, slots=True)
class Node:
    subgraph: str
    type_name: str
    concrete: str | None  # the object type, when known


def list_depth(type_text: str) -> int:
    return type_text.count("[")


def named(type_text: str) -> str:
    return type_text.replace("[", "").replace("]", "").replace("!", "")


class QueryGraph:
    def __init__(self, supergraph: Supergraph, labels: frozenset[str]) -> None:
        self.supergraph = supergraph
        self.types = supergraph.types
        self.labels = labels
        self._keys: dict[tuple[str, str], tuple[tuple[SelSet, str], ...]] = {}
        self._sets: dict[tuple[str, str, str], SelSet] = {}
        self._routes: dict[tuple[Node, str, int], tuple[Hop, ...] | None] = {}

    # --- nodes -------------------------------------------------------------------------------
    def has_type(self, subgraph: str, type_name: str) -> bool:
        info = self.types.get(type_name)
        return info is not None and subgraph in info.subgraphs

    def mode(self, subgraph: str, type_name: str) -> Mode:
        info = self.types[type_name]
        if info.kind is TypeKind.OBJECT:
            return Mode.OBJECT
        presence = info.subgraphs.get(subgraph)
        if presence is not None and presence.interface_object:
            return Mode.INTERFACE_OBJECT
        return Mode.ABSTRACT

    def runtime_types(self, subgraph: str, type_name: str) -> frozenset[str]:
        return self.supergraph.possible_types_in(type_name, subgraph)

    def possible_types(self, type_name: str) -> frozenset[str]:
        return self.supergraph.possible_types(type_name)

    def implements(self, object_type: str, abstract: str) -> bool:
        return object_type in self.supergraph.possible_types(abstract)

    def field_set(self, text_key: tuple[str, str, str], node: object) -> SelSet:
        cached = self._sets.get(text_key)
        if cached is None:
            from graphql import SelectionSetNode

            assert isinstance(node, SelectionSetNode)
            cached = field_set(self.supergraph.schema, node, text_key[1])
            self._sets[text_key] = cached
        return cached

    def keys(self, subgraph: str, type_name: str) -> tuple[tuple[SelSet, str], ...]:
        """Resolvable keys of ``type_name`` in ``subgraph``, parsed against the supergraph."""
        cached = self._keys.get((subgraph, type_name))
        if cached is None:
            info = self.types.get(type_name)
            found: list[tuple[SelSet, str]] = []
            if info is not None:
                for key in info.keys_in(subgraph):
                    if key.resolvable:
                        selection = self.field_set(
                            ("key", type_name, key.fields.text), key.fields.selection
                        )
                        found.append((selection, key.fields.text))
            cached = self._keys[(subgraph, type_name)] = tuple(found)
        return cached

    def requires(self, type_name: str, resolution: FieldInSubgraph) -> SelSet | None:
        if resolution.requires is None:
            return None
        return self.field_set(
            ("requires", type_name, resolution.requires.text), resolution.requires.selection
        )

    def provides(self, resolution: FieldInSubgraph) -> SelSet | None:
        if resolution.provides is None:
            return None
        child = named(resolution.type)
        return self.field_set(
            ("provides", child, resolution.provides.text), resolution.provides.selection
        )

    # --- field edges ---------------------------------------------------------------------------
    def resolution(self, subgraph: str, type_name: str, field: str) -> FieldInSubgraph | None:
        """How ``subgraph`` answers ``type_name.field`` itself (``@requires`` included)."""
        info = self.types.get(type_name)
        if info is None:
            return None
        field_info = info.fields.get(field)
        if field_info is None:
            return None
        found = field_info.subgraphs.get(subgraph)
        if found is not None and found.active(self.labels):
            return found
        return None

    def local(
        self, subgraph: str, type_name: str, field: str, provided: SelSet | None
    ) -> FieldInSubgraph | None:
        """``subgraph`` answers the field here without a new fetch (no ``@requires``)."""
        found = self.resolution(subgraph, type_name, field)
        if found is not None:
            return None if found.requires is not None else found
        info = self.types[type_name].fields.get(field)
        if info is None:
            return None
        external = info.subgraphs.get(subgraph)
        if provided is not None and provided_child(self, provided, type_name, field) is not False:
            # join v0.1 supergraphs do not list provided fields under the providing subgraph
            return external or FieldInSubgraph(subgraph=subgraph, type=info.type, external=True)
        if (
            external is not None
            and external.external
            and self._extension_key_field(subgraph, type_name, field)
        ):
            return external
        return None

    def _extension_key_field(self, subgraph: str, type_name: str, field: str) -> bool:
        """A key field an ``extend type`` marks @external is still its own subgraph's to
        answer (Apollo's composer drops the mark; other composers may keep it)."""
        presence = self.types[type_name].subgraphs.get(subgraph)
        if presence is None or not presence.extension:
            return False
        return any(
            isinstance(item, FieldSel) and item.name == field
            for key, _ in self.keys(subgraph, type_name)
            for item in key.items
        )

    def resolvers(self, type_name: str, field: str) -> dict[str, FieldInSubgraph]:
        info = self.types.get(type_name)
        field_info = info.fields.get(field) if info else None
        return field_info.resolvers(self.labels) if field_info else {}

    def locally_resolvable(
        self, subgraph: str, type_name: str, selection: SelSet, provided: SelSet | None
    ) -> bool:
        for item in selection.items:
            if isinstance(item, FragmentSel):
                condition = item.type_condition
                if condition is not None and not self.has_type(subgraph, condition):
                    return False
                if not self.locally_resolvable(
                    subgraph, condition or type_name, item.selection, provided
                ):
                    return False
                continue
            if item.name == "__typename":
                continue
            found = self.local(subgraph, type_name, item.name, provided)
            if found is None:
                return False
            if item.selection is not None:
                child_provided = provided_child(self, provided, type_name, item.name)
                if not self.locally_resolvable(
                    subgraph,
                    named(found.type),
                    item.selection,
                    child_provided if isinstance(child_provided, SelSet) else self.provides(found),
                ):
                    return False
        return True

    # --- key edges -----------------------------------------------------------------------------
    def _entity_targets(self, node: Node) -> list[tuple[str, str | None]]:
        """(type, representation typename) a jump from ``node`` may land on."""
        targets: list[tuple[str, str | None]] = []
        if node.concrete is not None:
            targets.append((node.concrete, None))
            for interface in self.types[node.concrete].interfaces:
                targets.append((interface, None))
        else:
            targets.append((node.type_name, None))
        return targets

    def hops_from(
        self,
        node: Node,
        provided: SelSet | None,
        condition: Callable[[Node, Hop], bool] | None = None,
    ) -> list[Hop]:
        """Key edges leaving ``node``: those whose key it resolves itself, or, when
        ``condition`` is given, those whose key ``condition`` says can be fetched from here
        (part of it from other subgraphs)."""
        hops: list[Hop] = []
        for type_name, _ in self._entity_targets(node):
            info = self.types.get(type_name)
            if info is None:
                continue
            for subgraph, presence in info.subgraphs.items():
                if not presence.keys:
                    continue
                if node.concrete is None and info.kind is TypeKind.OBJECT:
                    continue
                for key, text in self.keys(subgraph, type_name):
                    typename = type_name if presence.interface_object else None
                    hop = Hop(subgraph, type_name, key, text, typename)
                    if self.locally_resolvable(node.subgraph, node.type_name, key, provided) or (
                        condition is not None
                        and (subgraph, type_name) != (node.subgraph, node.type_name)
                        and condition(node, hop)
                    ):
                        hops.append(hop)
                        break
        return hops

    def route(
        self,
        start: Node,
        goal: Callable[[Node], bool],
        goal_name: str,
        *,
        min_hops: int = 1,
        provided: SelSet | None = None,
        condition: Callable[[Node, Hop], bool] | None = None,
    ) -> tuple[Hop, ...] | None:
        """The fewest key edges from ``start`` to a node where ``goal`` holds: over keys
        resolved where each edge starts if that is possible, else also over keys fetched
        partly from elsewhere (``condition``)."""
        cache_key = (start, goal_name, min_hops)
        if provided is None and cache_key in self._routes:
            return self._routes[cache_key]
        found = self._search(start, goal, min_hops, provided, None)
        if found is None and condition is not None:
            # not remembered when it fails: the condition may fail only for now (a cycle)
            found = self._search(start, goal, min_hops, provided, condition)
            if found is None:
                return None
        if provided is None:
            self._routes[cache_key] = found
        return found

    def _search(
        self,
        start: Node,
        goal: Callable[[Node], bool],
        min_hops: int,
        provided: SelSet | None,
        condition: Callable[[Node, Hop], bool] | None,
    ) -> tuple[Hop, ...] | None:
        if min_hops == 0 and goal(start):
            return ()
        queue: deque[tuple[Node, tuple[Hop, ...]]] = deque([(start, ())])
        seen = {start}
        while queue:
            node, hops = queue.popleft()
            for hop in self.hops_from(node, provided if not hops else None, condition):
                concrete = node.concrete
                target = Node(hop.subgraph, hop.type_name, concrete)
                route = (*hops, hop)
                if goal(target):
                    return route
                if target not in seen:
                    seen.add(target)
                    queue.append((target, route))
        return None


def provided_child(
    graph: QueryGraph, provided: SelSet | None, type_name: str, field: str
) -> SelSet | bool | None:
    """What ``provided`` says about ``field`` on ``type_name``: False when it is not provided,
    None when provided as a leaf, else the provided sub-selection."""
    if provided is None:
        return False
    for item in provided.items:
        if isinstance(item, FieldSel):
            if item.name == field:
                return item.selection
        elif (
            item.type_condition is None
            or item.type_condition == type_name
            or (
                graph.implements(type_name, item.type_condition)
                if graph.types[item.type_condition].is_abstract
                else False
            )
        ):
            inner = provided_child(graph, item.selection, type_name, field)
            if inner is not False:
                return inner
    return False
