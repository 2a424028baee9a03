"""Default values in introspection, printed as graphql-js (v16) prints them.

graphql-core 3.3 answers ``__InputValue.defaultValue`` with the literal as the SDL wrote it
(``{ days: 28 }``, ``OPEN`` for a list, ``2.0``, a block string). Clients and every other
gateway (graphql-js 16: @apollo/gateway, Hive Gateway) answer the *coerced* value, printed:
an input object's omitted fields take their own defaults, a single value for a list type
becomes a list, whole floats lose their fraction, numeric ``ID`` strings are bare, strings are
re-escaped, objects print as ``{a: 1}``. :func:`introspection_defaults` is an execution
middleware that answers ``defaultValue`` that way; every other field passes through.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from graphql import (
    BooleanValueNode,
    ConstValueNode,
    EnumValueNode,
    FloatValueNode,
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLResolveInfo,
    GraphQLScalarType,
    IntValueNode,
    ListValueNode,
    NullValueNode,
    ObjectValueNode,
    StringValueNode,
    Undefined,
    ValueNode,
    print_ast,
)
from graphql.language.print_string import print_string
from graphql.utilities import ast_from_value, value_to_literal

_INTEGER = re.compile(r"^-?(?:0|[1-9][0-9]*)$")


def introspection_defaults(
    next_: Any, root: Any, info: GraphQLResolveInfo[Any], **args: Any
) -> Any:
    """Execution middleware: ``__InputValue.defaultValue`` printed as graphql-js prints it."""
    if info.field_name == "defaultValue" and info.parent_type.name == "__InputValue":
        return printed_default(root[1])
    return next_(root, info, **args)


def printed_default(input_value: GraphQLArgument | GraphQLInputField) -> str | None:
    """The default of an argument or input field as graphql-js 16 introspection prints it,
    or ``None`` when it has none."""
    literal = _default_literal(input_value)
    return None if literal is None else _print(literal, input_value.type)


def _default_literal(input_value: GraphQLArgument | GraphQLInputField) -> ValueNode | None:
    default = input_value.default
    if default is not None:
        if default.literal is not None:
            return default.literal
        return value_to_literal(default.value, input_value.type)
    if input_value.default_value is not Undefined:
        return ast_from_value(input_value.default_value, input_value.type)
    return None


def _print(literal: ValueNode, type_: GraphQLInputType) -> str:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(literal, NullValueNode):
        return "null"
    if isinstance(type_, GraphQLList):
        if isinstance(literal, ListValueNode):
            return "[" + ", ".join(_print(item, type_.of_type) for item in literal.values) + "]"
        return "[" + _print(literal, type_.of_type) + "]"  # one value for a list: coerced
    if isinstance(type_, GraphQLInputObjectType) and isinstance(literal, ObjectValueNode):
        given = {f.name.value: f.value for f in literal.fields}
        parts = []
        for name, field in type_.fields.items():
            value = given.get(name)
            if value is None:
                value = _default_literal(field)
            if value is not None:
                parts.append(f"{name}: {_print(value, field.type)}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(type_, GraphQLEnumType) and isinstance(literal, EnumValueNode):
        return literal.value
    if isinstance(type_, GraphQLScalarType):
        return _print_scalar(literal, type_.name)
    return _print_untyped(literal)


def _print_scalar(literal: ValueNode, scalar: str) -> str:
    if scalar == "Float" and isinstance(literal, IntValueNode | FloatValueNode):
        return js_number_text(float(literal.value))
    if scalar == "ID" and isinstance(literal, StringValueNode) and _INTEGER.match(literal.value):
        return literal.value
    return _print_untyped(literal)


def _print_untyped(literal: ValueNode) -> str:
    """A literal with no type to coerce it by (a custom scalar's value)."""
    if isinstance(literal, StringValueNode):
        return print_string(literal.value)  # block strings print as ordinary strings
    if isinstance(literal, ListValueNode):
        return "[" + ", ".join(_print_untyped(v) for v in literal.values) + "]"
    if isinstance(literal, ObjectValueNode):
        fields = ", ".join(f"{f.name.value}: {_print_untyped(f.value)}" for f in literal.fields)
        return "{" + fields + "}"
    if isinstance(literal, BooleanValueNode | NullValueNode | EnumValueNode | IntValueNode):
        return print_ast(literal)
    if isinstance(literal, FloatValueNode):
        return js_number_text(float(literal.value))
    assert isinstance(literal, ConstValueNode), literal  # variables never appear in defaults
    return print_ast(literal)


def js_number_text(number: float) -> str:
    """``String(number)`` in JavaScript: the shortest round-trip digits, positional from 1e-6
    up to 1e21, exponent form (``1e+21``, ``1e-7``) outside that."""
    if number == 0:
        return "0"
    sign, digits, exponent = Decimal(repr(number)).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    point = len(text) + exponent  # where the decimal point falls after the first digit
    prefix = "-" if sign else ""
    if len(text) <= point <= 21:
        return prefix + text + "0" * (point - len(text))
    if 0 < point <= 21:
        return prefix + text[:point] + "." + text[point:]
    if -6 < point <= 0:
        return prefix + "0." + "0" * -point + text
    mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
    power = point - 1
    return f"{prefix}{mantissa}e{'+' if power > 0 else '-'}{abs(power)}"
