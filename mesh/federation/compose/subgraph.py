"""One subgraph as composition sees it: its schema and what federation says about each element.

Federation directives are looked up by their spec name (``key``, ``shareable``...) whatever the
subgraph imported them as. The derived facts (which fields are external, shareable, used by a
field set...) follow Apollo's definitions and are recomputed after the schema changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mesh.federation.compose import field_set
from mesh.federation.compose.links import Link
from mesh.federation.compose.model import (
    Directive,
    EnumValue,
    Field,
    InputValue,
    NamedType,
    Schema,
    base_type,
)

Element = NamedType | Field | InputValue | EnumValue


@dataclass(frozen=True)
class SubgraphSource:
    """A subgraph to compose: its name, the URL the router will call, and its SDL."""

    name: str
    url: str
    sdl: str


@dataclass
class _Facts:
    external: set[str] = field(default_factory=set)
    fake_external: set[str] = field(default_factory=set)
    provided: set[str] = field(default_factory=set)
    shareable: set[str] = field(default_factory=set)
    used: set[str] = field(default_factory=set)


class Subgraph:
    def __init__(
        self,
        *,
        name: str,
        url: str,
        schema: Schema,
        federation: Link | None,
        links: list[Link],
        names: dict[str, str],
    ) -> None:
        self.name = name
        self.url = url
        self.schema = schema
        self.federation = federation  # None for a Federation 1 subgraph (before its upgrade)
        self.links = links
        self.names = dict(names)  # federation directive spec name -> name in this schema
        self.was_fed1 = federation is None
        self._facts: _Facts | None = None

    # -- naming ----------------------------------------------------------------------------

    @property
    def is_fed2(self) -> bool:
        return self.federation is not None

    @property
    def federation_version(self) -> tuple[int, int]:
        return self.federation.url.version if self.federation else (1, 0)

    def name_of(self, spec_name: str) -> str | None:
        return self.names.get(spec_name)

    def spec_name(self, schema_name: str) -> str | None:
        for spec, local in self.names.items():
            if local == schema_name:
                return spec
        return None

    def applied(self, element: Element, spec_name: str) -> list[Directive]:
        local = self.names.get(spec_name)
        if local is None:
            return []
        return [d for d in element.directives if d.name == local]

    def has(self, element: Element, spec_name: str) -> bool:
        return bool(self.applied(element, spec_name))

    def link_for(self, directive_name: str) -> tuple[Link, str] | None:
        """The non-federation ``@link`` a directive comes from, with its name in that spec."""
        for link in self.links:
            if link is self.federation:
                continue
            spec = link.spec_name_of(directive_name)
            if spec is not None:
                return link, spec
        return None

    # -- entity facts ----------------------------------------------------------------------

    def keys(self, type_name: str, *, resolvable_only: bool = False) -> list[Directive]:
        found = self.schema.types.get(type_name)
        if found is None:
            return []
        keys = self.applied(found, "key")
        if resolvable_only:
            keys = [k for k in keys if k.arg("resolvable") is not False]
        return keys

    def is_entity(self, type_name: str) -> bool:
        found = self.schema.types.get(type_name)
        return (
            found is not None
            and found.kind in ("object", "interface")
            and bool(self.applied(found, "key"))
        )

    def is_interface_object(self, type_name: str) -> bool:
        found = self.schema.types.get(type_name)
        return found is not None and found.kind == "object" and self.has(found, "interfaceObject")

    def is_extension_type(self, named: NamedType) -> bool:
        """An ``extend type`` with no definition here, or a type marked ``@extends``."""
        has_extends = self.has(named, "extends")
        return (
            (named.extensions > 0 or has_extends)
            and named.kind in ("object", "interface")
            and (has_extends or not named.has_definition)
        )

    # -- field facts (Apollo's ExternalTester, computeShareables, collectUsedFields) ----------

    def invalidate(self) -> None:
        self._facts = None

    @property
    def facts(self) -> _Facts:
        if self._facts is None:
            self._facts = self._compute_facts()
        return self._facts

    def is_external(self, f: Field) -> bool:
        return f.coordinate in self.facts.external

    def is_fake_external(self, f: Field) -> bool:
        return f.coordinate in self.facts.fake_external

    def is_partially_external(self, f: Field) -> bool:
        return self.is_external(f) and f.coordinate in self.facts.provided

    def is_fully_external(self, f: Field) -> bool:
        return self.is_external(f) and f.coordinate not in self.facts.provided

    def is_shareable(self, f: Field) -> bool:
        return f.coordinate in self.facts.shareable

    def is_used(self, f: Field) -> bool:
        return f.coordinate in self.facts.used

    def _compute_facts(self) -> _Facts:
        facts = _Facts()
        schema = self.schema
        types = schema.types
        for named in types.values():
            if named.kind not in ("object", "interface"):
                continue
            for key in self.applied(named, "key"):
                if key.extension is None and not self.has(named, "extends"):
                    continue
                for target in field_set.targets(schema, named.name, _fields_arg(key)):
                    if self.has(target.field, "external"):
                        facts.fake_external.add(target.field.coordinate)
        type_external: set[str] = set()
        if self.is_fed2:
            for named in types.values():
                if named.kind == "object" and self.has(named, "external"):
                    type_external.update(f.coordinate for f in named.fields.values())
        for named in types.values():
            for f in named.fields.values():
                explicitly = self.has(f, "external") or f.coordinate in type_external
                if explicitly and f.coordinate not in facts.fake_external:
                    facts.external.add(f.coordinate)
        for named in types.values():
            for f in named.fields.values():
                for provides in self.applied(f, "provides"):
                    target_type = base_type(f.type)
                    if target_type in types and types[target_type].is_composite:
                        for target in field_set.targets(
                            schema, target_type, _fields_arg(provides), implementations=True
                        ):
                            facts.provided.add(target.field.coordinate)
        self._collect_shareable(facts)
        self._collect_used(facts)
        return facts

    def _collect_shareable(self, facts: _Facts) -> None:
        schema = self.schema
        for named in schema.types.values():
            if named.kind not in ("object", "interface"):
                continue
            for key in self.applied(named, "key"):
                for target in field_set.targets(
                    schema, named.name, _fields_arg(key), implementations=True
                ):
                    facts.shareable.add(target.field.coordinate)
            if named.kind != "object":
                continue
            type_shareable = self.applied(named, "shareable") if self.is_fed2 else []
            for f in named.fields.values():
                if (self.is_fed2 and self.has(f, "shareable")) or any(
                    d.extension == f.extension for d in type_shareable
                ):
                    facts.shareable.add(f.coordinate)
                for provides in self.applied(f, "provides"):
                    target_type = base_type(f.type)
                    if target_type not in schema.types:
                        continue
                    for target in field_set.targets(
                        schema, target_type, _fields_arg(provides), implementations=True
                    ):
                        if target.field.coordinate in facts.external:
                            facts.shareable.add(target.field.coordinate)

    def _collect_used(self, facts: _Facts) -> None:
        schema = self.schema
        for named in schema.types.values():
            if named.kind not in ("object", "interface"):
                continue
            for key in self.applied(named, "key"):
                for target in field_set.targets(
                    schema, named.name, _fields_arg(key), implementations=True
                ):
                    facts.used.add(target.field.coordinate)
            for f in named.fields.values():
                for requires in self.applied(f, "requires"):
                    for target in field_set.targets(
                        schema, named.name, _fields_arg(requires), implementations=True
                    ):
                        facts.used.add(target.field.coordinate)
                for provides in self.applied(f, "provides"):
                    target_type = base_type(f.type)
                    if target_type in schema.types and schema.types[target_type].is_composite:
                        for target in field_set.targets(
                            schema, target_type, _fields_arg(provides), implementations=True
                        ):
                            facts.used.add(target.field.coordinate)
        for named in schema.types.values():
            if named.kind != "interface":
                continue
            for impl_name in schema.possible_runtime_types(named.name):
                impl = schema.types[impl_name]
                for name in named.fields:
                    if name in impl.fields:
                        facts.used.add(impl.fields[name].coordinate)


_fields_arg = field_set.fields_arg_of
fields_arg = field_set.fields_arg_of
