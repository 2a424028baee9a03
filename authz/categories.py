"""The categories of personal data the sharing agreements name: authz owns the vocabulary;
subgraphs mark their fields with it (``@sensitive(category: …)``) and the rules decide by it."""

from enum import StrEnum


class SensitiveCategory(StrEnum):
    """Categories of personal data, as the data-sharing agreements name them."""

    IDENTITY = "identity"
    CONTACT = "contact"
    HEALTH = "health"
    MENTAL_HEALTH = "mental_health"
    SEXUAL_HEALTH = "sexual_health"
    SOCIAL_CARE = "social_care"
    CHILD = "child"
    CRIMINAL = "criminal"
    DOMESTIC_ABUSE = "domestic_abuse"
    FINANCIAL = "financial"
    HOUSING = "housing"
    EDUCATION = "education"
    # Which services hold records about a person: sensitive in itself (a police or
    # children's-services record says something even with no detail).
    LINKAGE = "linkage"
    # An agency's needs indicators about a person (e.g. "persistently absent", "child in
    # need"), derived from its facts: less than the facts, still personal data.
    NEEDS_INDICATOR = "needs_indicator"
    # The same indicators as pseudonymous contributions to aggregates, released only after
    # statistical disclosure control (never person by person).
    NEEDS_STATISTICS = "needs_statistics"


# Categories that govern only reads between subgraphs on the caller's behalf (the agencies'
# @inaccessible needs scans behind the centre's statistics): no client-contract field carries
# them, so `mesh policy check` cannot call them unused.
INTERNAL_CATEGORIES = frozenset({SensitiveCategory.NEEDS_STATISTICS.value})
