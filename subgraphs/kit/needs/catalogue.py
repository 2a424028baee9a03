"""An agency's catalogue of needs indicators: which of its facts, past which thresholds,
evidence which Supporting Families headline outcome. Data, not code: YAML in the agency's
folder (``subgraphs/<agency>/indicators.yaml``), versioned and validated on load like the
sharing agreements (unknown keys, a key given twice, a wrong type, an unknown outcome or local
authority are errors that name the file and the key). Thresholds may differ per local
authority, as Supporting Families local outcome plans do.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from authz.agreements import UniqueKeyLoader
from subgraphs.kit.needs.geography import known_local_authority
from subgraphs.kit.needs.outcomes import HeadlineOutcome
from subgraphs.registry import AGENCIES, subgraph_dir

CATALOGUE_FILE = "indicators.yaml"
Operator = Literal["below", "at_most", "above", "at_least", "present"]


class CatalogueError(ValueError):
    """A catalogue file that is not a valid catalogue; says which file and what is wrong."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """What a fact's value must be: exactly one of the comparisons, or ``present: true``."""

    below: float | None = None
    at_most: float | None = None
    above: float | None = None
    at_least: float | None = None
    present: Literal[True] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        given = [name for name, value in self.model_dump().items() if value is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of below, at_most, above, at_least or present: true"
                + (f" (got {', '.join(given)})" if given else "")
            )
        return self

    @property
    def operator(self) -> Operator:
        for name in ("below", "at_most", "above", "at_least", "present"):
            if getattr(self, name) is not None:
                return name
        raise AssertionError("validated to hold one")  # pragma: no cover

    @property
    def threshold(self) -> float | None:
        value = getattr(self, self.operator)
        return None if self.operator == "present" else float(value)


class IndicatorDefinition(_Strict):
    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]{2,47}$")
    title: str = Field(min_length=3)
    outcome: HeadlineOutcome
    fact: str = Field(pattern=r"^[a-z][a-z0-9_]{1,47}$", description="A fact in mesh_needs_fact.")
    condition: Condition
    within_days: int | None = Field(default=None, ge=1, le=3650)
    local_authorities: dict[str, Condition] = Field(default_factory=dict)

    @field_validator("local_authorities")
    @classmethod
    def _known_authorities(cls, value: dict[str, Condition]) -> dict[str, Condition]:
        return {known_local_authority(name): condition for name, condition in value.items()}

    def condition_in(self, local_authority: str | None) -> Condition:
        """The condition that applies to a record in ``local_authority``."""
        if local_authority is None:
            return self.condition
        return self.local_authorities.get(local_authority, self.condition)


class IndicatorCatalogue(_Strict):
    catalogue: str = Field(pattern=r"^[a-z][a-z0-9-]{2,63}$")
    version: str = Field(pattern=r"^[0-9]+(\.[0-9]+)*$")
    agency: str
    review_date: date
    indicators: tuple[IndicatorDefinition, ...] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _quoted(cls, value: object) -> object:
        if not isinstance(value, str):
            raise ValueError('quote the version ("1.0"), or YAML reads it as a number')
        return value

    @field_validator("agency")
    @classmethod
    def _known_agency(cls, value: str) -> str:
        if value not in AGENCIES:
            raise ValueError(f"unknown agency {value!r}; known: {', '.join(AGENCIES)}")
        return value

    @model_validator(mode="after")
    def _unique_codes(self) -> IndicatorCatalogue:
        seen: set[str] = set()
        for indicator in self.indicators:
            if indicator.code in seen:
                raise ValueError(f"indicator code {indicator.code} is defined twice")
            seen.add(indicator.code)
        return self

    @property
    def ref(self) -> str:
        return f"{self.catalogue}@{self.version}"

    def indicator(self, code: str) -> IndicatorDefinition | None:
        return next((i for i in self.indicators if i.code == code), None)

    @property
    def outcomes(self) -> frozenset[HeadlineOutcome]:
        """The outcomes this agency's indicators can evidence."""
        return frozenset(i.outcome for i in self.indicators)


def parse_catalogue(text: str, source: str = "<string>") -> IndicatorCatalogue:
    """One catalogue from YAML text; ``CatalogueError`` says where and what is wrong."""
    try:
        document = yaml.load(text, Loader=UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        raise CatalogueError(f"{source}: not valid YAML: {error}") from None
    if not isinstance(document, dict):
        raise CatalogueError(f"{source}: a catalogue file holds one mapping")
    try:
        return IndicatorCatalogue.model_validate(document)
    except ValidationError as error:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(catalogue)'}: {e['msg']}"
            for e in error.errors()
        )
        raise CatalogueError(f"{source}: {details}") from None


def load_catalogue(path: Path) -> IndicatorCatalogue:
    if not path.is_file():
        raise CatalogueError(f"{path}: no such catalogue")
    return parse_catalogue(path.read_text(encoding="utf-8"), str(path))


@cache
def agency_catalogue(agency: str) -> IndicatorCatalogue | None:
    """The agency's own catalogue, None when it publishes no indicators."""
    path = subgraph_dir(agency) / CATALOGUE_FILE
    if not path.is_file():
        return None
    catalogue = load_catalogue(path)
    if catalogue.agency != agency:
        raise CatalogueError(f"{path}: agency is {catalogue.agency!r}, but the file is {agency}'s")
    return catalogue


@cache
def all_catalogues() -> dict[str, IndicatorCatalogue]:
    """Every agency's catalogue; an indicator code belongs to one agency only."""
    found = {a: c for a in AGENCIES if (c := agency_catalogue(a)) is not None}
    owner: dict[str, str] = {}
    for agency, catalogue in found.items():
        for indicator in catalogue.indicators:
            if indicator.code in owner:
                raise CatalogueError(
                    f"indicator {indicator.code} is in both {owner[indicator.code]}'s and "
                    f"{agency}'s catalogue"
                )
            owner[indicator.code] = agency
    return found
