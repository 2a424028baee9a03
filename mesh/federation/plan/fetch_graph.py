"""Fetch groups — one future subgraph request each — and how they depend on one another.

The planner adds selections to groups as it walks the operation; a group that needs data
another group fetches lists it as a parent. Finally groups to the same subgraph with the same
parents are merged (one ``_entities`` call for several paths and types) and the dependency
graph becomes Sequence/Parallel nodes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mesh.federation.plan.nodes import (
    ANY_TYPE,
    EntityInput,
    EntityTarget,
    FetchNode,
    InputField,
    InputSelection,
    ParallelNode,
    Path,
    PlanNode,
    SequenceNode,
    conditioned,
    path_text,
)
from mesh.federation.plan.operation import Condition
from mesh.federation.plan.selections import FieldItem, FragmentItem, SelectionBuilder


def merge_inputs(a: InputSelection, b: InputSelection) -> InputSelection:
    fields = {(f.name, f.data_key): f for f in a.fields}
    for f in b.fields:
        known = fields.get((f.name, f.data_key))
        if known is None:
            fields[(f.name, f.data_key)] = f
        elif known.selection is not None and f.selection is not None:
            fields[(f.name, f.data_key)] = InputField(
                f.name, f.data_key, merge_inputs(known.selection, f.selection)
            )
    fragments = list(a.fragments)
    for fragment in b.fragments:
        if fragment not in fragments:
            fragments.append(fragment)
    return InputSelection(tuple(fields.values()), tuple(fragments))


class _Inputs:
    __slots__ = ("keys", "selection", "typename")

    def __init__(self, selection: InputSelection, typename: str | None) -> None:
        self.selection = selection
        self.typename = typename
        self.keys: list[tuple[str, ...]] = []


class FetchGroup:
    __slots__ = (
        "builder",
        "conditions",
        "entity",
        "id",
        "inputs",
        "kind",
        "parents",
        "path",
        "subgraph",
        "targets",
    )

    def __init__(
        self, id: int, subgraph: str, *, entity: bool, path: Path, kind: str, root_type: str
    ) -> None:
        self.id = id
        self.subgraph = subgraph
        self.entity = entity
        self.path = path
        self.kind = kind
        self.builder = SelectionBuilder("_Entity" if entity else root_type)
        self.inputs: dict[str, _Inputs] = {}
        self.parents: set[FetchGroup] = set()
        self.conditions: frozenset[Condition] | None = None
        self.targets: list[tuple[Path, dict[str, _Inputs]]] = []

    def __repr__(self) -> str:
        return f"<group {self.id} {self.subgraph} at {path_text(self.path) or 'root'}>"

    def needs(self, conditions: frozenset[Condition]) -> None:
        """Record that something under ``conditions`` is fetched here."""
        self.conditions = conditions if self.conditions is None else self.conditions & conditions

    def entity_selection(self, type_name: str) -> SelectionBuilder:
        return self.builder.fragment(type_name)

    def add_input(
        self,
        types: Iterable[str],
        selection: InputSelection,
        *,
        key: tuple[str, ...] | None,
        typename: str | None,
    ) -> None:
        for type_name in types:
            known = self.inputs.get(type_name)
            if known is None:
                known = self.inputs[type_name] = _Inputs(selection, typename)
            else:
                known.selection = merge_inputs(known.selection, selection)
            if key is not None and key not in known.keys:
                known.keys.append(key)

    def depth(self) -> int:
        return 1 + max((p.depth() for p in self.parents), default=0)


class FetchGraph:
    def __init__(self) -> None:
        self.groups: list[FetchGroup] = []
        self._children: dict[tuple[str, Path, frozenset[int]], FetchGroup] = {}
        self._clash_children: dict[
            tuple[tuple[str, Path, frozenset[int]], InputSelection], FetchGroup
        ] = {}
        self._roots: dict[str, FetchGroup] = {}

    def _new(
        self, subgraph: str, *, entity: bool, path: Path, kind: str, root_type: str
    ) -> FetchGroup:
        group = FetchGroup(
            len(self.groups), subgraph, entity=entity, path=path, kind=kind, root_type=root_type
        )
        self.groups.append(group)
        return group

    def root_group(
        self, subgraph: str, kind: str, root_type: str, *, fresh: bool = False
    ) -> FetchGroup:
        group = None if fresh else self._roots.get(subgraph)
        if group is None:
            group = self._new(subgraph, entity=False, path=(), kind=kind, root_type=root_type)
            self._roots[subgraph] = group
        return group

    def existing_root(self, subgraph: str) -> FetchGroup | None:
        return self._roots.get(subgraph)

    def child_group(
        self,
        subgraph: str,
        path: Path,
        parents: Iterable[FetchGroup],
        *,
        inputs: tuple[Iterable[str], InputSelection] | None = None,
    ) -> FetchGroup:
        """The entity fetch to ``subgraph`` at ``path`` after ``parents``; a new one when the
        representations ``inputs`` (types, selection) would clash with the existing one's
        (one field sent under one name from two different data keys: two ``@requires`` of
        one external field with different arguments)."""
        parent_set = frozenset(parents)
        key = (subgraph, path, frozenset(p.id for p in parent_set))
        group = self._children.get(key)
        if group is not None and inputs is not None and _clashes_with(group, *inputs):
            group = self._clash_children.get((key, inputs[1]))
            if group is None:
                group = self._clash_children[(key, inputs[1])] = self._new_child(
                    subgraph, path, parent_set
                )
        if group is None:
            group = self._children[key] = self._new_child(subgraph, path, parent_set)
        return group

    def _new_child(self, subgraph: str, path: Path, parents: frozenset[FetchGroup]) -> FetchGroup:
        # an entity fetch is a query, also when a mutation's answer needs one
        group = self._new(subgraph, entity=True, path=path, kind="query", root_type="Query")
        group.parents.update(parents)
        return group

    def existing_child(
        self, subgraph: str, path: Path, parents: Iterable[FetchGroup]
    ) -> FetchGroup | None:
        key = (subgraph, path, frozenset(p.id for p in parents))
        return self._children.get(key)

    def existing_keyed(
        self, subgraph: str, path: Path, type_name: str, key: tuple[str, ...]
    ) -> bool:
        """Whether an entity fetch to ``subgraph`` at ``path`` already receives ``type_name``
        objects with these key fields (whatever it waits for)."""
        for group in self.groups:
            if group.entity and group.subgraph == subgraph and group.path == path:
                inputs = group.inputs.get(type_name)
                if inputs is not None and key in inputs.keys:
                    return True
        return False

    def depth(self) -> int:
        return max((g.depth() for g in self.groups), default=0)

    # --- finishing ---------------------------------------------------------------------------
    def merge_same_path(self) -> None:
        """One request for entity groups to one subgraph at one path when neither waits for
        the other (two @requires chains ending in one subgraph): a fetch fewer, the merged
        request waiting for both groups' parents."""
        while True:
            by_key: dict[tuple[str, Path], list[FetchGroup]] = {}
            for group in self.groups:
                if group.entity:
                    by_key.setdefault((group.subgraph, group.path), []).append(group)
            pair = next(
                (
                    (a, b)
                    for groups in by_key.values()
                    for i, a in enumerate(groups)
                    for b in groups[i + 1 :]
                    if not _waits_for(a, b)
                    and not _waits_for(b, a)
                    and _compatible(a.builder, b.builder)
                    and not _groups_clash(a, b)
                ),
                None,
            )
            if pair is None:
                return
            host, other = pair
            _merge_builder(host.builder, other.builder)
            for type_name, inputs in other.inputs.items():
                known = host.inputs.get(type_name)
                if known is None:
                    host.inputs[type_name] = inputs
                else:
                    known.selection = merge_inputs(known.selection, inputs.selection)
                    known.keys.extend(k for k in inputs.keys if k not in known.keys)
            host.parents |= other.parents
            host.conditions = _weaker(host.conditions, other.conditions)
            self.groups.remove(other)
            for group in self.groups:
                if other in group.parents:
                    group.parents = (group.parents - {other}) | {host}

    def merge_narrowed_paths(self) -> None:
        """An entity group at ``P|[T]`` (the objects of type T at path P) that asks nothing
        a group at ``P`` to the same subgraph does not already ask, for those same objects
        with the same inputs, is dropped into it (e.g. a field of an interface object asked
        both under ``... on Bus`` and without): a fetch fewer, the same answers."""
        while True:
            pair = next(
                (
                    (narrow, whole)
                    for narrow in self.groups
                    if narrow.entity and narrow.path and isinstance(narrow.path[-1], frozenset)
                    for whole in self.groups
                    if whole is not narrow
                    and whole.entity
                    and whole.subgraph == narrow.subgraph
                    and whole.path == narrow.path[:-1]
                    and not _waits_for(whole, narrow)
                    and not _waits_for(narrow, whole)
                    and _inputs_cover(whole, narrow)
                    and _contains(whole.builder, narrow.builder)
                ),
                None,
            )
            if pair is None:
                return
            narrow, whole = pair
            _merge_builder(whole.builder, narrow.builder)
            whole.parents |= narrow.parents
            whole.conditions = _weaker(whole.conditions, narrow.conditions)
            self.groups.remove(narrow)
            for group in self.groups:
                if narrow in group.parents:
                    group.parents = (group.parents - {narrow}) | {whole}

    def merge_siblings(self) -> None:
        """One request for entity groups to one subgraph that wait on the same groups."""
        self.merge_narrowed_paths()
        self.merge_same_path()
        merged_into: dict[FetchGroup, FetchGroup] = {}
        by_key: dict[tuple[str, frozenset[int]], list[FetchGroup]] = {}
        for group in self.groups:
            group.targets = [(group.path, group.inputs)] if group.entity else []
            if group.entity:
                by_key.setdefault(
                    (group.subgraph, frozenset(p.id for p in group.parents)), []
                ).append(group)
        for siblings in by_key.values():
            kept: list[FetchGroup] = []
            for group in siblings:
                host = next(
                    (
                        k
                        for k in kept
                        if (_disjoint(k, group) and _compatible(k.builder, group.builder))
                        or _same_work(k, group)
                    ),
                    None,
                )
                if host is None:
                    kept.append(group)
                    continue
                _merge_builder(host.builder, group.builder)
                host.targets.extend(group.targets)
                host.conditions = _weaker(host.conditions, group.conditions)
                merged_into[group] = host
        if not merged_into:
            return
        self.groups = [g for g in self.groups if g not in merged_into]
        for group in self.groups:
            group.parents = {merged_into.get(p, p) for p in group.parents}

    def plan_node(
        self,
        render: Callable[[FetchGroup], FetchNode],
        roots_in_order: list[FetchGroup] | None = None,
    ) -> PlanNode | None:
        """Sequence/Parallel nodes over the groups: a group's only-children nest under it; a
        group waiting on several runs in a later stage, once all of them have."""
        children: dict[FetchGroup, list[FetchGroup]] = {g: [] for g in self.groups}
        for group in self.groups:
            for parent in sorted(group.parents, key=lambda p: p.id):
                children[parent].append(group)
        done: set[FetchGroup] = set()

        def subtree(group: FetchGroup) -> PlanNode:
            done.add(group)
            node: PlanNode = render(group)
            if group.conditions:
                node = conditioned(node, group.conditions)
            nested = [subtree(c) for c in children[group] if len(c.parents) == 1 and c not in done]
            if not nested:
                return node
            follow = nested[0] if len(nested) == 1 else ParallelNode(tuple(nested))
            return SequenceNode((node, *_unseq(follow)))

        if roots_in_order is not None:  # a mutation: each root field's work in turn
            stages: list[PlanNode] = []
            for root in roots_in_order:
                stages.extend(_unseq(subtree(root)))
                stages.extend(self._late_stages(done, subtree))
            return _sequence(stages)
        roots = [g for g in self.groups if not g.parents]
        stages = []
        first = [subtree(g) for g in roots]
        if first:
            stages.append(first[0] if len(first) == 1 else ParallelNode(tuple(first)))
        stages.extend(self._late_stages(done, subtree))
        return _sequence(stages)

    def _late_stages(
        self, done: set[FetchGroup], subtree: Callable[[FetchGroup], PlanNode]
    ) -> list[PlanNode]:
        stages: list[PlanNode] = []
        while True:
            ready = [g for g in self.groups if g not in done and g.parents and g.parents <= done]
            if not ready:
                return stages
            nodes = [subtree(g) for g in ready]
            stages.append(nodes[0] if len(nodes) == 1 else ParallelNode(tuple(nodes)))


def _input_types(group: FetchGroup) -> set[str]:
    """The types the subgraph sees in the group's representations: an interface object's
    implementations are all the interface there (``Admin`` and ``Guest`` both ``Account``)."""
    return {
        found.typename or type_name
        for _, inputs in group.targets
        for type_name, found in inputs.items()
    }


def _clashes(a: InputSelection, b: InputSelection) -> bool:
    """Whether one representation cannot carry both: a field sent under one name read from
    two different data keys (fragments counted with the fields, to be safe)."""
    keys: dict[str, list[InputField]] = {}
    for f in _flat_fields(a):
        keys.setdefault(f.name, []).append(f)
    for f in _flat_fields(b):
        for known in keys.get(f.name, ()):
            if known.data_key != f.data_key:
                return True
            if (
                known.selection is not None
                and f.selection is not None
                and _clashes(known.selection, f.selection)
            ):
                return True
    return False


def _flat_fields(selection: InputSelection) -> list[InputField]:
    fields = list(selection.fields)
    for _, inner in selection.fragments:
        fields.extend(_flat_fields(inner))
    return fields


def _clashes_with(group: FetchGroup, types: Iterable[str], selection: InputSelection) -> bool:
    return any(
        (known := group.inputs.get(t)) is not None and _clashes(known.selection, selection)
        for t in types
    )


def _groups_clash(a: FetchGroup, b: FetchGroup) -> bool:
    return any(
        _clashes_with(a, [type_name], inputs.selection) for type_name, inputs in b.inputs.items()
    )


def _disjoint(a: FetchGroup, b: FetchGroup) -> bool:
    """Whether two groups at different paths send entities of different types: an entity
    answers every fragment on its type, so a shared type would carry one path's fields (and
    response keys) into the other's objects."""
    types_a, types_b = _input_types(a), _input_types(b)
    return ANY_TYPE not in types_a and ANY_TYPE not in types_b and not types_a & types_b


def _same_work(a: FetchGroup, b: FetchGroup) -> bool:
    """Whether two groups at different paths ask the same of the same entity types (one
    root field aliased twice): every object gets the same fields whichever path it is on,
    and an entity on both paths is sent once."""
    return (
        _input_types(a) == _input_types(b)
        and ANY_TYPE not in _input_types(a)
        and _contains(a.builder, b.builder)
        and _contains(b.builder, a.builder)
    )


def _covers(big: InputSelection, small: InputSelection) -> bool:
    """Whether representations built with ``big`` carry everything ``small`` would."""
    if small.fragments and small.fragments != big.fragments:
        return False
    have = {(f.name, f.data_key): f for f in big.fields}
    for f in small.fields:
        known = have.get((f.name, f.data_key))
        if known is None:
            return False
        if f.selection is not None and (
            known.selection is None or not _covers(known.selection, f.selection)
        ):
            return False
    return True


def _inputs_cover(whole: FetchGroup, narrow: FetchGroup) -> bool:
    """Whether ``whole`` sends every object ``narrow`` would, with at least its inputs."""
    for type_name, inputs in narrow.inputs.items():
        known = whole.inputs.get(type_name) or whole.inputs.get(ANY_TYPE)
        if known is None or known.typename != inputs.typename:
            return False
        if not _covers(known.selection, inputs.selection):
            return False
    return bool(narrow.inputs)


def _waits_for(group: FetchGroup, other: FetchGroup) -> bool:
    """Whether ``group`` (transitively) waits for ``other``."""
    stack = list(group.parents)
    seen: set[FetchGroup] = set()
    while stack:
        parent = stack.pop()
        if parent is other:
            return True
        if parent not in seen:
            seen.add(parent)
            stack.extend(parent.parents)
    return False


def _unseq(node: PlanNode) -> tuple[PlanNode, ...]:
    return node.nodes if isinstance(node, SequenceNode) else (node,)


def _sequence(stages: list[PlanNode]) -> PlanNode | None:
    flat: list[PlanNode] = []
    for stage in stages:
        flat.extend(_unseq(stage))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else SequenceNode(tuple(flat))


def _weaker(
    a: frozenset[Condition] | None, b: frozenset[Condition] | None
) -> frozenset[Condition] | None:
    if a is None:
        return b
    if b is None:
        return a
    return a & b


def _signature(item: FieldItem) -> tuple[str, str, str]:
    return item.name, item.arguments, item.directives


def _compatible(a: SelectionBuilder, b: SelectionBuilder) -> bool:
    """Whether two selections can share one operation: fields under one response key in
    selections on the same type must be the same field (across different types a conflict
    is resolved by aliasing when the operation is rendered)."""
    mine: dict[str, FieldItem] = {}
    for item in a.items.values():
        if isinstance(item, FieldItem):
            mine.setdefault(item.response_key, item)
    for key, item in b.items.items():
        if isinstance(item, FragmentItem):
            other = a.items.get(key)
            if isinstance(other, FragmentItem) and not _compatible(other.sub, item.sub):
                return False
            continue
        known = mine.get(item.response_key)
        if known is None:
            continue
        if (known.name, known.arguments, known.type) != (item.name, item.arguments, item.type):
            return False
        if known.sub is not None and item.sub is not None and not _compatible(known.sub, item.sub):
            return False
    return True


def _contains(big: SelectionBuilder, small: SelectionBuilder) -> bool:
    """Whether ``big`` already selects everything ``small`` does, the same way."""
    for key, item in small.items.items():
        known = big.items.get(key)
        if known is None or type(known) is not type(item) or known.directives != item.directives:
            return False
        if isinstance(item, FieldItem):
            assert isinstance(known, FieldItem)
            if (known.name, known.arguments, known.type) != (item.name, item.arguments, item.type):
                return False
        if item.sub is not None and (known.sub is None or not _contains(known.sub, item.sub)):
            return False
    return True


def _fields_of(builder: SelectionBuilder) -> list[FieldItem]:
    found: list[FieldItem] = []
    for item in builder.items.values():
        if isinstance(item, FieldItem):
            found.append(item)
        else:
            found.extend(_fields_of(item.sub))
    return found


def _merge_builder(into: SelectionBuilder, other: SelectionBuilder) -> None:
    into.variables.update(other.variables)
    for key, item in other.items.items():
        known = into.items.get(key)
        if known is None:
            into.items[key] = item
        elif known.sub is not None and item.sub is not None:
            _merge_builder(known.sub, item.sub)


def entity_inputs(inputs: dict[str, _Inputs]) -> dict[str, EntityInput]:
    return {
        type_name: EntityInput(selection=i.selection, keys=tuple(i.keys), typename=i.typename)
        for type_name, i in inputs.items()
    }


def entity_targets(group: FetchGroup) -> tuple[EntityTarget, ...]:
    return tuple(EntityTarget(path, entity_inputs(inputs)) for path, inputs in group.targets)


__all__ = ["FetchGraph", "FetchGroup", "FragmentItem", "entity_targets", "merge_inputs"]
