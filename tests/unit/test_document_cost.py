"""What validation may cost, bounded before any validation rule runs (issue 10, item 6): one
field repeated 1,000 times, fields repeated under repeated parents, fragments that multiply —
each refused in well under a millisecond, while real operations pass untouched."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from graphql import build_ast_schema, get_introspection_query, parse

from mesh.federation.errors import GraphQLRequestError
from mesh.federation.pipeline import DocumentLimits, may_be_schema_only
from mesh.federation.pipeline.complexity import ComplexityLimits, check_complexity, check_text
from mesh.federation.pipeline.document import OFF_LOOP_BYTES, DocumentStage

CONTRACT = (Path(__file__).resolve().parents[2] / "schema" / "supergraph.graphql").read_text()
SCHEMA = build_ast_schema(parse(CONTRACT))
PERSON = 'person(id: "mp_00000000000000000000")'
HOUSEHOLD = (
    "query ($id: ID!) { household(id: $id) { id size housing { tenure weeklyRent } "
    "members { id links { agency records } health { givenName familyName dateOfBirth "
    "longTermConditions { description } } welfare { universalCreditClaims { monthlyAward } } } } }"
)
REPEATED_UNDER_PARENTS = ("health { " + "sex " * 30 + "} ") * 30
FRAGMENTS = " ".join(
    f"fragment F{i} on Person {{ household {{ members {{ ...F{i + 1} ...F{i + 1} }} }} }}"
    for i in range(1, 12)
)
ATTACKS = {
    # the reviewer's: about 21 KB, one field 1,000 times (2.4-3.1 s of CPU before)
    "one field 1,000 times": f"{{ {PERSON} {{ {'id @include(if: true) ' * 1000} }} }}",
    "a section 900 times": f"{{ {PERSON} {{ {'health { familyName } ' * 900} }} }}",
    "fields repeated under repeated parents": f"{{ {PERSON} {{ {REPEATED_UNDER_PARENTS} }} }}",
    "fragments that multiply": f"query {{ {PERSON} {{ ...F1 }} }} {FRAGMENTS} "
    "fragment F12 on Person { id }",
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_costly_operations_are_refused_before_validation(name: str) -> None:
    document = parse(ATTACKS[name], max_tokens=100_000)
    started = time.process_time()
    with pytest.raises(GraphQLRequestError) as refused:
        check_complexity(document, ComplexityLimits())
    assert refused.value.code == "QUERY_TOO_COMPLEX"
    assert time.process_time() - started < 0.05  # a walk, not a validation


@pytest.mark.parametrize(
    "query", [HOUSEHOLD, get_introspection_query(descriptions=True), "{ __typename }"]
)
def test_real_operations_pass(query: str) -> None:
    check_complexity(parse(query), ComplexityLimits())


async def test_the_stage_refuses_without_validating_and_keeps_large_work_off_the_loop() -> None:
    stage = DocumentStage(SCHEMA, DocumentLimits())
    for query in ATTACKS.values():
        with pytest.raises(GraphQLRequestError) as refused:
            await stage.parse(query)
        assert refused.value.code in ("QUERY_TOO_COMPLEX", "QUERY_TOO_LARGE")
    assert stage._valid.currsize == 0  # no validation rule ever ran
    before = stage.off_loop
    large = HOUSEHOLD.replace("{ id size", "{ id size " + " " * OFF_LOOP_BYTES)
    document = await stage.parse(large)
    await stage.validate(large, document)
    assert stage.off_loop == before + 2  # its parse and its validation ran on the worker
    small = await stage.parse(HOUSEHOLD)
    await stage.validate(HOUSEHOLD, small)
    assert stage.off_loop == before + 2
    stage.close()


@pytest.mark.parametrize(
    ("query", "possible"),
    [
        ("{ person(id: \"x\") { id } }", False),
        ("{ p: person(id: \"x\") { id } }", False),
        ("{ __typename person(id: \"x\") { id } }", False),
        ("query Q($a: Int) @d(x: 1) { __schema { types { name } } }", True),
        (get_introspection_query(descriptions=True), True),
        ("{ __type(name: \"Person\") { name } }", True),
        ("fragment F on Query { person(id: \"x\") { id } } { ...F }", True),  # cannot tell
        ("{ person(", False),
    ],
)  # fmt: skip
def test_a_strangers_data_query_is_told_apart_without_parsing(query: str, possible: bool) -> None:
    assert may_be_schema_only(query) is possible


@pytest.mark.parametrize(
    ("query", "refused"),
    [
        (ATTACKS["a section 900 times"], True),
        (ATTACKS["one field 1,000 times"], True),
        ("{ " + "...F " * 101 + "}", True),
        ("{ x { " + "... on T { id } " * 101 + "} }", True),
        ('{ p: person(id: "x") { ' + " ".join(f"a{i}: id" for i in range(101)) + " } }", True),
        ('{ p: person(id: "x") { ' + " ".join(f"a{i}: id" for i in range(100)) + " } }", False),
        ('{ person(id: "x", f: {a: 1, b: [2]}) @skip(if: $x) { id } }', False),
        (HOUSEHOLD, False),
        (get_introspection_query(descriptions=True), False),
    ],
)
def test_a_wide_selection_set_is_refused_before_parsing(query: str, refused: bool) -> None:
    """The lexer's count agrees with the parsed check, and stops at the first set over."""
    limits = ComplexityLimits()
    started = time.process_time()
    if refused:
        with pytest.raises(GraphQLRequestError) as caught:
            check_text(query, limits)
        assert caught.value.code == "QUERY_TOO_COMPLEX"
        assert time.process_time() - started < 0.02
    else:
        check_text(query, limits)
        check_complexity(parse(query), limits)  # the parsed walk agrees
