"""`mesh link explain` adds up to the weight the linker used, moved-together term included.

A mover's two records are at different addresses; the model then weighs what the people
around them say (linkage/index_side/moves.py). The explanation must show that term, or an
IG lead would be shown a sum that is not the one that linked the records."""

from __future__ import annotations

import math

from linkage.index_side.explain import MOVED_TOGETHER, explain_pair, moved_case_of, stored_record
from linkage.index_side.model import load_model
from linkage.index_side.moves import CASES
from linkage.key import key_check
from store import ServerAddress
from store.server import connect
from subgraphs.registry import INDEX
from tests.conftest import LINKAGE_TEST_KEY, LINKAGE_TEST_MODEL

_APART = """
SELECT a.agency AS agency_a, a.record_ref AS ref_a, b.agency AS agency_b, b.record_ref AS ref_b
FROM linked_record a JOIN linked_record b
  ON b.mesh_id = a.mesh_id AND b.entity = 'Person' AND b.agency > a.agency
WHERE a.entity = 'Person' AND a.uprn IS NOT NULL AND b.uprn IS NOT NULL AND a.uprn <> b.uprn
  AND a.address IS DISTINCT FROM b.address
  AND a.dob_postcode IS DISTINCT FROM b.dob_postcode
  AND a.name_postcode IS DISTINCT FROM b.name_postcode
ORDER BY a.record_ref, b.record_ref
LIMIT 20
"""
_TOGETHER = """
SELECT a.agency AS agency_a, a.record_ref AS ref_a, b.agency AS agency_b, b.record_ref AS ref_b
FROM linked_record a JOIN linked_record b
  ON b.mesh_id = a.mesh_id AND b.entity = 'Person' AND b.agency > a.agency
WHERE a.entity = 'Person' AND a.uprn = b.uprn
ORDER BY a.record_ref
LIMIT 5
"""


async def test_a_movers_records_are_explained_with_what_the_people_around_them_say(
    linked: ServerAddress,
) -> None:
    model = load_model(LINKAGE_TEST_MODEL, key_check=key_check(LINKAGE_TEST_KEY))
    index = await connect(linked, INDEX)
    try:
        population = int(await index.fetchval("SELECT count(*) FROM linked_record"))
        apart, together = await index.fetch(_APART), await index.fetch(_TOGETHER)
        assert apart and together, "the test population has movers and people at one address"
        cases = set()
        for row in apart:
            left, right = (row["agency_a"], row["ref_a"]), (row["agency_b"], row["ref_b"])
            case = await moved_case_of(index, left, right)
            assert case in CASES
            cases.add(case)
            keys = [await stored_record(index, *side) for side in (left, right)]
            assert keys[0] is not None and keys[1] is not None
            without = explain_pair(model, keys[0][1], keys[1][1], population)
            explained = explain_pair(model, keys[0][1], keys[1][1], population, case)
            moved = [c for c in explained.contributions if c.comparison == MOVED_TOGETHER]
            assert [(c.level, c.weight) for c in moved] == [(case, model.moved_together[case])]
            assert math.isclose(
                explained.match_weight, without.match_weight + model.moved_together[case]
            )
            assert math.isclose(
                explained.match_weight,
                explained.prior + sum(c.weight for c in explained.contributions),
            )
        for row in together:
            left, right = (row["agency_a"], row["ref_a"]), (row["agency_b"], row["ref_b"])
            assert await moved_case_of(index, left, right) is None
        assert await moved_case_of(index, ("health", b"no such record"), left) is None
    finally:
        await index.close()
    assert cases, "every mover pair was given a case"
