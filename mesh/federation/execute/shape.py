"""Complete fetched data into the client's answer: a lean walk of the operation.

The data is already fetched and merged; what is left is GraphQL's value completion — collect
each object's fields (graphql-core's own ``collect_fields``: fragments, type conditions,
``@skip``/``@include``), read each value by its response key through the policy's reader,
complete it by type (non-null, lists, leaves coerced by the type's own
``coerce_output_value``, abstract types by ``__typename``), and null and locate errors as the
spec says. graphql-core's executor does the same through a resolve-info object, awaitable
checks and hooks on every field, which were most of the gateway's cost on large answers; it
stays the reference (``tests/unit/federation/test_shape_differential.py`` compares the two on
random operations) and still answers what this walk leaves to it (introspection).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLAbstractType,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    located_error,
)
from graphql.execution import Executor
from graphql.execution.collect_fields import FieldDetails, collect_fields
from graphql.pyutils import Path, inspect, is_iterable

# Reads one field of a fetched object: (source, parent type, field name, response key) →
# the value. Raise a GraphQLError to withhold it (it becomes null with that error).
FieldReader = Callable[[Any, str, str, str], Any]
FieldGroup = list[FieldDetails]
_TYPENAME = GraphQLScalarType("__typename")  # marks the meta field in a compiled field list
# response key, field name, return type (the marker for __typename), the field's nodes, its leaf
# type when it is a scalar or enum (non-null or not), else None
_CompiledField = tuple[
    str, str, GraphQLOutputType, FieldGroup, GraphQLScalarType | GraphQLEnumType | None
]


def read_by_response_key(source: Any, type_name: str, field_name: str, key: str) -> Any:
    """The plain reader: merged data holds every field under its response key."""
    return source.get(key) if isinstance(source, Mapping) else None


def typename_of(value: Any, schema: GraphQLSchema, abstract: GraphQLAbstractType) -> str | None:
    """The object's ``__typename``. Objects an ``@interfaceObject`` subgraph returned carry
    the interface's name (or none): when the operation needs no more than the interface's
    fields here, the plan does not ask for the real type and any implementation shapes them
    alike (an interface no type implements gets a stand-in)."""
    if not isinstance(value, Mapping):
        return None
    typename = value.get("__typename")
    possible = schema.get_possible_types(abstract)
    if isinstance(typename, str) and any(t.name == typename for t in possible):
        return typename
    return possible[0].name if possible else None


class CompletedAnswer:
    """``data`` and the located ``errors``, in the order graphql-core would give them."""

    __slots__ = ("data", "errors")

    def __init__(self, data: dict[str, Any] | None, errors: list[GraphQLError]) -> None:
        self.data = data
        self.errors = errors


def complete_answer(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any],
    root: Any,
    reader: FieldReader,
) -> CompletedAnswer:
    built = Executor.build(
        schema, document, root, raw_variable_values=dict(variables), operation_name=operation_name
    )
    if isinstance(built, list):
        return CompletedAnswer(None, built)
    return _Walk(built, reader).run()


class _Walk:
    def __init__(self, executor: Executor[Any], reader: FieldReader) -> None:
        self.executor = executor
        self.schema = executor.schema
        self.reader = reader
        self.errors: list[GraphQLError] = []
        self._nulled: set[Path | None] = set()
        self._compiled_fields: dict[int, tuple[dict[str, FieldGroup], list[_CompiledField]]] = {}

    def run(self) -> CompletedAnswer:
        executor = self.executor
        operation = executor.operation
        root_type = self.schema.get_root_type(operation.operation)
        if root_type is None:
            error = GraphQLError(
                f"Schema is not configured to execute {operation.operation.value} operation.",
                operation,
            )
            return CompletedAnswer(None, [error])
        grouped = collect_fields(
            self.schema,
            executor.fragments,
            executor.variable_values,
            root_type,
            operation,
            executor.hide_suggestions,
        ).grouped_field_set
        try:
            data: dict[str, Any] | None = self._fields(
                root_type, executor.root_value, grouped, None
            )
        except GraphQLError as error:
            self._add(error, None)
            data = None
        return CompletedAnswer(data, self.errors)

    def _fields(
        self,
        parent: GraphQLObjectType,
        source: Any,
        grouped: dict[str, FieldGroup],
        path: Path | None,
    ) -> dict[str, Any]:
        result: dict[str, Any] = {}
        type_name = parent.name
        read = self.reader
        for key, name, return_type, group, leaf in self._compiled(parent, grouped):
            if leaf is _TYPENAME:
                result[key] = type_name
                continue
            try:
                value = read(source, type_name, name, key)
                if leaf is not None and value is not None:
                    # the common case, without a path: a leaf with a value
                    coerced = leaf.coerce_output_value(value)
                    if coerced is not None and coerced is not Undefined:
                        result[key] = coerced
                        continue
                field_path = Path(path, key, type_name)
                result[key] = self._complete(return_type, group, parent, name, field_path, value)
            except Exception as raw:
                self._failed(raw, return_type, group, Path(path, key, type_name))
                result[key] = None
        return result

    def _compiled(
        self, parent: GraphQLObjectType, grouped: dict[str, FieldGroup]
    ) -> list[_CompiledField]:
        """Each collected field with its definition looked up once per walk (the grouped
        field sets are memoised by the executor, so a list of a thousand people compiles
        its fields once)."""
        known = self._compiled_fields.get(id(grouped))
        if known is not None and known[0] is grouped:
            return known[1]
        compiled: list[_CompiledField] = []
        fields = parent.fields
        for key, group in grouped.items():
            name = group[0].node.name.value
            if name == "__typename":
                compiled.append((key, name, _TYPENAME, group, _TYPENAME))
                continue
            definition = fields.get(name)
            if definition is None:
                continue  # graphql-core leaves out a field the type lacks (no such in valid ops)
            return_type = definition.type
            named = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
            leaf = named if isinstance(named, GraphQLScalarType | GraphQLEnumType) else None
            compiled.append((key, name, return_type, group, leaf))
        self._compiled_fields[id(grouped)] = (grouped, compiled)
        return compiled

    def _complete(
        self,
        return_type: GraphQLOutputType,
        group: FieldGroup,
        parent: GraphQLObjectType,
        name: str,
        path: Path,
        value: Any,
    ) -> Any:
        if isinstance(return_type, GraphQLNonNull):
            completed = self._complete(return_type.of_type, group, parent, name, path, value)
            if completed is None:
                raise TypeError(f"Cannot return null for non-nullable field {parent}.{name}.")
            return completed
        if value is None or value is Undefined:
            return None
        if isinstance(return_type, GraphQLList):
            return self._list(return_type.of_type, group, parent, name, path, value)
        if isinstance(return_type, GraphQLScalarType | GraphQLEnumType):
            coerced = return_type.coerce_output_value(value)
            if coerced is Undefined or coerced is None:
                raise TypeError(
                    f"Expected `{inspect(return_type)}.coerce_output_value({inspect(value)})`"
                    f" to return non-nullable value, returned: {inspect(coerced)}"
                )
            return coerced
        if isinstance(return_type, GraphQLInterfaceType | GraphQLUnionType):
            return_type = self._runtime_type(return_type, group, parent, name, value)
        if not isinstance(return_type, GraphQLObjectType):  # pragma: no cover - all kinds above
            raise TypeError(f"Cannot complete value of unexpected output type: {return_type}.")
        # (API schemas are built from SDL: no type has an is_type_of to consult.)
        grouped = self.executor.collect_subfields(return_type, group).grouped_field_set
        return self._fields(return_type, value, grouped, path)

    def _list(
        self,
        item_type: GraphQLOutputType,
        group: FieldGroup,
        parent: GraphQLObjectType,
        name: str,
        path: Path,
        value: Any,
    ) -> list[Any]:
        if not is_iterable(value):
            raise GraphQLError(
                f"Expected Iterable, but did not find one for field '{parent}.{name}'."
            )
        completed: list[Any] = []
        for index, item in enumerate(value):
            item_path = Path(path, index, None)
            try:
                completed.append(self._complete(item_type, group, parent, name, item_path, item))
            except Exception as raw:
                self._failed(raw, item_type, group, item_path)
                completed.append(None)
        return completed

    def _runtime_type(
        self,
        abstract: GraphQLAbstractType,
        group: FieldGroup,
        parent: GraphQLObjectType,
        name: str,
        value: Any,
    ) -> GraphQLObjectType:
        typename = typename_of(value, self.schema, abstract)
        if typename is None:
            raise GraphQLError(
                f"Abstract type '{abstract}' must resolve to an Object type at runtime"
                f" for field '{parent}.{name}'. Either the '{abstract}' type should provide"
                " a 'resolve_type' function or each possible type should provide"
                " an 'is_type_of' function.",
                _nodes(group),
            )
        runtime = self.schema.get_type(typename)
        if not isinstance(runtime, GraphQLObjectType):  # pragma: no cover - a possible type
            raise GraphQLError(
                f"Abstract type '{abstract}' was resolved to a non-object type '{typename}'.",
                _nodes(group),
            )
        return runtime

    def _failed(
        self, raw: Exception, return_type: GraphQLOutputType, group: FieldGroup, path: Path
    ) -> None:
        """A field's error: located at its path; a non-null position passes it up (its
        parent becomes null), a nullable one keeps it and is null."""
        error = located_error(raw, _nodes(group), path.as_list())
        if isinstance(return_type, GraphQLNonNull):
            raise error
        self._add(error, path)

    def _add(self, error: GraphQLError, path: Path | None) -> None:
        """Record an error unless its position (or an ancestor's) was already nulled."""
        nulled = self._nulled
        if None in nulled:
            return
        at = path
        while at is not None:
            if at in nulled:
                return
            at = at.prev
        nulled.add(path)
        self.errors.append(error)


def _nodes(group: FieldGroup) -> list[FieldNode]:
    return [details.node for details in group]
