"""Transitive access control: a field computed from other data (``@requires``) must demand at
least what that data demands (``@authenticated``, ``@requiresScopes``, ``@policy``), or a client
could read protected data through it (``MISSING_TRANSITIVE_AUTH_REQUIREMENTS``).
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import FieldNode, InlineFragmentNode, ListValueNode, SelectionSetNode, StringValueNode

from mesh.federation.compose import field_set
from mesh.federation.compose.errors import Reporter
from mesh.federation.compose.join import JOIN_FIELD
from mesh.federation.compose.merge_directives import dnf_conjunction
from mesh.federation.compose.model import Field, NamedType, Schema, base_type


@dataclass
class _Requirements:
    authenticated: bool = False
    scopes: list[list[str]] | None = None
    policies: list[list[str]] | None = None

    def satisfies(self, other: _Requirements | None) -> bool:
        if other is None:
            return True
        return (
            (self.authenticated or not other.authenticated)
            and _implies(self.scopes, other.scopes)
            and _implies(self.policies, other.policies)
        )


def _implies(first: list[list[str]] | None, second: list[list[str]] | None) -> bool:
    first_groups = first or [[]]
    second_groups = second or [[]]
    return all(any(set(b) <= set(a) for b in second_groups) for a in first_groups)


def check_transitive_requirements(
    schema: Schema, names: dict[str, str], reporter: Reporter
) -> None:
    """``names``: access-control directive spec name -> name in the supergraph."""
    if not any(spec in names for spec in ("authenticated", "requiresScopes", "policy")):
        return
    checker = _Checker(schema, names)
    for named in schema.types.values():
        for f in named.fields.values():
            for join in (d for d in f.directives if d.name == JOIN_FIELD):
                requires = join.arg("requires")
                if isinstance(requires, str):
                    message = checker.check(named, f, requires)
                    if message is not None:
                        graph = join.arg("graph")
                        reporter.error(
                            "MISSING_TRANSITIVE_AUTH_REQUIREMENTS",
                            message,
                            coordinate=f.coordinate,
                            subgraphs=(str(graph),) if graph else (),
                        )


class _Checker:
    def __init__(self, schema: Schema, names: dict[str, str]) -> None:
        self.schema = schema
        self.names = names

    def on(self, element: NamedType | Field) -> _Requirements | None:
        found = _Requirements()
        any_found = False
        for directive in element.directives:
            if directive.name == self.names.get("authenticated"):
                found.authenticated = any_found = True
            elif directive.name == self.names.get("requiresScopes"):
                found.scopes = _groups(directive.args.get("scopes"))
                any_found = True
            elif directive.name == self.names.get("policy"):
                found.policies = _groups(directive.args.get("policies"))
                any_found = True
        return found if any_found else None

    def check(self, named: NamedType, f: Field, requires: str) -> str | None:
        on_type, on_field = self.on(named), self.on(f)
        combined = _Requirements(
            authenticated=bool(on_type and on_type.authenticated)
            or bool(on_field and on_field.authenticated)
        )
        scopes = [r.scopes for r in (on_type, on_field) if r is not None and r.scopes is not None]
        if scopes:
            combined.scopes = dnf_conjunction(scopes)
        policies = [
            r.policies for r in (on_type, on_field) if r is not None and r.policies is not None
        ]
        if policies:
            combined.policies = dnf_conjunction(policies)
        try:
            selection = field_set.parse_field_set(requires)
        except field_set.FieldSetError:
            return None
        return self._selection(combined, f.coordinate, named.name, selection)

    def _selection(
        self, required: _Requirements, coordinate: str, type_name: str, selection: SelectionSetNode
    ) -> str | None:
        parent = self.schema.types.get(type_name)
        for s in selection.selections:
            if isinstance(s, FieldNode):
                target = parent.fields.get(s.name.value) if parent else None
                if target is None:
                    continue
                returned = self.schema.types.get(base_type(target.type))
                if not required.satisfies(self.on(target)) or (
                    returned is not None and not required.satisfies(self.on(returned))
                ):
                    return (
                        f'Field "{coordinate}" does not specify necessary @authenticated, '
                        "@requiresScopes and/or @policy auth requirements to access the "
                        f'transitive field "{target.coordinate}" data from @requires selection set.'
                    )
                if s.selection_set is not None:
                    found = self._selection(
                        required, coordinate, base_type(target.type), s.selection_set
                    )
                    if found is not None:
                        return found
            elif isinstance(s, InlineFragmentNode):
                target_name = s.type_condition.name.value if s.type_condition else type_name
                condition = self.schema.types.get(target_name)
                if (
                    s.type_condition is not None
                    and condition is not None
                    and not required.satisfies(self.on(condition))
                ):
                    return (
                        f'Field "{coordinate}" does not specify necessary @authenticated, '
                        "@requiresScopes and/or @policy auth requirements to access the "
                        f'transitive data in inline fragment type condition "{target_name}" '
                        "from @requires selection set."
                    )
                found = self._selection(required, coordinate, target_name, s.selection_set)
                if found is not None:
                    return found
        return None


def _groups(node: object) -> list[list[str]]:
    if not isinstance(node, ListValueNode):
        return []
    return [
        [v.value for v in inner.values if isinstance(v, StringValueNode)]
        for inner in node.values
        if isinstance(inner, ListValueNode)
    ]
