"""The composer's contract: what callers get back, on good input and on bad."""

from __future__ import annotations

import re

import pytest
from graphql import build_schema, parse

from mesh.federation.compose import SubgraphSource, compose

FED2 = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.{v}",\n'
    '  import: ["@key", "@shareable", "@override", "@composeDirective"])\n'
)


def fed2(sdl: str, version: int = 3) -> str:
    return FED2.format(v=version) + sdl


def test_a_type_and_its_extension_in_one_subgraph_compose() -> None:
    # The shape issue 9 reports as crashing the old composer with a bare AssertionError.
    result = compose(
        [SubgraphSource("a", "", "type Query { a: Int }\nextend type Query { b: Int }")]
    )

    assert result.ok, result.errors
    schema = build_schema(result.supergraph_sdl or "")
    assert set(schema.query_type.fields) == {"a", "b"}  # type: ignore[union-attr]


def test_the_supergraph_is_valid_graphql_with_join_and_link() -> None:
    result = compose(
        [
            SubgraphSource(
                "products",
                "http://products/graphql",
                fed2('type Query { p: P } type P @key(fields: "id") { id: ID! }'),
            ),
            SubgraphSource(
                "reviews",
                "http://reviews/graphql",
                fed2('type P @key(fields: "id") { id: ID! stars: Int }'),
            ),
        ]
    )

    sdl = result.supergraph_sdl or ""
    build_schema(sdl)  # raises if not valid
    assert '@link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)' in sdl
    assert 'PRODUCTS @join__graph(name: "products", url: "http://products/graphql")' in sdl
    assert '@join__type(graph: REVIEWS, key: "id")' in sdl
    assert "stars: Int @join__field(graph: REVIEWS)" in sdl


@pytest.mark.parametrize(
    ("version", "join"), [(0, "v0.3"), (6, "v0.3"), (7, "v0.4"), (8, "v0.5"), (11, "v0.5")]
)
def test_the_join_spec_version_follows_the_latest_federation_version(
    version: int, join: str
) -> None:
    link = f'extend schema @link(url: "https://specs.apollo.dev/federation/v2.{version}")\n'
    result = compose([SubgraphSource("a", "", link + "type Query { a: Int }")])

    assert f'https://specs.apollo.dev/join/{join}"' in (result.supergraph_sdl or "")


def test_federation_1_subgraphs_use_join_v0_3() -> None:
    result = compose([SubgraphSource("a", "", "type Query { a: Int }")])

    assert 'https://specs.apollo.dev/join/v0.3"' in (result.supergraph_sdl or "")


def test_errors_name_subgraphs_coordinate_and_rule() -> None:
    result = compose(
        [
            SubgraphSource(
                "a",
                "",
                fed2('type Query { u: U } type U @key(fields: "id") { id: ID! name: String }'),
            ),
            SubgraphSource("b", "", fed2('type U @key(fields: "id") { id: ID! name: String }')),
        ]
    )

    [error] = result.errors
    assert error.code == "INVALID_FIELD_SHARING"
    assert error.subgraphs == ("a", "b")
    assert error.coordinate == "U.name"
    assert "Non-shareable field" in error.message
    assert str(error).startswith("INVALID_FIELD_SHARING U.name [a, b]:")


def test_all_errors_are_reported_at_once() -> None:
    result = compose(
        [
            SubgraphSource(
                "a",
                "",
                fed2(
                    'type Query { u: U } type U @key(fields: "id") '
                    "{ id: ID! x: Int @shareable y: Int @shareable }"
                ),
            ),
            SubgraphSource(
                "b",
                "",
                fed2(
                    'type U @key(fields: "id") '
                    "{ id: ID! x: String @shareable y: Boolean @shareable }"
                ),
            ),
        ]
    )

    assert sorted((e.code, e.coordinate) for e in result.errors) == [
        ("FIELD_TYPE_MISMATCH", "U.x"),
        ("FIELD_TYPE_MISMATCH", "U.y"),
    ]


@pytest.mark.parametrize(
    "sdl",
    ["", "type Query {", "\x00\x01garbage", "scalar", "extend schema @link(url: 42)", "{ query }"],
)
def test_bad_sdl_is_an_error_not_an_exception(sdl: str) -> None:
    result = compose([SubgraphSource("broken", "", sdl)])

    assert not result.ok
    assert result.errors
    assert all(e.subgraphs in ((), ("broken",)) for e in result.errors)


def test_no_subgraphs_and_duplicate_names_are_errors() -> None:
    assert [e.code for e in compose([]).errors] == ["NO_SUBGRAPHS"]
    twice = [SubgraphSource("a", "", "type Query { a: Int }")] * 2
    assert [e.code for e in compose(twice).errors] == ["DUPLICATE_SUBGRAPH"]


def test_hints_are_returned_with_a_successful_composition() -> None:
    result = compose(
        [
            SubgraphSource("a", "", fed2("type Query { a(s: S): Int } enum S { X Y }")),
            SubgraphSource("b", "", fed2("type Query { b(s: S): Int } enum S { X }")),
        ]
    )

    assert result.ok
    assert [h.code for h in result.hints] == ["INCONSISTENT_ENUM_VALUE_FOR_INPUT_ENUM"]
    assert result.hints[0].coordinate == "S.Y"


def test_progressive_override_writes_the_label_on_both_subgraphs() -> None:
    result = compose(
        [
            SubgraphSource(
                "a", "", fed2('type Query { p: P } type P @key(fields: "id") { id: ID! v: Int }', 7)
            ),
            SubgraphSource(
                "b",
                "",
                fed2(
                    'type P @key(fields: "id") '
                    '{ id: ID! v: Int @override(from: "a", label: "percent(5)") }',
                    7,
                ),
            ),
        ]
    )

    sdl = result.supergraph_sdl or ""
    line = next(line for line in sdl.splitlines() if line.strip().startswith("v: Int"))
    assert '@join__field(graph: A, overrideLabel: "percent(5)")' in line
    assert '@join__field(graph: B, override: "a", overrideLabel: "percent(5)")' in line


def test_satisfiability_errors_show_the_query_that_fails() -> None:
    result = compose(
        [
            SubgraphSource(
                "a", "", fed2('type Query { u: U } type U @key(fields: "id") { id: ID! }')
            ),
            SubgraphSource(
                "b", "", fed2('type U @key(fields: "id", resolvable: false) { id: ID! age: Int }')
            ),
        ]
    )

    [error] = result.errors
    assert error.code == "SATISFIABILITY_ERROR"
    assert error.coordinate == "U.age"
    assert re.search(r"\{\s+u \{\s+age\s+\}\s+\}", error.message)
    assert 'from subgraph "a"' in error.message
    assert "resolvable" in error.message


def test_the_satisfiability_check_can_be_skipped() -> None:
    sources = [
        SubgraphSource("a", "", fed2('type Query { u: U } type U @key(fields: "id") { id: ID! }')),
        SubgraphSource(
            "b", "", fed2('type U @key(fields: "id", resolvable: false) { id: ID! age: Int }')
        ),
    ]

    assert compose(sources, check_satisfiability=False).ok


def test_composed_custom_directive_definition_and_uses_are_kept() -> None:
    schema_head = (
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7",\n'
        '  import: ["@key", "@composeDirective"])\n'
        '  @link(url: "https://example.org/sensitive/v1.0", import: ["@sensitive"])\n'
        '  @composeDirective(name: "@sensitive")\n'
        "directive @sensitive(category: String!) on FIELD_DEFINITION\n"
    )
    result = compose(
        [
            SubgraphSource(
                "a", "", schema_head + 'type Query { dob: String @sensitive(category: "identity") }'
            )
        ]
    )

    sdl = result.supergraph_sdl or ""
    assert '@link(url: "https://example.org/sensitive/v1.0", import: ["@sensitive"])' in sdl
    assert "directive @sensitive(category: String!) on FIELD_DEFINITION" in sdl
    assert 'dob: String @sensitive(category: "identity")' in sdl
    parse(sdl)


def test_context_directives_are_rejected_as_unsupported_not_dropped() -> None:
    # Apollo composes @context/@fromContext into join__field(contextArguments:); we do not yet,
    # and a supergraph silently missing them would answer wrongly, so composition says so.
    sdl = (
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.8",\n'
        '  import: ["@key", "@context", "@fromContext"])\n'
        'type Query { t: T }\ntype T @key(fields: "id") @context(name: "ctx") { id: ID! u: U }\n'
        'type U @key(fields: "id") '
        '{ id: ID! f(x: String @fromContext(field: "$ctx { id }")): Int }\n'
    )
    result = compose([SubgraphSource("a", "", sdl)])

    assert {e.code for e in result.errors} == {"UNSUPPORTED_FEATURE"}
    assert {e.coordinate for e in result.errors} == {"T", "U.f(x:)"}


def test_invalid_graphql_errors_point_at_the_element() -> None:
    result = compose([SubgraphSource("a", "", fed2("type Query { u: Usr }"))])

    [error] = result.errors
    assert (error.code, error.coordinate, error.subgraphs) == ("INVALID_GRAPHQL", "Query.u", ("a",))


def test_api_schema_errors_name_the_subgraphs_defining_the_element() -> None:
    sdl = (
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",'
        ' import: ["@inaccessible"])\n'
        "type Query { s: Secret }\ntype Secret @inaccessible { code: String }\n"
    )
    result = compose([SubgraphSource("vault", "", sdl)])

    [error] = result.errors
    assert (error.code, error.coordinate, error.subgraphs) == (
        "REFERENCED_INACCESSIBLE",
        "Secret",
        ("vault",),
    )
