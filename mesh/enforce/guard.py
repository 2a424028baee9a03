"""The per-request field guard used while shaping the response.

Decisions are made once per request for the coordinates the operation touches; shaping then
costs one dictionary look-up per field, and nothing more for fields without ``@sensitive``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo

from authz.model import Decision, Effect, MaskRule

RESERVED_ALIAS_PREFIX = "_mesh"  # internal selections only; clients may not use it
OPT_OUT_ALIAS = RESERVED_ALIAS_PREFIX + "OptOut"
Mask = Callable[[MaskRule, object], object]


@dataclass
class FieldGuard:
    """Applies decisions to values: DENY → error, MASK → transformed value, row rules."""

    decisions: dict[tuple[str, str], Decision]
    apply_mask: Mask
    opt_out_fields: frozenset[tuple[str, str]] = frozenset()
    masked: set[str] = field(default_factory=set)
    denied: set[str] = field(default_factory=set)
    withheld_by_row_rule: int = 0

    def resolve(self, source: Any, info: GraphQLResolveInfo[Any], **_: Any) -> Any:
        value = source.get(info.path.key) if isinstance(source, Mapping) else None
        decision = self.decisions.get((info.parent_type.name, info.field_name))
        if decision is None:
            return value
        if decision.effect is Effect.DENY:
            self.denied.add(decision.coordinate)
            raise GraphQLError(
                f"{decision.coordinate} is withheld: {decision.reason}",
                extensions={
                    "code": "FORBIDDEN_BY_POLICY",
                    "coordinate": decision.coordinate,
                    "reason": decision.reason,
                },
            )
        key = (info.parent_type.name, info.field_name)
        if key in self.opt_out_fields and not _known_not_opted_out(source):
            self.withheld_by_row_rule += 1
            return None
        if value is None:
            return None
        if decision.effect is Effect.MASK and decision.mask is not None:
            self.masked.add(decision.coordinate)
            if isinstance(value, list):
                return [self.apply_mask(decision.mask, v) for v in value]
            return self.apply_mask(decision.mask, value)
        return value


def _known_not_opted_out(source: Any) -> bool:
    """Serve only where the index said, in so many words, that the person did not opt out:
    opted out, unknown to health, index unreachable or anything unexpected all withhold."""
    return isinstance(source, Mapping) and source.get(OPT_OUT_ALIAS) is False
