"""Residents and households: who lives where, with their true identity.

Household sizes follow England & Wales 2021 (about 30 % one person, mean about 2.4); a household
is a single adult, a couple, a family with dependent children (couple or lone parent), parents
with grown-up children, or sharers.
"""

from __future__ import annotations

from collections.abc import Iterator
from random import Random

from devtools.synth.dates import REFERENCE_DAY, day, years
from devtools.synth.family_needs import NONE as NO_NEEDS
from devtools.synth.family_needs import FamilyNeeds, family_needs_of
from devtools.synth.geography import Address, Authority, address, authority_at
from devtools.synth.identifiers import nhs_number
from devtools.synth.names import CULTURES, NICKNAMES, NameCulture

_SIZE_SHARES = (0.302, 0.338, 0.152, 0.128, 0.05, 0.02, 0.01)  # sizes 1 .. 7
_CULTURE_SHARES = tuple(c.share for c in CULTURES)
_ERA_1965 = 1965
_ERA_1995 = 1995
_REFERENCE_YEAR = day(REFERENCE_DAY).year

# A latent household need (vulnerability): most households low, a few very high. It scales the
# rates of the need-driven records (social care, police, arrears, UC ...) so that needs cluster
# in the same households, as the household view expects. Mean about 1.
_NEED_LEVELS = ((0.06, 5.0), (0.26, 1.6), (1.0, 0.51))


class Person:
    """A resident's true identity and household role."""

    __slots__ = (
        "age",
        "date_of_birth",
        "family_name",
        "given_name",
        "nhs_number",
        "nicknames",
        "person_id",
        "relationship",
        "sex",
    )

    def __init__(
        self,
        person_id: int,
        given_name: str,
        family_name: str,
        sex: str,
        birth_day: int,
        age: int,
        nhs: str,
        relationship: str,
    ) -> None:
        self.person_id = person_id  # 1-based global index
        self.given_name = given_name
        self.family_name = family_name
        self.sex = sex
        self.date_of_birth = day(birth_day)
        self.age = age  # whole years on the reference date
        self.nhs_number = nhs
        self.nicknames = NICKNAMES.get(given_name, ())
        self.relationship = relationship  # 'head', 'partner', 'child' (dependent) or 'other'


class Household:
    """People at one address; the flags are filled in by agencies that decide them first."""

    __slots__ = (
        "address",
        "authority",
        "family",
        "household_id",
        "in_arrears",
        "members",
        "moved_in",
        "need",
        "previous_address",
        "social_rented",
    )

    def __init__(
        self,
        household_id: int,
        authority: Authority,
        home: Address,
        previous: Address | None,
        moved_in: int,
        need: float,
    ) -> None:
        self.household_id = household_id
        self.authority = authority
        self.address = home
        self.previous_address = previous  # where they lived before a move in the last three years
        self.moved_in = moved_in  # ordinal day
        self.need = need
        self.members: list[Person] = []
        self.social_rented = False
        self.in_arrears = False
        self.family: FamilyNeeds = NO_NEEDS  # drawn once the members are known

    @property
    def adults(self) -> list[Person]:
        return [p for p in self.members if p.age >= 18]

    @property
    def children(self) -> list[Person]:
        return [p for p in self.members if p.age < 18]


def _pick(rng: Random, pool: tuple[str, ...]) -> str:
    return pool[int(rng.random() * len(pool))]


def _pick_index(u: float, shares: tuple[float, ...]) -> int:
    for i, share in enumerate(shares):
        u -= share
        if u < 0:
            return i
    return len(shares) - 1


class _Household:
    """Builds the members of one household in the order head, partner, children, others."""

    def __init__(self, rng: Random, first_person_id: int, seed: int, culture: NameCulture) -> None:
        self.rng = rng
        self.next_id = first_person_id
        self.seed = seed
        self.culture = culture
        self.people: list[Person] = []

    def add(self, age: int, sex: str, relationship: str, family_name: str | None = None) -> Person:
        rng = self.rng
        culture = self.culture
        if relationship == "other" and rng.random() < 0.5:
            culture = CULTURES[_pick_index(rng.random(), _CULTURE_SHARES)]
        birth_day = REFERENCE_DAY - years(age + rng.random())
        born = _REFERENCE_YEAR - age
        era = 0 if born < _ERA_1965 else 1 if born < _ERA_1995 else 2
        pool = culture.male[era] if sex == "M" else culture.female[era]
        person = Person(
            self.next_id,
            _pick(rng, pool),
            family_name or _pick(rng, culture.surnames),
            sex,
            birth_day,
            age,
            nhs_number(self.next_id - 1, self.seed),
            relationship,
        )
        self.next_id += 1
        self.people.append(person)
        return person

    def children(self, count: int, eldest: int, family_name: str) -> None:
        rng = self.rng
        age = eldest
        for _ in range(count):
            self.add(max(age, 0), "M" if rng.random() < 0.512 else "F", "child", family_name)
            age -= 1 + int(rng.random() * 4)


def _single_age(u: float, rng: Random) -> int:
    if u < 0.17:
        return 18 + int(rng.random() * 17)
    if u < 0.56:
        return 35 + int(rng.random() ** 0.7 * 30)
    return 65 + int(rng.random() ** 1.3 * 31)


def _compose(b: _Household, size: int) -> None:
    """Fill a household of ``size`` people."""
    rng = b.rng
    r = rng.random
    if size == 1:
        age = _single_age(r(), rng)
        b.add(age, "F" if r() < (0.6 if age >= 65 else 0.45) else "M", "head")
        return
    u = r()
    # size 2: couple, lone parent + child, parent + adult child, else sharers;
    # larger: couple + children, lone parent + children, parents + adult children, else sharers
    shares = (0.60, 0.10, 0.14) if size == 2 else (0.52, 0.13, 0.27)
    if u < shares[0] + shares[1]:
        couple = u < shares[0]
        if size == 2 and couple:  # a couple without children at home
            v = r()
            age = (
                20 + int(r() * 25)
                if v < 0.28
                else 45 + int(r() * 20)
                if v < 0.56
                else 65 + int(r() ** 1.3 * 27)
            )
            head = b.add(age, "M" if r() < 0.97 else "F", "head")
            b.add(
                max(18, age - 3 + int(r() * 7)),
                "F" if head.sex == "M" else "M",
                "partner",
                head.family_name if r() < 0.75 else None,
            )
            return
        eldest = int(r() ** 0.7 * 18)
        mother_age = eldest + 19 + int(r() * 18)
        if couple:
            father = b.add(mother_age - 2 + int(r() * 8), "M", "head")
            b.add(mother_age, "F", "partner", father.family_name if r() < 0.8 else None)
            b.children(size - 2, eldest, father.family_name)
        else:
            parent = b.add(mother_age, "F" if r() < 0.88 else "M", "head")
            b.children(size - 1, eldest, parent.family_name)
        return
    if u < shares[0] + shares[1] + shares[2]:
        # Parents (or one parent) with one or more grown-up children, perhaps a younger sibling.
        child_age = 18 + int(r() * 14)
        parent_age = child_age + 22 + int(r() * 14)
        head = b.add(parent_age, "M" if size > 2 or r() < 0.3 else "F", "head")
        if size > 2:
            b.add(parent_age - 2 + int(r() * 5), "F", "partner", head.family_name)
        for _ in range(size - (2 if size > 2 else 1)):
            b.add(max(18, child_age), "M" if r() < 0.5 else "F", "other", head.family_name)
            child_age -= 1 + int(r() * 3)
        return
    for i in range(size):  # sharers
        b.add(19 + int(r() * 26), "M" if r() < 0.5 else "F", "head" if i == 0 else "other")


def households(rng: Random, first_person_id: int, count: int, seed: int) -> Iterator[Household]:
    """Households holding exactly ``count`` people with ids from ``first_person_id`` (the last
    household is cut short if it would overflow)."""
    r = rng.random
    next_id = first_person_id
    end = first_person_id + count
    while next_id < end:
        size = min(_pick_index(r(), _SIZE_SHARES) + 1, end - next_id)
        authority = authority_at(r())
        culture = CULTURES[_pick_index(r(), _CULTURE_SHARES)]
        need_draw = r()
        need = (
            next(level for bound, level in _NEED_LEVELS if need_draw < bound)
            * authority.deprivation
        )
        household_id = next_id
        home = address(rng, authority, 2 * household_id, seed)
        if r() < 0.3:
            moved_in = REFERENCE_DAY - int(r() * 3 * 365)
            previous_authority = authority if r() < 0.85 else authority_at(r())
            previous: Address | None = address(rng, previous_authority, 2 * household_id + 1, seed)
        else:
            moved_in = REFERENCE_DAY - years(3 + r() * r() * 40)
            previous = None
        builder = _Household(rng, next_id, seed, culture)
        _compose(builder, size)
        if previous is None:  # not before the head was 16, yet more than three years ago
            head_born = builder.people[0].date_of_birth.toordinal()
            moved_in = min(REFERENCE_DAY - years(3), max(moved_in, head_born + years(16)))
        household = Household(household_id, authority, home, previous, moved_in, need)
        household.members = builder.people
        household.family = family_needs_of(rng, household.members, need)
        next_id = builder.next_id
        yield household
