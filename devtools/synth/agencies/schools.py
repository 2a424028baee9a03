"""The schools of Greater Manchester: a fixed synthetic list per seed, about one primary per 3,500
residents and one secondary per 17,000 (roughly as many as there are)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from random import Random

from devtools.synth.geography import AUTHORITIES, Authority, postcode
from devtools.synth.names import STREET_NAMES

_SAINTS = (
    "Mary",
    "Joseph",
    "Peter",
    "John",
    "Anne",
    "Patrick",
    "Thomas",
    "James",
    "Paul",
    "Luke",
    "Bernadette",
    "Margaret",
    "Teresa",
    "Wilfrid",
    "Chad",
)
_PRIMARY_PATTERNS = (
    "{place} Primary School",
    "{place} Community Primary School",
    "St {saint}'s RC Primary School",
    "{place} CofE Primary School",
    "{street} Primary Academy",
    "{street} Primary School",
)
_SECONDARY_PATTERNS = (
    "{place} High School",
    "{place} Academy",
    "St {saint}'s RC High School",
    "{place} Community School",
    "{place} Grammar School",
)


@dataclass(frozen=True)
class School:
    urn: int
    name: str
    phase: str  # 'primary' or 'secondary'
    authority: Authority
    postcode: str


@lru_cache(maxsize=8)
def schools(seed: int) -> dict[str, tuple[tuple[School, ...], tuple[School, ...]]]:
    """Each authority's (primary, secondary) schools for a seed."""
    rng = Random(f"civic-mesh:{seed}:schools")
    r = rng.random
    urn = 100_000
    found: dict[str, tuple[tuple[School, ...], tuple[School, ...]]] = {}
    for authority in AUTHORITIES:
        phases: list[tuple[School, ...]] = []
        for phase, per, patterns in (
            ("primary", 3_500, _PRIMARY_PATTERNS),
            ("secondary", 17_000, _SECONDARY_PATTERNS),
        ):
            made = []
            for _ in range(max(1, authority.population // per)):
                urn += 1 + int(r() * 12)
                name = patterns[int(r() * len(patterns))].format(
                    place=authority.places[int(r() * len(authority.places))],
                    saint=_SAINTS[int(r() * len(_SAINTS))],
                    street=STREET_NAMES[int(r() * len(STREET_NAMES))],
                )
                made.append(School(urn, name, phase, authority, postcode(rng, authority)))
            phases.append(tuple(made))
        found[authority.name] = (phases[0], phases[1])
    return found
