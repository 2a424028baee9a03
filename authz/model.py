"""The governance vocabulary shared by identity, agreements, enforcement and audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class PurposeOfUse(StrEnum):
    """Why data is being viewed: accountability, not consent (GM Care Record)."""

    DIRECT_CARE = "DIRECT_CARE"
    SAFEGUARDING = "SAFEGUARDING"
    EARLY_HELP = "EARLY_HELP"
    PLANNING = "PLANNING"
    EMERGENCY = "EMERGENCY"
    # Information governance reading the access record (subject access, break-glass review):
    # never a purpose for anyone's records themselves.
    OVERSIGHT = "OVERSIGHT"


class Effect(StrEnum):
    ALLOW = "ALLOW"
    MASK = "MASK"
    DENY = "DENY"


class MaskRule(StrEnum):
    """How a masked value is transformed before it leaves the gateway."""

    YEAR_ONLY = "year_only"  # a date -> its year ("1973")
    POSTCODE_DISTRICT = "postcode_district"  # "M14 5RT" -> "M14"
    WITHHELD = "withheld"  # any value -> null (free text, identifiers)
    INITIAL_ONLY = "initial_only"  # a name -> its first letter


@dataclass(frozen=True)
class Principal:
    """Who is asking, from a verified token: subject, organisation and roles."""

    subject: str
    organisation: str
    roles: tuple[str, ...]
    name: str | None = None  # staff name: kept for IG, not shown in subject access by default


@dataclass(frozen=True)
class AccessRequest:
    """Everything the rules need about one request, before any data is fetched."""

    principal: Principal
    purpose: PurposeOfUse
    case_reference: str | None = None
    justification: str | None = None  # required for EMERGENCY (break-glass)


@dataclass(frozen=True)
class Decision:
    """The outcome for one field coordinate under one request."""

    effect: Effect
    coordinate: str
    reason: str
    agreement_id: str | None = None
    agreement_version: str | None = None
    mask: MaskRule | None = None
    flags: tuple[str, ...] = field(default=())  # e.g. ("break_glass",)


@dataclass(frozen=True)
class FieldFacts:
    """What the composed schema says about a field: its coordinate, the ``@sensitive``
    category it carries, whether its agency marked it ``@public`` (not personal data: ids,
    structure, published reference data) and which agencies' subgraphs resolve it. A field
    with neither a category nor ``public`` is unclassified: personal data of its agency
    that only an agreement naming the field itself may share."""

    coordinate: str
    category: str | None
    agencies: tuple[str, ...]
    public: bool = False

    @property
    def unclassified(self) -> bool:
        return self.category is None and not self.public
