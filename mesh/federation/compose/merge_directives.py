"""Carrying directive applications and definitions into the supergraph.

Applications of composed directives are gathered per element while merging and applied at the
end (``@inaccessible`` right away, since later rules look at it). A repeatable directive keeps
every distinct application; a non-repeatable one keeps the most common, except
``@requiresScopes`` and ``@policy`` whose requirements are combined: the supergraph demands
what every subgraph demands (a conjunction in disjunctive normal form, as Apollo does).
``@authenticated``, ``@requiresScopes`` and ``@policy`` on object types and fields also flow up
to the interfaces they implement, since the subgraphs may not put them on interfaces.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from graphql import BooleanValueNode, IntValueNode, ListValueNode, StringValueNode, ValueNode

from mesh.federation.compose.merge_state import MergeState, Sources
from mesh.federation.compose.model import (
    Directive,
    DirectiveDefinition,
    EnumValue,
    Field,
    InputValue,
    NamedType,
    Schema,
)

Element = NamedType | Field | InputValue | EnumValue | Schema
ACCESS_CONTROL = ("authenticated", "requiresScopes", "policy")
_DNF_ARGUMENT = {"requiresScopes": "scopes", "policy": "policies"}
#: Where a directive may be used in operations (its other locations are the schema's).
EXECUTABLE_LOCATIONS = frozenset(
    {
        "QUERY",
        "MUTATION",
        "SUBSCRIPTION",
        "FIELD",
        "FRAGMENT_DEFINITION",
        "FRAGMENT_SPREAD",
        "INLINE_FRAGMENT",
        "VARIABLE_DEFINITION",
    }
)
_REPEATABLE_SPECS = {"tag"}


class DirectiveMerging(MergeState):
    deferred: list[tuple[list[str], list[tuple[int, Element]], Element]]
    extra_auth_sources: dict[str, list[tuple[int, Element]]]

    def init_directive_merging(self) -> None:
        self.deferred = []
        self.extra_auth_sources = {}

    # -- which directives -------------------------------------------------------------------

    @property
    def inaccessible_name(self) -> str | None:
        return self.composed.federation.get("inaccessible")

    def is_inaccessible(self, element: Element) -> bool:
        name = self.inaccessible_name
        return name is not None and any(d.name == name for d in _directives(element))

    def _access_control_names(self) -> list[tuple[str, str]]:
        return [
            (s, self.composed.federation[s])
            for s in ACCESS_CONTROL
            if s in self.composed.federation
        ]

    def _names_to_merge(self, sources: Sources[Any]) -> list[str]:
        names: list[str] = []
        for index, source in sources.items():
            if source is None:
                continue
            for directive in _directives(source):
                if directive.name not in names and self.composed.is_merged(
                    self.subgraphs[index], directive.name
                ):
                    names.append(directive.name)
        return names

    def _spec_of_supergraph_name(self, name: str) -> str | None:
        for spec, local in self.composed.federation.items():
            if local == name:
                return spec
        return None

    # -- recording -----------------------------------------------------------------------------

    def record_applied_directives(self, sources: Sources[Any], dest: Element) -> None:
        names = self._names_to_merge(sources)
        pairs = [(i, s) for i, s in sources.items() if s is not None]
        inaccessible = self.inaccessible_name
        if inaccessible in names:
            self.merge_applied_directive(inaccessible, pairs, dest)
            names.remove(inaccessible)
        self.deferred.append((names, pairs, dest))

    def record_type_directives(self, sources: Sources[NamedType], dest: NamedType) -> None:
        if dest.kind != "interface":
            self.record_applied_directives(sources, dest)
            return
        self._record_with_auth(sources, dest, dest.name)

    def record_field_directives(self, sources: Sources[Field], dest: Field) -> None:
        self._record_with_auth(sources, dest, dest.coordinate)

    def _record_with_auth(self, sources: Sources[Any], dest: Element, coordinate: str) -> None:
        names = self._names_to_merge(sources)
        pairs = [(i, s) for i, s in sources.items() if s is not None]
        inaccessible = self.inaccessible_name
        if inaccessible in names:
            self.merge_applied_directive(inaccessible, pairs, dest)
            names.remove(inaccessible)
        for spec, name in self._access_control_names():
            extra = self.extra_auth_sources.get(f"{coordinate}_{spec}", [])
            if name in names or extra:
                self.deferred.append(([name], [*pairs, *extra], dest))
            if name in names:
                names.remove(name)
        self.deferred.append((names, pairs, dest))

    def collect_extra_auth_sources(self) -> None:
        """Object types and fields whose access control also applies to their interfaces."""
        implementers: dict[str, set[str]] = {}
        for named in self.merged.types.values():
            if named.kind == "interface":
                for impl in self.merged.possible_runtime_types(named.name):
                    implementers.setdefault(impl, set()).add(named.name)
        implementations = {
            n.name: set(self.merged.possible_runtime_types(n.name))
            for n in self.merged.types.values()
            if n.kind == "interface"
        }
        for index, subgraph in enumerate(self.subgraphs):
            for spec in ACCESS_CONTROL:
                local = subgraph.name_of(spec)
                if local is None:
                    continue
                for named in subgraph.schema.types.values():
                    if named.kind == "object" and any(d.name == local for d in named.directives):
                        for interface in implementers.get(named.name, ()):
                            self._extra(f"{interface}_{spec}", index, named)
                    if named.kind != "object":
                        continue
                    for f in named.fields.values():
                        if not any(d.name == local for d in f.directives) or subgraph.is_external(
                            f
                        ):
                            continue
                        if subgraph.is_interface_object(named.name):
                            others: set[str] = set()
                            for impl in implementations.get(named.name, ()):
                                self._extra(f"{impl}.{f.name}_{spec}", index, f)
                                others |= implementers.get(impl, set()) - {named.name}
                            for interface in others:
                                self._extra(f"{interface}.{f.name}_{spec}", index, f)
                        else:
                            for interface in implementers.get(named.name, ()):
                                self._extra(f"{interface}.{f.name}_{spec}", index, f)

    def _extra(self, key: str, index: int, element: Element) -> None:
        self.extra_auth_sources.setdefault(key, []).append((index, element))

    # -- applying ------------------------------------------------------------------------------

    def merge_all_applied_directives(self) -> None:
        for names, pairs, dest in self.deferred:
            if isinstance(dest, NamedType) and dest.name in self.removed_types:  # type: ignore[attr-defined]
                continue
            for name in names:
                self.merge_applied_directive(name, pairs, dest)
        self.deferred = []

    def merge_applied_directive(
        self, name: str, pairs: Sequence[tuple[int, Element]], dest: Element
    ) -> None:
        per_source = [[d for d in _directives(source) if d.name == name] for _, source in pairs]
        per_source = [ds for ds in per_source if ds]
        if not per_source:
            return
        target = _directives(dest)
        spec = self._spec_of_supergraph_name(name)
        definition = self.merged.directive_definitions.get(name)
        repeatable = spec in _REPEATABLE_SPECS or (definition is not None and definition.repeatable)
        if repeatable:
            applied: list[Directive] = []
            for directives in per_source:
                for directive in directives:
                    if not any(directive.same_as(a) for a in applied):
                        applied.append(directive)
            target.extend(Directive(d.name, dict(d.args)) for d in applied)
            return
        distinct: list[Directive] = []
        counts: list[int] = []
        for directives in per_source:
            application = directives[0]
            for i, existing in enumerate(distinct):
                if existing.same_as(application):
                    counts[i] += 1
                    break
            else:
                distinct.append(application)
                counts.append(1)
        if len(distinct) == 1:
            target.append(Directive(name, dict(distinct[0].args)))
        elif spec in ("cost", "listSize"):
            target.append(Directive(name, _merged_demand_control(spec, distinct)))
            self.hint(
                "MERGED_NON_REPEATABLE_DIRECTIVE_ARGUMENTS",
                f'Directive @{name} is applied to "{_coordinate(dest)}" in multiple subgraphs with '
                "different arguments.",
                coordinate=_coordinate(dest),
            )
        elif spec in _DNF_ARGUMENT:
            argument = _DNF_ARGUMENT[spec]
            values = [_string_lists(d.args.get(argument)) for d in distinct]
            merged = dnf_conjunction(values)
            target.append(Directive(name, {argument: _to_value(merged)}))
            self.hint(
                "MERGED_NON_REPEATABLE_DIRECTIVE_ARGUMENTS",
                f'Directive @{name} is applied to "{_coordinate(dest)}" in multiple subgraphs with '
                "different arguments. Merging strategies used by arguments: "
                f"{{ {argument}: DNF_CONJUNCTION }}",
                coordinate=_coordinate(dest),
            )
        else:
            best = distinct[counts.index(max(counts))]
            target.append(Directive(name, dict(best.args)))
            self.hint(
                "INCONSISTENT_NON_REPEATABLE_DIRECTIVE_ARGUMENTS",
                f'Non-repeatable directive @{name} is applied to "{_coordinate(dest)}" in multiple '
                "subgraphs but with incompatible arguments.",
                coordinate=_coordinate(dest),
            )

    # -- definitions -----------------------------------------------------------------------------

    def add_directive_definitions(self) -> None:
        """Composed custom directives and executable directives present in every subgraph."""
        for name, definition in self.composed.custom_definitions.items():
            self.merged.directive_definitions[name] = DirectiveDefinition(
                name=name,
                locations=list(definition.locations),
                repeatable=definition.repeatable,
                args={
                    a.name: InputValue(
                        a.name, a.type, f"@{name}", a.default, a.description, list(a.directives)
                    )
                    for a in definition.args.values()
                },
                description=definition.description,
            )
        executable: list[str] = []
        for subgraph in self.subgraphs:
            for definition in subgraph.schema.directive_definitions.values():
                if definition.name in self.merged.directive_definitions:
                    continue
                executable_here = any(loc in EXECUTABLE_LOCATIONS for loc in definition.locations)
                if executable_here and definition.name not in executable:
                    executable.append(definition.name)
        for name in executable:
            self._merge_executable_definition(name)

    def _merge_executable_definition(self, name: str) -> None:
        sources = [s.schema.directive_definitions.get(name) for s in self.subgraphs]
        if any(s is None for s in sources):
            present = [self.names[i] for i, s in enumerate(sources) if s is not None]
            self.hint(
                "INCONSISTENT_EXECUTABLE_DIRECTIVE_PRESENCE",
                f'Executable directive "@{name}" will not be part of the supergraph as it does '
                "not appear in all subgraphs.",
                subgraphs=present,
                coordinate=f"@{name}",
            )
            return
        definitions = [s for s in sources if s is not None]
        locations = [loc for loc in definitions[0].locations if loc in EXECUTABLE_LOCATIONS]
        repeatable = definitions[0].repeatable
        for definition in definitions[1:]:
            own = [loc for loc in definition.locations if loc in EXECUTABLE_LOCATIONS]
            if sorted(own) != sorted(locations):
                self.hint(
                    "INCONSISTENT_EXECUTABLE_DIRECTIVE_LOCATIONS",
                    f'Executable directive "@{name}" has inconsistent locations across subgraphs.',
                    coordinate=f"@{name}",
                )
            locations = [loc for loc in locations if loc in own]
            if definition.repeatable != repeatable:
                repeatable = False
                self.hint(
                    "INCONSISTENT_EXECUTABLE_DIRECTIVE_REPEATABLE",
                    f'Executable directive "@{name}" will not be marked repeatable in the '
                    "supergraph as it is inconsistently marked repeatable in subgraphs.",
                    coordinate=f"@{name}",
                )
        if not locations:
            self.hint(
                "NO_EXECUTABLE_DIRECTIVE_LOCATIONS_INTERSECTION",
                f'Executable directive "@{name}" has no location that is common to all subgraphs.',
                coordinate=f"@{name}",
            )
            return
        arg_names = [a for a in definitions[0].args if all(a in d.args for d in definitions)]
        args = {}
        for arg_name in arg_names:
            arg = InputValue(arg_name, "", f"@{name}")
            arg_sources: Sources[InputValue] = {
                i: d.args[arg_name] for i, d in enumerate(definitions)
            }
            self.merge_description(arg_sources, arg)  # type: ignore[attr-defined]
            self.merge_type_reference(arg_sources, arg, input_position=True)  # type: ignore[attr-defined]
            self.merge_default_value(arg_sources, arg, "Argument")  # type: ignore[attr-defined]
            args[arg_name] = arg
        self.merged.directive_definitions[name] = DirectiveDefinition(
            name, locations, repeatable, args, definitions[0].description
        )


def _directives(element: Element) -> list[Directive]:
    if isinstance(element, Schema):
        return element.schema_directives
    return element.directives


def _coordinate(element: Element) -> str:
    return "the schema" if isinstance(element, Schema) else element.coordinate


def _string_lists(node: ValueNode | None) -> list[list[str]]:
    if not isinstance(node, ListValueNode):
        return []
    result = []
    for inner in node.values:
        if isinstance(inner, ListValueNode):
            result.append([v.value for v in inner.values if isinstance(v, StringValueNode)])
    return result


def _to_value(value: list[list[str]]) -> ListValueNode:
    return ListValueNode(
        values=tuple(
            ListValueNode(values=tuple(StringValueNode(value=s) for s in inner)) for inner in value
        )
    )


def dnf_conjunction(values: list[list[list[str]]]) -> list[list[str]]:
    """AND of requirements in disjunctive normal form (each: OR of AND-groups), simplified."""
    if not values:
        return []
    normalized = [[sorted(group) for group in (v or [[]])] for v in values]
    unique: list[list[list[str]]] = []
    seen: set[str] = set()
    for value in normalized:
        value.sort(key=json.dumps)
        key = json.dumps(value)
        if key not in seen:
            seen.add(key)
            unique.append(value)
    result = unique[0]
    for current in unique[1:]:
        combined: list[list[str]] = []
        keys: set[str] = set()
        for left in result:
            for right in current:
                candidate = sorted([*left, *(e for e in right if e not in left)])
                key = json.dumps(candidate)
                if key not in keys:
                    keys.add(key)
                    combined.append(candidate)
        result = _without_subsumed(combined)
    return result


def _without_subsumed(groups: list[list[str]]) -> list[list[str]]:
    kept: list[list[str]] = []
    for candidate in sorted(groups, key=len):
        if not any(set(existing) <= set(candidate) for existing in kept):
            kept.append(candidate)
    return kept


def _merged_demand_control(spec: str, applications: list[Directive]) -> dict[str, ValueNode]:
    """@cost: the highest weight; @listSize: highest size, union of names, AND of the flag."""
    if spec == "cost":
        weights = [a.arg("weight") for a in applications]
        return {"weight": IntValueNode(value=str(max(int(w) for w in weights if w is not None)))}
    merged: dict[str, ValueNode] = {}
    sizes = [int(v) for a in applications if (v := a.arg("assumedSize")) is not None]
    if sizes:
        merged["assumedSize"] = IntValueNode(value=str(max(sizes)))
    for name in ("slicingArguments", "sizedFields"):
        lists = [v for a in applications if isinstance(v := a.arg(name), list)]
        if lists:
            names = list(dict.fromkeys(str(item) for value in lists for item in value))
            merged[name] = ListValueNode(values=tuple(StringValueNode(value=n) for n in names))
    flags = [v for a in applications if isinstance(v := a.arg("requireOneSlicingArgument"), bool)]
    if flags:
        merged["requireOneSlicingArgument"] = BooleanValueNode(value=all(flags))
    return merged
