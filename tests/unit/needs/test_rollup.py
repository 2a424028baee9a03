"""The roll-up of a household's needs: what is hidden stays hidden, whatever the data."""

from __future__ import annotations

from datetime import date

import pytest

from subgraphs.centre.needs.rollup import Evidence, NeedStatus, roll_up
from subgraphs.kit.needs.catalogue import all_catalogues

DAY = date(2025, 3, 1)


def statuses(**kwargs: object) -> dict[str, NeedStatus]:
    view = roll_up(catalogues=all_catalogues(), **kwargs)  # type: ignore[arg-type]
    return {o.outcome.value: o.status for o in view.outcomes}


def test_identified_not_visible_unavailable_and_not_identified() -> None:
    found = statuses(
        evidence=[
            Evidence("education", "EDU_PERSISTENT_ABSENCE", "mp_1", DAY),
            Evidence("welfare", "WELFARE_WORKLESS", "mp_2", DAY),
        ],
        hidden=["police"],
        unavailable=["housing"],
    )
    assert found["GOOD_EDUCATION"] is NeedStatus.IDENTIFIED
    assert found["FINANCIAL_STABILITY"] is NeedStatus.IDENTIFIED
    assert found["CRIME"] is NeedStatus.NOT_VISIBLE  # police only
    assert found["SECURE_HOUSING"] is NeedStatus.UNAVAILABLE  # housing only, and it is down
    assert found["DOMESTIC_ABUSE"] is NeedStatus.UNAVAILABLE  # housing down, police hidden
    assert found["FAMILY_RELATIONSHIPS"] is NeedStatus.NOT_IDENTIFIED


def test_the_answer_without_a_hidden_agency_does_not_depend_on_its_data() -> None:
    base = [Evidence("education", "EDU_SUSPENSION", "mp_1", DAY)]
    a = roll_up(base, catalogues=all_catalogues(), hidden=["police"])
    b = roll_up(list(base), catalogues=all_catalogues(), hidden=["police"])
    assert a == b
    with pytest.raises(ValueError, match="may not see"):
        roll_up(
            [*base, Evidence("police", "POLICE_OFFENDING", "mp_1", DAY)],
            catalogues=all_catalogues(),
            hidden=["police"],
        )


def test_counts_and_members() -> None:
    view = roll_up(
        [
            Evidence("education", "EDU_PERSISTENT_ABSENCE", "mp_2", DAY),
            Evidence("education", "EDU_SUSPENSION", "mp_1", date(2025, 3, 9)),
        ],
        catalogues=all_catalogues(),
        hidden=[],
    )
    education = view.outcomes[0]
    assert view.identified == 1
    assert education.members == ("mp_1", "mp_2") and education.as_of == date(2025, 3, 9)
