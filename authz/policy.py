"""The decision engine: which agreement, if any, lets this request see this field.

Deny by default. Only a field its agency marks ``@public`` (ids, structure, published
reference data) is allowed to any caller. A field with a ``@sensitive`` category needs an
active agreement from one of the agencies that resolve it, covering its category or its
coordinate; an unclassified field (neither) is personal data of its agency that only an
agreement naming the coordinate itself may share. Either way the agreement must be for the
stated purpose, to the caller's organisation and one of
their roles, whose conditions the request meets. When several do, the least restrictive
wins (ALLOW over a partial mask over withheld) and the decision names it, id and version,
for the audit record. Agreements past their review date still apply (the care record does
not switch off care because paperwork is late) but their decisions carry ``review_overdue``
and ``mesh policy check`` fails until they are reviewed.

``decide`` is called per field per request: the agreements are indexed by (agency, category)
and (agency, coordinate), and decisions are memoised per caller shape and field.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from authz.agreements import (
    AGREEMENTS_DIR,
    NATIONAL_DATA_OPT_OUT,
    STATISTICS_ONLY,
    SharingAgreement,
    load_agreements,
)
from authz.model import AccessRequest, Decision, Effect, FieldFacts, MaskRule, PurposeOfUse

__all__ = ["NATIONAL_OPT_OUT_RULE", "RowRule", "SharingRules", "apply_mask"]

BREAK_GLASS = "break_glass"
REVIEW_OVERDUE = "review_overdue"
MEMO_LIMIT = 10_000  # request shapes; cleared wholesale past this (a bound, not a policy)
DAY_CHECK_SECONDS = 60.0
# Least restrictive first: ALLOW (no mask), then masks that keep part of a value, then null.
_RESTRICTIVENESS: dict[MaskRule | None, int] = {
    None: 0,
    MaskRule.YEAR_ONLY: 1,
    MaskRule.POSTCODE_DISTRICT: 1,
    MaskRule.INITIAL_ONLY: 1,
    MaskRule.WITHHELD: 2,
}


@dataclass(frozen=True)
class RowRule:
    """Withhold whole sections (an agency's records) for people a flag marks.

    The national data opt-out is built in; agreements may add their own (``row_rules:``).
    A gateway that meets a ``kind`` it does not know must withhold the sections (fail closed).
    """

    agencies: tuple[str, ...]
    kind: str
    flag_coordinate: str | None = None
    source: str = "built-in"
    description: str = ""


NATIONAL_OPT_OUT_RULE = RowRule(
    agencies=("health", "adult_social_care"),
    kind=NATIONAL_DATA_OPT_OUT,
    flag_coordinate="Person.nationalDataOptOut",
    description="People who opted out of their health and care data being used beyond their "
    "individual care are left out of planning and research.",
)

_RequestShape = tuple[str, tuple[str, ...], str, bool, bool]
_FieldMemo = dict[tuple[str, str | None, tuple[str, ...]], Decision]


def _given(text: str | None) -> bool:
    return text is not None and bool(text.strip())


def _shape(request: AccessRequest) -> _RequestShape:
    """What decisions depend on: caller, purpose, and whether a case reference and a
    justification were given."""
    principal = request.principal
    return (
        principal.organisation,
        principal.roles,
        request.purpose.value,
        _given(request.case_reference),
        _given(request.justification),
    )


def _person_level(agreement: SharingAgreement) -> bool:
    """Whether an agreement shares anything person by person (not only disclosure-controlled
    statistics, which say nothing about whether an agency knows one person)."""
    return bool(agreement.covers.coordinates) or not (
        set(agreement.covers.categories) <= STATISTICS_ONLY
    )


def _conditions_met(agreement: SharingAgreement, request: AccessRequest) -> bool:
    conditions = agreement.conditions
    needs_justification = (
        conditions.requires_justification or request.purpose is PurposeOfUse.EMERGENCY
    )
    if needs_justification and not _given(request.justification):
        return False
    return not (conditions.requires_case_reference and not _given(request.case_reference))


class SharingRules:
    """The loaded agreements, indexed for per-field decisions."""

    def __init__(
        self, agreements: Iterable[SharingAgreement], clock: Callable[[], date] = date.today
    ) -> None:
        self.agreements: tuple[SharingAgreement, ...] = tuple(agreements)
        self.active: tuple[SharingAgreement, ...] = tuple(a for a in self.agreements if a.active)
        self._clock = clock
        index: dict[tuple[str, str], list[SharingAgreement]] = {}
        for agreement in self.active:
            for item in (*agreement.covers.categories, *agreement.covers.coordinates):
                index.setdefault((agreement.providing_agency, item), []).append(agreement)
        self._index = {key: tuple(found) for key, found in index.items()}
        self._memo: dict[_RequestShape, _FieldMemo] = {}
        self._last: tuple[AccessRequest | None, _FieldMemo] = (None, {})
        self._row_memo: dict[tuple[str, tuple[str, ...], str], list[RowRule]] = {}
        self._visible_memo: dict[_RequestShape, frozenset[str]] = {}
        self._public: dict[str, Decision] = {}
        self._overdue: frozenset[str] = frozenset()
        self._today: date | None = None
        self._next_day_check = 0.0

    @classmethod
    def load(
        cls, directory: Path = AGREEMENTS_DIR, clock: Callable[[], date] = date.today
    ) -> SharingRules:
        return cls(load_agreements(directory), clock)

    def get(self, agreement_id: str) -> SharingAgreement | None:
        return next((a for a in self.agreements if a.id == agreement_id), None)

    def decide(self, request: AccessRequest, facts: FieldFacts) -> Decision:
        if facts.public:
            public = self._public.get(facts.coordinate)
            if public is None:
                public = Decision(Effect.ALLOW, facts.coordinate, "public: not personal data")
                self._public[facts.coordinate] = public
            return public
        last = self._last  # one tuple, read once: safe if another thread replaces it
        if last[0] is request:
            memo = last[1]
        else:
            memo = self._memo_for(request)
            self._last = (request, memo)
        key = (facts.coordinate, facts.category, facts.agencies)
        decision = memo.get(key)
        if decision is None:
            decision = memo[key] = self._decide(request, facts)
        return decision

    def row_rules(self, request: AccessRequest) -> list[RowRule]:
        """Record-level rules for this request: the national data opt-out for PLANNING, and
        any an applicable agreement adds."""
        principal = request.principal
        key = (principal.organisation, principal.roles, request.purpose.value)
        found = self._row_memo.get(key)
        if found is None:
            if len(self._row_memo) >= MEMO_LIMIT:
                self._row_memo.clear()
            found = self._row_memo[key] = self._row_rules(request)
        return list(found)

    def visible_agencies(self, request: AccessRequest) -> frozenset[str]:
        """The agencies this request may see something of, for its purpose: some active
        agreement of theirs admits the caller's organisation and role for the purpose, with
        its conditions met. Search asks only these agencies, and links name only these: that
        an agency knows a person is itself that agency's data."""
        shape = _shape(request)
        found = self._visible_memo.get(shape)
        if found is None:
            if len(self._visible_memo) >= MEMO_LIMIT:
                self._visible_memo.clear()
            found = self._visible_memo[shape] = frozenset(
                a.providing_agency
                for a in self.active
                if request.purpose in a.purposes
                and _person_level(a)
                and a.receiving.admits(request.principal.organisation, request.principal.roles)
                and _conditions_met(a, request)
            )
        return found

    def purposes_for(self, organisation: str, roles: Iterable[str]) -> tuple[PurposeOfUse, ...]:
        """The purposes some active agreement admits this caller for (for a purpose picker)."""
        roles = tuple(roles)
        found = {
            p for a in self.active if a.receiving.admits(organisation, roles) for p in a.purposes
        }
        return tuple(p for p in PurposeOfUse if p in found)

    def _memo_for(self, request: AccessRequest) -> _FieldMemo:
        """The decisions already made for requests of this shape (caller, purpose, and
        whether a case reference and a justification were given)."""
        if time.monotonic() >= self._next_day_check:
            self._check_day()
        shape = _shape(request)
        memo = self._memo.get(shape)
        if memo is None:
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            memo = self._memo[shape] = {}
        return memo

    def _check_day(self) -> None:
        today = self._clock()
        if today != self._today:
            self._today = today
            self._overdue = frozenset(a.ref for a in self.active if a.review_date < today)
            self._memo.clear()
            self._last = (None, {})
        self._next_day_check = time.monotonic() + DAY_CHECK_SECONDS

    def _decide(self, request: AccessRequest, facts: FieldFacts) -> Decision:
        has_case, justified = _given(request.case_reference), _given(request.justification)
        category, coordinate, purpose = facts.category, facts.coordinate, request.purpose
        covering: dict[str, SharingAgreement] = {}
        for agency in facts.agencies:
            for item in (coordinate, category):
                for agreement in self._index.get((agency, item or ""), ()):
                    covering.setdefault(agreement.ref, agreement)
        agencies = " or ".join(facts.agencies) or "no agency"
        what = f"{category} data ({coordinate}) from {agencies}"
        if category is None:
            what = f"unclassified data ({coordinate}) from {agencies}"

        def deny(reason: str) -> Decision:
            return Decision(Effect.DENY, coordinate, reason)

        if not covering:
            if category is None:
                return deny(
                    f"{coordinate} from {agencies} is unclassified: personal data of its "
                    "agency until it is marked @sensitive or @public, and no agreement names it"
                )
            return deny(f"no agreement shares {what}")
        for_purpose = [a for a in covering.values() if purpose in a.purposes]
        if not for_purpose:
            return deny(f"no agreement shares {what} for {purpose.value}")
        principal = request.principal
        admitted = [
            a for a in for_purpose if a.receiving.admits(principal.organisation, principal.roles)
        ]
        if not admitted:
            roles = ", ".join(principal.roles) or "no role"
            return deny(
                f"no agreement shares {what} for {purpose.value} with {roles} "
                f"at {principal.organisation}"
            )
        met, unmet = [], []
        for agreement in admitted:
            missing = []
            needs_justification = agreement.conditions.requires_justification
            if (needs_justification or purpose is PurposeOfUse.EMERGENCY) and not justified:
                missing.append("a justification")
            if agreement.conditions.requires_case_reference and not has_case:
                missing.append("a case reference")
            if missing:
                unmet.append(f"{agreement.ref} requires {' and '.join(missing)}")
            else:
                met.append(agreement)
        if not met:
            return deny("; ".join(unmet))
        best = min(
            met,
            key=lambda a: (_RESTRICTIVENESS[a.mask_for(coordinate, category)], a.id, a.version),
        )
        mask = best.mask_for(coordinate, category)
        flags: tuple[str, ...] = (BREAK_GLASS,) if purpose is PurposeOfUse.EMERGENCY else ()
        if best.ref in self._overdue:
            flags += (REVIEW_OVERDUE,)
        reason = f"shared by {best.providing_agency} under '{best.title}' ({best.ref})"
        return Decision(
            effect=Effect.ALLOW if mask is None else Effect.MASK,
            coordinate=coordinate,
            reason=reason if mask is None else f"{reason}, masked: {mask.value}",
            agreement_id=best.id,
            agreement_version=best.version,
            mask=mask,
            flags=flags,
        )

    def _row_rules(self, request: AccessRequest) -> list[RowRule]:
        purpose, principal = request.purpose, request.principal
        rules = [NATIONAL_OPT_OUT_RULE] if purpose is PurposeOfUse.PLANNING else []
        for agreement in self.active:
            if purpose not in agreement.purposes or not agreement.receiving.admits(
                principal.organisation, principal.roles
            ):
                continue
            for spec in agreement.row_rules:
                if purpose not in (spec.purposes or agreement.purposes):
                    continue
                rule = RowRule(
                    agencies=spec.agencies or (agreement.providing_agency,),
                    kind=spec.kind,
                    flag_coordinate=spec.flag_coordinate,
                    source=agreement.ref,
                    description=spec.description,
                )
                if not any(_subsumes(existing, rule) for existing in rules):
                    rules.append(rule)
        return rules


def _subsumes(existing: RowRule, new: RowRule) -> bool:
    return (
        existing.kind == new.kind
        and new.flag_coordinate in (None, existing.flag_coordinate)  # None: the kind's own flag
        and set(new.agencies) <= set(existing.agencies)
    )


_ISO_DATE = re.compile(r"^(\d{4})-\d{2}")
_FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\d[A-Z]{2}$")
_OUTWARD_CODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")


def apply_mask(rule: MaskRule, value: object) -> object:
    """Transform a value under a mask; anything the mask cannot read becomes None (fail
    closed): dates → "YYYY", a postcode → its district, a name → "A.", withheld → None."""
    if isinstance(value, list):
        return [apply_mask(rule, item) for item in value]
    if value is None or rule is MaskRule.WITHHELD:
        return None
    if rule is MaskRule.YEAR_ONLY:
        if isinstance(value, date | datetime):
            return f"{value.year:04d}"
        match = _ISO_DATE.match(value) if isinstance(value, str) else None
        return match.group(1) if match else None
    if rule is MaskRule.POSTCODE_DISTRICT and isinstance(value, str):
        compact = re.sub(r"\s+", "", value.upper())
        full = _FULL_POSTCODE.match(compact)
        if full:
            return full.group(1)
        return compact if _OUTWARD_CODE.match(compact) else None
    if rule is MaskRule.INITIAL_ONLY and isinstance(value, str) and value.strip():
        return value.strip()[0].upper() + "."
    return None
