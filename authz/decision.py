"""The decision for one whole operation: every field it touches, the row rules that bind it,
the agreements it relies on and whether it is break-glass — made once, used by enforcement
(pruning, guarding), the agencies' signed context and the audit alike."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from authz.agreements import NATIONAL_DATA_OPT_OUT
from authz.model import AccessRequest, Decision, Effect, FieldFacts, PurposeOfUse
from authz.policy import RowRule, SharingRules

Coordinate = tuple[str, str]
# Row rules apply to the sections agencies contribute to these entities (Person.health, ...).
ROW_RULE_ENTITIES = ("Person", "Household")


def agreement_refs(decisions: Iterable[Decision]) -> tuple[str, ...]:
    """``id@version`` of every agreement a served or masked field relies on, sorted."""
    refs = {
        f"{d.agreement_id}@{d.agreement_version}" if d.agreement_version else d.agreement_id
        for d in decisions
        if d.effect is not Effect.DENY and d.agreement_id is not None
    }
    return tuple(sorted(refs))


def is_break_glass(access: AccessRequest, decisions: Iterable[Decision]) -> bool:
    return access.purpose is PurposeOfUse.EMERGENCY or any(
        "break_glass" in d.flags for d in decisions
    )


@dataclass(frozen=True)
class OperationDecision:
    access: AccessRequest
    fields: Mapping[Coordinate, Decision]  # every field the operation touches
    # sections served per person only where the index says the person did not opt out
    opt_out_sections: frozenset[Coordinate]

    @cached_property
    def denied(self) -> frozenset[Coordinate]:
        return frozenset(c for c, d in self.fields.items() if d.effect is Effect.DENY)

    @cached_property
    def denied_coordinates(self) -> tuple[str, ...]:
        """The denied fields as the audit names them (``Type.field``)."""
        return tuple(d.coordinate for d in self.fields.values() if d.effect is Effect.DENY)

    @cached_property
    def agreements(self) -> tuple[str, ...]:
        return agreement_refs(self.fields.values())

    @cached_property
    def break_glass(self) -> bool:
        return is_break_glass(self.access, self.fields.values())


def _sections(
    rule: RowRule, coordinates: Iterable[Coordinate], facts: Mapping[Coordinate, FieldFacts]
) -> list[Coordinate]:
    """The entity sections a row rule covers: fields of Person/Household served only by the
    rule's agencies."""
    found = []
    for coordinate in coordinates:
        known = facts.get(coordinate)
        if (
            known is not None
            and coordinate[0] in ROW_RULE_ENTITIES
            and known.agencies
            and set(known.agencies) <= set(rule.agencies)
        ):
            found.append(coordinate)
    return found


def decide_operation(
    rules: SharingRules,
    access: AccessRequest,
    coordinates: Iterable[Coordinate],
    facts: Mapping[Coordinate, FieldFacts],
) -> OperationDecision:
    """Decide every coordinate (public ones included, so the audit names every field served;
    one the composition does not know is unclassified: denied); apply the row rules: the
    national data opt-out per person (on Person sections), any other kind by withholding the
    sections outright — a gateway cannot apply a rule it does not know record by record (fail
    closed)."""
    coordinates = set(coordinates)
    fields: dict[Coordinate, Decision] = {}
    for coordinate in coordinates:
        known = facts.get(coordinate) or FieldFacts(".".join(coordinate), None, ())
        fields[coordinate] = rules.decide(access, known)
    opt_out: set[Coordinate] = set()
    for rule in rules.row_rules(access):
        sections = _sections(rule, coordinates, facts)
        if rule.kind == NATIONAL_DATA_OPT_OUT:
            opt_out.update(c for c in sections if c[0] == "Person")
            continue
        for coordinate in sections:
            fields[coordinate] = Decision(
                Effect.DENY,
                f"{coordinate[0]}.{coordinate[1]}",
                f"row rule {rule.kind!r} ({rule.source}) cannot be applied per record "
                "here, so the section is withheld",
            )
    return OperationDecision(access, fields, frozenset(opt_out))
