"""The audit chain's canonical form, cut around the seq the database assigns."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from authz.audit_chain import canonical_json, canonical_split

# Text that could confuse a cut: quotes, escapes, the placeholder's own text, non-ASCII.
_TEXT = st.lists(
    st.sampled_from(["a", '"', "\\", "é", "\u2028", "seq", '"seq":-1', ":", ",", "😀"]),
    max_size=6,
).map("".join)
_VALUE = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), _TEXT, st.lists(_TEXT, max_size=3))
_FIELDS = st.dictionaries(_TEXT.filter(lambda k: k != "seq"), _VALUE, max_size=8)


def _by_key(fields: dict[str, object], seq: int) -> str:
    """The formula as docs/audit.md writes it, key by key."""
    parts = [
        f"{json.dumps(key)}:{json.dumps(value, ensure_ascii=True, separators=(',', ':'))}"
        for key, value in sorted({**fields, "seq": seq}.items())
    ]
    return "{" + ",".join(parts) + "}"


@given(_FIELDS, st.integers(1, 10**12))
def test_head_seq_tail_is_the_canonical_json(fields: dict[str, object], seq: int) -> None:
    head, tail = canonical_split(fields)  # type: ignore[arg-type]
    assert head.endswith('"seq":')
    assert head + str(seq) + tail == _by_key(fields, seq)
    assert canonical_json(fields, seq) == head + str(seq) + tail  # type: ignore[arg-type]
    assert json.loads(head + str(seq) + tail)["seq"] == seq
