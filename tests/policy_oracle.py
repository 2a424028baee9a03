"""An independent reading of the sharing agreements, for the property tests: what a caller may
see of each field, derived from the YAML files and the committed contract's directives alone —
not from ``authz.policy`` (the code under test) nor its agreement loader.

It follows docs/governance.md "Decisions": ``@public`` is allowed to anyone; otherwise an
active agreement from an agency that resolves the field must cover its category or name its
coordinate, be for the purpose, admit the organisation ("*" or named) and one of the roles,
and have its conditions met (a case reference, a justification; EMERGENCY always needs a
justification); of those, the least restrictive mask wins (none, then a partial mask, then
withheld). The national data opt-out binds health and adult social care under PLANNING.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from graphql import GraphQLObjectType, GraphQLSchema, build_schema

ROOT = Path(__file__).resolve().parent.parent
AGREEMENTS = ROOT / "authz" / "agreements"
CONTRACT = ROOT / "schema" / "supergraph.graphql"
ORGANISATIONS = ROOT / "authz" / "organisations.yaml"
PARTIAL_MASKS = ("year_only", "postcode_district", "initial_only")
OPT_OUT_AGENCIES = frozenset({"health", "adult_social_care"})


@dataclass(frozen=True)
class Verdict:
    effect: str  # ALLOW, MASK or DENY
    masks: frozenset[str] = frozenset()  # the equally least restrictive masks, for MASK


DENY = Verdict("DENY")
ALLOW = Verdict("ALLOW")


@dataclass(frozen=True)
class Who:
    organisation: str
    roles: tuple[str, ...]
    purpose: str
    case_reference: bool
    justification: bool


def _given(text: str | None) -> bool:
    return text is not None and bool(text.strip())


def classification(contract: Path = CONTRACT) -> dict[tuple[str, str], tuple[bool, str | None]]:
    """(type, field) → (public, category) as the committed contract's directives say."""
    schema: GraphQLSchema = build_schema(contract.read_text(encoding="utf-8"))
    found: dict[tuple[str, str], tuple[bool, str | None]] = {}
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field_name, field in graphql_type.fields.items():
            public, category = False, None
            for directive in (field.ast_node.directives or ()) if field.ast_node else ():
                if directive.name.value == "public":
                    public = True
                if directive.name.value == "sensitive":
                    (argument,) = directive.arguments
                    category = getattr(argument.value, "value", None)
            found[(type_name, field_name)] = (public, category)
    return found


class Oracle:
    def __init__(self, directory: Path = AGREEMENTS) -> None:
        self.agreements = [
            document
            for path in sorted(directory.glob("*.yaml"))
            if (document := yaml.safe_load(path.read_text(encoding="utf-8")))["status"] == "active"
        ]
        self.classified = classification()
        self.provides = {
            code: frozenset(entry["provides"])
            for code, entry in yaml.safe_load(ORGANISATIONS.read_text(encoding="utf-8")).items()
        }

    @staticmethod
    def _admits(agreement: Mapping[str, Any], who: Who) -> bool:
        receiving = agreement["receiving"]
        organisations = receiving["organisations"]
        return ("*" in organisations or who.organisation in organisations) and bool(
            set(receiving["roles"]) & set(who.roles)
        )

    @staticmethod
    def _met(agreement: Mapping[str, Any], who: Who) -> bool:
        conditions = agreement.get("conditions") or {}
        if (conditions.get("requires_justification") or who.purpose == "EMERGENCY") and not (
            who.justification
        ):
            return False
        return not (conditions.get("requires_case_reference") and not who.case_reference)

    def decide(self, who: Who, coordinate: tuple[str, str], agencies: Sequence[str]) -> Verdict:
        public, category = self.classified.get(coordinate, (False, None))
        if public:
            return ALLOW
        dotted = ".".join(coordinate)
        masks: list[str | None] = []
        for agreement in self.agreements:
            covers = agreement["covers"]
            if agreement["providing_agency"] not in agencies:
                continue
            if dotted not in (covers.get("coordinates") or ()) and (
                category is None or category not in (covers.get("categories") or ())
            ):
                continue
            if who.purpose not in agreement["purposes"] or not self._admits(agreement, who):
                continue
            if not self._met(agreement, who):
                continue
            rules = agreement.get("masks") or {}
            masks.append(rules.get(dotted) or (rules.get(category) if category else None))
        if not masks:
            return DENY
        if None in masks:
            return ALLOW
        partial = frozenset(m for m in masks if m in PARTIAL_MASKS)
        return Verdict("MASK", partial or frozenset({"withheld"}))

    def may_see_agency(self, who: Who, agency: str) -> bool:
        """Whether some person-level agreement of the agency admits the caller for the
        purpose (search results and links name only these)."""
        return any(
            a["providing_agency"] == agency
            and who.purpose in a["purposes"]
            and self._admits(a, who)
            and self._met(a, who)
            and (
                a["covers"].get("coordinates")
                or set(a["covers"].get("categories") or ()) - {"needs_statistics"}
            )
            for a in self.agreements
        )

    def opt_out_binds(self, who: Who, agencies: Sequence[str]) -> bool:
        return who.purpose == "PLANNING" and bool(agencies) and set(agencies) <= OPT_OUT_AGENCIES

    def oversees(self, who: Who, organisation: str, fields: Sequence[str], agency_of: Any) -> bool:
        """An IG lead's scope: their own staff's accesses, and every access to data their
        organisation provides."""
        provided = self.provides.get(who.organisation, frozenset())
        return organisation == who.organisation or any(set(agency_of(f)) & provided for f in fields)
