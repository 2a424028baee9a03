"""Per-agency record writers, in the order they run for each household.

Housing runs before welfare, which reads the arrears housing found.
"""

from __future__ import annotations

from typing import Protocol

from devtools.synth.agencies import (
    adult_social_care,
    childrens_services,
    education,
    health,
    housing,
    police,
    welfare,
)
from devtools.synth.context import ChunkContext
from devtools.synth.people import Household
from devtools.synth.rows import TableSpec


class AgencyRecords(Protocol):
    """Writes one agency's rows for the households of a chunk."""

    def add(self, household: Household) -> None: ...


class AgencyRecordsFactory(Protocol):
    def __call__(self, ctx: ChunkContext) -> AgencyRecords: ...


#: (agency database, its tables in load order, the writer) for every agency.
AGENCIES: tuple[tuple[str, tuple[TableSpec, ...], AgencyRecordsFactory], ...] = (
    (health.AGENCY, health.TABLES, health.HealthRecords),
    (adult_social_care.AGENCY, adult_social_care.TABLES, adult_social_care.AdultSocialCareRecords),
    (
        childrens_services.AGENCY,
        childrens_services.TABLES,
        childrens_services.ChildrensServicesRecords,
    ),
    (housing.AGENCY, housing.TABLES, housing.HousingRecords),
    (police.AGENCY, police.TABLES, police.PoliceRecords),
    (education.AGENCY, education.TABLES, education.EducationRecords),
    (welfare.AGENCY, welfare.TABLES, welfare.WelfareRecords),
)

#: Each agency's table of people, whose keys are the local ids in its ``mesh_identity`` view.
PERSON_TABLES: dict[str, TableSpec] = {
    health.AGENCY: health.PATIENT,
    adult_social_care.AGENCY: adult_social_care.CLIENT,
    childrens_services.AGENCY: childrens_services.CHILD,
    housing.AGENCY: housing.HOUSEHOLD_MEMBER,
    police.AGENCY: police.NOMINAL,
    education.AGENCY: education.PUPIL,
    welfare.AGENCY: welfare.CLAIMANT,
}
