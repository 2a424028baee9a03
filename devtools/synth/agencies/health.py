"""Health: GP registrations (nearly everyone), long-term conditions, A&E, mental-health contacts."""

from __future__ import annotations

from devtools.synth.context import ChunkContext
from devtools.synth.dates import REFERENCE_DAY, day, moment, years
from devtools.synth.draws import Weighted, repeats
from devtools.synth.identifiers import LocalIds
from devtools.synth.people import Household
from devtools.synth.rows import TableSpec

AGENCY = "health"
PATIENT = TableSpec(
    AGENCY,
    "patient",
    (
        "patient_id",
        "nhs_number",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "address_line",
        "postcode",
        "uprn",
        "gp_practice_code",
        "registered_on",
        "national_data_opt_out",
    ),
)
LONG_TERM_CONDITION = TableSpec(
    AGENCY,
    "long_term_condition",
    (
        "condition_id",
        "patient_id",
        "snomed_code",
        "description",
        "diagnosed_on",
    ),
)
AE_ATTENDANCE = TableSpec(
    AGENCY,
    "ae_attendance",
    (
        "attendance_id",
        "patient_id",
        "arrived_at",
        "presenting_complaint",
        "disposal",
    ),
)
MENTAL_HEALTH_CONTACT = TableSpec(
    AGENCY,
    "mental_health_contact",
    (
        "contact_id",
        "patient_id",
        "contact_date",
        "service",
        "team",
    ),
)
TABLES = (PATIENT, LONG_TERM_CONDITION, AE_ATTENDANCE, MENTAL_HEALTH_CONTACT)

_REGISTERED = 0.99
_OPTED_OUT = 0.02
_PATIENT_ID_BASE = 10_000_000

_Condition = tuple[str, str]
_CHILD_CONDITIONS: Weighted[_Condition] = Weighted(
    [
        (("195967001", "Asthma"), 6),
        (("84757009", "Epilepsy"), 1),
        (("46635009", "Type 1 diabetes mellitus"), 1),
        (("406506008", "Attention deficit hyperactivity disorder"), 2),
        (("35919005", "Autism spectrum disorder"), 2),
        (("24700007", "Eczema"), 2),
    ]
)
_ADULT_CONDITIONS: Weighted[_Condition] = Weighted(
    [
        (("195967001", "Asthma"), 5),
        (("35489007", "Depressive disorder"), 6),
        (("38341003", "Hypertension"), 5),
        (("44054006", "Type 2 diabetes mellitus"), 3),
        (("40930008", "Hypothyroidism"), 2),
        (("197480006", "Anxiety disorder"), 3),
        (("84757009", "Epilepsy"), 1),
        (("69896004", "Rheumatoid arthritis"), 1),
        (("13645005", "Chronic obstructive pulmonary disease"), 1),
        (("66071002", "Viral hepatitis type B"), 0.2),
        (("58214004", "Schizophrenia"), 0.4),
    ]
)
_OLDER_CONDITIONS: Weighted[_Condition] = Weighted(
    [
        (("38341003", "Hypertension"), 8),
        (("44054006", "Type 2 diabetes mellitus"), 4),
        (("53741008", "Coronary arteriosclerosis"), 3),
        (("13645005", "Chronic obstructive pulmonary disease"), 3),
        (("49436004", "Atrial fibrillation"), 3),
        (("709044004", "Chronic kidney disease"), 3),
        (("84114007", "Heart failure"), 2),
        (("52448006", "Dementia"), 2),
        (("396275006", "Osteoarthritis"), 4),
        (("363346000", "Malignant neoplastic disease"), 2),
        (("230690007", "Cerebrovascular accident"), 1.5),
        (("35489007", "Depressive disorder"), 2),
    ]
)
_COMPLAINTS = Weighted(
    [
        ("chest pain", 8),
        ("abdominal pain", 9),
        ("shortness of breath", 7),
        ("fall", 8),
        ("head injury", 5),
        ("limb injury", 10),
        ("laceration", 5),
        ("back pain", 4),
        ("fever", 4),
        ("collapse", 3),
        ("seizure", 2),
        ("allergic reaction", 2),
        ("alcohol intoxication", 2),
        ("overdose", 1.5),
        ("mental health crisis", 2),
        ("rash", 1.5),
        ("vomiting", 3),
    ]
)
_DISPOSALS = Weighted(
    [
        ("discharged", 55),
        ("admitted", 22),
        ("referred_to_gp", 8),
        ("referred_to_clinic", 7),
        ("transferred", 2),
        ("left_before_treatment", 6),
    ]
)
_ADULT_SERVICES = Weighted(
    [
        (("Community Mental Health Team", "CMHT"), 5),
        (("NHS Talking Therapies", "Talking Therapies"), 7),
        (("Crisis Resolution and Home Treatment", "Crisis Team"), 1.5),
        (("Early Intervention in Psychosis", "EIP"), 0.7),
        (("Perinatal Mental Health", "Perinatal"), 0.5),
    ]
)
_OLDER_SERVICE = ("Older Adults Community Mental Health", "Older Adults CMHT")
_CHILD_SERVICE = ("Children and Young People's Mental Health Service", "CAMHS")
_SUBSTANCE_SERVICE = ("Drug and Alcohol Service", "Drug and Alcohol Team")


def _ltc_rate(age: int) -> float:
    if age < 18:
        return 0.09
    if age < 45:
        return 0.17
    if age < 65:
        return 0.38
    return 0.58 if age < 75 else 0.74


class HealthRecords:
    """Writes the GP-registered patients of each household and their health events."""

    def __init__(self, ctx: ChunkContext) -> None:
        self._ctx = ctx
        self._ids = LocalIds(AGENCY, ctx.seed)
        self._patients = ctx.rows.table(PATIENT)
        self._conditions = ctx.rows.table(LONG_TERM_CONDITION)
        self._attendances = ctx.rows.table(AE_ATTENDANCE)
        self._contacts = ctx.rows.table(MENTAL_HEALTH_CONTACT)

    def add(self, household: Household) -> None:
        ctx = self._ctx
        rng = ctx.rng
        r = rng.random
        authority = household.authority
        practice = f"{authority.gp_prefix}{1 + int(r() * 60):03d}"
        need = household.need
        for person in household.members:
            if r() >= _REGISTERED:
                continue
            patient_id = _PATIENT_ID_BASE + self._ids.of(person.person_id - 1)
            born = person.date_of_birth.toordinal()
            if household.previous_address is not None:
                registered = min(REFERENCE_DAY, household.moved_in + int(r() * 90))
            else:
                registered = REFERENCE_DAY - years(r() * 25)
            own_practice = (
                practice if r() < 0.9 else f"{authority.gp_prefix}{1 + int(r() * 60):03d}"
            )
            self._patients.append(
                (
                    patient_id,
                    person.nhs_number,
                    *ctx.identity.copy(person, household),
                    own_practice,
                    day(max(born, registered)),
                    r() < _OPTED_OUT,
                )
            )
            ctx.link(AGENCY, str(patient_id), person)
            age = person.age
            if r() < _ltc_rate(age):
                self._add_conditions(patient_id, age, born)
            ae_rate = 0.2 * (0.6 + 0.4 * need) * (1.5 if age < 5 or age >= 75 else 1.0)
            if r() < ae_rate:
                self._add_attendances(patient_id, age, born)
            mh_rate = (0.025 if age >= 18 else 0.04 if age >= 10 else 0.0) * (0.4 + 0.6 * need)
            family = household.family
            adult_in_family_need = age >= 18 and person is household.members[0]
            if (adult_in_family_need and family.mental_health and r() < 0.8) or r() < mh_rate:
                self._add_contacts(patient_id, age, authority.places)
            if adult_in_family_need and family.substance_misuse and r() < 0.7:
                self._add_contacts(patient_id, age, authority.places, _SUBSTANCE_SERVICE)

    def _add_conditions(self, patient_id: int, age: int, born: int) -> None:
        r = self._ctx.rng.random
        pool = (
            _CHILD_CONDITIONS if age < 18 else _ADULT_CONDITIONS if age < 65 else _OLDER_CONDITIONS
        )
        count = repeats(self._ctx.rng, 0.45 if age >= 65 else 0.2, 4)
        seen: set[str] = set()
        for j in range(count):
            code, description = pool.pick(r())
            if code in seen:
                continue
            seen.add(code)
            onset = born + years(1 + r() * max(age - 1, 0.5))
            self._conditions.append(
                (
                    patient_id * 100 + j,
                    patient_id,
                    code,
                    description,
                    day(min(onset, REFERENCE_DAY)),
                )
            )

    def _add_attendances(self, patient_id: int, age: int, born: int) -> None:
        r = self._ctx.rng.random
        for j in range(repeats(self._ctx.rng, 0.35, 8)):
            on = REFERENCE_DAY - int(r() * min(730, REFERENCE_DAY - born))
            arrived = moment(on, int((7 + r() * 17) * 3600) % 86_400)
            complaint = _COMPLAINTS.pick(r())
            if age < 16 and complaint in ("overdose", "alcohol intoxication", "chest pain"):
                complaint = "fever"
            self._attendances.append(
                (patient_id * 100 + j, patient_id, arrived, complaint, _DISPOSALS.pick(r()))
            )

    def _add_contacts(
        self,
        patient_id: int,
        age: int,
        places: tuple[str, ...],
        service_team: tuple[str, str] | None = None,
    ) -> None:
        r = self._ctx.rng.random
        if service_team is not None:
            service, team = service_team
        elif age < 18:
            service, team = _CHILD_SERVICE
        elif age >= 65 and r() < 0.7:
            service, team = _OLDER_SERVICE
        else:
            service, team = _ADULT_SERVICES.pick(r())
        team_name = f"{places[int(r() * len(places))]} {team}"
        first = REFERENCE_DAY - int(r() * 700)
        on = first
        for j in range(repeats(self._ctx.rng, 0.7, 12)):
            first = patient_id * 100 + (50 if service_team is not None else 0)
            self._contacts.append((first + j, patient_id, day(on), service, team_name))
            on += 7 + int(r() * 35)
            if on > REFERENCE_DAY:
                break
