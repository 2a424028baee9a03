"""Build a :class:`QueryPlan` from a validated client operation and the supergraph.

Each field is fetched from the subgraph already being asked when that subgraph resolves it
(or ``@provides`` it on this path); otherwise the parent fetch gains the entity's ``__typename``
and key fields, and a child ``_entities`` fetch to a subgraph that owns the field is created
or reused for that path. All fields delegated from one fetch at one path to one subgraph share
one child fetch, so a list of N entities costs one request per subgraph per level, not N.
"""

from __future__ import annotations

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    NamedTypeNode,
    NameNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
)
from graphql.utilities import get_operation_ast

from mesh.compose.model import FieldDef, Supergraph
from mesh.plan.model import FetchNode, QueryPlan
from mesh.plan.render import render_operations

TYPENAME = FieldNode(name=NameNode(value="__typename"))
_INTROSPECTION_ROOTS = {"__schema", "__type", "__typename"}


class PlanningError(Exception):
    """The operation cannot be planned over the composed subgraphs."""


class _Planner:
    def __init__(self, supergraph: Supergraph, fragments: dict[str, FragmentDefinitionNode]):
        self.supergraph = supergraph
        self.fragments = fragments

    # --- root -----------------------------------------------------------------------------
    def plan_root(self, operation: OperationDefinitionNode) -> QueryPlan:
        kind = operation.operation.value
        root_type = self.supergraph.root_types.get(kind)
        if root_type is None:
            raise PlanningError(f"the mesh has no {kind} type")
        roots: dict[str, FetchNode] = {}
        ordered: list[FetchNode] = []
        for field_node in self.root_fields(operation.selection_set, root_type, ()):
            if field_node.name.value in _INTROSPECTION_ROOTS:
                continue
            field_def = self.field_def(root_type, field_node)
            subgraph = next(iter(field_def.resolvers))
            if kind == "mutation":
                fetch = FetchNode(subgraph=subgraph, path=(), operation_kind=kind)
                ordered.append(fetch)
            else:
                fetch = roots.get(subgraph) or roots.setdefault(
                    subgraph, FetchNode(subgraph=subgraph, path=(), operation_kind=kind)
                )
            self.plan_field(
                subgraph, root_type, field_node, (), fetch, None, fetch.selections, None
            )
        plan = QueryPlan(
            roots=ordered if kind == "mutation" else list(roots.values()),
            operation_kind=kind,
            variable_definitions=tuple(operation.variable_definitions or ()),
            sequential=kind == "mutation",
        )
        render_operations(plan, operation.name.value if operation.name else None)
        return plan

    def root_fields(
        self, selection_set: SelectionSetNode, root_type: str, inherited: tuple[DirectiveNode, ...]
    ) -> list[FieldNode]:
        """Root fields with root-level fragments flattened (their directives carried over)."""
        fields: list[FieldNode] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                directives = tuple(selection.directives or ()) + inherited
                fields.append(_with(selection, directives=directives))
            else:
                inner, directives = self.fragment_parts(selection)
                fields.extend(
                    self.root_fields(inner, root_type, inherited + tuple(directives or ()))
                )
        return fields

    def fragment_parts(
        self, node: SelectionNode
    ) -> tuple[SelectionSetNode, tuple[DirectiveNode, ...]]:
        if isinstance(node, InlineFragmentNode):
            return node.selection_set, tuple(node.directives or ())
        assert isinstance(node, FragmentSpreadNode)
        fragment = self.fragments[node.name.value]
        return fragment.selection_set, tuple(node.directives or ())

    def field_def(self, type_name: str, node: FieldNode) -> FieldDef:
        field_def = self.supergraph.field(type_name, node.name.value)
        if field_def is None or not field_def.resolvers:
            raise PlanningError(f"no subgraph resolves {type_name}.{node.name.value}")
        return field_def

    # --- selections -------------------------------------------------------------------------
    def plan_selection_set(
        self,
        subgraph: str,
        parent: str,
        selection_set: SelectionSetNode | None,
        path: tuple[str, ...],
        fetch: FetchNode,
        provided: SelectionSetNode | None,
        type_filter: frozenset[str] | None,
    ) -> SelectionSetNode | None:
        if selection_set is None:
            return None
        out: list[SelectionNode] = []
        parent_def = self.supergraph.types[parent]
        if parent_def.kind in ("interface", "union"):
            out.append(TYPENAME)
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self.plan_field(
                    subgraph, parent, selection, path, fetch, provided, out, type_filter
                )
                continue
            if isinstance(selection, InlineFragmentNode) and selection.type_condition is None:
                condition = parent
            elif isinstance(selection, InlineFragmentNode):
                assert selection.type_condition is not None
                condition = selection.type_condition.name.value
            else:
                assert isinstance(selection, FragmentSpreadNode)
                condition = self.fragments[selection.name.value].type_condition.name.value
            inner, directives = self.fragment_parts(selection)
            self.plan_fragment(
                subgraph,
                parent,
                condition,
                inner,
                directives,
                path,
                fetch,
                provided,
                out,
                type_filter,
            )
        return SelectionSetNode(selections=tuple(_dedupe(out)))

    def plan_fragment(
        self,
        subgraph: str,
        parent: str,
        condition: str,
        inner: SelectionSetNode,
        directives: tuple[DirectiveNode, ...],
        path: tuple[str, ...],
        fetch: FetchNode,
        provided: SelectionSetNode | None,
        out: list[SelectionNode],
        type_filter: frozenset[str] | None,
    ) -> None:
        parent_def = self.supergraph.types[parent]
        possible = frozenset(self.supergraph.possible_types(condition))
        if parent_def.kind == "object":
            if parent not in possible:
                return  # a fragment that can never apply to this object
            planned = self.plan_selection_set(
                subgraph, parent, inner, path, fetch, provided, type_filter
            )
            assert planned is not None
            out.append(
                InlineFragmentNode(
                    type_condition=None, selection_set=planned, directives=directives
                )
            )
            return
        if subgraph not in self.supergraph.types[condition].subgraphs:
            return  # objects of that type never come from this subgraph
        narrowed = possible if type_filter is None else possible & type_filter
        planned = self.plan_selection_set(
            subgraph, condition, inner, path, fetch, provided, narrowed
        )
        assert planned is not None
        out.append(
            InlineFragmentNode(
                type_condition=NamedTypeNode(name=NameNode(value=condition)),
                selection_set=planned,
                directives=directives,
            )
        )

    def can_resolve(
        self, subgraph: str, field_def: FieldDef, provided: SelectionSetNode | None
    ) -> bool:
        return (
            subgraph in field_def.resolvers or _provided_field(provided, field_def.name) is not None
        )

    def plan_field(
        self,
        subgraph: str,
        parent: str,
        node: FieldNode,
        path: tuple[str, ...],
        fetch: FetchNode,
        provided: SelectionSetNode | None,
        out: list[SelectionNode],
        type_filter: frozenset[str] | None,
    ) -> None:
        name = node.name.value
        if name == "__typename":
            out.append(node)
            return
        field_def = self.field_def(parent, node)
        child_path = (*path, (node.alias or node.name).value)
        if self.can_resolve(subgraph, field_def, provided):
            if subgraph in field_def.resolvers:
                sub_provided = field_def.resolvers[subgraph].provides
            else:
                provided_node = _provided_field(provided, name)
                sub_provided = provided_node.selection_set if provided_node else None
            selection_set = self.plan_selection_set(
                subgraph,
                field_def.named_type,
                node.selection_set,
                child_path,
                fetch,
                sub_provided,
                None,
            )
            out.append(_with(node, selection_set=selection_set))
            return
        self.delegate(subgraph, parent, node, field_def, path, fetch, provided, out, type_filter)

    def delegate(
        self,
        subgraph: str,
        parent: str,
        node: FieldNode,
        field_def: FieldDef,
        path: tuple[str, ...],
        fetch: FetchNode,
        provided: SelectionSetNode | None,
        out: list[SelectionNode],
        type_filter: frozenset[str] | None,
    ) -> None:
        parent_def = self.supergraph.types[parent]
        if parent_def.kind != "object":
            raise PlanningError(
                f"{field_def.coordinate} is not resolvable by {subgraph} through interface {parent}"
            )
        existing = {
            c.subgraph
            for c in fetch.children
            if c.path == path and c.entity_type == parent and c.type_filter == type_filter
        }
        candidates = sorted(field_def.resolvers, key=lambda s: (s not in existing,))
        for target in candidates:
            key = self.usable_key(subgraph, parent, target, provided)
            if key is not None:
                break
        else:
            raise PlanningError(
                f"cannot reach {field_def.coordinate} from subgraph {subgraph}: no @key of "
                f"{parent} in {', '.join(field_def.resolvers)} can be resolved by {subgraph}"
            )
        child = self.child_fetch(fetch, target, path, parent, type_filter)
        key_fields = self.plan_selection_set(
            subgraph, parent, key, path, fetch, provided, type_filter
        )
        assert key_fields is not None
        out.append(TYPENAME)
        out.extend(key_fields.selections)
        if not child.representation:
            child.representation = [TYPENAME, *key.selections]
        requires = field_def.resolvers[target].requires
        if requires is not None:
            for required in requires.selections:
                if isinstance(required, FieldNode):
                    needed = self.field_def(parent, required)
                    if not self.can_resolve(subgraph, needed, provided):
                        raise PlanningError(
                            f"{field_def.coordinate} @requires {parent}.{needed.name}, which "
                            f"{subgraph} cannot provide on this path"
                        )
            planned = self.plan_selection_set(
                subgraph, parent, requires, path, fetch, provided, type_filter
            )
            assert planned is not None
            out.extend(planned.selections)
            child.representation.extend(requires.selections)
        self.plan_field(target, parent, node, path, child, None, child.selections, None)

    def usable_key(
        self, subgraph: str, parent: str, target: str, provided: SelectionSetNode | None
    ) -> SelectionSetNode | None:
        type_def = self.supergraph.types[parent]
        for key in type_def.keys.get(target, []):
            names = [s.name.value for s in key.selections if isinstance(s, FieldNode)]
            if all(
                n in type_def.fields and self.can_resolve(subgraph, type_def.fields[n], provided)
                for n in names
            ):
                return key
        return None

    def child_fetch(
        self,
        fetch: FetchNode,
        target: str,
        path: tuple[str, ...],
        parent: str,
        type_filter: frozenset[str] | None,
    ) -> FetchNode:
        for child in fetch.children:
            if (child.subgraph, child.path, child.entity_type, child.type_filter) == (
                target,
                path,
                parent,
                type_filter,
            ):
                return child
        child = FetchNode(subgraph=target, path=path, entity_type=parent, type_filter=type_filter)
        fetch.children.append(child)
        return child


def _provided_field(provided: SelectionSetNode | None, name: str) -> FieldNode | None:
    if provided is None:
        return None
    for selection in provided.selections:
        if isinstance(selection, FieldNode) and selection.name.value == name:
            return selection
    return None


def _with(node: FieldNode, **changes: object) -> FieldNode:
    values = {
        k: getattr(node, k) for k in ("alias", "name", "arguments", "directives", "selection_set")
    }
    values.update(changes)
    return FieldNode(**values)


def _dedupe(selections: list[SelectionNode]) -> list[SelectionNode]:
    """Drop repeated plain leaf fields (``__typename``, key fields added more than once)."""
    seen: set[str] = set()
    kept: list[SelectionNode] = []
    for selection in selections:
        if (
            isinstance(selection, FieldNode)
            and selection.selection_set is None
            and not selection.arguments
            and not selection.directives
        ):
            key = f"{(selection.alias or selection.name).value}:{selection.name.value}"
            if key in seen:
                continue
            seen.add(key)
        kept.append(selection)
    return kept


def plan_operation(
    supergraph: Supergraph, document: DocumentNode, operation_name: str | None = None
) -> QueryPlan:
    """Plan one operation of a validated document."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        raise PlanningError(
            "no operation to run"
            if operation_name is None
            else f"unknown operation {operation_name!r}"
        )
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return _Planner(supergraph, fragments).plan_root(operation)
