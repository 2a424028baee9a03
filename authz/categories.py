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
    # Finding a person from their identifiers (NHS number, name and date of birth, postcode):
    # person-level identity search, never shared for planning.
    TRACING = "tracing"
    # The record of who consulted whose data (dates, organisations, purposes, fields).
    AUDIT = "audit"
    # Staff identities and the reasons they gave (personal data of the staff member).
    STAFF = "staff"
