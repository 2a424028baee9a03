"""Introspection default values printed as graphql-js 16 prints them."""

from __future__ import annotations

import pytest
from graphql import GraphQLArgument, GraphQLDefaultInput, GraphQLFloat, GraphQLList, build_schema

from mesh.federation.execute.default_values import js_number_text, printed_default

SCHEMA = build_schema(
    '''
    scalar Json
    enum Status { OPEN DECIDED }
    input Window { days: Int = 14 from: String statuses: [Status!] = [OPEN] }
    type Query {
      f(
        window: Window = { days: 28 }
        bare: Window = {}
        one: [Status!] = DECIDED
        whole: Float = 2.0
        ref: ID = "0042"
        num: ID = "42"
        block: String = """a "b" \\c"""
        json: Json = { a: [1, 2.50], b: "x" }
        none: Int
        nil: String = null
      ): Int
    }
    '''
)
ARGS = SCHEMA.query_type.fields["f"].args  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "printed"),
    [
        ("window", "{days: 28, statuses: [OPEN]}"),
        ("bare", "{days: 14, statuses: [OPEN]}"),
        ("one", "[DECIDED]"),
        ("whole", "2"),
        ("ref", '"0042"'),
        ("num", "42"),
        ("block", '"a \\"b\\" \\\\c"'),
        ("json", '{a: [1, 2.5], b: "x"}'),
        ("none", None),
        ("nil", "null"),
    ],
)
def test_defaults_are_coerced_then_printed(name: str, printed: str | None) -> None:
    assert printed_default(ARGS[name]) == printed


def test_a_default_given_as_a_value_is_printed_the_same_way() -> None:
    argument = GraphQLArgument(
        GraphQLList(GraphQLFloat), default=GraphQLDefaultInput(value=[1.0, 0.5])
    )
    assert printed_default(argument) == "[1, 0.5]"


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (2.0, "2"),
        (-2.5, "-2.5"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (1.5e-10, "1.5e-10"),
        (1e-7, "1e-7"),
        (1.234e-6, "0.000001234"),
        (0.0, "0"),
    ],
)
def test_numbers_print_as_javascript_prints_them(number: float, text: str) -> None:
    assert js_number_text(number) == text
