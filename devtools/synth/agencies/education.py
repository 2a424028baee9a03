"""Education: schools, pupils (by UPN), enrolments, termly attendance, suspensions and exclusions,
and SEND status. Pupils are the school-age children (reception to year 11) plus about half of
16-17 year olds in school sixth forms; schools are written once, in the first chunk."""

from __future__ import annotations

from datetime import date

from devtools.synth.agencies.schools import School, schools
from devtools.synth.context import ChunkContext
from devtools.synth.dates import REFERENCE_DAY, day
from devtools.synth.draws import Weighted, hundredths, repeats, tenths
from devtools.synth.identifiers import LocalIds, upn
from devtools.synth.people import Household, Person
from devtools.synth.rows import TableSpec

AGENCY = "education"
SCHOOL = TableSpec(AGENCY, "school", ("urn", "name", "phase", "local_authority", "postcode"))
PUPIL = TableSpec(
    AGENCY,
    "pupil",
    (
        "upn",
        "nhs_number",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "address_line",
        "postcode",
        "uprn",
        "send_status",
    ),
)
ENROLMENT = TableSpec(
    AGENCY,
    "enrolment",
    (
        "enrolment_id",
        "upn",
        "urn",
        "year_group",
        "start_date",
        "end_date",
    ),
)
ATTENDANCE = TableSpec(
    AGENCY,
    "attendance",
    (
        "upn",
        "academic_year",
        "term",
        "urn",
        "sessions_possible",
        "sessions_attended",
        "attendance_pct",
    ),
)
EXCLUSION = TableSpec(
    AGENCY,
    "exclusion",
    (
        "exclusion_id",
        "upn",
        "urn",
        "exclusion_type",
        "start_date",
        "days",
        "reason",
    ),
)
TABLES = (SCHOOL, PUPIL, ENROLMENT, ATTENDANCE, EXCLUSION)

_YEAR = 2024  # the academic year 2024/25 began in September 2024
_YEAR_GROUPS = ("R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13")
_TERMS = (
    ("2023/24", "summer", 130, -1),
    ("2024/25", "autumn", 140, 0),
    ("2024/25", "spring", 122, 0),
)
_EHCP = 0.043
_SEN_SUPPORT = 0.13
_PERSISTENT_ABSENCE = 0.185  # times a need factor averaging about 1.1: ~21 % of pupils
_THIS_YEAR = (date(2024, 9, 2).toordinal(), REFERENCE_DAY)
_LAST_YEAR = (date(2023, 9, 4).toordinal(), date(2024, 7, 19).toordinal())

_REASONS = Weighted(
    [
        ("persistent_disruptive_behaviour", 45),
        ("verbal_abuse_against_adult", 12),
        ("physical_assault_against_pupil", 12),
        ("physical_assault_against_adult", 5),
        ("drug_and_alcohol_related", 5),
        ("use_or_threat_of_weapon", 2),
        ("damage", 4),
        ("bullying", 3),
        ("other", 12),
    ]
)
_SUSPENSION_DAYS = (0.5, 1.0, 1.0, 1.0, 2.0, 2.0, 3.0, 5.0)


def _academic_age(born: date) -> int:
    return _YEAR - born.year - (1 if born.month > 8 else 0)


class EducationRecords:
    """Writes the pupils of each household and their school records."""

    def __init__(self, ctx: ChunkContext) -> None:
        self._ctx = ctx
        self._ids = LocalIds(AGENCY, ctx.seed)
        self._schools = schools(ctx.seed)
        self._pupils = ctx.rows.table(PUPIL)
        self._enrolments = ctx.rows.table(ENROLMENT)
        self._attendance = ctx.rows.table(ATTENDANCE)
        self._exclusions = ctx.rows.table(EXCLUSION)
        if ctx.index == 0:
            ctx.rows.table(SCHOOL).extend(
                (s.urn, s.name, s.phase, s.authority.name, s.postcode)
                for primaries, secondaries in self._schools.values()
                for s in primaries + secondaries
            )

    def add(self, household: Household) -> None:
        r = self._ctx.rng.random
        primaries, secondaries = self._schools[household.authority.name]
        family_primary = primaries[int(r() * len(primaries))]
        family_secondary = secondaries[int(r() * len(secondaries))]
        for person in household.members:
            if person.age < 3 or person.age > 18:
                continue
            group = _academic_age(person.date_of_birth) - 4
            if group < 0 or group > 13 or r() >= (0.975 if group <= 11 else 0.55):
                continue
            family = family_primary if group <= 6 else family_secondary
            pool = primaries if group <= 6 else secondaries
            school = family if r() < 0.85 else pool[int(r() * len(pool))]
            earlier = primaries[int(r() * len(primaries))] if r() < 0.15 else family_primary
            self._add_pupil(person, household, group, school, earlier, secondaries)

    def _add_pupil(
        self,
        person: Person,
        household: Household,
        group: int,
        school: School,
        earlier_primary: School,
        secondaries: tuple[School, ...],
    ) -> None:
        ctx = self._ctx
        r = ctx.rng.random
        number = self._ids.of(person.person_id - 1)
        ref = upn(household.authority.la_code, number)
        need_factor = 0.7 + 0.3 * household.need
        u = r() / ((1.35 if person.sex == "M" else 0.65) * need_factor)
        send = "EHCP" if u < _EHCP else "SEN_SUPPORT" if u < _EHCP + _SEN_SUPPORT else "NONE"
        nhs = person.nhs_number if ctx.identity.holds(ctx.faults.nhs_held_education) else None
        self._pupils.append((ref, nhs, *ctx.identity.copy(person, household), send))
        ctx.link(AGENCY, ref, person)

        secondary = group >= 7
        joined = _YEAR - (group - 7 if secondary else group)
        start = max(date(joined, 9, 2).toordinal(), min(household.moved_in, _THIS_YEAR[0]))
        last_year_school = school
        excluded_from: School | None = None
        if secondary and group >= 8 and r() < 0.0025 * (0.5 + 0.5 * household.need):
            excluded_from = secondaries[int(r() * len(secondaries))]
        if secondary:
            finished_primary = date(joined, 7, 19).toordinal()
            self._enrolments.append(
                (
                    number * 10,
                    ref,
                    earlier_primary.urn,
                    "R",
                    date(joined - 7, 9, 2),
                    day(finished_primary),
                )
            )
            if group == 7:
                last_year_school = earlier_primary
        if excluded_from is not None:
            on = _LAST_YEAR[0] + int(r() * (_LAST_YEAR[1] - _LAST_YEAR[0]))
            self._enrolments.append(
                (
                    number * 10 + 1,
                    ref,
                    excluded_from.urn,
                    str(group - 1),
                    date(joined, 9, 2),
                    day(on),
                )
            )
            self._exclusions.append(
                (
                    number * 10,
                    ref,
                    excluded_from.urn,
                    "permanent",
                    day(on),
                    None,
                    _REASONS.pick(r()),
                )
            )
            start = _THIS_YEAR[0]
        self._enrolments.append(
            (number * 10 + 2, ref, school.urn, _YEAR_GROUPS[group], day(start), None)
        )

        rate = (
            _PERSISTENT_ABSENCE
            * (0.55 + 0.45 * household.need)
            * (1.4 if send == "EHCP" else 1.15 if send == "SEN_SUPPORT" else 1.0)
            * household.family.absence_factor
        )
        level = 62.0 + r() * 27.9 if r() < rate else 100.0 - r() ** 1.6 * 10.0
        for academic_year, term, possible, offset in _TERMS:
            if offset and (group == 0 or excluded_from is not None):
                continue
            pct = min(100.0, max(0.0, level + (r() - 0.5) * 6.0))
            attended = round(possible * pct / 100.0)
            self._attendance.append(
                (
                    ref,
                    academic_year,
                    term,
                    last_year_school.urn if offset else school.urn,
                    possible,
                    attended,
                    hundredths(attended * 100.0 / possible),
                )
            )

        rate = (
            (0.07 if secondary else 0.012)
            * (0.5 + 0.5 * household.need)
            * (1.5 if send != "NONE" else 1.0)
        )
        if r() < rate:
            low, high = _THIS_YEAR if r() < 0.6 else _LAST_YEAR
            for j in range(1, repeats(ctx.rng, 0.45, 6) + 1):
                on = low + int(r() * (high - low))
                self._exclusions.append(
                    (
                        number * 10 + j,
                        ref,
                        school.urn,
                        "suspension",
                        day(on),
                        tenths(_SUSPENSION_DAYS[int(r() * len(_SUSPENSION_DAYS))]),
                        _REASONS.pick(r()),
                    )
                )
