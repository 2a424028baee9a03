"""Federation 1 subgraphs read as Federation 2 ones, with the meaning Federation 1 gave them.

What changes (Apollo's schema upgrader does the same, so we compose what ``rover`` composes):

- ``extend type`` / ``@extends`` entities become plain definitions; ``@external`` on their key
  fields is dropped (those fields were always resolvable there);
- fields that are also resolved by another subgraph become ``@shareable`` (Fed 1 allowed any
  field to be resolved by several subgraphs), value types defined in several subgraphs become
  ``@shareable`` types;
- what Fed 1 accepted but ignored is removed: ``@external`` on interfaces and on types, ``@key``
  on interfaces, ``@provides``/``@requires`` on interface fields, ``@provides`` on leaf fields,
  ``@external`` fields no directive uses, ``@requires``/``@provides`` selections of fields that
  are not external, ``@tag`` on an external field when its real definition carries it;
- an ``extend type`` of an entity that no subgraph defines is an error
  (``EXTENSION_WITH_NO_BASE``), as is a type left with only unused ``@external`` fields.
"""

from __future__ import annotations

import copy

from graphql import (
    EnumValueNode,
    FieldNode,
    InlineFragmentNode,
    ListValueNode,
    SelectionSetNode,
    StringValueNode,
)

from mesh.federation.compose import field_set
from mesh.federation.compose.errors import Reporter, subgraph_names
from mesh.federation.compose.links import (
    FED1_UPGRADE_VERSION,
    FEDERATION_DIRECTIVES,
    FEDERATION_IDENTITY,
    FeatureUrl,
    Link,
)
from mesh.federation.compose.model import Directive, Field, NamedType, Schema, base_type
from mesh.federation.compose.subgraph import Subgraph, fields_arg
from mesh.federation.compose.subgraph_rules import check_subgraph


def upgrade_federation1(subgraphs: list[Subgraph], reporter: Reporter) -> list[Subgraph] | None:
    """Every subgraph as Federation 2; ``None`` when a Fed 1 subgraph cannot be upgraded."""
    if all(s.is_fed2 for s in subgraphs):
        return subgraphs
    upgraded: list[Subgraph] = []
    ok = True
    interface_object_types: dict[str, list[str]] = {}
    interface_key_types: dict[str, list[str]] = {}
    for original in subgraphs:
        if original.is_fed2:
            upgraded.append(original)
            for named in original.schema.types.values():
                if original.is_interface_object(named.name):
                    interface_object_types.setdefault(named.name, []).append(original.name)
            continue
        result = _Upgrader(original, subgraphs, reporter).upgrade()
        if result is None or not check_subgraph(result[0], reporter):
            ok = False
            continue
        subgraph, key_types = result
        upgraded.append(subgraph)
        for name in key_types:
            interface_key_types.setdefault(name, []).append(original.name)
    for type_name, with_object in interface_object_types.items():
        with_keys = interface_key_types.get(type_name)
        if with_keys:
            ok = False
            reporter.error(
                "INTERFACE_OBJECT_USAGE_ERROR",
                f'The @interfaceObject directive is used on type "{type_name}" in '
                f"{subgraph_names(with_object)}, which requires other subgraphs to resolve its "
                "type name via an interface @key. However, @key on an interface in a federation "
                "1 subgraph does not mean it can fulfill the __typename-resolution requirement "
                f"that @interfaceObject depends on. For {subgraph_names(with_keys)}, either "
                "upgrade them to federation 2 subgraphs or remove @key from the type.",
                subgraphs=[*with_object, *with_keys],
                coordinate=type_name,
            )
    return upgraded if ok else None


class _Upgrader:
    def __init__(self, original: Subgraph, all_subgraphs: list[Subgraph], reporter: Reporter):
        self.original = original
        self.others = [s for s in all_subgraphs if s is not original]
        self.reporter = reporter
        self.ok = True
        self.interface_key_types: list[str] = []
        schema = copy.deepcopy(original.schema)
        url = FeatureUrl(FEDERATION_IDENTITY, "federation", FED1_UPGRADE_VERSION)
        imports = {
            f"@{name}": f"@{name}"
            for name, since in FEDERATION_DIRECTIVES.items()
            if since <= FED1_UPGRADE_VERSION
        }
        link = Link(url, None, imports)
        names = {
            name: name for name, since in FEDERATION_DIRECTIVES.items() if since <= url.version
        }
        self.sg = Subgraph(
            name=original.name,
            url=original.url,
            schema=schema,
            federation=link,
            links=[*original.links, link],
            names=names,
        )
        self.sg.was_fed1 = True

    @property
    def schema(self) -> Schema:
        return self.sg.schema

    def error(self, code: str, message: str, coordinate: str) -> None:
        self.ok = False
        self.reporter.error(
            code, f"[{self.sg.name}] {message}", subgraphs=(self.sg.name,), coordinate=coordinate
        )

    def upgrade(self) -> tuple[Subgraph, list[str]] | None:
        for named in list(self.schema.types.values()):
            self._check_extension_with_no_base(named)
        self._fix_fields_arguments()
        self._remove_external_on_interfaces_and_types()
        self._remove_external_on_type_extensions()
        self._fix_inactive_provides_and_requires()
        self._remove_type_extensions()
        self._remove_directives_on_interfaces()
        self._remove_provides_on_leaves()
        self._remove_unused_externals()
        self._add_shareable()
        self._remove_tag_on_external()
        self.sg.invalidate()
        return (self.sg, self.interface_key_types) if self.ok else None

    # -- helpers ---------------------------------------------------------------------------

    def _others_with_type(self, name: str) -> list[tuple[Subgraph, NamedType]]:
        found = []
        for other in self.others:
            t = other.schema.types.get(name)
            if t is not None and t.kind in ("object", "interface"):
                found.append((other, t))
        return found

    def _is_root_extension(self, named: NamedType) -> bool:
        return (
            named.kind == "object"
            and self.schema.root_kind(named.name) is not None
            and (
                self.original.has(named, "extends")
                or (named.extensions > 0 and not named.has_definition)
            )
        )

    def _check_extension_with_no_base(self, named: NamedType) -> None:
        if self._is_root_extension(named) or not self.original.is_extension_type(named):
            return
        if any(t.has_definition for _, t in self._others_with_type(named.name)):
            return
        self.error(
            "EXTENSION_WITH_NO_BASE",
            f'Type "{named.name}" is an extension type, but there is no type definition for '
            f'"{named.name}" in any subgraph.',
            named.name,
        )

    @staticmethod
    def _drop(directives: list[Directive], name: str) -> list[Directive]:
        return [d for d in directives if d.name != name]

    # -- steps -----------------------------------------------------------------------------

    def _fix_fields_arguments(self) -> None:
        for named in self.schema.types.values():
            elements: list[NamedType | Field] = [named, *named.fields.values()]
            for element in elements:
                for directive in element.directives:
                    if directive.name not in ("key", "requires", "provides"):
                        continue
                    node = directive.args.get("fields")
                    if isinstance(node, ListValueNode) and all(
                        isinstance(v, StringValueNode) for v in node.values
                    ):
                        text = " ".join(v.value for v in node.values)  # type: ignore[attr-defined]
                        directive.args["fields"] = StringValueNode(value=text)
                    elif isinstance(node, EnumValueNode):
                        directive.args["fields"] = StringValueNode(value=node.value)

    def _remove_external_on_interfaces_and_types(self) -> None:
        for named in self.schema.types.values():
            if named.kind == "interface":
                for f in named.fields.values():
                    f.directives = self._drop(f.directives, "external")
            elif named.kind == "object":
                named.directives = self._drop(named.directives, "external")

    def _remove_external_on_type_extensions(self) -> None:
        for named in self.schema.types.values():
            if not named.is_composite:
                continue
            if not self.original.is_extension_type(named) and not self._is_root_extension(named):
                continue
            keys = self.sg.applied(named, "key")
            if keys:
                for key in keys:
                    for target in field_set.targets(self.schema, named.name, fields_arg(key)):
                        if target.type_name == named.name:
                            target.field.directives = self._drop(
                                target.field.directives, "external"
                            )
                continue
            for other, other_type in self._others_with_type(named.name):
                other_keys = other.applied(other_type, "key")
                if not other_keys:
                    continue
                for target in field_set.targets(
                    other.schema, named.name, fields_arg(other_keys[0])
                ):
                    own = named.fields.get(target.field.name)
                    if target.type_name == named.name and own is not None:
                        own.directives = self._drop(own.directives, "external")

    def _fix_inactive_provides_and_requires(self) -> None:
        for named in self.schema.types.values():
            if named.kind not in ("object", "interface"):
                continue
            for f in named.fields.values():
                self._fix_inactive(f, "provides", base_type(f.type))
                self._fix_inactive(f, "requires", named.name)

    def _fix_inactive(self, f: Field, directive_name: str, on_type: str) -> None:
        kept: list[Directive] = []
        for directive in f.directives:
            if directive.name != directive_name or on_type not in self.schema.types:
                kept.append(directive)
                continue
            try:
                selection = field_set.parse_field_set(fields_arg(directive))
            except field_set.FieldSetError:
                kept.append(directive)
                continue
            lenient = field_set.FieldSetRules(
                directive_name,
                allow_arguments=True,
                is_external=lambda _: True,
                check_external=False,
            )
            if field_set.check(self.schema, on_type, fields_arg(directive), lenient):
                kept.append(directive)  # invalid: left for the rules to report
                continue
            if not self._selects_non_external_leaf(on_type, selection):
                kept.append(directive)
                continue
            updated = self._without_non_external_leaves(on_type, selection)
            if updated is not None:
                text = field_set.printed_field_set(updated)
                kept.append(Directive(directive.name, {"fields": StringValueNode(value=text)}))
        f.directives = kept

    def _external_or_implementations_external(self, type_name: str, name: str) -> bool:
        named = self.schema.types.get(type_name)
        f = named.fields.get(name) if named else None
        if f is None:
            return False
        if any(d.name == "external" for d in f.directives):
            return True
        if named is not None and named.kind == "interface":
            for impl in self.schema.implementations(type_name):
                g = impl.fields.get(name)
                if g is not None and any(d.name == "external" for d in g.directives):
                    return True
        return False

    def _selects_non_external_leaf(self, type_name: str, selection_set: SelectionSetNode) -> bool:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if self._external_or_implementations_external(type_name, selection.name.value):
                    continue
                if selection.selection_set is None:
                    return True
                child = self.schema.field(type_name, selection.name.value)
                if child is not None and self._selects_non_external_leaf(
                    base_type(child.type), selection.selection_set
                ):
                    return True
            elif isinstance(selection, InlineFragmentNode):
                target = (
                    selection.type_condition.name.value if selection.type_condition else type_name
                )
                if self._selects_non_external_leaf(target, selection.selection_set):
                    return True
        return False

    def _without_non_external_leaves(
        self, type_name: str, selection_set: SelectionSetNode
    ) -> SelectionSetNode | None:
        kept: list[FieldNode | InlineFragmentNode] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if self._external_or_implementations_external(type_name, selection.name.value):
                    kept.append(selection)
                    continue
                child = self.schema.field(type_name, selection.name.value)
                if selection.selection_set is not None and child is not None:
                    inner = self._without_non_external_leaves(
                        base_type(child.type), selection.selection_set
                    )
                    if inner is not None:
                        kept.append(_with_selection_set(selection, inner))
            elif isinstance(selection, InlineFragmentNode):
                target = (
                    selection.type_condition.name.value if selection.type_condition else type_name
                )
                inner = self._without_non_external_leaves(target, selection.selection_set)
                if inner is not None:
                    kept.append(_with_selection_set(selection, inner))
        return SelectionSetNode(selections=tuple(kept)) if kept else None

    def _remove_type_extensions(self) -> None:
        for named in self.schema.types.values():
            if not self.original.is_extension_type(named) and not self._is_root_extension(named):
                continue
            named.has_definition = True
            named.extensions = 0
            for directive in named.directives:
                directive.extension = None
            for iface in named.interface_extension:
                named.interface_extension[iface] = None
            for f in named.fields.values():
                f.extension = None
                for directive in f.directives:
                    directive.extension = None

    def _remove_directives_on_interfaces(self) -> None:
        for named in self.schema.types.values():
            if named.kind != "interface":
                continue
            if any(d.name == "key" for d in named.directives):
                self.interface_key_types.append(named.name)
                named.directives = self._drop(named.directives, "key")
            for f in named.fields.values():
                f.directives = [d for d in f.directives if d.name not in ("provides", "requires")]

    def _remove_provides_on_leaves(self) -> None:
        for named in self.schema.types.values():
            if named.kind != "object":
                continue
            for f in named.fields.values():
                target = self.schema.types.get(base_type(f.type))
                if target is None or not target.is_composite:
                    f.directives = self._drop(f.directives, "provides")

    def _remove_unused_externals(self) -> None:
        self.sg.invalidate()
        for named in list(self.schema.types.values()):
            if named.kind not in ("object", "interface"):
                continue
            for f in list(named.fields.values()):
                if self.sg.is_external(f) and not self.sg.is_used(f):
                    del named.fields[f.name]
            if named.fields:
                continue
            if self._is_referenced(named.name):
                self.error(
                    "TYPE_WITH_ONLY_UNUSED_EXTERNAL",
                    f"Type {named.name} contains only external fields and all those fields are "
                    "all unused (they do not appear in any @key, @provides or @requires).",
                    named.name,
                )
            else:
                del self.schema.types[named.name]
        self.sg.invalidate()

    def _is_referenced(self, name: str) -> bool:
        for t in self.schema.types.values():
            if name in t.interfaces or name in t.members:
                return True
            for f in t.fields.values():
                if base_type(f.type) == name or any(
                    base_type(a.type) == name for a in f.args.values()
                ):
                    return True
            if any(base_type(v.type) == name for v in t.input_fields.values()):
                return True
        return name in self.schema.roots.values()

    def _add_shareable(self) -> None:
        original = self.original
        for named in self.schema.types.values():
            if named.kind != "object" or self.schema.roots.get("subscription") == named.name:
                continue
            others = self._others_with_type(named.name)
            is_root = self.schema.root_kind(named.name) is not None
            if any(d.name == "key" for d in named.directives) or is_root:
                for f in named.fields.values():
                    original_field = original.schema.field(named.name, f.name)
                    if original_field is not None and original.is_shareable(original_field):
                        continue
                    resolving = [
                        other
                        for other, other_type in others
                        if (g := other_type.fields.get(f.name)) is not None
                        and (not other.is_external(g) or other.is_partially_external(g))
                    ]
                    if resolving and not any(d.name == "shareable" for d in f.directives):
                        f.directives.append(Directive("shareable", {}, f.extension))
            elif others and not any(d.name == "shareable" for d in named.directives):
                named.directives.append(Directive("shareable"))

    def _remove_tag_on_external(self) -> None:
        for named in self.schema.types.values():
            for f in named.fields.values():
                if not any(d.name == "external" for d in f.directives):
                    continue
                kept = []
                for directive in f.directives:
                    if directive.name == "tag" and self._tag_elsewhere(
                        named.name, f.name, directive
                    ):
                        continue
                    kept.append(directive)
                f.directives = kept

    def _tag_elsewhere(self, type_name: str, field_name: str, tag: Directive) -> bool:
        for other in self.others:
            g = other.schema.field(type_name, field_name)
            if g is None or any(d.name == "external" for d in g.directives):
                continue
            if any(d.same_as(tag) for d in g.directives if d.name == other.name_of("tag")):
                return True
        return False


def _with_selection_set(
    selection: FieldNode | InlineFragmentNode, selection_set: SelectionSetNode
) -> FieldNode | InlineFragmentNode:
    values = {key: getattr(selection, key) for key in selection.keys if key != "loc"}
    values["selection_set"] = selection_set
    return type(selection)(**values)
