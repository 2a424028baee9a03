"""Merging validated Federation 2 subgraphs into one supergraph schema with join metadata.

The steps run in Apollo's order, because some depend on others: interfaces implemented and
union members first (field types are compared against them), enums last (whether an enum is
used as input, output or both is only known once every field and argument is merged).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mesh.federation.compose import join
from mesh.federation.compose.composed_directives import ComposedDirectives, collect_composed
from mesh.federation.compose.errors import Reporter, subgraph_names
from mesh.federation.compose.links import join_version
from mesh.federation.compose.merge_directives import DirectiveMerging
from mesh.federation.compose.merge_fields import FieldMerging
from mesh.federation.compose.merge_state import Sources
from mesh.federation.compose.model import (
    ROOT_DEFAULT_NAMES,
    Field,
    InputValue,
    NamedType,
    Schema,
)
from mesh.federation.compose.subgraph import Subgraph

_KIND_LABEL = {
    "scalar": "Scalar Type",
    "object": "Object Type",
    "interface": "Interface Type",
    "union": "Union Type",
    "enum": "Enum Type",
    "input": "Input Object Type",
}


@dataclass
class MergedSupergraph:
    """The merged schema (with ``@join__*`` applied) and what printing it needs."""

    schema: Schema
    subgraphs: list[Subgraph]
    graph_names: dict[str, str]  # subgraph name -> join__Graph value
    federation_version: tuple[int, int]
    join_version: tuple[int, int]
    composed: ComposedDirectives
    urls: dict[str, str] = field(default_factory=dict)


def latest_federation_version(subgraphs: list[Subgraph]) -> tuple[int, int]:
    versions = [s.federation_version for s in subgraphs if s.is_fed2]
    return max(versions) if versions else (2, 14)


class Merger(FieldMerging, DirectiveMerging):
    def __init__(self, subgraphs: list[Subgraph], reporter: Reporter) -> None:
        super().__init__(subgraphs, reporter)
        self.init_directive_merging()
        self.removed_types: set[str] = set()
        self.federation_version = latest_federation_version(subgraphs)
        self.join_version = join_version(self.federation_version)
        self.graph_names = join.graph_enum_names(self.names)
        self.graph = [self.graph_names[n] for n in self.names]
        self.composed = collect_composed(subgraphs, reporter)
        for subgraph in subgraphs:
            for named in subgraph.schema.types.values():
                for f in named.fields.values():
                    if subgraph.has(f, "override"):
                        self.fields_with_override.add(f.coordinate)
                    if subgraph.has(f, "requires"):
                        self.fields_with_requires.add(f.coordinate)

    def merge(self) -> MergedSupergraph | None:
        if self.reporter.errors:
            return None
        kinds = self._add_types_shallow()
        self._merge_roots()
        by_kind: dict[str, list[NamedType]] = {}
        for name, kind in kinds.items():
            dest = self.merged.types[name]
            by_kind.setdefault(kind, []).append(dest)
        for dest in by_kind.get("object", []) + by_kind.get("interface", []):
            self.merge_implements(self.type_sources(dest.name, dest.kind), dest)
        for dest in by_kind.get("union", []):
            self._merge_type(dest)
        self._merge_schema_definition()
        self.collect_extra_auth_sources()
        for kind in ("scalar", "input", "interface", "object"):
            for dest in by_kind.get(kind, []):
                self._merge_type(dest)
        self.add_directive_definitions()
        for dest in by_kind.get("enum", []):
            self._merge_type(dest)
        for name in self.removed_types:
            self.merged.types.pop(name, None)
            for op, root in list(self.merged.roots.items()):
                if root == name:
                    del self.merged.roots[op]
        if "query" not in self.merged.roots:
            self.error(
                "NO_QUERIES",
                "No queries found in any subgraph: a supergraph must have a query root type.",
                subgraphs=self.names,
                coordinate="Query",
            )
        self.merge_all_applied_directives()
        self._add_missing_interface_object_fields()
        if self.reporter.errors:
            return None
        return MergedSupergraph(
            schema=self.merged,
            subgraphs=self.subgraphs,
            graph_names=self.graph_names,
            federation_version=self.federation_version,
            join_version=self.join_version,
            composed=self.composed,
            urls={s.name: s.url for s in self.subgraphs},
        )

    # -- shallow pass --------------------------------------------------------------------------

    def _add_types_shallow(self) -> dict[str, str]:
        kinds: dict[str, str] = {}
        mismatched: list[str] = []
        interface_objects: list[str] = []
        for subgraph in self.subgraphs:
            for named in subgraph.schema.types.values():
                kind = named.kind
                if subgraph.is_interface_object(named.name):
                    kind = "interface"
                    if named.name not in interface_objects:
                        interface_objects.append(named.name)
                if named.name not in kinds:
                    kinds[named.name] = kind
                    self.merged.types[named.name] = NamedType(named.name, kind)
                elif kinds[named.name] != kind and named.name not in mismatched:
                    mismatched.append(named.name)
        for name in mismatched:
            self._report_kind_mismatch(name, kinds[name])
        for name in interface_objects:
            if name in mismatched:
                continue
            if not any(
                (t := s.schema.types.get(name)) is not None and t.kind == "interface"
                for s in self.subgraphs
            ):
                defining = [s.name for s in self.subgraphs if name in s.schema.types]
                self.error(
                    "INTERFACE_OBJECT_USAGE_ERROR",
                    f'Type "{name}" is declared with @interfaceObject in all the subgraphs in '
                    f"which it is defined (it is defined in {subgraph_names(defining)} but "
                    "should be defined as an interface in at least one subgraph)",
                    subgraphs=defining,
                    coordinate=name,
                )
        return kinds

    def _report_kind_mismatch(self, name: str, supergraph_kind: str) -> None:
        groups: dict[str, list[str]] = {}
        for subgraph in self.subgraphs:
            t = subgraph.schema.types.get(name)
            if t is None:
                continue
            label = (
                "Interface Object Type (Object Type with @interfaceObject)"
                if subgraph.is_interface_object(name)
                else _KIND_LABEL[t.kind]
            )
            groups.setdefault(label, []).append(subgraph.name)
        first = _KIND_LABEL[supergraph_kind]
        parts = [f"{label} in {subgraph_names(names)}" for label, names in groups.items()]
        parts.sort(key=lambda p: not p.startswith(first + " in"))
        self.error(
            "TYPE_KIND_MISMATCH",
            f'Type "{name}" has mismatched kind: it is defined as {parts[0]} but '
            + " and ".join(parts[1:]),
            subgraphs=[n for names in groups.values() for n in names],
            coordinate=name,
        )

    def _merge_roots(self) -> None:
        for operation, default in ROOT_DEFAULT_NAMES.items():
            for subgraph in self.subgraphs:
                root = subgraph.schema.roots.get(operation)
                if root is not None and subgraph.schema.types[root].fields:
                    self.merged.roots[operation] = default
                    break

    def _merge_schema_definition(self) -> None:
        sources: Sources[Schema] = {i: s.schema for i, s in enumerate(self.subgraphs)}
        descriptions = [s.schema.description for s in self.subgraphs if s.schema.description]
        if descriptions:
            self.merged.description = descriptions[0]
        self.record_applied_directives(sources, self.merged)

    # -- per type ------------------------------------------------------------------------------

    def _merge_type(self, dest: NamedType) -> None:
        sources = self.type_sources(dest.name, dest.kind)
        self.check_extension_with_no_base(sources, dest)
        self.merge_description(sources, dest)  # type: ignore[arg-type]
        self.add_join_type(sources, dest)
        self.record_type_directives(sources, dest)
        if dest.kind == "object":
            self.merge_object(sources, dest)
        elif dest.kind == "interface":
            self.merge_interface(sources, dest)
        elif dest.kind == "union":
            self.merge_union(sources, dest)
        elif dest.kind == "enum":
            self.merge_enum(sources, dest)
        elif dest.kind == "input":
            self.merge_input(sources, dest)

    def _add_missing_interface_object_fields(self) -> None:
        for named in self.merged.types.values():
            if named.kind != "object":
                continue
            for interface in named.interfaces:
                interface_type = self.merged.types.get(interface)
                if interface_type is None:
                    continue
                for interface_field in interface_type.fields.values():
                    if not self.provided_by_interface_object(interface_field.name, interface):
                        continue
                    existing = named.fields.get(interface_field.name)
                    if existing is not None:
                        joins = [d for d in existing.directives if d.name == join.JOIN_FIELD]
                        if joins and all(d.arg("external") is True for d in joins):
                            existing.directives.extend(_non_join(interface_field))
                        continue
                    added = Field(
                        interface_field.name,
                        interface_field.type,
                        named.name,
                        description=interface_field.description,
                        directives=_non_join(interface_field),
                    )
                    for arg in interface_field.args.values():
                        added.args[arg.name] = InputValue(
                            arg.name,
                            arg.type,
                            added.coordinate,
                            arg.default,
                            arg.description,
                            [d for d in arg.directives if not d.name.startswith("join__")],
                        )
                    added.directives.append(join.join_directive(join.JOIN_FIELD))
                    named.fields[added.name] = added


def _non_join(f: Field) -> list:  # type: ignore[type-arg]
    return [d for d in f.directives if not d.name.startswith("join__")]
