"""Reports for the information governance lead: what a role may see, what is wrong with
the agreements, and the transparency page that tells residents how their data is shared.

Pure functions over the loaded rules and the contract SDL (``schema/supergraph.graphql``);
the CLI prints them (``rows_table`` and ``problems_table`` build rich tables).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from graphql import GraphQLObjectType, StringValueNode, build_ast_schema, get_named_type, parse
from rich.table import Table

from authz.agreements import (
    AGENCY_WORDS,
    ARTICLE_WORDS,
    CATEGORY_WORDS,
    MASK_WORDS,
    ORGANISATIONS,
    PURPOSE_WORDS,
    ROLES,
    ROW_RULE_KINDS,
    SPECIAL_CATEGORIES,
    SharingAgreement,
)
from authz.categories import INTERNAL_CATEGORIES, SensitiveCategory
from authz.model import AccessRequest, Effect, FieldFacts, MaskRule, Principal, PurposeOfUse
from authz.policy import SharingRules

__all__ = [
    "ContractField",
    "Problem",
    "Row",
    "check",
    "contract_fields",
    "explain",
    "problems_table",
    "rows_table",
    "transparency_page",
]


@dataclass(frozen=True)
class Parties:
    """Who takes part in the mesh, as the deployment's registry says: the agencies and the
    centre's index (authz does not know them itself; the caller tells it)."""

    agencies: tuple[str, ...]
    index: str = "index"

    @property
    def all(self) -> tuple[str, ...]:
        return (*self.agencies, self.index)


@dataclass(frozen=True)
class ContractField:
    coordinate: str
    type_name: str  # the field's named type
    category: str | None
    agencies: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    coordinate: str
    category: str | None
    agencies: tuple[str, ...]
    effect: Effect
    mask: MaskRule | None
    agreement: str | None  # id@version
    reason: str
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    kind: str
    subject: str
    message: str
    agreement: str | None = None  # id@version


def _snake(name: str) -> str:
    """``adultSocialCare`` → ``adult_social_care``; ``AEAttendance`` → ``ae_attendance``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def _agency_named(name: str, parties: Parties) -> str | None:
    """The agency a field of an index type is named after: ``adultSocialCare`` itself, or an
    agency's own field on a shared entity (``Household.educationNeedsIndicators``)."""
    snake = _snake(name)
    if snake in parties.agencies:
        return snake
    return next((a for a in parties.agencies if snake.startswith(a + "_needs_")), None)


def contract_fields(
    contract_sdl: str,
    field_agencies: Mapping[str, Sequence[str]] | None = None,
    *,
    parties: Parties,
) -> list[ContractField]:
    """Every object field of the contract with its ``@sensitive`` category and agencies.

    ``field_agencies`` (coordinate → resolving subgraphs, from composition) is used when
    given. Otherwise agencies are read from the contract's shape: the root types belong to
    the index, a field of an index type named after an agency (``Person.adultSocialCare``)
    belongs to that agency, and everything reached through it belongs to it too.
    """
    fields = _contract_fields(contract_sdl, parties)
    if field_agencies is None:
        return list(fields)
    return [
        ContractField(
            f.coordinate, f.type_name, f.category, tuple(field_agencies.get(f.coordinate, ()))
        )
        for f in fields
    ]


@lru_cache(maxsize=4)
def _contract_fields(contract_sdl: str, parties: Parties) -> tuple[ContractField, ...]:
    schema = build_ast_schema(parse(contract_sdl))
    roots = [schema.query_type.name] if schema.query_type else []
    owners: dict[str, set[str]] = {root: {parties.index} for root in roots}

    def field_owners(type_name: str, name: str) -> set[str]:
        home = owners.get(type_name, set())
        named_agency = _agency_named(name, parties) if parties.index in home else None
        return {named_agency} if named_agency else set(home)

    queue = list(roots)
    while queue:  # owners flow down from the root; a type shared by agencies gets them all
        type_name = queue.pop(0)
        graphql_type = schema.type_map[type_name]
        assert isinstance(graphql_type, GraphQLObjectType)
        for name, graphql_field in graphql_type.fields.items():
            named = get_named_type(graphql_field.type)
            if not isinstance(named, GraphQLObjectType):
                continue
            reached = field_owners(type_name, name)
            known = owners.setdefault(named.name, set())
            if not reached <= known:
                known |= reached
                queue.append(named.name)
    found = []
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for name, graphql_field in graphql_type.fields.items():
            found.append(
                ContractField(
                    f"{type_name}.{name}",
                    get_named_type(graphql_field.type).name,
                    _category(graphql_field),
                    tuple(sorted(field_owners(type_name, name))),  # () when unreachable
                )
            )
    return tuple(sorted(found, key=lambda f: f.coordinate))


def _category(graphql_field: object) -> str | None:
    node = getattr(graphql_field, "ast_node", None)
    for directive in getattr(node, "directives", None) or ():
        if directive.name.value == "sensitive":
            for argument in directive.arguments:
                if argument.name.value == "category" and isinstance(
                    argument.value, StringValueNode
                ):
                    return argument.value.value
    return None


def explain(
    rules: SharingRules,
    contract_sdl: str,
    org: str,
    role: str,
    purpose: PurposeOfUse,
    *,
    case_reference: bool = True,
    justification: bool = True,
    field_agencies: Mapping[str, Sequence[str]] | None = None,
    parties: Parties,
) -> list[Row]:
    """The decision for every field of the contract, for one organisation, role and purpose
    (by default as if the caller gave a case reference and a justification)."""
    request = AccessRequest(
        principal=Principal(subject="explain", organisation=org, roles=(role,)),
        purpose=purpose,
        case_reference="(explain)" if case_reference else None,
        justification="(explain)" if justification else None,
    )
    rows = []
    for item in contract_fields(contract_sdl, field_agencies, parties=parties):
        d = rules.decide(request, FieldFacts(item.coordinate, item.category, item.agencies))
        agreement = f"{d.agreement_id}@{d.agreement_version}" if d.agreement_id else None
        rows.append(
            Row(item.coordinate, item.category, item.agencies, d.effect, d.mask, agreement,
                d.reason, d.flags)
        )  # fmt: skip
    return rows


def check(
    rules: SharingRules,
    contract_sdl: str,
    today: date,
    field_agencies: Mapping[str, Sequence[str]] | None = None,
    *,
    parties: Parties,
) -> list[Problem]:
    """Everything an IG lead must fix before the agreements are fit to serve."""
    fields = contract_fields(contract_sdl, field_agencies, parties=parties)
    by_coordinate = {f.coordinate: f for f in fields}
    served: dict[str, set[str]] = {}
    for f in fields:
        for agency in f.agencies if f.category else ():
            served.setdefault(agency, set()).add(f.category or "")
    counts = Counter(a.id for a in rules.agreements)
    problems = [
        Problem("duplicate_id", agreement_id, f"{count} agreements share the id")
        for agreement_id, count in sorted(counts.items())
        if count > 1
    ]
    for agreement in rules.agreements:
        if agreement.status != "withdrawn":
            problems.extend(_agreement_problems(agreement, by_coordinate, served, today, parties))
    uncovered = [f for f in fields if f.category and not any(_covers(a, f) for a in rules.active)]
    for f in uncovered:
        message = f"{f.category} data from {', '.join(f.agencies)}: no active agreement covers it"
        problems.append(Problem("uncovered_field", f.coordinate, message))
    return problems


def _covers(agreement: SharingAgreement, f: ContractField) -> bool:
    return agreement.providing_agency in f.agencies and (
        f.category in agreement.covers.categories or f.coordinate in agreement.covers.coordinates
    )


def _agreement_problems(
    a: SharingAgreement,
    by_coordinate: Mapping[str, ContractField],
    served: Mapping[str, set[str]],
    today: date,
    parties: Parties,
) -> list[Problem]:
    found: list[Problem] = []

    def problem(kind: str, subject: str, message: str) -> None:
        found.append(Problem(kind, subject, message, a.ref))

    known_agencies = set(parties.all)
    known_categories = {c.value for c in SensitiveCategory}
    if a.providing_agency not in known_agencies:
        problem("unknown_agency", a.providing_agency, "not an agency of the mesh")
    for role in a.receiving.roles:
        if role not in ROLES:
            problem("unknown_role", role, "not a role in authz.agreements.ROLES")
    for category in a.covers.categories:
        if category not in known_categories:
            problem("unknown_category", category, "not a @sensitive category")
        elif category not in served.get(a.providing_agency, set()) and (
            category not in INTERNAL_CATEGORIES
        ):
            problem("unused_category", category, f"{a.providing_agency} serves no such field")
    for coordinate in a.covers.coordinates:
        item = by_coordinate.get(coordinate)
        if item is None:
            problem("unknown_coordinate", coordinate, "not a field of the contract")
        elif a.providing_agency not in item.agencies:
            problem("wrong_agency", coordinate, f"resolved by {', '.join(item.agencies)}")
        elif (
            item.category in SPECIAL_CATEGORIES
            and a.providing_agency != "police"
            and not a.lawful_basis.uk_gdpr_article_9
        ):
            problem("lawful_basis", coordinate, f"{item.category} data needs an Art 9 condition")
    for key in a.masks:
        if "." not in key:
            continue
        item = by_coordinate.get(key)
        if item is None:
            problem("unknown_coordinate", key, "a mask names a field the contract lacks")
        elif not _covers(a, item):
            problem("mask_not_covered", key, "a mask for a field the agreement does not cover")
    for rule in a.row_rules:
        if rule.kind not in ROW_RULE_KINDS:
            problem("unknown_row_rule", rule.kind, "the gateway does not know this row rule")
        if rule.flag_coordinate and rule.flag_coordinate not in by_coordinate:
            problem("unknown_coordinate", rule.flag_coordinate, "a row rule's flag field")
        for agency in rule.agencies or ():
            if agency not in known_agencies:
                problem("unknown_agency", agency, "a row rule names an unknown agency")
    if a.review_date < today:
        problem("review_overdue", a.review_date.isoformat(), "review date has passed")
    return found


def rows_table(rows: Sequence[Row], title: str = "") -> Table:
    table = Table(title=title or None)
    for column in ("field", "category", "agency", "effect", "mask", "agreement / reason"):
        table.add_column(column)
    style = {Effect.ALLOW: "green", Effect.MASK: "yellow", Effect.DENY: "red"}
    for row in rows:
        flags = f" [{', '.join(row.flags)}]" if row.flags else ""
        table.add_row(
            row.coordinate,
            row.category or "-",
            ", ".join(row.agencies),
            f"[{style[row.effect]}]{row.effect.value}[/]",
            row.mask.value if row.mask else "",
            (row.agreement or row.reason) + flags,
        )
    return table


def problems_table(problems: Sequence[Problem]) -> Table:
    table = Table(title=f"{len(problems)} problem(s)")
    for column in ("kind", "agreement", "subject", "problem"):
        table.add_column(column)
    for p in problems:
        table.add_row(p.kind, p.agreement or "-", p.subject, p.message)
    return table


def _words(coordinate_or_category: str) -> str:
    if "." not in coordinate_or_category:
        return CATEGORY_WORDS.get(coordinate_or_category, coordinate_or_category)
    type_name, field_name = coordinate_or_category.split(".", 1)
    return f"{_snake(type_name).replace('_', ' ')}: {_snake(field_name).replace('_', ' ')}"


def _basis_words(a: SharingAgreement) -> str:
    basis, parts = a.lawful_basis, []
    for article in (basis.uk_gdpr_article_6, basis.uk_gdpr_article_9):
        if article:
            parts.append(f"UK GDPR Article {article}, {ARTICLE_WORDS.get(article, 'see the DSA')}")
    if basis.dpa_2018_schedule_1:
        parts.append(f"Data Protection Act 2018 Schedule 1, {basis.dpa_2018_schedule_1}")
    if basis.dpa_2018_part_3:
        parts.append(f"Data Protection Act 2018 {basis.dpa_2018_part_3}")
    return "; ".join(parts)


def _agreement_section(a: SharingAgreement) -> list[str]:
    orgs = a.receiving.organisations
    named = ", ".join(ORGANISATIONS.get(org, org) for org in orgs)
    where = "in any partner organisation" if orgs == ("*",) else f"at {named} only"
    roles = ", ".join(ROLES[r].description if r in ROLES else r for r in a.receiving.roles)
    what = [_words(c) for c in a.covers.categories]
    if a.covers.coordinates:
        what.append("only these items: " + "; ".join(_words(c) for c in a.covers.coordinates))
    lines = [
        f"### {a.title}",
        "",
        a.summary,
        "",
        f"- **Who can see it:** {roles}, {where}.",
        f"- **What they can see:** {'; '.join(what)}.",
        f"- **Why:** {'; '.join(PURPOSE_WORDS[p] for p in a.purposes)}.",
        f"- **The law that allows it:** {_basis_words(a)}.",
    ]
    if a.lawful_basis.legal_gateway:
        lines.append(f"- **Duty or power to share:** {a.lawful_basis.legal_gateway}.")
    conditions = [a.conditions.text] if a.conditions.text else []
    if a.conditions.requires_case_reference:
        conditions.append("each view must name the case it is for")
    if a.conditions.requires_justification:
        conditions.append("each view must say why, and is checked afterwards")
    if conditions:
        lines.append(f"- **Conditions:** {'; '.join(c.rstrip('.') for c in conditions)}.")
    if a.masks:
        reduced = "; ".join(f"{_words(k)}: {MASK_WORDS[m]}" for k, m in a.masks.items())
        lines.append(f"- **Hidden or reduced:** {reduced}.")
    lines += [
        f"- **How long it is kept:** {a.retention}",
        f"- **Next review:** {a.review_date:%d %B %Y}. Agreement `{a.id}`, version {a.version}.",
        "",
    ]
    return lines


def transparency_page(rules: SharingRules, *, parties: Parties) -> str:
    """Markdown, in plain words, for residents (Caldicott principle 8)."""
    lines = [
        "# How public services in Greater Manchester share information about you",
        "",
        "Your GP, hospital, council, school, the police and the Department for Work and "
        "Pensions each keep their own records. The Civic Mesh lets staff see some of another "
        "service's records, in place, without copying them, only under the written "
        "agreements below. Every view needs a reason, is recorded with the agreement it "
        "relied on, and can be checked.",
        "",
        "## Why your information may be seen",
        "",
        *(f"- {words}" for words in PURPOSE_WORDS.values()),
        "",
        "## The national data opt-out",
        "",
        "If you have registered a national data opt-out, your health and adult social care "
        "records are left out of planning and research. It never stops the people caring for "
        "you, or protecting someone at risk, from seeing what they need.",
        "",
        "## Your rights",
        "",
        "You can ask any of these services which organisations looked at your records, when "
        "and why (UK GDPR Article 15). You can also object, or ask for a correction.",
        "",
    ]
    shown = [a for a in rules.agreements if a.status != "withdrawn"]
    for agency in parties.all:
        mine = sorted((a for a in shown if a.providing_agency == agency), key=lambda a: a.title)
        if not mine:
            continue
        lines += [f"## Shared by {AGENCY_WORDS.get(agency, agency)}", ""]
        for agreement in mine:
            lines += _agreement_section(agreement)
            if agreement.status != "active":
                lines.insert(-1, f"- **Not in force:** this agreement is {agreement.status}.")
    return "\n".join(lines).rstrip() + "\n"
