"""The lean shaping walk answers exactly as graphql-core's executor does.

Random operations (aliases, fragments and inline fragments on interfaces and unions, nested
lists, ``__typename``, ``@skip``/``@include`` on variables) over random data that is often
wrong for its type (nulls at non-null positions, strings for numbers, objects for lists,
unknown ``__typename``s), read through a reader that withholds some fields with an error as
the governance guard does: data and formatted errors must be identical.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    build_schema,
    execute_sync,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    parse,
    validate,
)
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from mesh.federation.execute.executor import ExecutionOutcome
from mesh.federation.execute.response import shape_response
from mesh.federation.execute.shape import complete_answer, typename_of

SCHEMA = build_schema(
    """
    interface Node { id: ID! name: String }
    type Person implements Node {
      id: ID! name: String age: Int score: Float! tags: [String!] friends: [Person]
      best: Person! pet: Pet home: Home kind: Kind born: Date
    }
    type Home implements Node { id: ID! name: String rooms: [Int]! owner: Person }
    type Cat { lives: Int! name: String }
    type Dog { good: Boolean name: String }
    union Pet = Cat | Dog
    enum Kind { ADULT CHILD }
    scalar Date
    type Query {
      me: Person people: [Person!] node: Node! nodes: [Node] pet: Pet when: Date
      kinds: [Kind!]!
    }
    """
)
WITHHELD = {("Person", "age"), ("Home", "rooms"), ("Cat", "lives")}
ALIASES = ("a", "b", "name", "id")
Draw = Callable[[st.SearchStrategy[Any]], Any]


def _reader(source: Any, type_name: str, field_name: str, key: str) -> Any:
    if (type_name, field_name) in WITHHELD and isinstance(source, dict) and source.get("_deny"):
        raise GraphQLError(
            f"{type_name}.{field_name} is withheld", extensions={"code": "FORBIDDEN_BY_POLICY"}
        )
    return source.get(key) if isinstance(source, dict) else None


def _reference(document: Any, variables: dict[str, Any], data: Any) -> dict[str, Any]:
    """graphql-core's executor over the same data, through the same reader."""

    def resolve(source: Any, info: GraphQLResolveInfo[Any], **_: Any) -> Any:
        return _reader(source, info.parent_type.name, info.field_name, str(info.path.key))

    result = execute_sync(
        SCHEMA,
        document,
        root_value=data,
        variable_values=variables,
        field_resolver=resolve,
        type_resolver=lambda value, info, abstract: typename_of(value, info.schema, abstract),
    )
    body: dict[str, Any] = {}
    if result.errors:
        body["errors"] = [dict(e.formatted) for e in result.errors]
    body["data"] = result.data
    return body


@st.composite
def _selection(draw: st.DrawFn, type_: GraphQLNamedType, depth: int) -> str:
    """A selection set's text for ``type_`` (object, interface or union)."""
    parts: list[str] = []
    if isinstance(type_, GraphQLObjectType) or hasattr(type_, "fields"):
        fields = type_.fields
        keys: set[str] = set()  # one field per response key: no conflicts to merge
        for name in draw(st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=4)):
            named = get_named_type(fields[name].type)
            alias = draw(st.sampled_from((None, None, *ALIASES)))
            if (alias or name) in keys:
                continue
            keys.add(alias or name)
            directive = draw(st.sampled_from(("", "", "", " @skip(if: $s)", " @include(if: $i)")))
            head = f"{alias}: {name}" if alias else name
            if is_leaf_type(named):
                parts.append(head + directive)
            elif depth > 0:
                parts.append(head + directive + draw(_selection(named, depth - 1)))
    if is_abstract_type(type_) or draw(st.booleans()):
        parts.append("__typename")
    if is_abstract_type(type_) and depth > 0:
        for possible in SCHEMA.get_possible_types(type_):
            if draw(st.booleans()):
                parts.append(f"... on {possible.name}{draw(_selection(possible, depth - 1))}")
    if not parts:
        parts.append("__typename")
    return "{ " + " ".join(parts) + " }"


def _value(draw: Draw, type_: Any, selection: Any) -> Any:
    """Data for one position, right for its type most of the time and wrong otherwise."""
    if draw(st.integers(0, 9)) == 0:
        return None
    nullable = (
        getattr(type_, "of_type", None) if type(type_).__name__ == "GraphQLNonNull" else type_
    )
    named = get_named_type(nullable)
    if isinstance(nullable, GraphQLList):
        if draw(st.integers(0, 9)) == 0:
            return {"not": "a list"}
        return [_value(draw, nullable.of_type, selection) for _ in range(draw(st.integers(0, 3)))]
    if is_leaf_type(named):
        return draw(
            st.sampled_from(
                {
                    "Int": (1, -7, 2**40, "12", 1.5, True),
                    "Float": (1.5, 2, "x", None),
                    "String": ("x", 3, True),
                    "ID": ("id-1", 42, 1.5),
                    "Boolean": (True, False, 0, "yes"),
                    "Kind": ("ADULT", "CHILD", "NOBODY", 1),
                    "Date": ("2026-01-01", 20260101, {"d": 1}),
                }[named.name]
            )
        )
    if draw(st.integers(0, 14)) == 0:
        return "not an object"
    obj: dict[str, Any] = {"_deny": draw(st.booleans())}
    if is_abstract_type(named):
        choices = [t.name for t in SCHEMA.get_possible_types(named)]
        obj["__typename"] = draw(st.sampled_from((*choices, *choices, "Stranger", None)))
    _fill(draw, obj, named, selection)
    return obj


def _fill(draw: Draw, obj: dict[str, Any], type_: Any, selection: Any) -> None:
    for node in selection.selections:
        kind = type(node).__name__
        if kind == "InlineFragmentNode":
            _fill(draw, obj, SCHEMA.get_type(node.type_condition.name.value), node.selection_set)
            continue
        name = node.name.value
        if name == "__typename" or name not in getattr(type_, "fields", {}):
            continue
        key = (node.alias or node.name).value
        if key not in obj:
            obj[key] = _value(draw, type_.fields[name].type, node.selection_set)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_walk_answers_as_graphql_core_does(data: st.DataObject) -> None:
    query_type = SCHEMA.query_type
    assert query_type is not None
    selection = data.draw(_selection(query_type, 3))
    text = f"query Q($s: Boolean = false, $i: Boolean = true) {selection}"
    document = parse(text)
    # e.g. two fields under one alias with different types: not an operation to shape
    assume(not validate(SCHEMA, document))
    operation = document.definitions[0]
    root: dict[str, Any] = {}
    _fill(data.draw, root, query_type, operation.selection_set)  # type: ignore[attr-defined]
    variables = {"s": data.draw(st.booleans()), "i": data.draw(st.booleans())}
    expected = _reference(document, variables, root)
    answer = complete_answer(SCHEMA, document, None, variables, root, _reader)
    walked: dict[str, Any] = {}
    if answer.errors:
        walked["errors"] = [dict(e.formatted) for e in answer.errors]
    walked["data"] = answer.data
    assert walked == expected, text
    event("errors" if answer.errors else "no errors")
    event("data nulled" if answer.data is None else "data")


def test_the_walk_keeps_the_subgraph_error_that_explains_a_null() -> None:
    """A null at a non-null position that a subgraph's error explains adds no second error."""
    document = parse("{ node { id } }")
    subgraph_error = {"message": "health is down", "path": ["node"]}
    outcome = ExecutionOutcome({"node": None}, [subgraph_error])
    shaped = shape_response(SCHEMA, document, None, {}, outcome, _reader)
    assert shaped == {"errors": [subgraph_error], "data": None}


def test_a_null_at_a_non_null_position_nulls_up_to_the_nearest_nullable_parent() -> None:
    document = parse("{ me { name best { score } } when }")
    root = {"me": {"name": "x", "best": {"score": None}}, "when": "2026-01-01"}
    shaped = shape_response(SCHEMA, document, None, {}, ExecutionOutcome(root), _reader)
    assert shaped == _reference(document, {}, root)
    assert shaped["data"] == {"me": None, "when": "2026-01-01"}
    assert [(e["message"], e["path"]) for e in shaped["errors"]] == [
        ("Cannot return null for non-nullable field Person.score.", ["me", "best", "score"])
    ]


def test_a_withheld_field_is_null_with_the_readers_error_at_its_path() -> None:
    document = parse("{ me { name a: age } }")
    root = {"me": {"_deny": True, "name": "x", "a": 3}}
    shaped = shape_response(SCHEMA, document, None, {}, ExecutionOutcome(root), _reader)
    assert shaped == _reference(document, {}, root)
    assert shaped["data"] == {"me": {"name": "x", "a": None}}
    assert shaped["errors"][0]["path"] == ["me", "a"]
    assert shaped["errors"][0]["extensions"] == {"code": "FORBIDDEN_BY_POLICY"}
