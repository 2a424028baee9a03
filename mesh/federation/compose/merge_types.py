"""Merging what is not an object field: type references, descriptions, defaults, unions, enums,
input objects, implemented interfaces and the ``@join__type`` of every type.

The rules are Apollo's: an output field takes the most general type any subgraph gives it and
an input position the most specific; input objects keep only the fields every subgraph has (a
required one missing somewhere is an error); enums used only as input keep common values, only
as output all values, and both ways must agree.
"""

from __future__ import annotations

from graphql import ValueNode, print_ast

from mesh.federation.compose import join
from mesh.federation.compose.errors import subgraph_names
from mesh.federation.compose.merge_state import EnumUsage, MergeState, Sources
from mesh.federation.compose.model import (
    EnumValue,
    Field,
    InputValue,
    NamedType,
    base_type,
    is_list,
    is_non_null,
    list_item,
    same_value,
)

Described = NamedType | Field | InputValue | EnumValue


class TypeMerging(MergeState):
    # -- descriptions ------------------------------------------------------------------------

    def merge_description(self, sources: Sources[Described], dest: Described) -> None:
        descriptions: list[str] = []
        counts: list[int] = []
        for source in sources.values():
            if source is None or source.description is None:
                continue
            if source.description in descriptions:
                counts[descriptions.index(source.description)] += 1
            else:
                descriptions.append(source.description)
                counts.append(-(10**9) if source.description == "" else 1)
        if not descriptions:
            return
        non_empty = [d for d in descriptions if d != ""]
        if len(descriptions) == 1:
            dest.description = descriptions[0]
        elif len(non_empty) == 1:
            dest.description = non_empty[0]
        else:
            dest.description = descriptions[counts.index(max(counts))]
            self.hint(
                "INCONSISTENT_DESCRIPTION",
                f'Element "{dest.coordinate}" has inconsistent descriptions across subgraphs.',
                subgraphs=self.defined_in(sources),
                coordinate=dest.coordinate,
            )

    # -- types of fields and arguments -----------------------------------------------------

    def is_strict_subtype(self, general: str, specific: str) -> bool:
        """Whether ``specific`` is a strict subtype of ``general`` (Apollo's default rules)."""
        if is_non_null(specific):
            if is_non_null(general):
                return self.is_subtype(general[:-1], specific[:-1])
            return self.is_subtype(general, specific[:-1])
        if is_list(specific):
            return (
                is_list(general)
                and not is_non_null(general)
                and self.is_subtype(list_item(general), list_item(specific))
            )
        if is_list(general) or is_non_null(general):
            return False
        general_type = self.merged.types.get(general)
        specific_type = self.merged.types.get(specific)
        if general_type is None or specific_type is None:
            return False
        if specific_type.kind not in ("object", "interface"):
            return False
        if general_type.kind == "union":
            return specific_type.kind == "object" and specific in general_type.members
        if general_type.kind == "interface":
            return general in specific_type.interfaces
        return False

    def is_subtype(self, general: str, specific: str) -> bool:
        return general == specific or self.is_strict_subtype(general, specific)

    def merge_type_reference(
        self,
        sources: Sources[Field] | Sources[InputValue],
        dest: Field | InputValue,
        *,
        input_position: bool = False,
    ) -> bool:
        """Set ``dest.type``; ``True`` when every subgraph agrees exactly."""
        dest_type: str | None = None
        has_subtypes = False
        incompatible = False
        for source in sources.values():
            if source is None:
                continue
            if dest_type is None or dest_type == source.type:
                dest_type = source.type
            elif self.is_strict_subtype(dest_type, source.type):
                has_subtypes = True
                if input_position:
                    dest_type = source.type
            elif self.is_strict_subtype(source.type, dest_type):
                has_subtypes = True
                if not input_position:
                    dest_type = source.type
            else:
                incompatible = True
        assert dest_type is not None
        dest.type = dest_type
        is_argument = isinstance(dest, InputValue) and "(" in dest.coordinate
        self._record_enum_usage(dest, sources, input_position)
        kind = "argument" if is_argument else "field"
        if incompatible:
            code = "FIELD_ARGUMENT_TYPE_MISMATCH" if is_argument else "FIELD_TYPE_MISMATCH"
            self.mismatch_error(
                code,
                f'Type of {kind} "{dest.coordinate}" is incompatible across subgraphs: it has ',
                sources,
                lambda s: f'type "{s.type}"',
                f'type "{dest.type}"',
                dest.coordinate,
            )
            return False
        if has_subtypes:
            code = (
                "INCONSISTENT_BUT_COMPATIBLE_ARGUMENT_TYPE"
                if is_argument
                else "INCONSISTENT_BUT_COMPATIBLE_FIELD_TYPE"
            )
            groups = self.distribution(sources, lambda s: s.type)
            other = "supertype" if input_position else "subtype"
            text = self.mismatch_text(
                groups,
                dest.type,
                lambda v, s: (
                    f'will use type "{v}" (from {s}) in supergraph but "{dest.coordinate}" has '
                ),
                lambda v, s: f'{other} "{v}" in {s}',
            )
            self.hint(
                code,
                f'Type of {kind} "{dest.coordinate}" is inconsistent but compatible across '
                f"subgraphs: {text}.",
                subgraphs=self.defined_in(sources),
                coordinate=dest.coordinate,
            )
            return False
        return True

    def _record_enum_usage(
        self,
        dest: Field | InputValue,
        sources: Sources[Field] | Sources[InputValue],
        input_position: bool,
    ) -> None:
        base = base_type(dest.type)
        target = self.merged.types.get(base)
        if target is None or target.kind != "enum":
            return
        position = "Input" if input_position else "Output"
        existing = self.enum_usages.get(base)
        if existing is None:
            existing = self.enum_usages[base] = EnumUsage(position)
        elif existing.position != position:
            existing.position = "Both"
        if position not in existing.examples:
            first = next((s for s in sources.values() if s is not None), None)
            if first is not None:
                existing.examples[position] = first.coordinate

    # -- default values ----------------------------------------------------------------------

    def merge_default_value(
        self, sources: Sources[InputValue], dest: InputValue, kind: str
    ) -> None:
        dest_default: ValueNode | None = None
        seen = inconsistent = incompatible = False
        for source in sources.values():
            if source is None:
                continue
            if dest_default is None:
                dest_default = source.default
                if seen and source.default is not None:
                    inconsistent = True
            elif not same_value(dest_default, source.default):
                inconsistent = True
                if source.default is not None:
                    incompatible = True
            seen = True
        if not inconsistent or incompatible:
            dest.default = dest_default
        if incompatible:
            code = (
                "FIELD_ARGUMENT_DEFAULT_MISMATCH"
                if kind == "Argument"
                else "INPUT_FIELD_DEFAULT_MISMATCH"
            )
            self.mismatch_error(
                code,
                f'{kind} "{dest.coordinate}" has incompatible default values across subgraphs: '
                "it has ",
                sources,
                _default_text,
                _default_text(dest),
                dest.coordinate,
            )
        elif inconsistent:
            self.hint(
                "INCONSISTENT_DEFAULT_VALUE_PRESENCE",
                f'{kind} "{dest.coordinate}" has a default value in only some subgraphs.',
                subgraphs=self.defined_in(sources),
                coordinate=dest.coordinate,
            )

    # -- type-level join ----------------------------------------------------------------------

    def check_extension_with_no_base(self, sources: Sources[NamedType], dest: NamedType) -> None:
        if dest.kind == "object" and dest.name in self.merged.roots.values():
            return
        definitions = [i for i, s in sources.items() if s is not None and s.has_definition]
        extensions = [i for i, s in sources.items() if s is not None and s.extensions > 0]
        if extensions and not definitions:
            for index in extensions:
                name = self.names[index]
                self.error(
                    "EXTENSION_WITH_NO_BASE",
                    f'[{name}] Type "{dest.name}" is an extension type, but there is no type '
                    f'definition for "{dest.name}" in any subgraph.',
                    subgraphs=(name,),
                    coordinate=dest.name,
                )

    def add_join_type(self, sources: Sources[NamedType], dest: NamedType) -> None:
        for index, source in sources.items():
            if source is None:
                continue
            subgraph = self.subgraphs[index]
            interface_object = True if subgraph.is_interface_object(source.name) else None
            keys = subgraph.applied(source, "key")
            graph = self.graph[index]
            if not keys:
                dest.directives.append(
                    join.join_directive(
                        join.JOIN_TYPE, graph=graph, isInterfaceObject=interface_object
                    )
                )
                continue
            extends = subgraph.has(source, "extends")
            for key in keys:
                extension = True if key.extension is not None or extends else None
                resolvable = key.arg("resolvable")
                dest.directives.append(
                    join.join_directive(
                        join.JOIN_TYPE,
                        graph=graph,
                        key=key.arg("fields") if isinstance(key.arg("fields"), str) else "",
                        extension=extension,
                        resolvable=resolvable if isinstance(resolvable, bool) else None,
                        isInterfaceObject=interface_object,
                    )
                )

    def merge_implements(self, sources: Sources[NamedType], dest: NamedType) -> None:
        implemented: list[str] = []
        for index, source in sources.items():
            if source is None:
                continue
            for interface in source.interfaces:
                if interface not in implemented:
                    implemented.append(interface)
                dest.directives.append(
                    join.join_directive(
                        join.JOIN_IMPLEMENTS, graph=self.graph[index], interface=interface
                    )
                )
        dest.interfaces = implemented

    # -- unions ------------------------------------------------------------------------------

    def merge_union(self, sources: Sources[NamedType], dest: NamedType) -> None:
        for source in sources.values():
            for member in source.members if source else ():
                if member not in dest.members:
                    dest.members.append(member)
        for member in dest.members:
            for index, source in sources.items():
                if source is not None and member in source.members:
                    dest.directives.append(
                        join.join_directive(
                            join.JOIN_UNION_MEMBER, graph=self.graph[index], member=member
                        )
                    )
            if any(s is not None and member not in s.members for s in sources.values()):
                self.hint(
                    "INCONSISTENT_UNION_MEMBER",
                    f'Union type "{dest.name}" includes member type "{member}" in some but not '
                    "all defining subgraphs.",
                    subgraphs=self.defined_in(sources),
                    coordinate=dest.name,
                )

    # -- enums -------------------------------------------------------------------------------

    def merge_enum(self, sources: Sources[NamedType], dest: NamedType) -> None:
        usage = self.enum_usages.get(dest.name)
        if usage is None:
            usage = EnumUsage("Output")
            self.hint(
                "UNUSED_ENUM_TYPE",
                f'Enum type "{dest.name}" is defined but unused. It will be included in the '
                'supergraph with all the values appearing in any subgraph ("as if" it was only '
                "used as an output type).",
                coordinate=dest.name,
            )
        for source in sources.values():
            for value in source.values.values() if source else ():
                if value.name not in dest.values:
                    dest.values[value.name] = EnumValue(value.name, dest.name)
        for value in list(dest.values.values()):
            self.merge_enum_value(sources, dest, value, usage)
        if not dest.values:
            self.error(
                "EMPTY_MERGED_ENUM_TYPE",
                f'None of the values of enum type "{dest.name}" are defined consistently in all '
                "the subgraphs defining that type. As only values common to all subgraphs are "
                "merged, this would result in an empty type.",
                subgraphs=self.defined_in(sources),
                coordinate=dest.name,
            )

    def merge_enum_value(
        self, sources: Sources[NamedType], dest: NamedType, value: EnumValue, usage: EnumUsage
    ) -> None:
        value_sources: Sources[EnumValue] = {
            i: (s.values.get(value.name) if s else None) for i, s in sources.items()
        }
        self.merge_description(value_sources, value)  # type: ignore[arg-type]
        self.record_applied_directives(value_sources, value)  # type: ignore[attr-defined]
        for index, source in value_sources.items():
            if source is not None:
                value.directives.append(
                    join.join_directive(join.JOIN_ENUM_VALUE, graph=self.graph[index])
                )
        missing = [
            self.names[i]
            for i, s in sources.items()
            if s is not None and value.name not in s.values
        ]
        inaccessible = self.is_inaccessible(value)  # type: ignore[attr-defined]
        if not inaccessible and usage.position != "Output" and missing:
            if usage.position == "Both":
                present = [
                    self.names[i]
                    for i, s in sources.items()
                    if s is not None and value.name in s.values
                ]
                self.error(
                    "ENUM_VALUE_MISMATCH",
                    f'Enum type "{dest.name}" is used as both input type (for example, as type of '
                    f'"{usage.examples.get("Input")}") and output type (for example, as type of '
                    f'"{usage.examples.get("Output")}"), but value "{value.name}" is not defined '
                    f'in all the subgraphs defining "{dest.name}": "{value.name}" is defined in '
                    f"{subgraph_names(present)} but not in {subgraph_names(missing)}",
                    subgraphs=[*present, *missing],
                    coordinate=value.coordinate,
                )
            else:
                present = [
                    self.names[i]
                    for i, s in sources.items()
                    if s is not None and value.name in s.values
                ]
                self.hint(
                    "INCONSISTENT_ENUM_VALUE_FOR_INPUT_ENUM",
                    f'Value "{value.name}" of enum type "{dest.name}" will not be part of the '
                    "supergraph as it is not defined in all the subgraphs defining "
                    f'"{dest.name}": "{value.name}" is defined in {subgraph_names(present)} but '
                    f"not in {subgraph_names(missing)}.",
                    subgraphs=[*present, *missing],
                    coordinate=value.coordinate,
                )
                del dest.values[value.name]
        elif usage.position == "Output" and missing:
            self.hint(
                "INCONSISTENT_ENUM_VALUE_FOR_OUTPUT_ENUM",
                f'Value "{value.name}" of enum type "{dest.name}" has been added to the '
                "supergraph but is only defined in a subset of the subgraphs defining "
                f'"{dest.name}".',
                subgraphs=self.defined_in(sources),
                coordinate=value.coordinate,
            )

    # -- input objects -------------------------------------------------------------------------

    def merge_input(self, sources: Sources[NamedType], dest: NamedType) -> None:
        names: list[str] = []
        for source in sources.values():
            for name in source.input_fields if source else ():
                if name not in names:
                    names.append(name)
        having = {i: s for i, s in sources.items() if dest.name in self.subgraphs[i].schema.types}
        for name in names:
            field_sources: Sources[InputValue] = {
                i: (s.input_fields.get(name) if s is not None else None) for i, s in having.items()
            }
            dest_field = InputValue(name, "", dest.name)
            dest.input_fields[name] = dest_field
            self.merge_description(field_sources, dest_field)  # type: ignore[arg-type]
            self.record_applied_directives(field_sources, dest_field)  # type: ignore[attr-defined]
            all_equal = self.merge_type_reference(field_sources, dest_field, input_position=True)
            self.add_input_join_fields(field_sources, dest_field, all_equal)
            self.merge_default_value(field_sources, dest_field, "Input field")
            missing = [self.names[i] for i, f in field_sources.items() if f is None]
            if self.is_inaccessible(dest_field) or not missing:  # type: ignore[attr-defined]
                continue
            required = [
                self.names[i] for i, f in field_sources.items() if f is not None and f.required
            ]
            if required:
                self.error(
                    "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
                    f'Input object field "{dest_field.coordinate}" is required in some subgraphs '
                    f"but does not appear in all subgraphs: it is required in "
                    f"{subgraph_names(required)} but does not appear in {subgraph_names(missing)}",
                    subgraphs=[*required, *missing],
                    coordinate=dest_field.coordinate,
                )
            else:
                self.hint(
                    "INCONSISTENT_INPUT_OBJECT_FIELD",
                    f'Input object field "{name}" will not be added to "{dest.name}" in the '
                    "supergraph as it does not appear in all subgraphs.",
                    subgraphs=self.defined_in(field_sources),
                    coordinate=dest_field.coordinate,
                )
            del dest.input_fields[name]
        if not dest.input_fields:
            self.error(
                "EMPTY_MERGED_INPUT_TYPE",
                f'None of the fields of input object type "{dest.name}" are consistently defined '
                "in all the subgraphs defining that type. As only fields common to all "
                "subgraphs are merged, this would result in an empty type.",
                subgraphs=self.defined_in(sources),
                coordinate=dest.name,
            )

    def add_input_join_fields(
        self, sources: Sources[InputValue], dest: InputValue, all_equal: bool
    ) -> None:
        if all_equal and all(s is not None for s in sources.values()):
            return
        for index, source in sources.items():
            if source is not None:
                dest.directives.append(
                    join.join_directive(
                        join.JOIN_FIELD,
                        graph=self.graph[index],
                        type=None if all_equal else source.type,
                    )
                )


def _default_text(value: InputValue) -> str:
    return (
        "no default value" if value.default is None else f"default value {print_ast(value.default)}"
    )
