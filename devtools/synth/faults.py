"""Identity faults: how an agency's copy of a person's identity drifts from the truth."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from random import Random
from typing import ClassVar

from devtools.synth.dates import REFERENCE_DATE, REFERENCE_DAY, day, years
from devtools.synth.names import STREET_ABBREVIATIONS
from devtools.synth.people import Household, Person

#: given_name, family_name, date_of_birth, sex, address_line, postcode, uprn, address_confirmed_on
Identity = tuple[str, str, date, str, str, str | None, int | None, date]

_VOWELS = "aeiou"
_CONFIRMED_WITHIN = years(3)
_NEIGHBOUR_KEYS = {
    "a": "sq",
    "b": "vn",
    "c": "xv",
    "d": "sf",
    "e": "wr",
    "f": "dg",
    "g": "fh",
    "h": "gj",
    "i": "uo",
    "j": "hk",
    "k": "jl",
    "l": "k",
    "m": "n",
    "n": "bm",
    "o": "ip",
    "p": "o",
    "q": "w",
    "r": "et",
    "s": "ad",
    "t": "ry",
    "u": "yi",
    "v": "cb",
    "w": "qe",
    "x": "zc",
    "y": "tu",
    "z": "x",
}


@dataclass(frozen=True)
class FaultRates:
    """Probabilities of each identity fault in an agency's record of a person.

    Each applies only where the fault is possible: ``nickname`` to given names with a common short
    form, ``dob_day_month_swap`` to birth dates whose day is at most 12 and differs from the month
    (unless the swap would put the birth after the reference date),
    ``stale_address`` to an agency's records of a household that moved in the last three years
    (the agency missed the move, so every member it knows has the old address; housing always
    has the current one), and ``stale_address_touched`` to each stale record: it was updated after
    the move without its address being checked, so its as-of date is recent.
    Health holds every NHS number, correctly; the ``nhs_held_*`` rates say
    how often the other agencies that record one have it (housing, police and welfare never do).
    """

    surname_typo: float = 0.02
    nickname: float = 0.12
    dob_day_month_swap: float = 0.02
    stale_address: float = 0.25
    stale_address_touched: float = 0.03
    missing_postcode: float = 0.015
    missing_uprn: float = 0.15
    abbreviated_street: float = 0.10
    unknown_sex: float = 0.005
    nhs_held_adult_social_care: float = 0.85
    nhs_held_childrens_services: float = 0.5
    nhs_held_education: float = 0.2

    DEFAULT: ClassVar[FaultRates]

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"fault rate {f.name} must be between 0 and 1, not {value}")

    @classmethod
    def none(cls) -> FaultRates:
        """No faults, and every NHS number held where an agency records one."""
        return cls(
            **{f.name: (1.0 if f.name.startswith("nhs_held_") else 0.0) for f in fields(cls)}
        )


DEFAULT_FAULTS = FaultRates()
FaultRates.DEFAULT = DEFAULT_FAULTS


def surname_typo(rng: Random, name: str) -> str:
    """``name`` with one keying slip after the first letter: a transposition, a dropped or doubled
    letter, or a neighbouring key."""
    if len(name) < 3:
        return name + name[-1]
    for _ in range(8):
        i = 1 + int(rng.random() * (len(name) - 1))
        kind = rng.random()
        if kind < 0.3 and i < len(name) - 1:
            typo = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        elif kind < 0.5:
            typo = name[:i] + name[i + 1 :]
        elif kind < 0.65:
            typo = name[:i] + name[i] + name[i:]
        else:
            c = name[i].lower()
            pool = _VOWELS if c in _VOWELS else _NEIGHBOUR_KEYS.get(c, "e")
            typo = name[:i] + pool[int(rng.random() * len(pool))] + name[i + 1 :]
        if typo != name:
            return typo
    return name + "e"


def _abbreviate(line: str) -> str:
    head, _, kind = line.rpartition(" ")
    short = STREET_ABBREVIATIONS.get(kind)
    return f"{head} {short}" if short else line


class IdentityCopier:
    """Makes one agency record's copy of a person's identity, faults included."""

    __slots__ = ("_missed_move", "_rates", "_rng")

    def __init__(self, rng: Random, rates: FaultRates) -> None:
        self._rng = rng
        self._rates = rates
        self._missed_move = False

    def visit(self, household: Household) -> None:
        """One agency turns to a household: did it miss the household's last move?"""
        self._missed_move = (
            household.previous_address is not None
            and self._rng.random() < self._rates.stale_address
        )

    def copy(
        self, person: Person, household: Household, *, current_address: bool = False
    ) -> Identity:
        """A faulted copy; ``current_address`` for agencies that always know address and UPRN."""
        r = self._rng.random
        rates = self._rates
        given = person.given_name
        if person.nicknames and r() < rates.nickname:
            given = person.nicknames[int(r() * len(person.nicknames))]
        family = person.family_name
        if r() < rates.surname_typo:
            family = surname_typo(self._rng, family)
        born = person.date_of_birth
        if born.day <= 12 and born.day != born.month and r() < rates.dob_day_month_swap:
            swapped = date(born.year, born.day, born.month)
            born = swapped if swapped <= REFERENCE_DATE else born
        sex = "U" if r() < rates.unknown_sex else person.sex
        home = household.address
        moved_in = household.moved_in
        # When the agency last confirmed the address: since the move for the current one (within
        # the last three years), before it for a stale one unless the record was touched since.
        confirmed = max(
            moved_in, REFERENCE_DAY - _CONFIRMED_WITHIN, person.date_of_birth.toordinal()
        )
        confirmed += int(r() * (REFERENCE_DAY - confirmed + 1))
        if not current_address and self._missed_move and household.previous_address is not None:
            home = household.previous_address
            if r() >= rates.stale_address_touched:
                confirmed = moved_in - 1 - int(r() * _CONFIRMED_WITHIN)
        line = _abbreviate(home.line) if r() < rates.abbreviated_street else home.line
        postcode = None if r() < rates.missing_postcode else home.postcode
        uprn = None if not current_address and r() < rates.missing_uprn else home.uprn
        return given, family, born, sex, line, postcode, uprn, day(confirmed)

    def holds(self, rate: float) -> bool:
        """Whether this record has an item an agency records at ``rate``."""
        return self._rng.random() < rate
