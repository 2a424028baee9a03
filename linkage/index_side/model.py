"""The Fellegi-Sunter linkage model on keyed tokens, and the versioned file it is kept in.

Each *comparison* looks at one identifier family and puts a pair of records at the first of its
graded *levels* whose tokens agree (agencies submit several tokens per family, so a pair that
disagrees on the full name may still agree on the Soundex of the surname, or on the date of
birth with day and month swapped). A level's weight is log2(m / u): m, how often true matches
fall at that level; u, how often non-matches do. A pair's match weight is the prior
(log2 of the odds that two random records match) plus the weight of each comparison's level.

=============  ===================================  =============================================
comparison     levels, strongest first               tokens compared
=============  ===================================  =============================================
nhs            same NHS number / different           nhs
name_dob       full forename, surname and DOB;        fullname_dob, name_dob, phonetic_dob,
               surname, initial, DOB; surname sound,  name_start_dob, forename_dob,
               forename, DOB; forename, surname's     name_dob_swapped
               first letters, DOB; forename and DOB;
               surname, initial, DOB swapped;         forename_swapped
               forename, DOB swapped; different
address        same UPRN; same address line and       uprn, address, dob_postcode, name_postcode
               postcode; same postcode and DOB;       (and the days the addresses were confirmed)
               same postcode and name; different,
               both confirmed within 180 days;
               different
=============  ===================================  =============================================

A comparison whose tokens are all missing on either side says nothing (weight 0). Column names
are plain identifiers, never quoted, so that Splink can write the same settings in any engine's
SQL dialect (DuckDB here, Spark beyond one machine: :mod:`linkage.index_side.spark`). Identifier
families are kept apart so that one fact is not counted twice: a moved person disagrees on
UPRN, address and postcode at once, and pays for that once, as one "different address".

A pair at two different addresses then gains or loses weight by what the people around it say:
whether someone else was seen at both addresses too (:mod:`linkage.index_side.moves`).

The model file is JSON: its format name and version, the key check of the linkage key whose
tokens it was trained on (:func:`linkage.key.key_check`), the linking thresholds, the Splink
settings with every m and u, and the weights of the moved-together cases. A file of another
format version, or trained under another key (whose tokens mean nothing under this one), is
refused with :class:`ModelError`.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linkage.index_side.moves import CASES

MODEL_FORMAT = "civic-mesh-linkage-model"
MODEL_VERSION = 3  # 2: confirmations' distance weighed; 3: moved together, threshold -3.85


class ModelError(RuntimeError):
    """A model file that cannot be used with these tokens (another key, another version)."""


@dataclass(frozen=True)
class Level:
    label: str
    kind: str  # the token kind that must agree ("" for a level given by ``condition``)
    condition: str = ""  # SQL on the ``_l`` / ``_r`` columns, instead of agreement on ``kind``
    columns: tuple[str, ...] = ()  # the columns ``condition`` reads

    def sql(self) -> str:
        return self.condition or f"{self.kind}_l = {self.kind}_r"


#: The day an address was confirmed, as a number (portable SQL: no date functions needed).
CONFIRMED_DAY = "confirmed_day"
#: Two different addresses confirmed this close together are unlikely to be one person's.
CONFIRMED_TOGETHER_DAYS = 180


@dataclass(frozen=True)
class Comparison:
    name: str
    description: str
    levels: tuple[Level, ...]  # strongest first; "different" comes last, implicitly

    @property
    def kinds(self) -> tuple[str, ...]:
        """The token kinds compared (a comparison with none of them on a side is missing)."""
        return tuple(level.kind for level in self.levels if level.kind)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the comparison reads."""
        return (*self.kinds, *(c for level in self.levels for c in level.columns))

    def null_condition(self) -> str:
        """True when either record has none of the comparison's tokens."""
        sides = [" AND ".join(f"{k}_{side} IS NULL" for k in self.kinds) for side in "lr"]
        return " OR ".join(f"({side})" for side in sides)

    def splink_levels(self) -> list[dict[str, Any]]:
        levels: list[dict[str, Any]] = [
            {"sql_condition": self.null_condition(), "label_for_charts": "missing",
             "is_null_level": True}
        ]  # fmt: skip
        levels += [{"sql_condition": lv.sql(), "label_for_charts": lv.label} for lv in self.levels]
        levels.append({"sql_condition": "ELSE", "label_for_charts": "different"})
        return levels


COMPARISONS: tuple[Comparison, ...] = (
    Comparison("nhs", "NHS number", (Level("same NHS number", "nhs"),)),
    Comparison(
        "name_dob",
        "name and date of birth",
        (
            Level("full forename, surname, DOB", "fullname_dob"),
            Level("surname, initial, DOB", "name_dob"),
            Level("surname sound, forename, DOB", "phonetic_dob"),
            Level("forename, surname's first letters, DOB", "name_start_dob"),
            Level("forename, DOB", "forename_dob"),
            Level("surname, initial, DOB day/month swapped", "name_dob_swapped"),
            Level("forename, DOB day/month swapped", "forename_swapped"),
        ),
    ),
    Comparison(
        "address",
        "address",
        (
            Level("same UPRN", "uprn"),
            Level("same address line, postcode", "address"),
            Level("same postcode, DOB", "dob_postcode"),
            Level("same postcode, name", "name_postcode"),
            Level(
                f"different, both confirmed within {CONFIRMED_TOGETHER_DAYS} days",
                "",
                f"abs({CONFIRMED_DAY}_l - {CONFIRMED_DAY}_r) <= {CONFIRMED_TOGETHER_DAYS}",
                (CONFIRMED_DAY,),
            ),
        ),
    ),
)
#: Pairs are scored only if they share one of these tokens (not UPRN or address alone: every
#: member of a household shares those, and no pair with nothing else in common links).
BLOCKING_KINDS: tuple[str, ...] = (
    "nhs",
    "fullname_dob",
    "name_dob",
    "phonetic_dob",
    "name_start_dob",
    "forename_dob",
    "name_dob_swapped",
    "forename_swapped",
    "dob_postcode",
    "name_postcode",
)


def splink_settings(comparisons: tuple[Comparison, ...] = COMPARISONS) -> dict[str, Any]:
    """An untrained Splink settings dictionary for the comparisons (DuckDB or Spark)."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "record",
        "comparisons": [
            {
                "output_column_name": c.name,
                "comparison_description": c.description,
                "comparison_levels": c.splink_levels(),
            }
            for c in comparisons
        ],
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": f"l.{kind} = r.{kind}"} for kind in BLOCKING_KINDS
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "additional_columns_to_retain": [],
    }


@dataclass
class LinkageModel:
    """A trained model: Splink's settings with m and u, and how the mesh links with it."""

    key_check: str
    settings: dict[str, Any]  # Splink settings, every level with m_probability, u_probability
    matching_pairs_per_record: float  # the prior, independent of the population's size
    # Pairs at or above this match weight may link. -3.85 since version 3 (-5 before): at full
    # GM, between a day/month-swapped birth date at an address where nobody corroborates a move
    # (-4.0) and forename, surname's first letters and birth date there (-3.6).
    threshold: float = -3.85
    margin: float = 1.0  # a record's two best candidates in one agency closer than this: neither
    trained: dict[str, Any] = field(default_factory=dict)  # records, agencies, when, versions
    moved_together: dict[str, float] = field(default_factory=dict)  # case -> weight (moves.py)

    def prior(self, records: int) -> float:
        """The probability that two random records match, for a population of ``records``: the
        expected matching pairs grow with the records, all pairs with their square."""
        return min(0.5, 2 * self.matching_pairs_per_record / max(records - 1, 1))

    def settings_for(self, records: int) -> dict[str, Any]:
        """The Splink settings with the prior for ``records`` records."""
        settings: dict[str, Any] = json.loads(json.dumps(self.settings))
        settings["probability_two_random_records_match"] = self.prior(records)
        return settings

    def level_weights(self) -> dict[str, list[tuple[str, float | None]]]:
        """Per comparison, each level's label and weight log2(m/u) (None for "missing")."""
        out: dict[str, list[tuple[str, float | None]]] = {}
        for comparison in self.settings["comparisons"]:
            levels = []
            for level in comparison["comparison_levels"]:
                m, u = level.get("m_probability"), level.get("u_probability")
                weight = math.log2(m / u) if m and u else None
                levels.append((str(level.get("label_for_charts")), weight))
            out[comparison["output_column_name"]] = levels
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "version": MODEL_VERSION,
            "key_check": self.key_check,
            "matching_pairs_per_record": self.matching_pairs_per_record,
            "threshold": self.threshold,
            "margin": self.margin,
            "trained": self.trained,
            "splink_settings": self.settings,
            "moved_together": self.moved_together,
        }

    def save(self, path: Path) -> None:
        """Write the model (atomically: a crash never leaves half a file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(path.suffix + ".partial")
        partial.write_text(json.dumps(self.to_json(), indent=1, sort_keys=True) + "\n")
        os.replace(partial, path)


def load_model(path: Path, *, key_check: str) -> LinkageModel:
    """Read a model file, refusing one of another format version or another linkage key."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the linkage model {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise ModelError(f"{path} is not a Civic Mesh linkage model")
    if data.get("version") != MODEL_VERSION:
        raise ModelError(
            f"{path} is a linkage model of format version {data.get('version')}; this mesh "
            f"reads version {MODEL_VERSION}: train a new one with `mesh link --retrain`"
        )
    if data.get("key_check") != key_check:
        raise ModelError(
            f"{path} was trained on tokens made with another linkage key (key check "
            f"{data.get('key_check')}, the agencies' is {key_check}): its weights mean nothing "
            "for these tokens; train a new one with `mesh link --retrain`"
        )
    try:
        moved = {case: float(data["moved_together"][case]) for case in CASES}
        return LinkageModel(
            key_check=data["key_check"],
            settings=data["splink_settings"],
            matching_pairs_per_record=float(data["matching_pairs_per_record"]),
            threshold=float(data["threshold"]),
            margin=float(data["margin"]),
            trained=dict(data.get("trained", {})),
            moved_together=moved,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{path} is an incomplete linkage model: {exc!r}") from None
