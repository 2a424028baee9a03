"""``@override(from:, label:)``: a field moving from one subgraph to another.

The source keeps resolving it only while a progressive ``label`` says so, or when it still
needs the field for a ``@key``/``@requires``/``@provides`` of its own (``usedOverridden``).
"""

from __future__ import annotations

import re

from mesh.federation.compose.merge_interfaces import InterfaceMerging
from mesh.federation.compose.merge_state import FieldMergeContext, Sources
from mesh.federation.compose.model import Field

_LABEL = re.compile(r"^[a-zA-Z][a-zA-Z0-9_\-:./]*$")
_PERCENT = re.compile(r"^percent\((\d{1,2}(\.\d{1,8})?|100)\)$")


class OverrideMerging(InterfaceMerging):
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
