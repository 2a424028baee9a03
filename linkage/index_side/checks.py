"""Checks the index makes on what the agencies submit, before anything is stored.

Tokens made with another linkage key are random numbers to everyone else: that agency's
records would link to nobody, silently. So the index refuses a run in which

* an agency's key check (:func:`linkage.key.key_check`, sent with its tokens) differs from the
  others', or
* an agency's records link to no other agency's records at all, while the others' do (tokens
  made with another key but sent with the right key check, or normalised differently).
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Mapping

from linkage.agency_side.submission import SubmissionBatch
from linkage.index_side.records import RecordSet

#: An agency with at least this many records must have some of them linked across agencies.
MIN_RECORDS = 50
#: The share of an agency's records linked to another agency's below which it is refused...
MIN_SHARE = 0.01
#: ... as long as the agencies together have at least this share linked across.
TYPICAL_SHARE = 0.10


class SubmissionRefused(RuntimeError):
    """The submissions cannot be linked as they are; nothing was changed."""


def check_key_checks(batches: Mapping[str, SubmissionBatch]) -> str:
    """The key check the agencies share; refuses agencies whose check differs from most's."""
    checks = Counter(batch.key_check for batch in batches.values())
    if not checks:
        raise SubmissionRefused("no agency submitted anything")
    (usual, _), *_ = checks.most_common()
    odd = sorted(agency for agency, batch in batches.items() if batch.key_check != usual)
    if odd:
        raise SubmissionRefused(
            f"{', '.join(odd)} submitted tokens made with another linkage key (key check "
            f"{batches[odd[0]].key_check}, the other agencies' {usual}); their records would "
            "match nothing: nothing was changed. Give every agency the same key."
        )
    return usual


def cross_agency_shares(records: RecordSet, person_of: array[int]) -> dict[str, float]:
    """Per agency, the share of its records whose person also has another agency's record."""
    masks: dict[int, int] = {}
    for person, agency in zip(person_of, records.agency_of, strict=True):
        masks[person] = masks.get(person, 0) | (1 << agency)
    linked = [0] * len(records.agencies)
    total = [0] * len(records.agencies)
    for person, agency in zip(person_of, records.agency_of, strict=True):
        total[agency] += 1
        if masks[person] != 1 << agency:
            linked[agency] += 1
    return {a: linked[i] / total[i] for i, a in enumerate(records.agencies) if total[i]}


def check_links_across_agencies(records: RecordSet, person_of: array[int]) -> None:
    """Refuse when an agency's records link to no other agency's while the others' do."""
    shares = cross_agency_shares(records, person_of)
    counts = Counter(records.agencies[a] for a in records.agency_of)
    overall = sum(shares[a] * counts[a] for a in shares) / max(1, sum(counts.values()))
    if overall < TYPICAL_SHARE:
        return  # too little overlap anywhere to judge any one agency
    odd = sorted(a for a, share in shares.items() if counts[a] >= MIN_RECORDS and share < MIN_SHARE)
    if odd:
        detail = ", ".join(f"{a}: {shares[a]:.1%} of {counts[a]:,}" for a in odd)
        raise SubmissionRefused(
            f"records of {detail} link to no other agency's (across all agencies: "
            f"{overall:.0%}); their tokens were probably made with another linkage key or "
            "normalised differently: nothing was changed"
        )
