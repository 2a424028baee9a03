"""The audit hash chain: the canonical form of a record, the hash formula, and what a break is.

Pure functions, no database: the writer (``append_audit`` in ``migrations/001_audit.sql``) and
the verifier (:meth:`authz.audit.AuditLog.verify`) must agree byte for byte, so the formula is
written down once, here::

    canonical   = JSON of the record's fields plus "seq", keys sorted, separators "," and ":",
                  ASCII only (json.dumps(..., sort_keys=True, separators=(",", ":"),
                  ensure_ascii=True)); occurred_at as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC)
    record_hash = hex(SHA-256(ASCII(prev_hash + canonical)))
    prev_hash   = the previous record's record_hash, or GENESIS_HASH (64 zeros) for seq 1

Only the database knows ``seq`` when a record is appended, so the canonical JSON travels as
the two pieces either side of the seq value (:func:`canonical_split`) and the database joins
them around the seq it assigns.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

GENESIS_HASH = "0" * 64

JsonScalar = str | int | bool | None
ChainValue = JsonScalar | Sequence[str]


class ChainBreak(StrEnum):
    """How the stored chain differs from the one that was written."""

    EDITED = "edited"  # a record's content no longer matches its hash
    DELETED = "deleted"  # a seq is missing, or a record chains from one that is gone
    REORDERED = "reordered"  # a record chains from a record that sits elsewhere in the log


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of recomputing the chain from the first record.

    ``checked`` counts the records that verified; ``head_seq``/``head_hash`` are the last of
    them (0 and GENESIS_HASH for an empty log). Publish or timestamp the head elsewhere: a
    rewrite of the whole tail, or removal of the newest records, is only visible against it.
    """

    checked: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    kind: ChainBreak | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.kind is None


def utc_iso(moment: datetime) -> str:
    """A timestamp in the one form the chain hashes: UTC, microseconds, a trailing Z."""
    if moment.tzinfo is None:
        raise ValueError("audit timestamps must carry a time zone")
    at = moment.astimezone(UTC)
    return f"{at:%Y-%m-%dT%H:%M:%S}.{at.microsecond:06d}Z"


def canonical_split(fields: Mapping[str, ChainValue]) -> tuple[str, str]:
    """The canonical JSON of ``fields`` plus a "seq" key, as the text before and after the
    seq value: ``head + str(seq) + tail`` is the whole canonical form."""
    if "seq" in fields:
        raise ValueError("seq is assigned by the log, not given in the fields")
    # The keys either side of "seq" (in sorted order) encoded as two objects, then joined
    # around it: two encodings per record rather than one per field.
    before = _canonical({k: v for k, v in fields.items() if k < "seq"})
    after = _canonical({k: v for k, v in fields.items() if k > "seq"})
    head = before[:-1] + ("," if before != "{}" else "") + '"seq":'
    tail = ("," + after[1:]) if after != "{}" else "}"
    return head, tail


def _canonical(fields: Mapping[str, ChainValue]) -> str:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def canonical_json(fields: Mapping[str, ChainValue], seq: int) -> str:
    head, tail = canonical_split(fields)
    return f"{head}{seq}{tail}"


def record_hash(prev_hash: str, canonical: str) -> str:
    return hashlib.sha256((prev_hash + canonical).encode("ascii")).hexdigest()
