"""Adult social care: clients (mostly older people), Care Act assessments and care packages."""

from __future__ import annotations

from devtools.synth.context import ChunkContext
from devtools.synth.dates import REFERENCE_DAY, day, years
from devtools.synth.draws import Weighted, money, tenths
from devtools.synth.identifiers import LocalIds
from devtools.synth.people import Household, Person
from devtools.synth.rows import TableSpec

AGENCY = "adult_social_care"
CLIENT = TableSpec(
    AGENCY,
    "client",
    (
        "client_id",
        "nhs_number",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "address_line",
        "postcode",
        "uprn",
        "address_confirmed_on",
        "primary_support_reason",
    ),
)
ASSESSMENT = TableSpec(
    AGENCY,
    "assessment",
    (
        "assessment_id",
        "client_id",
        "assessment_type",
        "assessed_on",
        "outcome",
    ),
)
CARE_PACKAGE = TableSpec(
    AGENCY,
    "care_package",
    (
        "package_id",
        "client_id",
        "service_type",
        "weekly_hours",
        "weekly_cost",
        "start_date",
        "end_date",
    ),
)
TABLES = (CLIENT, ASSESSMENT, CARE_PACKAGE)

_CLIENT_ID_BASE = 40_000_000
_WITH_PACKAGE = 0.8  # the rest were assessed but receive no long-term service

_WORKING_AGE_REASONS = Weighted(
    [
        ("learning_disability_support", 35),
        ("mental_health_support", 25),
        ("physical_support", 30),
        ("sensory_support", 5),
        ("social_support", 5),
    ]
)
_OLDER_REASONS = Weighted(
    [
        ("physical_support", 65),
        ("memory_and_cognition", 20),
        ("mental_health_support", 7),
        ("sensory_support", 4),
        ("social_support", 4),
    ]
)
_WORKING_AGE_SERVICES = Weighted(
    [
        ("supported_living", 30),
        ("direct_payment", 30),
        ("home_care", 20),
        ("day_care", 15),
        ("residential_care", 5),
    ]
)
_OLDER_SERVICES = Weighted(
    [
        ("home_care", 50),
        ("residential_care", 17),
        ("nursing_care", 10),
        ("day_care", 5),
        ("direct_payment", 8),
        ("reablement", 10),
    ]
)
_NO_PACKAGE_OUTCOMES = Weighted(
    [("no_eligible_needs", 45), ("universal_services", 35), ("ongoing", 20)]
)
# service -> (least weekly hours, extra hours, hourly cost); None for a weekly fee
_SERVICE_COSTS: dict[str, tuple[float, float, float] | None] = {
    "home_care": (5.0, 25.0, 23.5),
    "supported_living": (20.0, 40.0, 21.0),
    "day_care": (6.0, 14.0, 16.0),
    "direct_payment": (5.0, 25.0, 15.5),
    "reablement": (7.0, 14.0, 25.0),
    "residential_care": None,
    "nursing_care": None,
}


def _care_rate(age: int) -> float:
    if age < 65:
        return 0.007
    if age < 75:
        return 0.025
    return 0.07 if age < 85 else 0.17


class AdultSocialCareRecords:
    """Writes the adults known to adult social care, with assessments and packages."""

    def __init__(self, ctx: ChunkContext) -> None:
        self._ctx = ctx
        self._ids = LocalIds(AGENCY, ctx.seed)
        self._clients = ctx.rows.table(CLIENT)
        self._assessments = ctx.rows.table(ASSESSMENT)
        self._packages = ctx.rows.table(CARE_PACKAGE)

    def add(self, household: Household) -> None:
        r = self._ctx.rng.random
        for person in household.members:
            if person.age >= 18 and r() < _care_rate(person.age) / _WITH_PACKAGE:
                self._add_client(person, household)

    def _add_client(self, person: Person, household: Household) -> None:
        ctx = self._ctx
        r = ctx.rng.random
        client_id = _CLIENT_ID_BASE + self._ids.of(person.person_id - 1)
        older = person.age >= 65
        reason = (_OLDER_REASONS if older else _WORKING_AGE_REASONS).pick(r())
        nhs = (
            person.nhs_number if ctx.identity.holds(ctx.faults.nhs_held_adult_social_care) else None
        )
        self._clients.append((client_id, nhs, *ctx.identity.copy(person, household), reason))
        ctx.link(AGENCY, str(client_id), person)
        known_since = REFERENCE_DAY - years(r() * (6 if older else 15)) - 30
        if r() >= _WITH_PACKAGE:
            assessed = REFERENCE_DAY - int(r() * 400)
            self._assessments.append(
                (
                    client_id * 10,
                    client_id,
                    "needs_assessment",
                    day(assessed),
                    _NO_PACKAGE_OUTCOMES.pick(r()),
                )
            )
            return
        self._assessments.append(
            (client_id * 10, client_id, "needs_assessment", day(known_since), "eligible_needs")
        )
        self._assessments.append(
            (
                client_id * 10 + 1,
                client_id,
                "financial_assessment",
                day(known_since + 14),
                "eligible_needs",
            )
        )
        review = known_since + 365
        j = 2
        while review < REFERENCE_DAY and j < 9:
            self._assessments.append(
                (client_id * 10 + j, client_id, "review", day(review), "eligible_needs")
            )
            review += 365
            j += 1
        services = _OLDER_SERVICES if older else _WORKING_AGE_SERVICES
        start = known_since + 28
        if r() < 0.25 and start < REFERENCE_DAY - 120:  # an earlier package, since replaced
            end = start + int(r() * (REFERENCE_DAY - start - 60))
            self._add_package(client_id * 10, client_id, services.pick(r()), start, end)
            start = end + 1
        self._add_package(client_id * 10 + 1, client_id, services.pick(r()), start, None)

    def _add_package(
        self, package_id: int, client_id: int, service: str, start: int, end: int | None
    ) -> None:
        r = self._ctx.rng.random
        costing = _SERVICE_COSTS[service]
        if costing is None:
            hours = None
            cost = (950.0 if service == "nursing_care" else 780.0) + r() * 450.0
        else:
            least, extra, hourly = costing
            hours = tenths(least + r() * extra)
            cost = float(hours) * hourly
        self._packages.append(
            (
                package_id,
                client_id,
                service,
                hours,
                money(cost),
                day(start),
                None if end is None else day(end),
            )
        )
