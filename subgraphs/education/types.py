"""Education's part of the person graph."""

from collections.abc import Callable
from dataclasses import fields
from datetime import date
from typing import Any, TypeVar

import strawberry
from strawberry.types import Info

from subgraphs.education import queries
from subgraphs.kit import NhsNumbered, RecordSubject, many_as, sensitive
from subgraphs.kit import SensitiveCategory as C

T = TypeVar("T")


@strawberry.type(description="A school, as the pupil's records name it.")
class School:
    urn: int = sensitive(C.EDUCATION, description="The school's unique reference number.")
    name: str = sensitive(C.EDUCATION)
    phase: str = sensitive(C.EDUCATION, description="primary or secondary.")
    local_authority: str = sensitive(C.EDUCATION)
    postcode: str = sensitive(C.EDUCATION)


def _at_school(record_type: Callable[..., T]) -> Callable[..., T]:
    """Build ``record_type`` from a row that names its school in ``school_*`` columns."""

    def build(**columns: Any) -> T:
        school = School(**{f.name: columns.pop(f"school_{f.name}") for f in fields(School)})
        return record_type(school=school, **columns)

    return build


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
class EducationRecord(NhsNumbered, RecordSubject):
    upn: strawberry.Private[str]
    send_status: str = sensitive(
        C.EDUCATION,
        description="Special educational needs and disabilities: NONE, SEN_SUPPORT or EHCP "
        "(an education, health and care plan).",
    )

    @sensitive(C.EDUCATION)
    async def enrolments(self, info: Info[Any, Any]) -> list[Enrolment]:
        return await many_as(info, queries.ENROLMENTS, self.upn, _at_school(Enrolment))

    @sensitive(C.EDUCATION, description="Termly attendance, most recent term first.")
    async def attendance(self, info: Info[Any, Any]) -> list[TermAttendance]:
        return await many_as(info, queries.ATTENDANCE, self.upn, _at_school(TermAttendance))

    @sensitive(C.EDUCATION)
    async def exclusions(self, info: Info[Any, Any]) -> list[Exclusion]:
        return await many_as(info, queries.EXCLUSIONS, self.upn, _at_school(Exclusion))
