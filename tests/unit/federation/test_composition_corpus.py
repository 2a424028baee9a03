"""Every case of the composition corpus composes (or fails) as the federation spec says.

The same corpus is cross-checked against @apollo/composition in
``tests/federation/composition/test_apollo_agreement.py`` when Node is present; this layer runs
everywhere and needs nothing but Python.
"""

from __future__ import annotations

import pytest

from mesh.federation.compose import compose
from tests.federation.composition.corpus import Case, load_cases

CASES = load_cases()


def test_the_corpus_covers_acceptance_and_every_error_family() -> None:
    accepted = [c for c in CASES if c.expect_ok]
    codes = {code for c in CASES for code in c.expect_codes}
    assert len(accepted) >= 80
    assert {
        "INVALID_FIELD_SHARING",
        "FIELD_TYPE_MISMATCH",
        "TYPE_KIND_MISMATCH",
        "KEY_FIELDS_SELECT_INVALID_TYPE",
        "EXTERNAL_MISSING_ON_BASE",
        "REQUIRES_INVALID_FIELDS",
        "PROVIDES_INVALID_FIELDS",
        "SATISFIABILITY_ERROR",
        "EMPTY_MERGED_ENUM_TYPE",
        "ENUM_VALUE_MISMATCH",
        "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
        "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
        "EXTENSION_WITH_NO_BASE",
        "INTERFACE_OBJECT_USAGE_ERROR",
        "OVERRIDE_LABEL_INVALID",
        "DIRECTIVE_COMPOSITION_ERROR",
        "REFERENCED_INACCESSIBLE",
        "MISSING_TRANSITIVE_AUTH_REQUIREMENTS",
    } <= codes


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_composes_as_the_spec_says(case: Case) -> None:
    result = compose(case.subgraphs)

    codes = {e.code for e in result.errors}
    if case.expect_ok:
        assert result.ok, "\n".join(str(e) for e in result.errors)
        assert result.supergraph_sdl is not None
        assert codes == set()
    else:
        assert not result.ok
        assert result.supergraph_sdl is None
        assert codes == set(case.expect_codes), "\n".join(str(e) for e in result.errors)
        assert result.errors and all(e.message for e in result.errors)
