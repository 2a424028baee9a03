"""Merging the fields of object and interface types, and writing their ``@join__field``.

A field resolved by several subgraphs must be ``@shareable`` in each (``INVALID_FIELD_SHARING``);
``@override(from:)`` moves it from one subgraph to another (with ``label:`` progressively); an
``@external`` field is not resolved where it is external but must agree with the real one.
Arguments are intersected: one present in only some subgraphs is dropped, unless it is required
somewhere, which is an error.
"""

from __future__ import annotations

import re

from mesh.federation.compose import join
from mesh.federation.compose.errors import human_list, subgraph_names
from mesh.federation.compose.merge_override import OverrideMerging
from mesh.federation.compose.merge_state import FieldMergeContext, Sources
from mesh.federation.compose.model import Directive, Field, InputValue, NamedType, same_value
from mesh.federation.compose.subgraph import fields_arg

_LABEL = re.compile(r"^[a-zA-Z][a-zA-Z0-9_\-:./]*$")
_PERCENT = re.compile(r"^percent\((\d{1,2}(\.\d{1,8})?|100)\)$")


class FieldMerging(OverrideMerging):
    # -- sources -------------------------------------------------------------------------------

    def add_fields_shallow(
        self, sources: Sources[NamedType], dest: NamedType
    ) -> dict[str, Sources[Field]]:
        extra: set[int] = set()
        for index, subgraph in enumerate(self.subgraphs):
            schema = subgraph.schema
            if dest.kind in ("object", "interface"):
                for interface in dest.interfaces:
                    if subgraph.is_interface_object(interface):
                        extra.add(index)
            if dest.name in schema.types:
                extra.add(index)
        added: dict[str, Sources[Field]] = {}
        for index, source in sources.items():
            for f in source.fields.values() if source else ():
                if f.name not in added:
                    dest.fields[f.name] = Field(f.name, "", dest.name)
                    added[f.name] = {}
                added[f.name][index] = f
        for name, field_sources in added.items():
            ordered: Sources[Field] = {}
            for index in sorted(extra | set(field_sources)):
                ordered[index] = field_sources.get(index)
            added[name] = ordered
        return added

    # -- objects and interfaces ------------------------------------------------------------

    def merge_object(self, sources: Sources[NamedType], dest: NamedType) -> None:
        is_entity = self.hint_on_inconsistent_entity(sources, dest)
        is_root = dest.name in self.merged.roots.values()
        is_subscription = self.merged.roots.get("subscription") == dest.name
        added = self.add_fields_shallow(sources, dest)
        if not added:
            self.removed_types.add(dest.name)  # type: ignore[attr-defined]
            return
        for name, field_sources in added.items():
            dest_field = dest.fields[name]
            if not is_entity and not is_root:
                self.hint_on_inconsistent_value_type_field(sources, dest, dest_field)
            context = self.validate_override(field_sources, dest_field)
            if is_subscription:
                self.validate_subscription_field(field_sources, dest_field)
            self.merge_field(field_sources, dest_field, context)
            self.validate_field_sharing(field_sources, dest_field, context)

    def merge_interface(self, sources: Sources[NamedType], dest: NamedType) -> None:
        has_key = self.validate_interface_keys(sources, dest)
        self.validate_interface_objects(sources, dest)
        added = self.add_fields_shallow(sources, dest)
        for name, field_sources in added.items():
            dest_field = dest.fields[name]
            if not has_key:
                self.hint_on_inconsistent_value_type_field(sources, dest, dest_field)
            context = self.validate_override(field_sources, dest_field)
            self.merge_field(field_sources, dest_field, context)

    def hint_on_inconsistent_entity(self, sources: Sources[NamedType], dest: NamedType) -> bool:
        entity = [i for i, s in sources.items() if s and self.subgraphs[i].has(s, "key")]
        other = [i for i, s in sources.items() if s and not self.subgraphs[i].has(s, "key")]
        if entity and other:
            self.hint(
                "INCONSISTENT_ENTITY",
                f'Type "{dest.name}" is declared as an entity (has a @key applied) in some but '
                f"not all defining subgraphs: it has no @key in "
                f"{subgraph_names([self.names[i] for i in other])} but has some @key in "
                f"{subgraph_names([self.names[i] for i in entity])}.",
                subgraphs=self.defined_in(sources),
                coordinate=dest.name,
            )
        return bool(entity)

    def hint_on_inconsistent_value_type_field(
        self, sources: Sources[NamedType], dest: NamedType, dest_field: Field
    ) -> None:
        code, description = (
            ("INCONSISTENT_OBJECT_VALUE_TYPE_FIELD", "non-entity object")
            if dest.kind == "object"
            else ("INCONSISTENT_INTERFACE_VALUE_TYPE_FIELD", "interface")
        )
        for index, source in sources.items():
            if source is None or self.subgraphs[index].is_interface_object(source.name):
                continue
            all_external = all(self.is_external(index, f) for f in source.fields.values())
            provided = dest.kind == "interface" and self.provided_by_interface_object(
                dest_field.name, dest.name
            )
            if dest_field.name not in source.fields and not all_external and not provided:
                self.hint(
                    code,
                    f'Field "{dest_field.coordinate}" of {description} type "{dest.name}" is '
                    f'defined in some but not all subgraphs that define "{dest.name}".',
                    subgraphs=self.defined_in(sources),
                    coordinate=dest_field.coordinate,
                )
                return

    def validate_subscription_field(self, sources: Sources[Field], dest: Field) -> None:
        shared = [
            self.names[i]
            for i, s in sources.items()
            if s is not None and self.subgraphs[i].has(s, "shareable")
        ]
        if shared:
            self.error(
                "INVALID_FIELD_SHARING",
                "Fields on root level subscription object cannot be marked as shareable",
                subgraphs=shared,
                coordinate=dest.coordinate,
            )

    # -- one field ---------------------------------------------------------------------------

    def merge_field(self, sources: Sources[Field], dest: Field, context: FieldMergeContext) -> None:
        every_external = True
        for index, source in sources.items():
            if source is None:
                every_external = all(
                    self.is_external(index, f) for f in self.interface_object_fields(dest, index)
                )
            else:
                every_external = self.is_external(index, source)
            if not every_external:
                break
        if every_external:
            defining = []
            for index, source in sources.items():
                if source is not None:
                    defining.append(self.names[index])
                elif self.interface_object_fields(dest, index):
                    defining.append(f"{self.names[index]} (through @interfaceObject)")
            self.error(
                "EXTERNAL_MISSING_ON_BASE",
                f'Field "{dest.coordinate}" is marked @external on all the subgraphs in which it '
                f"is listed ({subgraph_names(defining)}).",
                subgraphs=[self.names[i] for i, s in sources.items() if s is not None],
                coordinate=dest.coordinate,
            )
            return
        without_external = self.validate_and_filter_external(sources)
        if any(s is not None for s in without_external.values()):
            self.merge_description(without_external, dest)  # type: ignore[arg-type]
            self.record_field_directives(without_external, dest)  # type: ignore[attr-defined]
            self.add_arguments_shallow(without_external, dest)
            for arg in list(dest.args.values()):
                arg_sources: Sources[InputValue] = {
                    i: (f.args.get(arg.name) if f else None) for i, f in without_external.items()
                }
                self.merge_argument(arg_sources, arg)
        basis = (
            without_external if any(s is not None for s in without_external.values()) else sources
        )
        all_equal = self.merge_type_reference(basis, dest)
        if any(s is not None and self.is_external(i, s) for i, s in sources.items()):
            self.validate_external_fields(sources, dest, all_equal)
        self.add_join_field(sources, dest, all_equal, context)

    def validate_and_filter_external(self, sources: Sources[Field]) -> Sources[Field]:
        filtered: Sources[Field] = {}
        for index, source in sources.items():
            if source is None or not self.is_external(index, source):
                filtered[index] = source
                continue
            filtered[index] = None
            subgraph = self.subgraphs[index]
            for directive in source.directives:
                if self.composed.is_merged(subgraph, directive.name):
                    self.error(
                        "MERGED_DIRECTIVE_APPLICATION_ON_EXTERNAL",
                        f"[{subgraph.name}] Cannot apply merged directive {directive.printed()} "
                        f'to external field "{source.coordinate}"',
                        subgraphs=(subgraph.name,),
                        coordinate=source.coordinate,
                    )
        return filtered

    def validate_external_fields(
        self, sources: Sources[Field], dest: Field, all_equal: bool
    ) -> None:
        invalid_type = False
        missing_args: list[str] = []
        bad_arg_types: list[str] = []
        bad_defaults: list[str] = []
        for index, source in sources.items():
            if source is None or not self.is_external(index, source):
                continue
            if not (
                dest.type == source.type
                or (not all_equal and self.is_strict_subtype(dest.type, source.type))
            ):
                invalid_type = True
            for arg in dest.args.values():
                theirs = source.args.get(arg.name)
                if theirs is None:
                    missing_args.append(arg.name)
                    continue
                if arg.type != theirs.type and not self.is_strict_subtype(theirs.type, arg.type):
                    bad_arg_types.append(arg.name)
                if not same_value(arg.default, theirs.default):
                    bad_defaults.append(arg.name)
        involved = [self.names[i] for i, s in sources.items() if s is not None]
        if invalid_type:
            self.mismatch_error(
                "EXTERNAL_TYPE_MISMATCH",
                f'Type of field "{dest.coordinate}" is incompatible across subgraphs (where '
                "marked @external): it has ",
                sources,
                lambda s: f'type "{s.type}"',
                f'type "{dest.type}"',
                dest.coordinate,
            )
        for name in dict.fromkeys(missing_args):
            self.error(
                "EXTERNAL_ARGUMENT_MISSING",
                f'Field "{dest.coordinate}" is missing argument "{dest.coordinate}({name}:)" in '
                "some subgraphs where it is marked @external.",
                subgraphs=involved,
                coordinate=f"{dest.coordinate}({name}:)",
            )
        for name in dict.fromkeys(bad_arg_types):
            self.error(
                "EXTERNAL_ARGUMENT_TYPE_MISMATCH",
                f'Type of argument "{dest.coordinate}({name}:)" is incompatible across subgraphs '
                f'(where "{dest.coordinate}" is marked @external).',
                subgraphs=involved,
                coordinate=f"{dest.coordinate}({name}:)",
            )
        for name in dict.fromkeys(bad_defaults):
            self.error(
                "EXTERNAL_ARGUMENT_DEFAULT_MISMATCH",
                f'Argument "{dest.coordinate}({name}:)" has incompatible defaults across '
                f'subgraphs (where "{dest.coordinate}" is marked @external).',
                subgraphs=involved,
                coordinate=f"{dest.coordinate}({name}:)",
            )

    def validate_field_sharing(
        self, sources: Sources[Field], dest: Field, context: FieldMergeContext
    ) -> None:
        shareable: list[str] = []
        not_shareable: list[tuple[str, int]] = []
        resolving: list[str] = []

        def categorize(index: int, label: str, f: Field) -> None:
            subgraph = self.subgraphs[index]
            if subgraph.is_fully_external(f):
                return
            resolving.append(label)
            if subgraph.is_shareable(f):
                shareable.append(label)
            else:
                not_shareable.append((label, index))

        for index, source in sources.items():
            label = f'"{self.names[index]}"'
            if source is None:
                for f in self.interface_object_fields(dest, index):
                    categorize(
                        index, f'{label} (through @interfaceObject field "{f.coordinate}")', f
                    )
                continue
            if context.overridden(index):
                continue
            categorize(index, label, source)
        if not_shareable and (shareable or len(not_shareable) > 1):
            which = _subgraph_list([n for n, _ in not_shareable]) if shareable else "all of them"
            extra = ""
            unknown = next((n for n, i in not_shareable if i in context.unknown_target), None)
            if unknown is not None:
                extra = (
                    f' (please note that "{dest.coordinate}" has an @override directive in '
                    f"{unknown} that targets an unknown subgraph so this could be due to "
                    "misspelling the @override(from:) argument)"
                )
            self.error(
                "INVALID_FIELD_SHARING",
                f'Non-shareable field "{dest.coordinate}" is resolved from multiple subgraphs: it '
                f"is resolved from {_subgraph_list(resolving)} and defined as non-shareable in "
                f"{which}{extra}",
                subgraphs=[n.split('"')[1] for n in resolving],
                coordinate=dest.coordinate,
            )

    # -- arguments ---------------------------------------------------------------------------

    def add_arguments_shallow(self, sources: Sources[Field], dest: Field) -> None:
        names: list[str] = []
        for source in sources.values():
            for name in source.args if source else ():
                if name not in names:
                    names.append(name)
        for name in names:
            arg = InputValue(name, "", dest.coordinate)
            dest.args[name] = arg
            present = [s for s in sources.values() if s is not None]
            if all(name in s.args for s in present):
                continue
            required = [
                self.names[i]
                for i, s in sources.items()
                if s is not None and name in s.args and s.args[name].required
            ]
            missing = [
                self.names[i] for i, s in sources.items() if s is not None and name not in s.args
            ]
            if required:
                self.error(
                    "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
                    f'Argument "{arg.coordinate}" is required in some subgraphs but does not '
                    f"appear in all subgraphs: it is required in {subgraph_names(required)} but "
                    f"does not appear in {subgraph_names(missing)}",
                    subgraphs=[*required, *missing],
                    coordinate=arg.coordinate,
                )
            else:
                self.hint(
                    "INCONSISTENT_ARGUMENT_PRESENCE",
                    f'Optional argument "{arg.coordinate}" will not be included in the supergraph '
                    "as it does not appear in all subgraphs.",
                    subgraphs=[self.names[i] for i, s in sources.items() if s is not None],
                    coordinate=arg.coordinate,
                )
            del dest.args[name]

    def merge_argument(self, sources: Sources[InputValue], dest: InputValue) -> None:
        self.merge_description(sources, dest)  # type: ignore[arg-type]
        self.record_applied_directives(sources, dest)  # type: ignore[attr-defined]
        self.merge_type_reference(sources, dest, input_position=True)
        self.merge_default_value(sources, dest, "Argument")

    # -- @join__field ------------------------------------------------------------------------

    def needs_join_field(
        self, sources: Sources[Field], parent: str, all_equal: bool, context: FieldMergeContext
    ) -> bool:
        if not all_equal or context.used_overridden or context.labels:
            return True
        for index, source in sources.items():
            if source is not None and index not in context.unused_overridden:
                subgraph = self.subgraphs[index]
                if (
                    self.is_external(index, source)
                    or subgraph.has(source, "provides")
                    or subgraph.has(source, "requires")
                ):
                    return True
            elif parent in self.subgraphs[index].schema.types:
                return True
        return False

    def add_join_field(
        self,
        sources: Sources[Field],
        dest: Field,
        all_equal: bool,
        context: FieldMergeContext,
    ) -> None:
        if not self.needs_join_field(sources, dest.parent, all_equal, context):
            return
        for index, source in sources.items():
            label = context.labels.get(index)
            if source is None or (index in context.unused_overridden and not label):
                continue
            subgraph = self.subgraphs[index]
            overrides = subgraph.applied(source, "override")
            dest.directives.append(
                join.join_directive(
                    join.JOIN_FIELD,
                    graph=self.graph[index],
                    requires=_field_set_of(subgraph.applied(source, "requires")),
                    provides=_field_set_of(subgraph.applied(source, "provides")),
                    type=None if all_equal else source.type,
                    external=True if self.is_external(index, source) else None,
                    override=overrides[-1].arg("from") if overrides else None,
                    usedOverridden=True if index in context.used_overridden else None,
                    overrideLabel=label,
                )
            )


def _field_set_of(applications: list[Directive]) -> str | None:
    return fields_arg(applications[0]) if applications else None


def _subgraph_list(labels: list[str]) -> str:
    if len(labels) == 1:
        return f"subgraph {labels[0]}"
    return "subgraphs " + human_list(labels)
