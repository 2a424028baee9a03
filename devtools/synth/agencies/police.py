"""Police: nominals, the incidents they were in (victim, suspect or witness) and warning markers.

Domestic abuse is generated per couple, so victim, suspect and child witnesses share a household.
Family names are held in capitals, as police systems do.
"""

from __future__ import annotations

from devtools.synth.context import ChunkContext
from devtools.synth.dates import REFERENCE_DAY, day, moment
from devtools.synth.draws import Weighted, repeats
from devtools.synth.identifiers import LocalIds
from devtools.synth.people import Household, Person
from devtools.synth.rows import TableSpec

AGENCY = "police"
NOMINAL = TableSpec(
    AGENCY,
    "nominal",
    (
        "nominal_ref",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "address_line",
        "postcode",
        "uprn",
    ),
)
INCIDENT = TableSpec(
    AGENCY, "incident", ("incident_ref", "incident_type", "occurred_at", "postcode")
)
INCIDENT_NOMINAL = TableSpec(AGENCY, "incident_nominal", ("incident_ref", "nominal_ref", "role"))
NOMINAL_MARKER = TableSpec(AGENCY, "nominal_marker", ("nominal_ref", "marker_code", "added_on"))
TABLES = (NOMINAL, INCIDENT, INCIDENT_NOMINAL, NOMINAL_MARKER)

_WINDOW_DAYS = 730
_INCIDENT_ID_SPACE = 100_000_000
_INCIDENTS_PER_PERSON = 10
_DOMESTIC_ABUSE_REPORTED = (
    0.6  # of couples living with domestic abuse (devtools.synth.family_needs)
)

_ROLES = Weighted([("victim", 45), ("suspect", 35), ("witness", 20)])
_SUSPECT_TYPES = Weighted(
    [
        ("anti_social_behaviour", 30),
        ("violence_with_injury", 12),
        ("violence_without_injury", 13),
        ("theft", 15),
        ("criminal_damage", 10),
        ("drugs", 10),
        ("public_order", 10),
    ]
)
_VICTIM_TYPES = Weighted(
    [
        ("theft", 25),
        ("burglary", 15),
        ("violence_with_injury", 10),
        ("violence_without_injury", 15),
        ("criminal_damage", 15),
        ("fraud", 10),
        ("anti_social_behaviour", 10),
    ]
)
_SUSPECT_MARKERS = {
    "anti_social_behaviour": "ASB",
    "violence_with_injury": "VIOLENCE",
    "drugs": "DRUGS",
}
_Event = tuple[int, str, str]  # day, incident type, role


def _involvement_rate(person: Person) -> float:
    age = person.age
    if age < 10:
        return 0.008
    base = (
        0.05
        if age < 18
        else 0.10
        if age < 25
        else 0.08
        if age < 45
        else 0.05
        if age < 65
        else 0.025
    )
    return base * (1.2 if person.sex == "M" else 0.85)


class PoliceRecords:
    """Writes the nominals of each household, their incidents and markers."""

    def __init__(self, ctx: ChunkContext) -> None:
        self._ctx = ctx
        self._ids = LocalIds(AGENCY, ctx.seed)
        self._incident_ids = LocalIds("police-incident", ctx.seed, _INCIDENT_ID_SPACE)
        self._nominals = ctx.rows.table(NOMINAL)
        self._incidents = ctx.rows.table(INCIDENT)
        self._involved = ctx.rows.table(INCIDENT_NOMINAL)
        self._markers = ctx.rows.table(NOMINAL_MARKER)

    def add(self, household: Household) -> None:
        rng = self._ctx.rng
        r = rng.random
        need = household.need
        events: dict[int, list[_Event]] = {}
        shared: list[tuple[int, str, list[tuple[Person, str]]]] = []
        members = household.members
        if (
            len(members) > 1
            and members[1].relationship == "partner"
            and household.family.domestic_abuse
            and r() < _DOMESTIC_ABUSE_REPORTED
        ):
            head, partner = members[0], members[1]
            victim, suspect = (
                (partner, head) if (partner.sex == "F") == (r() < 0.85) else (head, partner)
            )
            witnesses = [p for p in members if p.relationship == "child" and p.age >= 5]
            for _ in range(repeats(rng, 0.45, 5)):
                parties = [(victim, "victim"), (suspect, "suspect")]
                parties.extend((w, "witness") for w in witnesses if r() < 0.25)
                shared.append((REFERENCE_DAY - int(r() * _WINDOW_DAYS), "domestic_abuse", parties))
        for person in members:
            if r() >= _involvement_rate(person) * (0.5 + 0.5 * need):
                continue
            own = events.setdefault(person.person_id, [])
            window = min(_WINDOW_DAYS, REFERENCE_DAY - person.date_of_birth.toordinal())
            for _ in range(repeats(rng, 0.4, 5)):  # numbered 0-4; shared incidents 9 down
                on = REFERENCE_DAY - int(r() * window)
                if person.age < 18 and person.age >= 12 and r() < 0.15:
                    own.append((on, "missing_person", "victim"))
                elif person.age >= 18 and r() < 0.08:
                    own.append((on, "concern_for_welfare", "victim"))
                else:
                    role = (
                        _ROLES.pick(r())
                        if person.age >= 10
                        else "witness"
                        if r() < 0.5
                        else "victim"
                    )
                    kind = (
                        _SUSPECT_TYPES.pick(r()) if role == "suspect" else _VICTIM_TYPES.pick(r())
                    )
                    own.append((on, kind, role))
        if events or shared:
            self._write(household, events, shared)

    def _write(
        self,
        household: Household,
        events: dict[int, list[_Event]],
        shared: list[tuple[int, str, list[tuple[Person, str]]]],
    ) -> None:
        ctx = self._ctx
        r = ctx.rng.random
        postcode = household.address.postcode
        refs: dict[int, str] = {}
        markers: dict[tuple[str, str], int] = {}
        people = {p.person_id: p for p in household.members}

        def nominal(person: Person) -> str:
            ref = refs.get(person.person_id)
            if ref is None:
                ref = f"GMP-N{self._ids.of(person.person_id - 1):07d}"
                given, family, *rest = ctx.identity.copy(person, household)
                self._nominals.append((ref, given, family.upper(), *rest))
                ctx.link(AGENCY, ref, person)
                refs[person.person_id] = ref
            return ref

        def incident(owner: Person, j: int, on: int, kind: str) -> str:
            number = self._incident_ids.of((owner.person_id - 1) * _INCIDENTS_PER_PERSON + j)
            ref = f"GMP-I{number:08d}"
            self._incidents.append(
                (ref, kind, moment(on, int(r() * 86_400)), postcode if r() < 0.6 else None)
            )
            return ref

        def mark(ref: str, code: str, on: int) -> None:
            key = (ref, code)
            markers[key] = min(on, markers.get(key, on))

        for j, (on, kind, parties) in enumerate(shared):
            owner = parties[0][0]
            ref = incident(owner, _INCIDENTS_PER_PERSON - 1 - j, on, kind)
            for person, role in parties:
                nominal_ref = nominal(person)
                self._involved.append((ref, nominal_ref, role))
                if role != "witness":
                    mark(nominal_ref, "DOMESTIC_ABUSE", on)
        for person_id, own in events.items():
            person = people[person_id]
            nominal_ref = nominal(person)
            for j, (on, kind, role) in enumerate(own):
                self._involved.append((incident(person, j, on, kind), nominal_ref, role))
                code = _SUSPECT_MARKERS.get(kind) if role == "suspect" else None
                if kind == "missing_person":
                    code = "MISSING_PERSON"
                elif kind == "concern_for_welfare":
                    code = "MENTAL_HEALTH"
                if code is not None:
                    mark(nominal_ref, code, on)
        self._markers.extend((ref, code, day(on)) for (ref, code), on in markers.items())
