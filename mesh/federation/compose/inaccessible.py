"""``@inaccessible`` rules: hiding elements must leave a valid API schema.

A visible field, argument or input field cannot have a hidden type (``REFERENCED_INACCESSIBLE``);
the query root cannot be hidden; a visible type cannot have only hidden fields, values or
members (``ONLY_INACCESSIBLE_CHILDREN``); a hidden field or argument cannot implement a visible
interface one (``IMPLEMENTED_BY_INACCESSIBLE``); required arguments and input fields cannot be
hidden (``REQUIRED_INACCESSIBLE``); default values cannot use hidden enum values or input fields
(``DEFAULT_VALUE_USES_INACCESSIBLE``).
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import EnumValueNode, ListValueNode, ObjectValueNode, ValueNode

from mesh.federation.compose.errors import Reporter
from mesh.federation.compose.model import (
    EnumValue,
    Field,
    InputValue,
    NamedType,
    Schema,
    base_type,
    is_list,
    list_item,
    nullable,
)


def check_inaccessible(schema: Schema, inaccessible: str | None, reporter: Reporter) -> None:
    if inaccessible is None:
        return
    _Checker(schema, inaccessible, reporter).run()


class _Checker:
    def __init__(self, schema: Schema, name: str, reporter: Reporter) -> None:
        self.schema = schema
        self.name = name
        self.reporter = reporter

    def hidden(self, element: NamedType | Field | InputValue | EnumValue) -> bool:
        return any(d.name == self.name for d in element.directives)

    def visible_type(self, type_name: str) -> bool:
        t = self.schema.types.get(type_name)
        return t is None or not self.hidden(t)

    def error(self, code: str, message: str, coordinate: str) -> None:
        self.reporter.error(code, message, coordinate=coordinate)

    def run(self) -> None:
        default_users = self._default_value_users()
        for named in self.schema.types.values():
            if self.hidden(named):
                self._hidden_type(named)
                continue
            self._only_hidden_children(named)
            if named.kind in ("object", "interface"):
                self._fields(named)
            elif named.kind == "input":
                self._input_fields(named, default_users)
            elif named.kind == "enum":
                for value in named.values.values():
                    if self.hidden(value):
                        self._used_in_defaults(value.coordinate, "Enum value", default_users)
        for definition in self.schema.directive_definitions.values():
            for arg in definition.args.values():
                if self.hidden(arg) and arg.required:
                    self.error(
                        "REQUIRED_INACCESSIBLE",
                        f'Argument "{arg.coordinate}" is @inaccessible but is a required argument '
                        "of its directive.",
                        arg.coordinate,
                    )

    def _referencers(self, type_name: str) -> Iterator[tuple[str, bool]]:
        """(coordinate, in API schema) of fields, arguments and input fields using the type."""
        for named in self.schema.types.values():
            parent_visible = not self.hidden(named)
            for f in named.fields.values():
                if base_type(f.type) == type_name:
                    yield f.coordinate, parent_visible and not self.hidden(f)
                for arg in f.args.values():
                    if base_type(arg.type) == type_name:
                        visible = parent_visible and not self.hidden(f) and not self.hidden(arg)
                        yield arg.coordinate, visible
            for value in named.input_fields.values():
                if base_type(value.type) == type_name:
                    yield value.coordinate, parent_visible and not self.hidden(value)
        for definition in self.schema.directive_definitions.values():
            for arg in definition.args.values():
                if base_type(arg.type) == type_name:
                    yield arg.coordinate, not self.hidden(arg)

    def _hidden_type(self, named: NamedType) -> None:
        for coordinate, visible in self._referencers(named.name):
            if visible:
                self.error(
                    "REFERENCED_INACCESSIBLE",
                    f'Type "{named.name}" is @inaccessible but is referenced by "{coordinate}", '
                    "which is in the API schema.",
                    named.name,
                )
        if self.schema.roots.get("query") == named.name:
            self.error(
                "QUERY_ROOT_TYPE_INACCESSIBLE",
                f'Type "{named.name}" is @inaccessible but is the root query type, which must be '
                "in the API schema.",
                named.name,
            )

    def _only_hidden_children(self, named: NamedType) -> None:
        if named.kind in ("object", "interface", "input"):
            children: list[Field] | list[InputValue] = (
                list(named.input_fields.values())
                if named.kind == "input"
                else list(named.fields.values())
            )
            what = "input fields" if named.kind == "input" else "fields"
            empty = all(self.hidden(c) for c in children)
        elif named.kind == "union":
            empty = all(not self.visible_type(m) for m in named.members)
            what = "members"
        elif named.kind == "enum":
            empty = all(self.hidden(v) for v in named.values.values())
            what = "values"
        else:
            return
        if empty:
            self.error(
                "ONLY_INACCESSIBLE_CHILDREN",
                f'Type "{named.name}" is in the API schema but all of its {what} are '
                "@inaccessible.",
                named.name,
            )

    def _fields(self, named: NamedType) -> None:
        interfaces = [self.schema.types[i] for i in named.interfaces if i in self.schema.types]
        implementers = [
            t
            for t in self.schema.types.values()
            if named.kind == "interface" and named.name in t.interfaces
        ]
        for f in named.fields.values():
            if self.hidden(f):
                for interface in interfaces:
                    implemented = interface.fields.get(f.name)
                    if implemented is not None and self._in_api(interface, implemented):
                        self.error(
                            "IMPLEMENTED_BY_INACCESSIBLE",
                            f'Field "{f.coordinate}" is @inaccessible but implements the interface '
                            f'field "{implemented.coordinate}", which is in the API schema.',
                            f.coordinate,
                        )
                continue
            for arg in f.args.values():
                if not self.hidden(arg):
                    continue
                if arg.required:
                    self.error(
                        "REQUIRED_INACCESSIBLE",
                        f'Argument "{arg.coordinate}" is @inaccessible but is a required argument '
                        "of its field.",
                        arg.coordinate,
                    )
                for implementer in implementers:
                    other = implementer.fields.get(f.name)
                    other_arg = other.args.get(arg.name) if other else None
                    if (
                        other is not None
                        and other_arg is not None
                        and other_arg.required
                        and self._in_api(implementer, other, other_arg)
                    ):
                        self.error(
                            "REQUIRED_INACCESSIBLE",
                            f'Argument "{arg.coordinate}" is @inaccessible but is implemented by '
                            f'the required argument "{other_arg.coordinate}", which is in the API '
                            "schema.",
                            arg.coordinate,
                        )
                for interface in interfaces:
                    implemented_field = interface.fields.get(f.name)
                    implemented_arg = (
                        implemented_field.args.get(arg.name) if implemented_field else None
                    )
                    if (
                        implemented_field is not None
                        and implemented_arg is not None
                        and self._in_api(interface, implemented_field, implemented_arg)
                    ):
                        self.error(
                            "IMPLEMENTED_BY_INACCESSIBLE",
                            f'Argument "{arg.coordinate}" is @inaccessible but implements the '
                            f'interface argument "{implemented_arg.coordinate}", which is in the '
                            "API schema.",
                            arg.coordinate,
                        )

    def _in_api(self, named: NamedType, *elements: Field | InputValue) -> bool:
        return not self.hidden(named) and not any(self.hidden(e) for e in elements)

    def _input_fields(
        self, named: NamedType, default_users: dict[str, list[tuple[str, bool]]]
    ) -> None:
        for value in named.input_fields.values():
            if not self.hidden(value):
                continue
            if value.required:
                self.error(
                    "REQUIRED_INACCESSIBLE",
                    f'Input field "{value.coordinate}" is @inaccessible but is a required input '
                    "field of its type.",
                    value.coordinate,
                )
            self._used_in_defaults(value.coordinate, "Input field", default_users)

    def _used_in_defaults(
        self, coordinate: str, what: str, default_users: dict[str, list[tuple[str, bool]]]
    ) -> None:
        for user, visible in default_users.get(coordinate, []):
            if visible:
                self.error(
                    "DEFAULT_VALUE_USES_INACCESSIBLE",
                    f'{what} "{coordinate}" is @inaccessible but is used in the default value of '
                    f'"{user}", which is in the API schema.',
                    coordinate,
                )

    def _default_value_users(self) -> dict[str, list[tuple[str, bool]]]:
        """Enum value / input field coordinate -> (argument or input field using it, visible)."""
        users: dict[str, list[tuple[str, bool]]] = {}
        for named in self.schema.types.values():
            parent_visible = not self.hidden(named)
            for f in named.fields.values():
                for arg in f.args.values():
                    visible = parent_visible and not self.hidden(f) and not self.hidden(arg)
                    for used in self._references(arg.default, arg.type):
                        users.setdefault(used, []).append((arg.coordinate, visible))
            for value in named.input_fields.values():
                visible = parent_visible and not self.hidden(value)
                for used in self._references(value.default, value.type):
                    users.setdefault(used, []).append((value.coordinate, visible))
        return users

    def _references(self, value: ValueNode | None, type_ref: str) -> Iterator[str]:
        if value is None:
            return
        ref = nullable(type_ref)
        if is_list(ref):
            items = value.values if isinstance(value, ListValueNode) else (value,)
            for item in items:
                yield from self._references(item, list_item(ref))
            return
        target = self.schema.types.get(ref)
        if target is None:
            return
        if target.kind == "enum" and isinstance(value, EnumValueNode):
            yield f"{target.name}.{value.value}"
        elif target.kind == "input" and isinstance(value, ObjectValueNode):
            for object_field in value.fields:
                input_field = target.input_fields.get(object_field.name.value)
                if input_field is not None:
                    yield input_field.coordinate
                    yield from self._references(object_field.value, input_field.type)
