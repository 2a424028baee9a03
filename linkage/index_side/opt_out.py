"""The index's view of the national data opt-out: per mesh person, opted out, not opted out,
or unknown (no agency that holds the opt-out knows the person)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from linkage.agency_side.submission import SubmissionBatch
from linkage.agency_side.tokens import TOKEN_BYTES
from linkage.index_side.clustering import Clustering
from linkage.index_side.records import RecordSet


@dataclass
class OptOutReports:
    """What the publishing agencies sent: who publishes, the references of their opted-out
    records, and (once located) those records' positions in the :class:`RecordSet`."""

    publishers: set[str] = field(default_factory=set)
    opted_out_refs: dict[str, set[bytes]] = field(default_factory=dict)
    opted_out_records: set[int] = field(default_factory=set)

    def digest(self) -> str:
        """A digest of the publication (who publishes, and which references are opted out):
        a delta whose publication has the digest of the last run's need not republish it."""
        h = hashlib.sha256()
        for agency in sorted(self.publishers):
            h.update(f"{agency}:{len(self.opted_out_refs.get(agency, ()))};".encode())
            for ref in sorted(self.opted_out_refs.get(agency, ())):
                h.update(ref)
        return h.hexdigest()

    def locate(
        self,
        records: RecordSet,
        positions: Mapping[str, range],
        batches: Mapping[str, SubmissionBatch],
    ) -> None:
        """Find the submitted records the published references stand for."""
        for agency, refs in self.opted_out_refs.items():
            if not refs or agency not in positions:
                continue
            submitted = memoryview(batches[agency].refs)
            for n, i in enumerate(positions[agency]):
                if bytes(submitted[n * TOKEN_BYTES : (n + 1) * TOKEN_BYTES]) in refs:
                    self.opted_out_records.add(i)


def person_opt_out(
    records: RecordSet, clustering: Clustering, reports: OptOutReports
) -> list[bool | None]:
    """Per person number: True if any publisher's record of them is opted out, False if a
    publisher knows them and none is, None if no publisher knows them."""
    status: list[bool | None] = [None] * clustering.persons
    publishing = {i for i, agency in enumerate(records.agencies) if agency in reports.publishers}
    person_of = clustering.person_of
    for record, agency in enumerate(records.agency_of):
        if agency in publishing and status[person_of[record]] is None:
            status[person_of[record]] = False
    for record in reports.opted_out_records:
        status[person_of[record]] = True
    return status
