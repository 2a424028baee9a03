"""The index's view of the national data opt-out: per mesh person, opted out, not opted out,
or unknown (no agency that holds the opt-out knows the person)."""

from __future__ import annotations

from dataclasses import dataclass, field

from linkage.index_side.clustering import Clustering, RecordSet


@dataclass
class OptOutReports:
    """What the publishing agencies sent: who publishes, and which submitted records (by their
    position in the :class:`RecordSet`) belong to a person who opted out."""

    publishers: set[str] = field(default_factory=set)
    opted_out_records: set[int] = field(default_factory=set)


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
