"""The needs a household really has, drawn together so that they co-occur as in real families.

Each agency's writer used to decide its own records from the household's latent need alone, so
domestic abuse, children in need, worklessness and arrears were independent given that need.
Real families' needs cluster: domestic abuse is the factor most often recorded when a child is
assessed as in need, parental mental ill-health and substance misuse come with it, worklessness
comes with rent arrears, and children in need miss school far more often. Here the family's
needs are drawn first, in that order of dependence, and the writers read them.

Rates (≈, England unless said; sources and how they were fitted in docs/synthetic-families.md):
the base rates are scaled by the household's latent need, which already carries the area's
deprivation (``Authority.deprivation``).
"""

from __future__ import annotations

from collections.abc import Sequence
from random import Random

_PENSION_AGE = 66

# Per household with a couple or a lone parent, times need: ≈ 5 % of adults experience domestic
# abuse in a year (ONS Crime Survey, year ending March 2023), about 2 % reach the police.
DOMESTIC_ABUSE = 0.035
# Households with a working-age adult in which nobody works: ≈ 13 % (ONS, Apr-Jun 2023).
WORKLESS = 0.10
# A parent or adult in contact with mental health services in a year: ≈ 5-6 % of adults.
MENTAL_HEALTH = 0.045
MENTAL_HEALTH_WITH_ABUSE = 2.2
# Adults in treatment for drugs or alcohol: ≈ 0.5 % of adults a year (NDTMS 2022/23).
SUBSTANCE_MISUSE = 0.006
SUBSTANCE_WITH_ABUSE = 3.0
# A child in the family assessed as in need: the base per family with children, times need,
# multiplied by the family's other needs. Fitted so that ≈ 3.3 % of children are in need and
# domestic abuse is present in about a third of their families (DfE Children in Need census
# 2023: domestic abuse the most common factor at the end of assessment).
CHILD_IN_NEED = 0.012
CIN_WITH_ABUSE = 10.0
CIN_WITH_SUBSTANCE = 4.0
CIN_WITH_MENTAL_HEALTH = 2.5
CIN_WITH_WORKLESS = 1.6
# Persistent absence among children in need is about twice the rate of all pupils (DfE,
# Outcomes for children in need, 2022/23: ≈ 40 % against ≈ 21 %).
ABSENCE_WITH_CIN = 2.0
# Social tenants in arrears: about 2.5 times as likely when nobody in the household works
# (English Housing Survey 2022-23, arrears by economic status).
ARREARS_WITH_WORKLESS = 2.5


class FamilyNeeds:
    """What the family is facing, whether or not any agency knows it."""

    __slots__ = (
        "child_in_need",
        "domestic_abuse",
        "mental_health",
        "substance_misuse",
        "workless",
    )

    def __init__(
        self,
        *,
        domestic_abuse: bool = False,
        workless: bool = False,
        mental_health: bool = False,
        substance_misuse: bool = False,
        child_in_need: bool = False,
    ) -> None:
        self.domestic_abuse = domestic_abuse
        self.workless = workless
        self.mental_health = mental_health
        self.substance_misuse = substance_misuse
        self.child_in_need = child_in_need

    @property
    def absence_factor(self) -> float:
        return ABSENCE_WITH_CIN if self.child_in_need else 1.0

    @property
    def arrears_factor(self) -> float:
        return ARREARS_WITH_WORKLESS if self.workless else 1.0


NONE = FamilyNeeds()


def draw_family_needs(
    rng: Random, *, need: float, adults: int, children: int, working_age: int, couple: bool
) -> FamilyNeeds:
    """The family's needs, in dependence order; ``need`` is the household's latent need."""
    r = rng.random
    domestic_abuse = (couple or (adults and children)) and r() < min(0.6, DOMESTIC_ABUSE * need)
    workless = working_age > 0 and r() < min(0.8, WORKLESS * need)
    mental_health = adults > 0 and r() < min(
        0.7, MENTAL_HEALTH * need * (MENTAL_HEALTH_WITH_ABUSE if domestic_abuse else 1.0)
    )
    substance_misuse = adults > 0 and r() < min(
        0.5, SUBSTANCE_MISUSE * need * (SUBSTANCE_WITH_ABUSE if domestic_abuse else 1.0)
    )
    rate = CHILD_IN_NEED * need
    rate *= CIN_WITH_ABUSE if domestic_abuse else 1.0
    rate *= CIN_WITH_SUBSTANCE if substance_misuse else 1.0
    rate *= CIN_WITH_MENTAL_HEALTH if mental_health else 1.0
    rate *= CIN_WITH_WORKLESS if workless else 1.0
    child_in_need = children > 0 and r() < min(0.9, rate)
    return FamilyNeeds(
        domestic_abuse=bool(domestic_abuse),
        workless=bool(workless),
        mental_health=bool(mental_health),
        substance_misuse=bool(substance_misuse),
        child_in_need=bool(child_in_need),
    )


def family_needs_of(rng: Random, members: Sequence[object], need: float) -> FamilyNeeds:
    """Draw for a household's members (``Person`` objects: ``age`` and ``relationship``)."""
    ages = [getattr(p, "age") for p in members]  # noqa: B009 - duck-typed people
    relationships = [getattr(p, "relationship") for p in members]  # noqa: B009
    return draw_family_needs(
        rng,
        need=need,
        adults=sum(1 for a in ages if a >= 18),
        children=sum(1 for a in ages if a < 18),
        working_age=sum(1 for a in ages if 18 <= a < _PENSION_AGE),
        couple="partner" in relationships,
    )
