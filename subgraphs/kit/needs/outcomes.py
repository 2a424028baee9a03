"""The ten headline outcomes of the Supporting Families programme (2022 framework)."""

from enum import StrEnum


class HeadlineOutcome(StrEnum):
    """What a family's needs are counted against; a family needs three for a successful claim."""

    GOOD_EDUCATION = "GOOD_EDUCATION"
    EARLY_YEARS = "EARLY_YEARS"
    HEALTH = "HEALTH"
    SUBSTANCE_USE = "SUBSTANCE_USE"
    FAMILY_RELATIONSHIPS = "FAMILY_RELATIONSHIPS"
    CHILDREN_SAFE = "CHILDREN_SAFE"
    CRIME = "CRIME"
    DOMESTIC_ABUSE = "DOMESTIC_ABUSE"
    SECURE_HOUSING = "SECURE_HOUSING"
    FINANCIAL_STABILITY = "FINANCIAL_STABILITY"

    @property
    def words(self) -> str:
        """The outcome's title in the framework's own words."""
        return OUTCOME_TITLES[self]


OUTCOME_TITLES: dict[HeadlineOutcome, str] = {
    HeadlineOutcome.GOOD_EDUCATION: "Getting a good education",
    HeadlineOutcome.EARLY_YEARS: "Good early years development",
    HeadlineOutcome.HEALTH: "Improved mental and physical health",
    HeadlineOutcome.SUBSTANCE_USE: "Promoting recovery and reducing harm from substance use",
    HeadlineOutcome.FAMILY_RELATIONSHIPS: "Improved family relationships",
    HeadlineOutcome.CHILDREN_SAFE: "Children safe from abuse and exploitation",
    HeadlineOutcome.CRIME: "Crime prevention and tackling crime",
    HeadlineOutcome.DOMESTIC_ABUSE: "Safe from domestic abuse",
    HeadlineOutcome.SECURE_HOUSING: "Secure housing",
    HeadlineOutcome.FINANCIAL_STABILITY: "Improved financial stability",
}
