"""Catalogues load strictly, like the agreements: every mistake names the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools.synth.geography import AUTHORITIES
from subgraphs.kit.needs.catalogue import CatalogueError, all_catalogues, load_catalogue
from subgraphs.kit.needs.evaluate import Evaluation
from subgraphs.kit.needs.geography import LOCAL_AUTHORITIES
from subgraphs.kit.needs.outcomes import HeadlineOutcome

GOOD = """
catalogue: fire-needs
version: "1.0"
agency: housing
review_date: 2027-01-01
indicators:
  - code: FIRE_HIGH_RISK
    title: A high-risk home
    outcome: SECURE_HOUSING
    fact: risk_score
    condition: {at_least: 7}
    local_authorities:
      bolton: {at_least: 6}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "indicators.yaml"
    path.write_text(text)
    return path


def test_a_good_catalogue_loads_with_its_local_thresholds(tmp_path: Path) -> None:
    catalogue = load_catalogue(write(tmp_path, GOOD))
    indicator = catalogue.indicators[0]
    assert catalogue.ref == "fire-needs@1.0"
    assert indicator.condition_in("Bolton").threshold == 6
    assert indicator.condition_in("Bury").threshold == 7
    assert indicator.condition.operator == "at_least"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("outcome: SECURE_HOUSING", "outcome: HAPPINESS"), "indicators.0.outcome"),
        (('version: "1.0"', "version: 1.0"), "quote the version"),
        (("{at_least: 7}", "{at_least: 7, below: 9}"), "exactly one of below"),
        (("bolton:", "gotham:"), "unknown local authority 'gotham'"),
        (("agency: housing", "agency: fire"), "unknown agency 'fire'"),
        (("    fact: risk_score\n", "    fact: risk_score\n    colour: red\n"), "colour"),
        (("    fact: risk_score\n", "    fact: risk_score\n    fact: other\n"), "duplicate key"),
        (("code: FIRE_HIGH_RISK", "code: fire"), "indicators.0.code"),
    ],
)
def test_a_bad_catalogue_names_the_file_and_the_key(
    tmp_path: Path, change: tuple[str, str], says: str
) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(CatalogueError) as error:
        load_catalogue(path)
    assert str(path) in str(error.value) and says in str(error.value)


def test_the_shipped_catalogues_load_and_cover_most_outcomes() -> None:
    catalogues = all_catalogues()
    assert set(catalogues) == {
        "health", "adult_social_care", "childrens_services", "housing", "police", "education",
        "welfare",
    }  # fmt: skip
    covered = {o for c in catalogues.values() for o in c.outcomes}
    assert covered == set(HeadlineOutcome)  # every outcome has at least one indicator


def test_rules_travel_as_parameters_with_overrides_excepted_from_the_default() -> None:
    catalogue = all_catalogues()["housing"]
    codes, _facts, _ops, thresholds, las, excepted, _windows, wanted = Evaluation.of(
        catalogue
    ).parameters
    arrears = [i for i, c in enumerate(codes) if c == "HOUSING_RENT_ARREARS"]
    assert [las[i] for i in arrears] == [None, "Manchester"]
    assert [thresholds[i] for i in arrears] == [500.0, 750.0]
    assert excepted[arrears[0]] == "Manchester"
    assert "rent_arrears_balance" in wanted


def test_the_mesh_places_postcode_districts_as_the_synthetic_world_does() -> None:
    for authority in AUTHORITIES:
        assert authority.name in LOCAL_AUTHORITIES
        own = set(LOCAL_AUTHORITIES[authority.name])
        # M16 straddles Manchester and Trafford: a district lookup gives it to Manchester.
        assert set(authority.postcode_districts) - {"M16"} <= own
