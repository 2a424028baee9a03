"""Where the subgraphs can be while a query walks the supergraph, and how they move.

A ``Position`` is a type in one subgraph (with what a ``@provides`` above makes available
there). It moves by collecting a field that subgraph resolves (when its ``@requires`` can be
met), by a type condition, or by jumping to another subgraph through a ``@key`` whose fields can
be collected where it is (below the root, also from one root type to another). Conditions
(``@key`` fields, ``@requires``, an ``@interfaceObject``'s ``__typename``) are themselves
checked as small queries from the position. This follows Apollo's query graph and its
composition-time condition resolver, without the pruning that only drops equivalent paths.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode

from mesh.federation.compose import field_set
from mesh.federation.compose.conditions import ConditionResolver, locally_satisfiable_key
from mesh.federation.compose.errors import subgraph_names
from mesh.federation.compose.model import base_type
from mesh.federation.compose.positions import LEAF_KINDS, Outcome, Position, Reason, Step
from mesh.federation.compose.supergraph_view import SubgraphView, SubType


class SubgraphMoves(ConditionResolver):
    """Advancing subgraph positions over a supergraph's extracted subgraphs."""

    def advance(self, position: Position, step: Step, overrides: dict[str, bool]) -> Outcome:
        sub = self.view.subgraphs[position.graph]
        if step.kind == "cast":
            source = self.api[step.parent]
            local = sub.types.get(position.type)
            if not (source.kind == "interface" and local is not None and local.kind == "object"):
                casts = set(self.view.api_runtime_types(step.target))
                if not casts & position.runtime:
                    return Outcome(impossible=True)
        outcome = Outcome()
        direct = self._direct(position, step, overrides, (), ())
        if direct.positions and self.api[step.target].kind in LEAF_KINDS:
            return direct
        outcome.positions.extend(direct.positions)
        outcome.reasons.extend(direct.reasons)
        jumps, jump_reasons = self._jumps(position, (), ())
        for jumped in jumps:
            further = self._direct(jumped, step, overrides, (), ())
            outcome.positions.extend(further.positions)
            outcome.reasons.extend(further.reasons)
        if outcome.positions:
            return Outcome(outcome.positions)
        outcome.reasons.extend(jump_reasons)
        if step.kind == "field":
            outcome.reasons.extend(self._unreachable_reasons(position, step, outcome.reasons))
        return Outcome([], outcome.reasons)

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
                f'cannot move to subgraph "{sub.name}", which has field '
                f'"{step.parent}.{step.name}", because {why}',
            )

    def _direct(
        self,
        position: Position,
        step: Step,
        overrides: dict[str, bool],
        excluded_graphs: tuple[str, ...],
        excluded_conditions: tuple[str, ...],
    ) -> Outcome:
        sub = self.view.subgraphs[position.graph]
        local = sub.types.get(position.type)
        if local is None:
            return Outcome([], [Reason(position.graph, f'cannot find type "{position.type}"')])
        if step.kind == "cast":
            return self._cast(
                position, sub, local, step.target, excluded_graphs, excluded_conditions
            )
        if (
            step.parent != position.type
            and local.kind in ("interface", "union")
            and not local.interface_object
        ):
            cast = self._cast(
                position, sub, local, step.parent, excluded_graphs, excluded_conditions
            )
            if not cast.positions:
                return cast
            position = cast.positions[0]
            local = sub.types[position.type]
        return self._collect(
            position, sub, local, step, overrides, excluded_graphs, excluded_conditions
        )

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
            return Outcome([], [Reason(sub.name, details)])
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
            return Outcome([], [Reason(sub.name, details)])
        if (
            local.kind == "interface"
            and not provided
            and not self._interface_edge(sub, local, name)
        ):
            return Outcome([], [Reason(sub.name, f'cannot find field "{coordinate}"')])
        if f.override_condition is not None:
            label, condition = f.override_condition
            if overrides.get(label) != condition:
                return Outcome(
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
                return Outcome(
                    [],
                    [
                        Reason(
                            sub.name,
                            f'cannot satisfy @require conditions on field "{coordinate}"'
                            + _external_key_warning(sub, local),
                        )
                    ],
                )
            if position.last != "key" and not locally_satisfiable_key(sub, local):
                return Outcome(
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
        return Outcome(
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
    ) -> Outcome:
        if position.type == target:
            return Outcome([position])
        if local.interface_object:
            if self._conditions(position, "__typename", excluded_graphs, excluded_conditions):
                return Outcome(
                    [
                        replace(
                            position,
                            last="fake",
                            after_jump=position.last in ("key", "root", "start"),
                        )
                    ]
                )
            return Outcome(
                [],
                [
                    Reason(
                        sub.name,
                        "no subgraph can be reached to resolve the implementation type of "
                        f'@interfaceObject type "{local.name}"',
                    )
                ],
            )
        if local.kind in ("interface", "union") and target in sub.runtime_types(
            local.name, self.api
        ):
            return Outcome(
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
        return Outcome([], [Reason(sub.name, f'cannot find type "{target}"')])

    # -- subgraph jumps -------------------------------------------------------------------


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


def _index(
    selection: SelectionSetNode, fields: dict[str, str | None], casts: dict[str, str]
) -> None:
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
    return (
        f" (please ensure that this is not due to key {noun} {printed} being accidentally "
        "marked @external)"
    )


def _subgraph_list(names: list[str]) -> str:
    return subgraph_names(names) if names else "another subgraph"
