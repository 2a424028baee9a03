"""Data-sharing agreements as code: versioned, schema-validated objects loaded from YAML.

An agreement says which agency shares which data (``@sensitive`` categories and/or schema
coordinates) with which parties (organisations and roles), for which purposes of use, on
which lawful basis, under which conditions and masks, until which review date.

Loading checks the shape (unknown keys are errors) and the governance rules an agreement
must meet on its own (police data under DPA 2018 Part 3 only to safeguarding roles,
children's data only for safeguarding or early help to child-facing roles, an Art 9
condition for special-category data, justification for break-glass). Whether the names it
uses exist (agencies, roles, categories, coordinates) is ``mesh policy check``'s job, since
those change with the contract: see ``authz.explain.check``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from authz.model import MaskRule, PurposeOfUse

AGREEMENTS_DIR = Path(__file__).resolve().parent / "agreements"
COORDINATE = re.compile(r"^[A-Z][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")
ANY_ORGANISATION = "*"
POLICE = "police"
CHILDRENS_AGENCIES = frozenset({"childrens_services", "education"})
SPECIAL_CATEGORIES = frozenset({"health", "mental_health", "sexual_health"})
# DPA 2018 s10: these Art 9(2) conditions need a Schedule 1 condition as well.
NEEDS_SCHEDULE_1 = frozenset({"9(2)(b)", "9(2)(g)", "9(2)(h)", "9(2)(i)", "9(2)(j)"})
CHILD_PURPOSES = frozenset({PurposeOfUse.SAFEGUARDING, PurposeOfUse.EARLY_HELP})
# Pseudonymous indicator contributions that leave the centre only as disclosure-controlled
# aggregates (counts 1-7 suppressed, the rest rounded): children's agencies may share these for
# PLANNING, as they publish the children-in-need and school census statistics.
STATISTICS_ONLY = frozenset({"needs_statistics"})
NATIONAL_DATA_OPT_OUT = "national_data_opt_out"
ROW_RULE_KINDS = frozenset({NATIONAL_DATA_OPT_OUT})
OPT_OUT_NEVER = frozenset(
    {PurposeOfUse.DIRECT_CARE, PurposeOfUse.SAFEGUARDING, PurposeOfUse.EMERGENCY}
)


@dataclass(frozen=True)
class Role:
    description: str  # plain words, for the transparency page
    works_with_children: bool = False
    safeguarding: bool = False


ROLES: dict[str, Role] = {
    "gp": Role("GPs", works_with_children=True),
    "nurse": Role("nurses, health visitors and school nurses", works_with_children=True),
    "hospital_clinician": Role("hospital doctors and A&E clinicians", works_with_children=True),
    "paramedic": Role("paramedics and ambulance clinicians"),
    "social_worker": Role("adult social workers", safeguarding=True),
    "childrens_social_worker": Role(
        "children's social workers", works_with_children=True, safeguarding=True
    ),
    "safeguarding_lead": Role(
        "safeguarding leads in the multi-agency safeguarding hubs",
        works_with_children=True,
        safeguarding=True,
    ),
    "designated_safeguarding_lead": Role(
        "schools' designated safeguarding leads", works_with_children=True, safeguarding=True
    ),
    "early_help_worker": Role(
        "early help and Supporting Families key workers", works_with_children=True
    ),
    "housing_officer": Role("council housing and homelessness officers"),
    "police_officer": Role(
        "police officers in the multi-agency safeguarding hubs", safeguarding=True
    ),
    "analyst": Role("NHS planning analysts"),
    "ig_lead": Role("information governance leads (who run the agreements, not read records)"),
}


ORGANISATIONS = {"QOP": "NHS Greater Manchester (the integrated care board)"}
# Plain words for residents (the transparency page, Caldicott principle 8).
AGENCY_WORDS = {
    "health": "the NHS in Greater Manchester (GP practices, hospitals, mental health services)",
    "adult_social_care": "councils' adult social care",
    "childrens_services": "councils' children's services",
    "housing": "councils' housing and homelessness services",
    "police": "Greater Manchester Police",
    "education": "councils' education services and schools",
    "welfare": "the Department for Work and Pensions (Universal Credit)",
    "index": "the mesh's own index (which records belong to the same person or household)",
}
CATEGORY_WORDS = {
    "identity": "who you are (name, date of birth, sex, NHS number, household)",
    "contact": "your address",
    "health": "your health and care by the NHS",
    "mental_health": "mental health contacts or concerns",
    "sexual_health": "sexual health",
    "social_care": "social care assessments and care packages",
    "child": "children in need, child protection and looked-after episodes",
    "criminal": "police incidents and warning markers",
    "domestic_abuse": "domestic abuse markers",
    "financial": "money: benefits, work status, rent, care costs",
    "housing": "tenancies and homelessness cases",
    "education": "school, attendance, exclusions and special educational needs",
    "linkage": "which services hold records about you",
    "needs_indicator": "flags that say a family may need help (e.g. often absent from school, "
    "rent arrears), without the records behind them",
    "needs_statistics": "the same flags, used only to count families in anonymous statistics",
}
PURPOSE_WORDS = {
    PurposeOfUse.DIRECT_CARE: "to care for you (individual care)",
    PurposeOfUse.SAFEGUARDING: "to protect a child or an adult at risk of harm",
    PurposeOfUse.EARLY_HELP: "to offer your family early help (Supporting Families)",
    PurposeOfUse.PLANNING: "to plan services, without names (planning)",
    PurposeOfUse.EMERGENCY: "in an emergency, when you cannot be asked (break glass)",
}
MASK_WORDS = {
    MaskRule.YEAR_ONLY: "only the year is shown",
    MaskRule.POSTCODE_DISTRICT: "only the first half of the postcode is shown",
    MaskRule.WITHHELD: "hidden",
    MaskRule.INITIAL_ONLY: "only the first letter is shown",
}
ARTICLE_WORDS = {
    "6(1)(a)": "your consent",
    "6(1)(c)": "a legal obligation",
    "6(1)(d)": "to protect someone's life",
    "6(1)(e)": "a task in the public interest",
    "9(2)(c)": "to protect someone's life when they cannot consent",
    "9(2)(g)": "substantial public interest",
    "9(2)(h)": "providing health or social care",
}


class AgreementError(ValueError):
    """An agreement file that is not a valid agreement; says which file and what is wrong."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Recipients(_Strict):
    """The receiving parties: staff of these organisations holding one of these roles."""

    organisations: tuple[str, ...] = (ANY_ORGANISATION,)
    roles: tuple[str, ...] = Field(min_length=1)

    @field_validator("organisations")
    @classmethod
    def _wildcard_alone(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("name at least one organisation, or '*' for any")
        if ANY_ORGANISATION in value and len(value) > 1:
            raise ValueError("'*' (any organisation) cannot be combined with named ones")
        return value

    def admits(self, organisation: str, roles: Iterable[str]) -> bool:
        org_ok = self.organisations == (ANY_ORGANISATION,) or organisation in self.organisations
        return org_ok and not self.roles_set.isdisjoint(roles)

    @cached_property
    def roles_set(self) -> frozenset[str]:
        return frozenset(self.roles)


class LawfulBasis(_Strict):
    uk_gdpr_article_6: str | None = Field(default=None, pattern=r"^6\(1\)\([a-f]\)$")
    uk_gdpr_article_9: str | None = Field(default=None, pattern=r"^9\(2\)\([a-j]\)$")
    dpa_2018_schedule_1: str | None = None
    dpa_2018_part_3: str | None = None
    legal_gateway: str | None = None  # the statute that permits or requires the share


class Coverage(_Strict):
    categories: tuple[str, ...] = ()
    coordinates: tuple[str, ...] = ()

    @field_validator("coordinates")
    @classmethod
    def _coordinates(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for coordinate in value:
            if not COORDINATE.match(coordinate):
                raise ValueError(f"{coordinate!r} is not a schema coordinate like 'Type.field'")
        return value

    @model_validator(mode="after")
    def _something(self) -> Coverage:
        if not self.categories and not self.coordinates:
            raise ValueError("an agreement must cover at least one category or coordinate")
        return self


class Conditions(_Strict):
    text: str = ""
    requires_case_reference: bool = False
    requires_justification: bool = False


class RowRuleSpec(_Strict):
    """A rule that withholds whole records (rows) of the providing agency, e.g. opt-outs."""

    kind: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str
    purposes: tuple[PurposeOfUse, ...] | None = None  # None: every purpose of the agreement
    agencies: tuple[str, ...] | None = None  # None: the providing agency
    flag_coordinate: str | None = Field(default=None, pattern=COORDINATE.pattern)


class SharingAgreement(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: str = Field(pattern=r"^\d+(\.\d+)*$")
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)  # plain words, for residents
    status: Literal["active", "draft", "suspended", "withdrawn"]
    providing_agency: str
    receiving: Recipients
    purposes: tuple[PurposeOfUse, ...] = Field(min_length=1)
    lawful_basis: LawfulBasis
    covers: Coverage
    conditions: Conditions = Conditions()
    masks: dict[str, MaskRule] = Field(default_factory=dict)  # category or coordinate → rule
    row_rules: tuple[RowRuleSpec, ...] = ()
    retention: str = Field(min_length=1)
    review_date: date

    @cached_property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def active(self) -> bool:
        return self.status == "active"

    def mask_for(self, coordinate: str, category: str | None) -> MaskRule | None:
        """A coordinate's own mask wins over its category's."""
        rule = self.masks.get(coordinate)
        if rule is None and category is not None:
            rule = self.masks.get(category)
        return rule

    @model_validator(mode="after")
    def _governance(self) -> SharingAgreement:
        problems = list(_governance_problems(self))
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _governance_problems(a: SharingAgreement) -> Iterable[str]:
    basis, roles, purposes = a.lawful_basis, a.receiving.roles_set, set(a.purposes)
    if a.providing_agency == POLICE:
        if not basis.dpa_2018_part_3:
            yield "police data needs a DPA 2018 Part 3 basis (dpa_2018_part_3)"
        if purposes - {PurposeOfUse.SAFEGUARDING}:
            yield "police data is shared for SAFEGUARDING only"
        if not_safeguarding := sorted(r for r in roles if not _role(r).safeguarding):
            yield f"police data goes to safeguarding roles only, not {', '.join(not_safeguarding)}"
    else:
        if not basis.uk_gdpr_article_6:
            yield "a UK GDPR Art 6 condition is required (uk_gdpr_article_6)"
        if SPECIAL_CATEGORIES.intersection(a.covers.categories) and not basis.uk_gdpr_article_9:
            yield "special-category data needs a UK GDPR Art 9 condition (uk_gdpr_article_9)"
    if basis.uk_gdpr_article_9 in NEEDS_SCHEDULE_1 and not basis.dpa_2018_schedule_1:
        yield f"Art {basis.uk_gdpr_article_9} needs a DPA 2018 Schedule 1 condition"
    statistics_only = (
        bool(a.covers.categories)
        and set(a.covers.categories) <= STATISTICS_ONLY
        and not a.covers.coordinates
    )
    if (
        a.providing_agency in CHILDRENS_AGENCIES or "child" in a.covers.categories
    ) and not statistics_only:
        if purposes - CHILD_PURPOSES:
            yield "children's data is shared only for SAFEGUARDING or EARLY_HELP"
        if adults_only := sorted(r for r in roles if not _role(r).works_with_children):
            yield f"children's data goes only to child-facing roles, not {', '.join(adults_only)}"
    if PurposeOfUse.EMERGENCY in purposes and not a.conditions.requires_justification:
        yield "an EMERGENCY (break-glass) agreement must set requires_justification"
    for key in a.masks:
        if "." not in key and key not in a.covers.categories:
            yield f"mask for category {key!r}, which the agreement does not cover"
        elif "." in key and not COORDINATE.match(key):
            yield f"mask key {key!r} is neither a category nor a 'Type.field' coordinate"
    for rule in a.row_rules:
        if rule.kind == NATIONAL_DATA_OPT_OUT and OPT_OUT_NEVER.intersection(
            rule.purposes or a.purposes
        ):
            yield "the national data opt-out never applies to direct care, safeguarding, emergency"


def _role(name: str) -> Role:
    return ROLES.get(name, Role(description=name))  # unknown roles: reported by the check


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice (YAML would keep the last silently)."""


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node)
    return mapping


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)
# Other governed catalogues (the agencies' needs indicators) load with the same strictness.
UniqueKeyLoader = _UniqueKeyLoader


def parse_agreement(text: str, source: str = "<string>") -> SharingAgreement:
    """One agreement from YAML text; ``AgreementError`` says where and what is wrong."""
    try:
        document = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        raise AgreementError(f"{source}: not valid YAML: {error}") from None
    if not isinstance(document, dict):
        raise AgreementError(f"{source}: an agreement file holds one mapping")
    try:
        return SharingAgreement.model_validate(document)
    except ValidationError as error:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(agreement)'}: {e['msg']}"
            for e in error.errors()
        )
        raise AgreementError(f"{source}: {details}") from None


def load_agreements(directory: Path = AGREEMENTS_DIR) -> list[SharingAgreement]:
    """Every ``*.yaml`` agreement in ``directory``, in file-name order."""
    if not directory.is_dir():
        raise AgreementError(f"{directory}: no such agreements directory")
    return [
        parse_agreement(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(directory.glob("*.yaml"))
    ]
