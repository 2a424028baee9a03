"""Asking the agencies for their indicators, with the caller's signed context.

Only agencies whose indicator field the gateway allowed for this request (the context's
``reads``) are asked; a failure is reported per agency, never swallowed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from authz.context_token import MeshContext
from subgraphs.centre.context import CentreContext
from subgraphs.centre.needs.rollup import Evidence
from subgraphs.kit.needs.catalogue import IndicatorCatalogue, all_catalogues
from subgraphs.kit.needs.fields import field_prefix, household_field_name, scan_field_name


@dataclass(frozen=True)
class NeedsAgency:
    agency: str
    catalogue: IndicatorCatalogue
    household_field: str
    scan_field: str

    @property
    def household_coordinate(self) -> str:
        return f"Household.{self.household_field}"

    @property
    def scan_coordinate(self) -> str:
        return f"Query.{self.scan_field}"


def needs_agencies() -> dict[str, NeedsAgency]:
    return {
        agency: NeedsAgency(
            agency,
            catalogue,
            household_field_name(field_prefix(agency)),
            scan_field_name(field_prefix(agency)),
        )
        for agency, catalogue in all_catalogues().items()
    }


@dataclass(frozen=True)
class AgencyFailure:
    agency: str
    code: str
    message: str


@dataclass
class Asked:
    """Who was asked, who answered, who failed, and whom the caller may not see."""

    hidden: list[str] = field(default_factory=list)
    failed: list[AgencyFailure] = field(default_factory=list)

    @property
    def unavailable(self) -> list[str]:
        return sorted(f.agency for f in self.failed)


def split_by_reads(
    context: MeshContext | None, agencies: Iterable[NeedsAgency], *, statistics: bool
) -> tuple[list[NeedsAgency], list[str]]:
    """(agencies the gateway allowed for this request, agencies it did not)."""
    reads = context.reads if context is not None else frozenset()
    allowed: list[NeedsAgency] = []
    hidden: list[NeedsAgency] = []
    for agency in agencies:
        coordinate = agency.scan_coordinate if statistics else agency.household_coordinate
        (allowed if coordinate in reads else hidden).append(agency)
    return allowed, sorted(a.agency for a in hidden)


@dataclass(frozen=True)
class ScanAnswer:
    """One agency's indicators over its population, in columns (as the agency sent them)."""

    agency: str
    catalogue: str
    as_of: date
    rows: int
    indicators: list[str]
    local_authorities: list[str]
    age_bands: list[str]
    # ``rows`` tab-separated lines: household (empty: the person is in no household),
    # person, indicator index, local authority index, age band index (-1: not known), days
    # before as_of
    tsv: str


_SCAN_SELECTION = "agency catalogue asOf rows indicators localAuthorities ageBands tsv"


def _failure(agency: str, answer: Any) -> AgencyFailure | None:
    if isinstance(answer, BaseException):
        code = getattr(answer, "code", "SUBGRAPH_UNAVAILABLE")
        return AgencyFailure(agency, str(code), str(answer) or type(answer).__name__)
    errors = answer.get("errors")
    if errors:
        first = errors[0]
        code = (first.get("extensions") or {}).get("code", "SUBGRAPH_ERROR")
        return AgencyFailure(agency, str(code), str(first.get("message", "")))
    return None


async def scan_all(
    context: CentreContext, agencies: list[NeedsAgency], local_authority: str | None
) -> tuple[list[ScanAnswer], list[AgencyFailure]]:
    """Every allowed agency's scan, concurrently."""

    async def one(agency: NeedsAgency) -> Any:
        query = (
            f"query ($la: String) {{ scan: {agency.scan_field}(localAuthority: $la) "
            f"{{ {_SCAN_SELECTION} }} }}"
        )
        call = context.call_scan or context.call_agency
        return await call(agency.agency, query, {"la": local_authority})

    answers = await asyncio.gather(*(one(a) for a in agencies), return_exceptions=True)
    scans, failures = [], []
    for agency, answer in zip(agencies, answers, strict=True):
        failure = _failure(agency.agency, answer)
        if failure is not None or isinstance(answer, BaseException):
            failures.append(failure or AgencyFailure(agency.agency, "SUBGRAPH_ERROR", ""))
            continue
        data = (answer.get("data") or {}).get("scan")
        if not isinstance(data, dict):
            failures.append(AgencyFailure(agency.agency, "SUBGRAPH_ERROR", "no scan answered"))
            continue
        scans.append(
            ScanAnswer(
                agency=data["agency"],
                catalogue=data["catalogue"],
                as_of=date.fromisoformat(data["asOf"]),
                rows=data["rows"],
                indicators=data["indicators"],
                local_authorities=data["localAuthorities"],
                age_bands=data["ageBands"],
                tsv=data["tsv"],
            )
        )
    return scans, failures


async def household_evidence(
    context: CentreContext, agencies: list[NeedsAgency], households: list[str]
) -> tuple[dict[str, list[Evidence]], list[AgencyFailure]]:
    """Each allowed agency's indicators for these households (one request per agency)."""
    representations = [{"__typename": "Household", "id": h} for h in households]

    async def one(agency: NeedsAgency) -> Any:
        query = (
            "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Household { "
            f"found: {agency.household_field} {{ code memberId asOf }} }} }} }}"
        )
        return await context.call_agency(agency.agency, query, {"r": representations})

    answers = await asyncio.gather(*(one(a) for a in agencies), return_exceptions=True)
    found: dict[str, list[Evidence]] = {h: [] for h in households}
    failures = []
    for agency, answer in zip(agencies, answers, strict=True):
        failure = _failure(agency.agency, answer)
        entities = (
            None
            if failure or isinstance(answer, BaseException)
            else (answer.get("data") or {}).get("_entities")
        )
        if failure is None and not isinstance(entities, list):
            failure = AgencyFailure(agency.agency, "SUBGRAPH_ERROR", "no indicators answered")
        if failure is not None:
            failures.append(failure)
            continue
        assert isinstance(entities, list)
        for household, entity in zip(households, entities, strict=True):
            for item in (entity or {}).get("found") or []:
                found[household].append(
                    Evidence(
                        agency.agency,
                        item["code"],
                        item["memberId"],
                        date.fromisoformat(item["asOf"]),
                    )
                )
    return found, failures
