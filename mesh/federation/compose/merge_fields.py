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
from mesh.federation.compose.merge_state import FieldMergeContext, Sources
from mesh.federation.compose.merge_types import TypeMerging
from mesh.federation.compose.model import Field, InputValue, NamedType
from mesh.federation.compose.subgraph import fields_arg

_LABEL = re.compile(r"^[a-zA-Z][a-zA-Z0-9_\-:./]*$")
_PERCENT = re.compile(r"^percent\((\d{1,2}(\.\d{1,8})?|100)\)$")


class FieldMerging(TypeMerging):
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

    def interface_object_fields(self, dest: Field, index: int) -> list[Field]:
        """Fields of @interfaceObject types standing, in subgraph ``index``, for ``dest``."""
        parent = self.merged.types.get(dest.parent)
        subgraph = self.subgraphs[index]
        if parent is None or parent.kind != "object" or dest.parent in subgraph.schema.types:
            return []
        found: list[Field] = []
        for interface in parent.interfaces:
            interface_type = self.merged.types.get(interface)
            if interface_type is None or dest.name not in interface_type.fields:
                continue
            local = subgraph.schema.types.get(interface)
            if local is not None and local.kind == "object" and dest.name in local.fields:
                found.append(local.fields[dest.name])
        return found

    def provided_by_interface_object(self, field_name: str, interface: str) -> bool:
        for subgraph in self.subgraphs:
            local = subgraph.schema.types.get(interface)
            if local is None or not subgraph.is_interface_object(interface):
                continue
            f = local.fields.get(field_name)
            if f is not None and not subgraph.is_external(f):
                return True
        return False

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
                self.validate_subscription_field(field_sources)
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

    def validate_subscription_field(self, sources: Sources[Field]) -> None:
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
            )

    # -- @override ---------------------------------------------------------------------------

    def validate_override(self, sources: Sources[Field], dest: Field) -> FieldMergeContext:
        context = FieldMergeContext()
        if dest.coordinate not in self.fields_with_override:
            return context
        overriding: dict[str, int] = {}
        present: dict[str, int] = {}
        abstracted: dict[str, list[Field]] = {}
        for index, source in sources.items():
            name = self.names[index]
            if source is None:
                fields = self.interface_object_fields(dest, index)
                if fields:
                    abstracted[name] = fields
                continue
            present[name] = index
            if self.subgraphs[index].applied(source, "override"):
                overriding[name] = index
        for name, index in overriding.items():
            source = sources[index]
            assert source is not None
            subgraph = self.subgraphs[index]
            directive = subgraph.applied(source, "override")[0]
            parent = subgraph.schema.types[source.parent]
            if parent.kind == "interface":
                self.error(
                    "OVERRIDE_ON_INTERFACE",
                    f'@override cannot be used on field "{dest.coordinate}" on subgraph "{name}": '
                    "@override is not supported on interface type fields.",
                    subgraphs=(name,),
                    coordinate=dest.coordinate,
                )
                continue
            if subgraph.is_interface_object(parent.name):
                self.error(
                    "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
                    "@override is not yet supported on fields of @interfaceObject types: cannot "
                    f'be used on field "{dest.coordinate}" on subgraph "{name}".',
                    subgraphs=(name,),
                    coordinate=dest.coordinate,
                )
                continue
            source_name = directive.arg("from")
            if source_name not in self.names:
                context.unknown_target.add(index)
                self.hint(
                    "FROM_SUBGRAPH_DOES_NOT_EXIST",
                    f'Source subgraph "{source_name}" for field "{dest.coordinate}" on subgraph '
                    f'"{name}" does not exist.',
                    subgraphs=(name,),
                    coordinate=dest.coordinate,
                )
            elif source_name == name:
                self.error(
                    "OVERRIDE_FROM_SELF_ERROR",
                    f'Source and destination subgraphs "{name}" are the same for overridden field '
                    f'"{dest.coordinate}"',
                    subgraphs=(name,),
                    coordinate=dest.coordinate,
                )
            elif source_name in overriding:
                self.error(
                    "OVERRIDE_SOURCE_HAS_OVERRIDE",
                    f'Field "{dest.coordinate}" on subgraph "{name}" is also marked with '
                    f'directive @override in subgraph "{source_name}". Only one @override '
                    "directive is allowed per field.",
                    subgraphs=(name, source_name),
                    coordinate=dest.coordinate,
                )
            elif source_name in abstracted:
                self.error(
                    "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
                    f'Invalid @override on field "{dest.coordinate}" of subgraph "{name}": source '
                    f'subgraph "{source_name}" does not have field "{dest.coordinate}" but '
                    "abstract it in an @interfaceObject type and overriding abstracted fields is "
                    "not supported.",
                    subgraphs=(name, source_name),
                    coordinate=dest.coordinate,
                )
            elif source_name not in present:
                self.hint(
                    "OVERRIDE_DIRECTIVE_CAN_BE_REMOVED",
                    f'Field "{dest.coordinate}" on subgraph "{name}" no longer exists in the from '
                    "subgraph. The @override directive can be removed.",
                    subgraphs=(name,),
                    coordinate=dest.coordinate,
                )
            else:
                self._override_from(
                    context, sources, dest, index, present[source_name], directive.arg("label")
                )
        return context

    def _override_from(
        self,
        context: FieldMergeContext,
        sources: Sources[Field],
        dest: Field,
        index: int,
        from_index: int,
        label: object,
    ) -> None:
        name, from_name = self.names[index], self.names[from_index]
        from_subgraph = self.subgraphs[from_index]
        from_field = sources[from_index]
        assert from_field is not None
        conflict = next(
            (d for d in ("requires", "provides") if from_subgraph.has(from_field, d)), None
        )
        conflict_subgraph = from_name
        own = sources[index]
        if conflict is None and own is not None and self.is_external(index, own):
            conflict, conflict_subgraph = "external", name
        if conflict is not None:
            self.error(
                "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
                f'@override cannot be used on field "{from_field.coordinate}" on subgraph '
                f'"{name}" since "{from_field.coordinate}" on "{conflict_subgraph}" is marked '
                f'with directive "@{conflict}"',
                subgraphs=(name, from_name),
                coordinate=dest.coordinate,
            )
            return
        referenced = from_subgraph.is_used(from_field)
        if self.is_external(from_index, from_field):
            self.hint(
                "OVERRIDE_DIRECTIVE_CAN_BE_REMOVED",
                f'Field "{dest.coordinate}" on subgraph "{name}" is not resolved anymore by the '
                f'from subgraph (it is marked "@external" in "{from_name}"). The @override '
                "directive can be removed.",
                subgraphs=(name,),
                coordinate=dest.coordinate,
            )
        elif referenced:
            context.used_overridden.add(from_index)
            if not label:
                self.hint(
                    "OVERRIDDEN_FIELD_CAN_BE_REMOVED",
                    f'Field "{dest.coordinate}" on subgraph "{from_name}" is overridden. It is '
                    "still used in some federation directive(s) (@key, @requires, and/or "
                    "@provides) and/or to satisfy interface constraint(s), but consider marking "
                    "it @external explicitly or removing it along with its references.",
                    subgraphs=(from_name,),
                    coordinate=dest.coordinate,
                )
        else:
            context.unused_overridden.add(from_index)
            if not label:
                self.hint(
                    "OVERRIDDEN_FIELD_CAN_BE_REMOVED",
                    f'Field "{dest.coordinate}" on subgraph "{from_name}" is overridden. '
                    "Consider removing it.",
                    subgraphs=(from_name,),
                    coordinate=dest.coordinate,
                )
        if not label:
            return
        valid = isinstance(label, str) and (
            bool(_LABEL.match(label))
            or bool((m := _PERCENT.match(label)) and 0 <= float(m.group(1)) <= 100)
        )
        if valid:
            assert isinstance(label, str)
            context.labels[index] = label
            context.labels[from_index] = label
        else:
            self.error(
                "OVERRIDE_LABEL_INVALID",
                f'Invalid @override label "{label}" on field "{dest.coordinate}" on subgraph '
                f'"{name}": labels must start with a letter and after that may contain '
                "alphanumerics, underscores, minuses, colons, periods, or slashes. Alternatively, "
                'labels may be of the form "percent(x)" where x is a float between 0-100 '
                "inclusive.",
                subgraphs=(name,),
                coordinate=dest.coordinate,
            )
        self.hint(
            "OVERRIDE_MIGRATION_IN_PROGRESS",
            f'Field "{dest.coordinate}" is currently being migrated with progressive @override.',
            subgraphs=(name, from_name),
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
        basis = without_external if any(s is not None for s in without_external.values()) else sources
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
        from mesh.federation.compose.model import same_value

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
            which = (
                _subgraph_list([n for n, _ in not_shareable]) if shareable else "all of them"
            )
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
            missing = [self.names[i] for i, s in sources.items() if s is not None and name not in s.args]
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

    # -- @interfaceObject ------------------------------------------------------------------------

    def validate_interface_keys(self, sources: Sources[NamedType], dest: NamedType) -> bool:
        implementations = self.merged.possible_runtime_types(dest.name)
        has_key = False
        for index, source in sources.items():
            if source is None or source.kind != "interface":
                continue
            subgraph = self.subgraphs[index]
            keys = subgraph.applied(source, "key")
            has_key = has_key or bool(keys)
            resolvable = next((k for k in keys if k.arg("resolvable") is not False), None)
            if resolvable is None:
                continue
            local = set(subgraph.schema.possible_runtime_types(source.name))
            missing = [t for t in implementations if t not in local]
            if missing:
                name = self.names[index]
                quoted = human_list([f'"{t}"' for t in missing])
                self.error(
                    "INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE",
                    f'[{name}] Interface type "{dest.name}" has a resolvable key '
                    f"({resolvable.printed()}) in subgraph \"{name}\" but that subgraph is missing "
                    f'some of the supergraph implementation types of "{dest.name}". Subgraph '
                    f'"{name}" should define {"type" if len(missing) == 1 else "types"} {quoted} '
                    f'(and have {"it" if len(missing) == 1 else "them"} implement '
                    f'"{dest.name}").',
                    subgraphs=(name,),
                    coordinate=dest.name,
                )
        return has_key

    def validate_interface_objects(self, sources: Sources[NamedType], dest: NamedType) -> None:
        implementations = self.merged.possible_runtime_types(dest.name)
        for index, source in sources.items():
            if source is None or not self.subgraphs[index].is_interface_object(source.name):
                continue
            schema = self.subgraphs[index].schema
            defined = [t for t in implementations if t in schema.types]
            if defined:
                name = self.names[index]
                quoted = human_list([f'"{t}"' for t in defined])
                self.error(
                    "INTERFACE_OBJECT_USAGE_ERROR",
                    f'[{name}] Interface type "{dest.name}" is defined as an @interfaceObject in '
                    f'subgraph "{name}" so that subgraph should not define any of the '
                    f'implementation types of "{dest.name}", but it defines '
                    f'{"type" if len(defined) == 1 else "types"} {quoted}',
                    subgraphs=(name,),
                    coordinate=dest.name,
                )


def _field_set_of(applications: list[object]) -> str | None:
    for application in applications:
        return fields_arg(application)  # type: ignore[arg-type]
    return None


def _subgraph_list(labels: list[str]) -> str:
    if len(labels) == 1:
        return f"subgraph {labels[0]}"
    return "subgraphs " + human_list(labels)
