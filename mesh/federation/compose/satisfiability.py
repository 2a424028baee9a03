"""Satisfiability: every field a client can query must be resolvable by some chain of subgraph
fetches, or composition fails with ``SATISFIABILITY_ERROR`` and the query that cannot be served.

The check walks the API schema from its roots like a client would. Beside each step it keeps
every way the subgraphs can reach the same place: a position is (subgraph, type) and moves by
collecting a field there (if that subgraph resolves it and its ``@requires`` can be met), by a
type condition, or by jumping to another subgraph through a ``@key`` whose fields can be
collected where we are (or, below the root, from one root type to another). ``@provides``
makes external fields reachable under the providing field; ``@interfaceObject`` types stand
for every implementation once some subgraph can tell the ``__typename``. This is the algorithm
of Apollo's composition validation, simplified where it only prunes equivalent paths.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode

from mesh.federation.compose import field_set
from mesh.federation.compose.errors import Reporter
from mesh.federation.compose.model import base_type
from mesh.federation.compose.supergraph_view import (
    ApiType,
    SubgraphView,
    SubType,
    SupergraphView,
    read_supergraph,
)

_LEAF_KINDS = ("scalar", "enum")


@dataclass(frozen=True)
class Step:
    """One step of a supergraph path: a field (with the type it returns) or a type condition."""

    kind: str  # "field" or "cast"
    name: str  # field name or cast type
    parent: str
    target: str


@dataclass(frozen=True)
class Position:
    graph: str
    type: str
    provided: str | None = None
    runtime: frozenset[str] = frozenset()
    last: str = "start"  # start | root | key | field | cast | fake
    top: bool = True
    after_jump: bool = False  # the edge before ``last`` changed subgraph


@dataclass
class Reason:
    source: str
    details: str


@dataclass
class _State:
    type: str
    path: tuple[Step, ...]
    positions: list[Position]
    overrides: tuple[tuple[str, bool], ...] = ()


@dataclass
class _Outcome:
    positions: list[Position] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    impossible: bool = False  # a type condition no subgraph path can ever match


def check_supergraph(sdl: str, reporter: Reporter) -> None:
    """Report ``SATISFIABILITY_ERROR`` for every supergraph query no subgraphs can serve."""
    Satisfiability(read_supergraph(sdl), reporter).run()


class Satisfiability:
    def __init__(self, view: SupergraphView, reporter: Reporter) -> None:
        self.view = view
        self.api = view.api
        self.reporter = reporter
        self.labels = self._override_labels()
        self._condition_cache: dict[tuple[object, ...], bool] = {}
        self._visits: dict[str, list[tuple[frozenset[str], tuple[tuple[str, bool], ...]]]] = {}

    def _override_labels(self) -> dict[tuple[str, str], str]:
        labels: dict[tuple[str, str], str] = {}
        for sub in self.view.subgraphs.values():
            for t in sub.types.values():
                for f in t.fields.values():
                    if f.override_condition is not None:
                        labels[(t.name, f.name)] = f.override_condition[0]
        return labels

    # -- traversal of the API schema ------------------------------------------------------

    def run(self) -> None:
        stack: list[_State] = []
        for operation in ("query", "mutation", "subscription"):
            root = self.view.roots.get(operation)
            if root is None or root not in self.api:
                continue
            positions = [
                Position(sub.name, root, runtime=frozenset({root}))
                for sub in self.view.subgraphs.values()
                if sub.roots.get(operation) == root and sub.types[root].fields
            ]
            stack.append(_State(root, (), positions))
        while stack:
            state = stack.pop()
            if self._seen(state):
                continue
            for step in self._steps(self.api[state.type]):
                for overrides in self._override_choices(step, state.overrides):
                    new_state = self._advance_state(state, step, overrides)
                    if new_state is not None and self.api[new_state.type].kind not in _LEAF_KINDS:
                        stack.append(new_state)

    def _seen(self, state: _State) -> bool:
        keys = frozenset(f"{p.graph}.{p.type}" for p in state.positions)
        previous = self._visits.setdefault(state.type, [])
        for seen_keys, seen_overrides in previous:
            if seen_keys <= keys and set(seen_overrides) <= set(state.overrides):
                return True
        previous.append((keys, state.overrides))
        return False

    def _steps(self, t: ApiType) -> Iterator[Step]:
        for f in t.fields.values():
            target = base_type(f.type)
            if target in self.api:
                yield Step("field", f.name, t.name, target)
        if t.kind in ("interface", "union"):
            for runtime in self.view.api_runtime_types(t.name):
                yield Step("cast", runtime, t.name, runtime)

    def _override_choices(
        self, step: Step, selected: tuple[tuple[str, bool], ...]
    ) -> Iterator[tuple[tuple[str, bool], ...]]:
        label = self.labels.get((step.parent, step.name)) if step.kind == "field" else None
        if label is None or label in dict(selected):
            yield selected
            return
        yield (*selected, (label, True))
        yield (*selected, (label, False))

    def _advance_state(
        self, state: _State, step: Step, overrides: tuple[tuple[str, bool], ...]
    ) -> _State | None:
        path = (*state.path, step)
        positions: list[Position] = []
        reasons: list[Reason] = []
        for position in state.positions:
            outcome = self._advance(position, step, dict(overrides))
            if outcome.impossible:
                return None
            positions.extend(outcome.positions)
            reasons.extend(outcome.reasons)
        if not positions:
            self._report(path, reasons)
            return None
        positions = _unique(positions)
        if step.kind == "field" and not self._shared_runtime_types_intersect(path, positions):
            return None
        return _State(step.target, path, positions, overrides)

    def _shared_runtime_types_intersect(
        self, path: tuple[Step, ...], positions: list[Position]
    ) -> bool:
        """A shared field of abstract type must have common runtime types in its subgraphs."""
        step = path[-1]
        target = self.api[step.target]
        if len(positions) < 2 or target.kind not in ("interface", "union"):
            return True
        if not self._is_shared(step.parent, step.name):
            return True
        abstract = [
            p
            for p in positions
            if (t := self.view.subgraphs[p.graph].types.get(p.type)) is not None
            and t.kind in ("interface", "union")
        ]
        if len(abstract) < 2:
            return True
        everything = sorted(self.view.api_runtime_types(step.target))
        intersection = set(everything)
        per_subgraph: dict[str, list[str]] = {}
        for position in positions:
            names = sorted(position.runtime)
            if len(names) == 1 and names[0] not in everything:
                continue
            per_subgraph.setdefault(position.graph, names)
            intersection &= set(names)
        if not any(per_subgraph.values()) or intersection:
            if len({tuple(v) for v in per_subgraph.values()}) > 1:
                self.reporter.hint(
                    "INCONSISTENT_RUNTIME_TYPES_FOR_SHAREABLE_RETURN",
                    f'Shared field "{step.parent}.{step.name}" return type has different sets of '
                    "possible runtime types across subgraphs.",
                    subgraphs=list(per_subgraph),
                    coordinate=f"{step.parent}.{step.name}",
                )
            return True
        described = ";\n".join(
            f' - in subgraph "{graph}", '
            + (
                ("types " if len(names) > 1 else "type ") + ", ".join(f'"{n}"' for n in names)
                if names
                else "no runtime type is defined"
            )
            for graph, names in per_subgraph.items()
        )
        self.reporter.error(
            "SHAREABLE_HAS_MISMATCHED_RUNTIME_TYPES",
            f"For the following supergraph API query:\n{witness(path, self.view)}\nShared field "
            f'"{step.parent}.{step.name}" return type has a non-intersecting set of possible '
            f"runtime types across subgraphs. Runtime types in subgraphs are:\n{described}.\n"
            "This is not allowed as shared fields must resolve the same way in all subgraphs, "
            "and that implies at least some common runtime types between the subgraphs.",
            subgraphs=list(per_subgraph),
            coordinate=f"{step.parent}.{step.name}",
        )
        return False

    def _is_shared(self, type_name: str, field_name: str) -> bool:
        if self.api[type_name].kind != "object":
            return False
        resolving = 0
        for sub in self.view.subgraphs.values():
            t = sub.types.get(type_name)
            f = t.fields.get(field_name) if t else None
            if f is not None and not f.external:
                resolving += 1
        return resolving > 1

    # -- one subgraph position, one step ----------------------------------------------------------

    def _advance(self, position: Position, step: Step, overrides: dict[str, bool]) -> _Outcome:
        sub = self.view.subgraphs[position.graph]
        if step.kind == "cast":
            source = self.api[step.parent]
            local = sub.types.get(position.type)
            if not (source.kind == "interface" and local is not None and local.kind == "object"):
                casts = set(self.view.api_runtime_types(step.target))
                if not casts & position.runtime:
                    return _Outcome(impossible=True)
        outcome = _Outcome()
        direct = self._direct(position, step, overrides, (), ())
        if direct.positions and self.api[step.target].kind in _LEAF_KINDS:
            return direct
        outcome.positions.extend(direct.positions)
        outcome.reasons.extend(direct.reasons)
        jumps, jump_reasons = self._jumps(position, (), ())
        for jumped in jumps:
            further = self._direct(jumped, step, overrides, (), ())
            outcome.positions.extend(further.positions)
            outcome.reasons.extend(further.reasons)
        if outcome.positions:
            return _Outcome(outcome.positions)
        outcome.reasons.extend(jump_reasons)
        if step.kind == "field":
            outcome.reasons.extend(self._unreachable_reasons(position, step, outcome.reasons))
        return _Outcome([], outcome.reasons)

    def _unreachable_reasons(
        self, position: Position, step: Step, known: list[Reason]
    ) -> Iterator[Reason]:
        mentioned = {r.details.split('"')[1] for r in known if r.details.startswith("cannot move")}
        for sub in self.view.subgraphs.values():
            if sub.name == position.graph or sub.name in mentioned:
                continue
            owner = sub.types.get(step.parent)
            if owner is None or step.name not in owner.fields:
                continue
            tail = sub.types.get(position.type)
            if tail is None:
                yield Reason(
                    position.graph,
                    f'cannot move to subgraph "{sub.name}", which has field '
                    f'"{step.parent}.{step.name}", because interface "{position.type}" is not '
                    f'defined in this subgraph (to jump to "{sub.name}", it would need to both '
                    f'define interface "{position.type}" and have a @key on it)',
                )
                continue
            kind = "type" if position.type == step.parent else "interface"
            if not tail.keys:
                why = f'{kind} "{position.type}" has no @key defined in subgraph "{sub.name}"'
            elif all(not resolvable for _, resolvable in tail.keys):
                why = (
                    f'none of the @key defined on {kind} "{position.type}" in subgraph '
                    f'"{sub.name}" are resolvable (they are all declared with their "resolvable" '
                    "argument set to false)"
                )
            else:
                continue
            yield Reason(
                position.graph,
                f'cannot move to subgraph "{sub.name}", which has field "{step.parent}.{step.name}", '
                f"because {why}",
            )

    def _direct(
        self,
        position: Position,
        step: Step,
        overrides: dict[str, bool],
        excluded_graphs: tuple[str, ...],
        excluded_conditions: tuple[str, ...],
    ) -> _Outcome:
        sub = self.view.subgraphs[position.graph]
        local = sub.types.get(position.type)
        if local is None:
            return _Outcome([], [Reason(position.graph, f'cannot find type "{position.type}"')])
        if step.kind == "cast":
            return self._cast(position, sub, local, step.target, excluded_graphs, excluded_conditions)
        if (
            step.parent != position.type
            and local.kind in ("interface", "union")
            and not local.interface_object
        ):
            cast = self._cast(position, sub, local, step.parent, excluded_graphs, excluded_conditions)
            if not cast.positions:
                return cast
            position = cast.positions[0]
            local = sub.types[position.type]
        return self._collect(position, sub, local, step, overrides, excluded_graphs, excluded_conditions)

    def _collect(
        self,
        position: Position,
        sub: SubgraphView,
        local: SubType,
        step: Step,
        overrides: dict[str, bool],
        excluded_graphs: tuple[str, ...],
        excluded_conditions: tuple[str, ...],
    ) -> _Outcome:
        name = step.name
        coordinate = f"{step.parent}.{name}"
        provided, provided_sub = _provided_field(position.provided, name)
        f = local.fields.get(name)
        if f is None:
            if local.name != step.parent and not sub.types.get(step.parent):
                details = (
                    f'cannot find implementation type "{step.parent}" (supergraph interface '
                    f'"{local.name}" is declared with @interfaceObject in "{sub.name}")'
                )
            else:
                details = f'cannot find field "{coordinate}"'
            return _Outcome([], [Reason(sub.name, details)])
        if f.external and not provided:
            if f.overridden_by:
                owners = [
                    other.name
                    for other in self.view.subgraphs.values()
                    if other.name != sub.name
                    and (t := other.types.get(local.name)) is not None
                    and name in t.fields
                    and not t.fields[name].external
                ]
                details = f'field "{coordinate}" is not resolvable because it is overridden by ' + (
                    _subgraph_list(owners)
                )
            else:
                details = f'field "{coordinate}" is not resolvable because marked @external'
            return _Outcome([], [Reason(sub.name, details)])
        if local.kind == "interface" and not provided and not self._interface_edge(sub, local, name):
            return _Outcome([], [Reason(sub.name, f'cannot find field "{coordinate}"')])
        if f.override_condition is not None:
            label, condition = f.override_condition
            if overrides.get(label) != condition:
                return _Outcome(
                    [],
                    [
                        Reason(
                            sub.name,
                            f'Unable to take field "{coordinate}" in "{sub.name}" because '
                            f'override condition "{label}" is {overrides.get(label)}',
                        )
                    ],
                )
        if f.requires and not provided:
            satisfied = self._conditions(
                position, f.requires, excluded_graphs, (*excluded_conditions, f.requires)
            )
            if not satisfied:
                return _Outcome(
                    [],
                    [
                        Reason(
                            sub.name,
                            f'cannot satisfy @require conditions on field "{coordinate}"'
                            + _external_key_warning(sub, local),
                        )
                    ],
                )
            if position.last != "key" and not _locally_satisfiable_key(sub, local):
                return _Outcome(
                    [],
                    [
                        Reason(
                            sub.name,
                            f'@require condition on field "{coordinate}" can be satisfied but '
                            f'missing usable key on "{local.name}" in subgraph "{sub.name}" to '
                            "resume query",
                        )
                    ],
                )
        target = base_type(f.type)
        next_provided = provided_sub if provided else f.provides
        return _Outcome(
            [
                Position(
                    sub.name,
                    target,
                    next_provided,
                    frozenset(sub.runtime_types(target, self.api)),
                    "field",
                    False,
                    position.last in ("key", "root"),
                )
            ]
        )

    def _interface_edge(self, sub: SubgraphView, interface: SubType, name: str) -> bool:
        """A subgraph resolves an interface field only if every local implementation does."""
        for runtime in self.view.api_runtime_types(interface.name):
            t = sub.types.get(runtime)
            if t is None:
                continue
            f = t.fields.get(name)
            if f is None or f.external or f.requires:
                return False
        return True

    def _cast(
        self,
        position: Position,
        sub: SubgraphView,
        local: SubType,
        target: str,
        excluded_graphs: tuple[str, ...],
        excluded_conditions: tuple[str, ...],
    ) -> _Outcome:
        if position.type == target:
            return _Outcome([position])
        if local.interface_object:
            if self._conditions(position, "__typename", excluded_graphs, excluded_conditions):
                return _Outcome([replace(position, last="fake", after_jump=position.last in ("key", "root", "start"))])
            return _Outcome(
                [],
                [
                    Reason(
                        sub.name,
                        "no subgraph can be reached to resolve the implementation type of "
                        f'@interfaceObject type "{local.name}"',
                    )
                ],
            )
        if local.kind in ("interface", "union") and target in sub.runtime_types(local.name, self.api):
            return _Outcome(
                [
                    Position(
                        sub.name,
                        target,
                        _provided_cast(position.provided, target),
                        frozenset({target}),
                        "cast",
                        False,
                        position.last in ("key", "root"),
                    )
                ]
            )
        return _Outcome([], [Reason(sub.name, f'cannot find type "{target}"')])

    # -- subgraph jumps -------------------------------------------------------------------

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
                sub = self.view.subgraphs[position.graph]
                local = sub.types.get(position.type)
                cast = selection.type_condition.name.value
                if local is None:
                    continue
                if local.kind == "object" and not local.interface_object and position.type != cast:
                    continue
                outcome = self._cast(position, sub, local, cast, excluded_graphs, excluded_conditions)
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
            direct = self._collect(position, sub, local, step, {}, excluded_graphs, excluded_conditions)
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

    def _report(self, path: tuple[Step, ...], reasons: list[Reason]) -> None:
        operation = witness(path, self.view)
        by_source: dict[str, list[str]] = {}
        for reason in reasons:
            details = by_source.setdefault(reason.source, [])
            if reason.details not in details:
                details.append(reason.details)
        lines = []
        for source, details in by_source.items():
            if len(details) == 1:
                lines.append(f'- from subgraph "{source}": {details[0]}.')
            else:
                lines.append(
                    f'- from subgraph "{source}":\n' + "\n".join(f"  - {d}." for d in details)
                )
        last = path[-1]
        coordinate = f"{last.parent}.{last.name}" if last.kind == "field" else last.name
        self.reporter.error(
            "SATISFIABILITY_ERROR",
            f"The following supergraph API query:\n{operation}\ncannot be satisfied by the "
            "subgraphs because:\n" + "\n".join(lines),
            subgraphs=list(by_source),
            coordinate=coordinate,
        )


def witness(path: tuple[Step, ...], view: SupergraphView) -> str:
    """The smallest operation that follows ``path``, with placeholder argument values."""
    root = path[0].parent
    operation = next((op for op, name in view.roots.items() if name == root), "query")
    inner = ""
    for depth, step in reversed(list(enumerate(path, start=1))):
        indent = "  " * depth
        if step.kind == "cast":
            head = f"... on {step.name}"
        else:
            head = step.name + _witness_arguments(view, view.api[step.parent].fields[step.name].args)
        target = view.api.get(step.target)
        if inner:
            inner = f"{indent}{head} {{\n{inner}\n{indent}}}"
        elif target is not None and target.kind not in _LEAF_KINDS:
            inner = f"{indent}{head} {{\n{indent}  ...\n{indent}}}"
        else:
            inner = f"{indent}{head}"
    prefix = "" if operation == "query" else f"{operation} "
    return f"{prefix}{{\n{inner}\n}}"


def _witness_arguments(view: SupergraphView, args: dict[str, str]) -> str:
    required = {name: t for name, t in args.items() if t.endswith("!")}
    if not required:
        return ""
    return "(" + ", ".join(f"{n}: {_witness_value(view, t)}" for n, t in required.items()) + ")"


def _witness_value(view: SupergraphView, type_ref: str) -> str:
    ref = type_ref.rstrip("!")
    if ref.startswith("["):
        return "[]"
    scalars = {"Int": "0", "Float": "3.14", "Boolean": "true", "String": '"A string value"', "ID": '"<any id>"'}
    if ref in scalars:
        return scalars[ref]
    t = view.api.get(ref)
    if t is not None and t.kind == "enum" and t.enum_values:
        return t.enum_values[0]
    if t is not None and t.kind == "input":
        fields = {n: ft for n, ft in t.input_fields.items() if ft.endswith("!")}
        return "{" + ", ".join(f"{n}: {_witness_value(view, ft)}" for n, ft in fields.items()) + "}"
    return '"<some value>"'


@lru_cache(maxsize=4096)
def _provided_index(provided: str) -> tuple[dict[str, str | None], dict[str, str]]:
    """Fields (with their sub-selection) and type conditions of a ``@provides`` selection."""
    fields: dict[str, str | None] = {}
    casts: dict[str, str] = {}
    try:
        selection = field_set.parse_field_set(provided)
    except field_set.FieldSetError:
        return fields, casts
    _index(selection, fields, casts)
    return fields, casts


def _index(selection: SelectionSetNode, fields: dict[str, str | None], casts: dict[str, str]) -> None:
    for s in selection.selections:
        if isinstance(s, FieldNode):
            sub = field_set.printed_field_set(s.selection_set) if s.selection_set else None
            fields[s.name.value] = sub
        elif isinstance(s, InlineFragmentNode):
            if s.type_condition is None:
                _index(s.selection_set, fields, casts)
            else:
                casts[s.type_condition.name.value] = field_set.printed_field_set(s.selection_set)


def _provided_field(provided: str | None, name: str) -> tuple[bool, str | None]:
    if provided is None:
        return False, None
    fields, _ = _provided_index(provided)
    return (name in fields), fields.get(name)


def _provided_cast(provided: str | None, target: str) -> str | None:
    if provided is None:
        return None
    _, casts = _provided_index(provided)
    return casts.get(target)


def _locally_satisfiable_key(sub: SubgraphView, local: SubType) -> bool:
    for fields, _ in local.keys:
        if not _selects_external(sub, local.name, fields):
            return True
    return False


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
            if s.selection_set is not None and f is not None:
                if _any_external(sub, base_type(f.type), s.selection_set):
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


def _external_key_warning(sub: SubgraphView, local: SubType) -> str:
    external = []
    for fields, _ in local.keys:
        try:
            selection = field_set.parse_field_set(fields)
        except field_set.FieldSetError:
            continue
        for s in selection.selections:
            if isinstance(s, FieldNode):
                f = local.fields.get(s.name.value)
                if f is not None and f.external and s.name.value not in external:
                    external.append(s.name.value)
    if not external:
        return ""
    noun = "field" if len(external) == 1 else "fields"
    printed = ", ".join(f'"{n}"' for n in external)
    return f" (please ensure that this is not due to key {noun} {printed} being accidentally marked @external)"


def _one_line(text: str) -> str:
    try:
        return field_set.printed_field_set(field_set.parse_field_set(text))
    except field_set.FieldSetError:
        return text


def _subgraph_list(names: list[str]) -> str:
    from mesh.federation.compose.errors import subgraph_names

    return subgraph_names(names) if names else "another subgraph"


def _unique(positions: list[Position]) -> list[Position]:
    return list(dict.fromkeys(positions))
