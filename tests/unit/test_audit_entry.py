"""An audit entry made from a whole operation's (cached) decision says what one made from its
field decisions says."""

from __future__ import annotations

import dataclasses
import uuid

from hypothesis import given
from hypothesis import strategies as st

from authz.audit import AuditEntry, FieldsShown
from authz.decision import OperationDecision
from authz.model import AccessRequest, Decision, Effect, Principal, PurposeOfUse

_COORDINATES = [f"Person.f{i}" for i in range(12)]
_DECISION = st.builds(
    Decision,
    effect=st.sampled_from(list(Effect)),
    coordinate=st.sampled_from(_COORDINATES),
    reason=st.just("r"),
    agreement_id=st.sampled_from([None, "dsa-a", "dsa-b"]),
    agreement_version=st.sampled_from([None, "1", "2"]),
    flags=st.sampled_from([(), ("break_glass",)]),
)
_NAMES = st.frozensets(st.sampled_from(_COORDINATES), max_size=6)


@given(
    st.lists(_DECISION, max_size=10),
    st.sampled_from(list(PurposeOfUse)),
    _NAMES,
    _NAMES,
    _NAMES,
    st.lists(st.sampled_from(["person:1", "person:2", "household:1"]), max_size=4),
)
def test_for_decision_is_for_request_over_the_decisions_fields(
    decisions: list[Decision],
    purpose: PurposeOfUse,
    served: frozenset[str],
    masked: frozenset[str],
    denied: frozenset[str],
    subjects: list[str],
) -> None:
    access = AccessRequest(Principal("s", "org", ("role",)), purpose, "CASE-1")
    fields = {(d.coordinate.split(".")[0], d.coordinate.split(".")[1]): d for d in decisions}
    operation = OperationDecision(access, fields, frozenset())
    shown = FieldsShown(set(served), set(masked), set(denied))
    request_id = str(uuid.uuid4())
    made = AuditEntry.for_decision(
        operation, subjects=subjects, response=b"{}", request_id=request_id, shown=shown
    )
    expected = AuditEntry.for_request(
        access,
        subjects=subjects,
        decisions=fields.values(),
        response=b"{}",
        request_id=request_id,
        occurred_at=made.occurred_at,
        shown=shown,
    )
    assert made == expected
    assert dataclasses.asdict(made)["break_glass"] is (
        purpose is PurposeOfUse.EMERGENCY or any("break_glass" in d.flags for d in fields.values())
    )
