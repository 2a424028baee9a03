"""The per-request field guard used while shaping the response.

Decisions are made once per request for the coordinates the operation touches; shaping then
costs one dictionary look-up per field. A field without a decision is denied (fail closed).
The guard also keeps what the answer really held, for the audit: every coordinate served,
masked or withheld.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError

from authz.model import Decision, Effect, MaskRule
from mesh.enforce.internal import OPT_OUT_ALIAS, RESERVED_ALIAS_PREFIX
from mesh.enforce.subjects import subjects_of

__all__ = ["OPT_OUT_ALIAS", "RESERVED_ALIAS_PREFIX", "FieldGuard"]

Mask = Callable[[MaskRule, object], object]


@dataclass
class FieldGuard:
    """Applies decisions to values: DENY → error, MASK → transformed value, row rules."""

    decisions: dict[tuple[str, str], Decision]
    apply_mask: Mask
    opt_out_fields: frozenset[tuple[str, str]] = frozenset()
    # fields returning subjects (Person, Household, ...) -> the path to their mesh id
    subject_fields: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    subjects: dict[str, None] = field(default_factory=dict)  # served, in order
    served: set[str] = field(default_factory=set)
    masked: set[str] = field(default_factory=set)
    denied: set[str] = field(default_factory=set)
    withheld_by_row_rule: int = 0

    def read(self, source: Any, type_name: str, field_name: str, response_key: str) -> Any:
        """The field's value as the caller may see it (a FieldReader for the shaping)."""
        value = source.get(response_key) if isinstance(source, Mapping) else None
        key = (type_name, field_name)
        decision = self.decisions.get(key)
        if decision is None or decision.effect is Effect.DENY:
            raise self._withheld(key, decision)
        if key in self.opt_out_fields and not _known_not_opted_out(source):
            self.withheld_by_row_rule += 1
            self.denied.add(decision.coordinate)
            return None
        if decision.effect is Effect.MASK and decision.mask is not None:
            self.masked.add(decision.coordinate)
            if value is None:
                return None
            if isinstance(value, list):
                return [self.apply_mask(decision.mask, v) for v in value]
            return self.apply_mask(decision.mask, value)
        self.served.add(decision.coordinate)
        path = self.subject_fields.get(key)
        if path is not None:
            subjects_of(value, path, self.subjects)
        return value

    def _withheld(self, key: tuple[str, str], decision: Decision | None) -> GraphQLError:
        coordinate = f"{key[0]}.{key[1]}" if decision is None else decision.coordinate
        reason = "no decision covers this field" if decision is None else decision.reason
        self.denied.add(coordinate)
        return GraphQLError(
            f"{coordinate} is withheld: {reason}",
            extensions={"code": "FORBIDDEN_BY_POLICY", "coordinate": coordinate, "reason": reason},
        )


def _known_not_opted_out(source: Any) -> bool:
    """Serve only where the index said, in so many words, that the person did not opt out:
    opted out, unknown to health, index unreachable or anything unexpected all withhold."""
    return isinstance(source, Mapping) and source.get(OPT_OUT_ALIAS) is False
