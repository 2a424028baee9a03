"""Rules only the merged result can be checked against.

Every implementation has the fields of its interfaces once merged (``INTERFACE_FIELD_NO_IMPLEM``);
``@requires`` selections still fit the merged field arguments; the supergraph is valid GraphQL
(``INVALID_GRAPHQL``), e.g. merged field types still implement their interface fields.
"""

from __future__ import annotations

from dataclasses import replace

from graphql import GraphQLError, build_schema, validate_schema

from mesh.federation.compose import field_set
from mesh.federation.compose.access_control import check_transitive_requirements
from mesh.federation.compose.errors import Reporter, subgraph_names
from mesh.federation.compose.inaccessible import check_inaccessible
from mesh.federation.compose.merge import MergedSupergraph
from mesh.federation.compose.model import Schema
from mesh.federation.compose.subgraph import Subgraph


def check_merged(merged: MergedSupergraph, supergraph_sdl: str, reporter: Reporter) -> None:
    schema, subgraphs = merged.schema, merged.subgraphs
    _interface_fields_implemented(schema, subgraphs, reporter)
    _requires_fit_merged_arguments(schema, subgraphs, reporter)
    by_graph = {graph: name for name, graph in merged.graph_names.items()}
    before = len(reporter.errors)
    check_transitive_requirements(schema, merged.composed.federation, reporter)
    for index in range(before, len(reporter.errors)):
        error = reporter.errors[index]
        named = tuple(by_graph.get(g, g) for g in error.subgraphs)
        reporter.errors[index] = replace(error, subgraphs=named)
    if reporter.errors:
        return
    _valid_graphql(supergraph_sdl, reporter)
    if not reporter.errors:
        check_inaccessible(schema, merged.composed.federation.get("inaccessible"), reporter)
        reporter.errors[:] = [
            replace(e, subgraphs=_defining(subgraphs, e.coordinate)) if not e.subgraphs else e
            for e in reporter.errors
        ]


def _interface_fields_implemented(
    schema: Schema, subgraphs: list[Subgraph], reporter: Reporter
) -> None:
    for named in schema.types.values():
        if named.kind not in ("object", "interface"):
            continue
        for interface in named.interfaces:
            interface_type = schema.types.get(interface)
            if interface_type is None:
                continue
            for name, interface_field in interface_type.fields.items():
                if name in named.fields:
                    continue
                with_field = [
                    s.name
                    for s in subgraphs
                    if (t := s.schema.types.get(interface)) is not None
                    and t.kind == "interface"
                    and name in t.fields
                ]
                implementing = [
                    s.name
                    for s in subgraphs
                    if (t := s.schema.types.get(named.name)) is not None
                    and interface in t.interfaces
                ]
                reporter.error(
                    "INTERFACE_FIELD_NO_IMPLEM",
                    f'Interface field "{interface_field.coordinate}" is declared in '
                    f'{subgraph_names(with_field)} but type "{named.name}", which implements '
                    f'"{interface}" only in {subgraph_names(implementing)} does not have field '
                    f'"{name}".',
                    subgraphs=[*with_field, *implementing],
                    coordinate=f"{named.name}.{name}",
                )


def _requires_fit_merged_arguments(
    schema: Schema, subgraphs: list[Subgraph], reporter: Reporter
) -> None:
    for subgraph in subgraphs:
        for named in subgraph.schema.types.values():
            for f in named.fields.values():
                for requires in subgraph.applied(f, "requires"):
                    if named.name not in schema.types:
                        continue
                    rules = field_set.FieldSetRules(
                        directive="requires",
                        allow_arguments=True,
                        is_external=lambda _: True,
                        check_external=False,
                    )
                    problems = field_set.check(
                        schema, named.name, field_set.fields_arg_of(requires), rules
                    )
                    for problem in problems:
                        if "argument" not in problem.message:
                            continue
                        reporter.error(
                            "REQUIRES_INVALID_FIELDS",
                            f'[{subgraph.name}] On field "{f.coordinate}", for '
                            f"{requires.printed()}: {problem.message} (the argument must be "
                            "defined, and provided when required, in every subgraph defining the "
                            "required field)",
                            subgraphs=(subgraph.name,),
                            coordinate=f.coordinate,
                        )


def _valid_graphql(supergraph_sdl: str, reporter: Reporter) -> None:
    try:
        built = build_schema(supergraph_sdl, assume_valid_sdl=True)
        problems: list[GraphQLError] = list(validate_schema(built))
    except (GraphQLError, TypeError) as exc:
        problems = [exc if isinstance(exc, GraphQLError) else GraphQLError(str(exc))]
    for problem in problems:
        reporter.error("INVALID_GRAPHQL", problem.message)


def _defining(subgraphs: list[Subgraph], coordinate: str) -> tuple[str, ...]:
    """Subgraphs that define the element at ``coordinate`` (``T``, ``T.f``, ``T.f(a:)``)."""
    type_name, _, rest = coordinate.partition(".")
    member, _, arg = rest.partition("(")
    found = []
    for subgraph in subgraphs:
        t = subgraph.schema.types.get(type_name)
        if t is None:
            continue
        if (
            member
            and member not in t.fields
            and member not in t.values
            and member not in t.input_fields
        ):
            continue
        if arg and (member not in t.fields or arg.rstrip(":)") not in t.fields[member].args):
            continue
        found.append(subgraph.name)
    return tuple(found)
