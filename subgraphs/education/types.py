"""Education's part of the person graph."""

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.education import queries
from subgraphs.kit import SensitiveCategory as C
from subgraphs.kit import many, sensitive


@strawberry.type(description="A school, as the pupil's records name it.")
class School:
    urn: int = sensitive(C.EDUCATION, description="The school's unique reference number.")
    name: str = sensitive(C.EDUCATION)
    phase: str = sensitive(C.EDUCATION, description="primary or secondary.")
    local_authority: str = sensitive(C.EDUCATION)
    postcode: str = sensitive(C.EDUCATION)


def _school(row: Any) -> School:
    return School(
        urn=row["school_urn"],
        name=row["school_name"],
        phase=row["school_phase"],
        local_authority=row["school_local_authority"],
        postcode=row["school_postcode"],
    )


@strawberry.type(description="A pupil's time on a school's roll.")
class Enrolment:
    school: School = sensitive(C.EDUCATION)
    year_group: str = sensitive(C.EDUCATION, description="R, or 1 to 13.")
    start_date: date = sensitive(C.EDUCATION)
    end_date: date | None = sensitive(C.EDUCATION, description="Null while on the roll.")


@strawberry.type(description="A pupil's attendance over one term; a session is a half day.")
class TermAttendance:
    academic_year: str = sensitive(C.EDUCATION, description="e.g. 2024/25.")
    term: str = sensitive(C.EDUCATION, description="autumn, spring or summer.")
    school: School = sensitive(C.EDUCATION)
    sessions_possible: int = sensitive(C.EDUCATION)
    sessions_attended: int = sensitive(C.EDUCATION)
    attendance_percent: float = sensitive(C.EDUCATION)


@strawberry.type(description="A suspension or permanent exclusion from a school.")
class Exclusion:
    exclusion_type: str = sensitive(C.EDUCATION, description="suspension or permanent.")
    school: School = sensitive(C.EDUCATION)
    start_date: date = sensitive(C.EDUCATION)
    days: float | None = sensitive(
        C.EDUCATION, description="Length of a suspension in days; null for a permanent exclusion."
    )
    reason: str = sensitive(C.EDUCATION)


@strawberry.type(description="What the local authority's education service holds about a pupil.")
class EducationRecord:
    upn: strawberry.Private[str]
    nhs_number: str | None = sensitive(C.IDENTITY)
    given_name: str = sensitive(C.IDENTITY)
    family_name: str = sensitive(C.IDENTITY)
    date_of_birth: date = sensitive(C.IDENTITY)
    sex: str = sensitive(C.IDENTITY)
    address_line: str = sensitive(C.CONTACT)
    postcode: str | None = sensitive(C.CONTACT)
    send_status: str = sensitive(
        C.EDUCATION,
        description="Special educational needs and disabilities: NONE, SEN_SUPPORT or EHCP "
        "(an education, health and care plan).",
    )

    @sensitive(C.EDUCATION)
    async def enrolments(self, info: Info[Any, Any]) -> list[Enrolment]:
        rows = await many(info, queries.ENROLMENTS, self.upn)
        return [
            Enrolment(
                school=_school(r),
                year_group=r["year_group"],
                start_date=r["start_date"],
                end_date=r["end_date"],
            )
            for r in rows
        ]

    @sensitive(C.EDUCATION, description="Termly attendance, most recent term first.")
    async def attendance(self, info: Info[Any, Any]) -> list[TermAttendance]:
        rows = await many(info, queries.ATTENDANCE, self.upn)
        return [
            TermAttendance(
                academic_year=r["academic_year"],
                term=r["term"],
                school=_school(r),
                sessions_possible=r["sessions_possible"],
                sessions_attended=r["sessions_attended"],
                attendance_percent=r["attendance_pct"],
            )
            for r in rows
        ]

    @sensitive(C.EDUCATION)
    async def exclusions(self, info: Info[Any, Any]) -> list[Exclusion]:
        rows = await many(info, queries.EXCLUSIONS, self.upn)
        return [
            Exclusion(
                exclusion_type=r["exclusion_type"],
                school=_school(r),
                start_date=r["start_date"],
                days=r["days"],
                reason=r["reason"],
            )
            for r in rows
        ]
