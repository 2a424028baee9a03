"""``demand``: how many households (or people) per local authority, size or age band have
which needs, for planners. Only disclosure-controlled counts leave (``disclosure``), each
release is recorded with its query and cells before it leaves (``authz.releases``), and the
table says which agencies contributed, which did not and why, and whether it is complete.

The national data opt-out: health and adult social care contributions count only people the
index knows not to have opted out (unknown counts as opted out); an agency whose rows cannot be
filtered that way contributes nothing.
"""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from authz.audit import AuditUnavailable
from authz.releases import Release, record_release
from subgraphs.centre.context import CentreContext
from subgraphs.centre.needs import disclosure
from subgraphs.centre.needs.agencies import (
    AgencyFailure,
    needs_agencies,
    scan_all,
    split_by_reads,
)
from subgraphs.centre.needs.cohort import bad_input, checked_outcomes
from subgraphs.centre.needs.combine import GROUPINGS, Combination
from subgraphs.kit.directives import SensitiveCategory as C
from subgraphs.kit.directives import sensitive
from subgraphs.kit.needs.catalogue import all_catalogues
from subgraphs.kit.needs.evaluate import AGE_BANDS
from subgraphs.kit.needs.geography import LOCAL_AUTHORITIES
from subgraphs.kit.needs.outcomes import HeadlineOutcome

NS = C.NEEDS_STATISTICS
UNITS = ("HOUSEHOLDS", "PEOPLE")
OPT_OUT = "national_data_opt_out"
MAX_GROUPINGS = 3
MAX_MEASURES = 12
ALL_LABEL = "All"
PROFILE_FIELD = "needsPlanningProfile"
GROUP_VALUES: dict[str, list[str]] = {
    "LOCAL_AUTHORITY": [*LOCAL_AUTHORITIES, "Unknown"],
    "HOUSEHOLD_SIZE": ["1", "2", "3", "4", "5", "6+", "Unknown"],
    "AGE_BAND": [*AGE_BANDS, "Unknown"],
}
RULES = (
    "counts 1-7 suppressed; secondary suppression so that no suppressed cell can be worked "
    "out from the released cells and totals; other counts rounded to the nearest 5"
)


@strawberry.input(description="One measure: give exactly one of the fields.")
class DemandMeasure:
    need: str | None = strawberry.field(default=None, description="A headline outcome.")
    min_needs: int | None = strawberry.field(default=None, description="At least N outcomes.")
    min_agencies: int | None = strawberry.field(
        default=None, description="Indicators from at least N agencies."
    )
    indicator: str | None = strawberry.field(default=None, description="An indicator's code.")


@strawberry.type
class DemandCell:
    measure: str = sensitive(NS)
    count: int | None = sensitive(NS, description="Rounded to 5; null when suppressed.")
    suppressed: bool = sensitive(NS)


@strawberry.type(description="One row: a combination of groupings, or a total ('All').")
class DemandRow:
    group: list[str] = sensitive(NS)
    total: bool = sensitive(NS, description="True for a total over at least one grouping.")
    cells: list[DemandCell] = sensitive(NS)


@strawberry.type
class AgencyContribution:
    agency: str = sensitive(NS)
    status: str = sensitive(NS, description="INCLUDED, NOT_SHARED, REFUSED or UNAVAILABLE.")
    note: str = sensitive(NS)


@strawberry.type(description="A disclosure-controlled table of demand.")
class DemandTable:
    unit: str = sensitive(NS)
    group_by: list[str] = sensitive(NS)
    measures: list[str] = sensitive(NS)
    rows: list[DemandRow] = sensitive(NS)
    contributions: list[AgencyContribution] = sensitive(NS)
    complete: bool = sensitive(NS, description="False when an agency or the index was missing.")
    suppressed_cells: int = sensitive(NS)
    rules: str = sensitive(NS, description="The disclosure control applied.")
    release: int = sensitive(NS, description="The release's number in the release log.")
    as_of: date | None = sensitive(NS)
    csv: str = sensitive(NS, description="The same table as CSV ('*' where suppressed).")


@dataclass(frozen=True)
class _Measure:
    kind: str
    value: str

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.value}"


def _measures(measures: list[DemandMeasure]) -> list[_Measure]:
    if not measures:
        raise bad_input("give at least one measure")
    if len(measures) > MAX_MEASURES:
        raise bad_input(f"at most {MAX_MEASURES} measures")
    codes = sorted(i.code for c in all_catalogues().values() for i in c.indicators)
    checked = []
    for measure in measures:
        given = {
            k: v
            for k, v in (
                ("need", measure.need),
                ("minNeeds", measure.min_needs),
                ("minAgencies", measure.min_agencies),
                ("indicator", measure.indicator),
            )
            if v is not None
        }
        if len(given) != 1:
            raise bad_input(
                "each measure gives exactly one of need, minNeeds, minAgencies, indicator"
            )
        kind, value = next(iter(given.items()))
        if kind == "need":
            checked_outcomes([str(value)])
        elif kind == "indicator" and value not in codes:
            raise bad_input(f"unknown indicator {value!r}; use one of {', '.join(codes)}")
        elif kind == "minNeeds" and not 1 <= int(value) <= len(HeadlineOutcome):
            raise bad_input(f"minNeeds must be between 1 and {len(HeadlineOutcome)}")
        elif kind == "minAgencies" and not 1 <= int(value) <= len(needs_agencies()):
            raise bad_input(f"minAgencies must be between 1 and {len(needs_agencies())}")
        checked.append(_Measure(kind, str(value)))
    return checked


def _groupings(group_by: list[str], unit: str) -> list[str]:
    if unit not in UNITS:
        raise bad_input(f"unknown unit {unit!r}; use {' or '.join(UNITS)}")
    valid = list(GROUPINGS)
    unknown = [g for g in group_by if g not in valid]
    if unknown:
        raise bad_input(f"unknown grouping(s) {', '.join(unknown)}; use any of {', '.join(valid)}")
    if len(set(group_by)) != len(group_by) or len(group_by) > MAX_GROUPINGS:
        raise bad_input(f"give up to {MAX_GROUPINGS} different groupings")
    if "AGE_BAND" in group_by and unit != "PEOPLE":
        raise bad_input('AGE_BAND groups people: ask with unit: "PEOPLE"')
    return group_by


_SQL_KIND = {
    "need": "need",
    "indicator": "indicator",
    "minNeeds": "min_needs",
    "minAgencies": "min_agencies",
}


async def demand(
    info: Info[CentreContext, Any],
    measures: list[DemandMeasure],
    group_by: list[str] | None = None,
    unit: str = "HOUSEHOLDS",
) -> DemandTable:
    groupings = _groupings(list(group_by if group_by is not None else ["LOCAL_AUTHORITY"]), unit)
    wanted = _measures(measures)
    context = info.context
    mesh_context = context.mesh_context
    if mesh_context is None or context.audit is None:
        raise GraphQLError(
            "statistics are released only through the gateway, with the release log open",
            extensions={"code": "AUDIT_UNAVAILABLE" if mesh_context else "FORBIDDEN_BY_POLICY"},
        )
    agencies = needs_agencies()
    allowed, hidden = split_by_reads(mesh_context, agencies.values(), statistics=True)
    opt_out_agencies: set[str] = set()
    withheld: dict[str, str] = {}
    for kind, rule_agencies in mesh_context.row_rules:
        if kind == OPT_OUT:
            opt_out_agencies.update(rule_agencies)
        else:  # a record rule the centre cannot apply: those agencies contribute nothing
            withheld.update({a: f"row rule {kind!r} cannot be applied here" for a in rule_agencies})
    allowed = [a for a in allowed if a.agency not in withheld]
    (scans, failures), profile = await asyncio.gather(
        scan_all(context, allowed, None), _profile(context)
    )
    catalogues = all_catalogues()
    restricted = sorted(opt_out_agencies & {s.agency for s in scans})
    if profile is None:
        failures.append(AgencyFailure("index", "SUBGRAPH_UNAVAILABLE", "no planning profile"))
    sizes, not_countable, without_household = profile if profile is not None else ("", None, "")

    def combine() -> dict[tuple[str, ...], list[int]]:
        combination = Combination(scans, catalogues)
        try:
            combination.load_sizes(sizes)
            combination.restrict(restricted, not_countable, without_household=without_household)
            return combination.counts(
                unit=unit,
                group_by=groupings,
                measures=[(_SQL_KIND[m.kind], m.value) for m in wanted],
            )
        finally:
            combination.close()

    counts = await asyncio.to_thread(combine)

    values = [GROUP_VALUES[g] for g in groupings]
    tables = [
        disclosure.control(disclosure.cube({k: v[i] for k, v in counts.items() if v[i]}, values))
        for i in range(len(wanted))
    ]
    keys = list(tables[0].released) if tables else []
    rows = [
        DemandRow(
            group=[ALL_LABEL if v is None else v for v in key],
            total=any(v is None for v in key),
            cells=[
                DemandCell(
                    measure=m.label,
                    count=t.released[key],
                    suppressed=t.released[key] is None,
                )
                for m, t in zip(wanted, tables, strict=True)
            ],
        )
        for key in keys
    ]
    contributions = _contributions(
        agencies, allowed, hidden, failures, withheld, restricted, mesh_context
    )
    complete = not failures
    suppressed = sum(len(t.suppressed) for t in tables)
    query = {"unit": unit, "groupBy": groupings, "measures": [m.label for m in wanted]}
    cells = [[*row.group, cell.measure, cell.count] for row in rows for cell in row.cells]
    try:
        release = await record_release(
            context.audit.pool,
            mesh_context,
            Release(
                query=query,
                cells=cells,
                suppressed=suppressed,
                contributions=[
                    {"agency": c.agency, "status": c.status, "note": c.note} for c in contributions
                ],
                complete=complete,
            ),
        )
    except AuditUnavailable as error:
        raise GraphQLError(str(error), extensions={"code": "AUDIT_UNAVAILABLE"}) from None
    return DemandTable(
        unit=unit,
        group_by=groupings,
        measures=[m.label for m in wanted],
        rows=rows,
        contributions=contributions,
        complete=complete,
        suppressed_cells=suppressed,
        rules=RULES,
        release=release,
        as_of=max((s.as_of for s in scans), default=None),
        csv=to_csv(groupings, [m.label for m in wanted], rows),
    )


def to_csv(groupings: list[str], measures: list[str], rows: list[DemandRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([g.lower() for g in groupings] + measures)
    for row in rows:
        writer.writerow([*row.group, *("*" if c.count is None else c.count for c in row.cells)])
    return out.getvalue()


async def _profile(context: CentreContext) -> tuple[str, str, str] | None:
    """Every household's size, the people who may not be counted under the opt-out and the
    people in no household, from the index; None when it cannot be asked (no opted-out
    agency's row is then counted)."""
    query = f"{{ profile: {PROFILE_FIELD} {{ sizes notCountable withoutHousehold }} }}"
    try:
        answer = await (context.call_scan or context.call_agency)("index", query, {})
    except Exception:  # any transport fault: fail closed, and the table says so
        return None
    data = (answer.get("data") or {}).get("profile") if not answer.get("errors") else None
    if not isinstance(data, dict):
        return None
    return str(data["sizes"]), str(data["notCountable"]), str(data["withoutHousehold"])


def _contributions(
    agencies: dict[str, Any],
    allowed: list[Any],
    hidden: list[str],
    failures: list[AgencyFailure],
    withheld: dict[str, str],
    restricted: list[str],
    mesh_context: Any,
) -> list[AgencyContribution]:
    from subgraphs.kit.serve import load_definition

    purpose = mesh_context.request.purpose
    failed = {f.agency: f for f in failures}
    found = []
    for agency in agencies:
        refused = purpose in getattr(load_definition(agency), "refused_purposes", frozenset())
        if agency in failed:
            f = failed[agency]
            found.append(
                AgencyContribution(
                    agency=agency, status="UNAVAILABLE", note=f"{f.code}: {f.message}"
                )
            )
        elif refused:
            found.append(
                AgencyContribution(
                    agency=agency,
                    status="REFUSED",
                    note=f"{agency} does not share data for {purpose.value}: nothing counted",
                )
            )
        elif agency in withheld:
            found.append(
                AgencyContribution(agency=agency, status="NOT_SHARED", note=withheld[agency])
            )
        elif agency in hidden:
            found.append(
                AgencyContribution(
                    agency=agency,
                    status="NOT_SHARED",
                    note=f"no agreement shares {agency}'s indicators for {purpose.value} with you",
                )
            )
        else:
            note = "counted"
            if agency in restricted:
                note = (
                    "counted, except people who opted out of the national data opt-out "
                    "or whose choice is not known"
                )
            found.append(AgencyContribution(agency=agency, status="INCLUDED", note=note))
    if "index" in failed:
        f = failed["index"]
        found.append(
            AgencyContribution(
                agency="index",
                status="UNAVAILABLE",
                note=f"{f.message}: opted-out agencies not counted",
            )
        )
    return found
