"""Federation rules each subgraph must follow on its own, before any merging.

``@key``/``@requires``/``@provides`` selections valid for their type; ``@external`` only where
it means something and always used; ``@key`` on an interface repeated on its implementations;
``@interfaceObject`` only on entities; ``@shareable`` only on object types and not repeated on
one declaration; access-control directives not on interfaces.
"""

from __future__ import annotations

from collections import Counter

from graphql import StringValueNode

from mesh.federation.compose import field_set
from mesh.federation.compose.errors import Reporter, human_list
from mesh.federation.compose.model import Directive, Field, NamedType, Schema, base_type, is_list
from mesh.federation.compose.subgraph import Subgraph


def check_subgraph(subgraph: Subgraph, reporter: Reporter) -> bool:
    """Report every rule ``subgraph`` breaks; ``True`` when it breaks none."""
    before = len(reporter.errors)
    _Rules(subgraph, reporter).run()
    return len(reporter.errors) == before


class _Aborted(Exception):
    pass


class _Rules:
    def __init__(self, subgraph: Subgraph, reporter: Reporter) -> None:
        self.sg = subgraph
        self.schema = subgraph.schema
        self.reporter = reporter

    def error(self, code: str, message: str, coordinate: str) -> None:
        self.reporter.error(
            code, f"[{self.sg.name}] {message}", subgraphs=(self.sg.name,), coordinate=coordinate
        )

    def run(self) -> None:
        self.keys()
        try:
            self.requires_and_provides()
        except _Aborted:
            return  # Apollo stops checking a subgraph at these two errors
        self.externals()
        self.interface_keys()
        self.interface_objects()
        self.shareable()
        self.demand_control()
        self.access_control_on_interfaces()
        self.unsupported()

    def _field_set(
        self,
        directive: Directive,
        spec_name: str,
        type_name: str,
        where: str,
        rules: field_set.FieldSetRules,
    ) -> None:
        prefix = f"On {where}, for {directive.printed()}"
        coordinate = where.split('"')[1]  # `type "T"` or `field "T.f"`
        if not isinstance(directive.args.get("fields"), StringValueNode):
            self.error(
                f"{spec_name.upper()}_INVALID_FIELDS_TYPE",
                f'{prefix}: Invalid value for argument "fields": must be a string.',
                coordinate,
            )
            return
        for problem in field_set.check(
            self.schema, type_name, field_set.fields_arg_of(directive), rules
        ):
            code = problem.code_suffix
            if code != "KEY_FIELDS_SELECT_INVALID_TYPE":
                code = f"{spec_name.upper()}_{code}"
            self.error(code, f"{prefix}: {problem.message}", coordinate)

    def keys(self) -> None:
        allow_on_interface = self.sg.federation_version >= (2, 3)
        rules = field_set.FieldSetRules(
            directive="key",
            allow_arguments=False,
            is_external=self.sg.is_external,
            check_external=False,
            reject_abstract=True,
        )
        for named in self.schema.types.values():
            for key in self.sg.applied(named, "key"):
                if named.kind == "interface" and not allow_on_interface:
                    self.error(
                        "KEY_UNSUPPORTED_ON_INTERFACE",
                        f'Cannot use @key on interface "{named.name}": @key is not yet '
                        "supported on interfaces",
                        named.name,
                    )
                self._field_set(key, "key", named.name, f'type "{named.name}"', rules)

    def requires_and_provides(self) -> None:
        requires_rules = field_set.FieldSetRules(
            directive="requires",
            allow_arguments=True,
            is_external=self.sg.is_external,
            check_external=True,
        )
        provides_rules = field_set.FieldSetRules(
            directive="provides",
            allow_arguments=False,
            is_external=self.sg.is_external,
            check_external=True,
        )
        for named in self.schema.types.values():
            for f in named.fields.values():
                where = f'field "{f.coordinate}"'
                for requires in self.sg.applied(f, "requires"):
                    if named.kind == "interface":
                        self._unsupported_on_interface("requires", f, named)
                    self._field_set(requires, "requires", named.name, where, requires_rules)
                for provides in self.sg.applied(f, "provides"):
                    if named.kind == "interface":
                        self._unsupported_on_interface("provides", f, named)
                    if self.sg.is_external(f):
                        self.error(
                            "EXTERNAL_COLLISION_WITH_ANOTHER_DIRECTIVE",
                            f'Cannot have both @provides and @external on field "{f.coordinate}"',
                            f.coordinate,
                        )
                        raise _Aborted
                    target = self.schema.types.get(base_type(f.type))
                    if target is None or not target.is_composite:
                        self.error(
                            "PROVIDES_ON_NON_OBJECT_FIELD",
                            f'Invalid @provides directive on field "{f.coordinate}": field has '
                            f'type "{f.type}" which is not a Composite Type',
                            f.coordinate,
                        )
                        raise _Aborted
                    self._field_set(provides, "provides", target.name, where, provides_rules)

    def _unsupported_on_interface(self, spec_name: str, f: Field, named: NamedType) -> None:
        self.error(
            f"{spec_name.upper()}_UNSUPPORTED_ON_INTERFACE",
            f'Cannot use @{spec_name} on field "{f.coordinate}" of parent type "{named.name}": '
            f"@{spec_name} is not yet supported within interfaces",
            f.coordinate,
        )

    def externals(self) -> None:
        for named in self.schema.types.values():
            if named.kind not in ("object", "interface"):
                continue
            for f in named.fields.values():
                if not self.sg.is_external(f):
                    continue
                if named.kind == "interface":
                    self.error(
                        "EXTERNAL_ON_INTERFACE",
                        f'Interface type field "{f.coordinate}" is marked @external but '
                        "@external is not allowed on interface fields (it is nonsensical).",
                        f.coordinate,
                    )
        for named in self.schema.types.values():
            if named.kind not in ("object", "interface"):
                continue
            for f in named.fields.values():
                if self.sg.is_external(f) and not self.sg.is_used(f):
                    self.error(
                        "EXTERNAL_UNUSED",
                        f'Field "{f.coordinate}" is marked @external but is not used in any '
                        "federation directive (@key, @provides, @requires) or to satisfy an "
                        "interface; the field declaration has no use and should be removed (or "
                        "the field should not be @external).",
                        f.coordinate,
                    )

    def interface_keys(self) -> None:
        for named in self.schema.types.values():
            if named.kind != "interface":
                continue
            implementations = self.schema.implementations(named.name)
            for key in self.sg.applied(named, "key"):
                fields = _normalized(field_set.fields_arg_of(key))
                resolvable = key.arg("resolvable") is not False
                missing: list[str] = []
                not_resolvable: list[str] = []
                for impl in implementations:
                    match = [
                        k
                        for k in self.sg.applied(impl, "key")
                        if _normalized(field_set.fields_arg_of(k)) == fields
                    ]
                    if not match:
                        missing.append(impl.name)
                    elif resolvable and match[0].arg("resolvable") is False:
                        not_resolvable.append(impl.name)
                if missing:
                    self.error(
                        "INTERFACE_KEY_NOT_ON_IMPLEMENTATION",
                        f'Key {key.printed()} on interface type "{named.name}" is missing on '
                        f"implementation {_types(missing)}.",
                        named.name,
                    )
                elif not_resolvable:
                    self.error(
                        "INTERFACE_KEY_NOT_ON_IMPLEMENTATION",
                        f'Key {key.printed()} on interface type "{named.name}" should be '
                        "resolvable on all implementation types, but is declared with argument "
                        f'"@key(resolvable:)" set to false in {_types(not_resolvable)}.',
                        named.name,
                    )

    def interface_objects(self) -> None:
        for named in self.schema.types.values():
            if self.sg.is_interface_object(named.name) and not self.sg.is_entity(named.name):
                self.error(
                    "INTERFACE_OBJECT_USAGE_ERROR",
                    "The @interfaceObject directive can only be applied to entity types but "
                    f'type "{named.name}" has no @key in this subgraph.',
                    named.name,
                )

    def shareable(self) -> None:
        for named in self.schema.types.values():
            if named.kind == "object":
                self._not_repeated(named.name, self.sg.applied(named, "shareable"), "type")
                for f in named.fields.values():
                    self._not_repeated(f.coordinate, self.sg.applied(f, "shareable"), "field")
            elif named.kind == "interface":
                for f in named.fields.values():
                    if self.sg.has(f, "shareable"):
                        self.error(
                            "INVALID_SHAREABLE_USAGE",
                            f'Invalid use of @shareable on field "{f.coordinate}": only object '
                            "type fields can be marked with @shareable",
                            f.coordinate,
                        )

    def _not_repeated(self, coordinate: str, applications: list[Directive], what: str) -> None:
        per_declaration = Counter(d.extension for d in applications)
        if any(count > 1 for count in per_declaration.values()):
            element = (
                f'the same type declaration of "{coordinate}"'
                if what == "type"
                else f'field "{coordinate}"'
            )
            self.error(
                "INVALID_SHAREABLE_USAGE",
                f"Invalid duplicate application of @shareable on {element}: @shareable is only "
                "repeatable on types so it can be used simultaneously on a type definition and "
                "its extensions, but it should not be duplicated on the same "
                "definition/extension declaration",
                coordinate,
            )

    def demand_control(self) -> None:
        """@cost never on interface fields; @listSize only on lists, with valid arguments."""
        for named in self.schema.types.values():
            for f in named.fields.values():
                if named.kind == "interface" and self.sg.has(f, "cost"):
                    self.error(
                        "COST_APPLIED_TO_INTERFACE_FIELD",
                        f'@cost cannot be applied to interface "{f.coordinate}"',
                        f.coordinate,
                    )
                for list_size in self.sg.applied(f, "listSize"):
                    self._list_size(f, list_size)

    def _list_size(self, f: Field, directive: Directive) -> None:
        sized = directive.arg("sizedFields") or []
        if not sized and not is_list(f.type):
            self.error(
                "LIST_SIZE_APPLIED_TO_NON_LIST", f'"{f.coordinate}" is not a list', f.coordinate
            )
        assumed = directive.arg("assumedSize")
        if assumed is not None and int(assumed) < 0:
            self.error(
                "LIST_SIZE_INVALID_ASSUMED_SIZE",
                f'Assumed size of "{f.coordinate}" cannot be negative',
                f.coordinate,
            )
        for name in directive.arg("slicingArguments") or []:
            arg = f.args.get(str(name))
            if arg is None:
                self.error(
                    "LIST_SIZE_INVALID_SLICING_ARGUMENT",
                    f'Slicing argument "{name}" is not an argument of "{f.coordinate}"',
                    f.coordinate,
                )
            elif arg.type not in ("Int", "Int!"):
                self.error(
                    "LIST_SIZE_INVALID_SLICING_ARGUMENT",
                    f'Slicing argument "{arg.coordinate}" must be Int or Int!',
                    f.coordinate,
                )
        if not sized:
            return
        target = self.schema.types.get(base_type(f.type))
        if target is None or not target.is_composite:
            self.error(
                "LIST_SIZE_INVALID_SIZED_FIELD",
                f'Sized fields cannot be used because "{f.type}" is not a composite type',
                f.coordinate,
            )
            return
        for name in sized:
            sized_field = target.fields.get(str(name))
            if sized_field is None:
                self.error(
                    "LIST_SIZE_INVALID_SIZED_FIELD",
                    f'Sized field "{name}" is not a field on type "{target.name}"',
                    f.coordinate,
                )
            elif not is_list(sized_field.type):
                self.error(
                    "LIST_SIZE_APPLIED_TO_NON_LIST",
                    f'Sized field "{sized_field.coordinate}" is not a list',
                    f.coordinate,
                )

    def unsupported(self) -> None:
        """Federation features this composer does not carry into the supergraph (yet)."""
        for spec_name in ("context", "fromContext", "cacheTag"):
            local = self.sg.name_of(spec_name)
            if local is None:
                continue
            for coordinate in _applications(self.schema, local):
                self.error(
                    "UNSUPPORTED_FEATURE",
                    f"@{local} at {coordinate} is not supported by this composer yet: compose "
                    "this subgraph with @apollo/composition (rover) and serve that supergraph",
                    coordinate,
                )

    def access_control_on_interfaces(self) -> None:
        for spec_name in ("authenticated", "requiresScopes", "policy"):
            for named in self.schema.types.values():
                on_type = self.sg.has(named, spec_name) and (
                    named.kind == "interface" or self.sg.is_interface_object(named.name)
                )
                if on_type:
                    kind = "interface" if named.kind == "interface" else "interface object"
                    self._auth_on_interface(spec_name, kind, named.name)
                if named.kind == "interface":
                    for f in named.fields.values():
                        if self.sg.has(f, spec_name):
                            self._auth_on_interface(spec_name, "field", f.coordinate)

    def _auth_on_interface(self, spec_name: str, kind: str, coordinate: str) -> None:
        name = self.sg.name_of(spec_name)
        self.error(
            "AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE",
            f'Invalid use of @{name} on {kind} "{coordinate}": @{name} cannot be applied on '
            "interfaces, interface fields and interface objects",
            coordinate,
        )


def _normalized(text: str) -> str:
    try:
        return field_set.printed_field_set(field_set.parse_field_set(text))
    except field_set.FieldSetError:
        return text


def _types(names: list[str]) -> str:
    quoted = [f'"{n}"' for n in names]
    return ("type " if len(quoted) == 1 else "types ") + human_list(quoted)


def _applications(schema: Schema, name: str) -> list[str]:
    """Coordinates of the elements a directive named ``name`` is applied to."""
    found: list[str] = []
    for named in schema.types.values():
        if any(d.name == name for d in named.directives):
            found.append(named.name)
        for f in named.fields.values():
            if any(d.name == name for d in f.directives):
                found.append(f.coordinate)
            found.extend(
                a.coordinate for a in f.args.values() if any(d.name == name for d in a.directives)
            )
    return found
