"""Why the model scores a pair of records as it does: the prior, then each comparison's level
and the weight it adds, summing to the match weight (Splink's own scoring of the pair).

The index explains from the token keys it stored for each record (``linked_record``); it never
needs a name or a date to do so, and the person asking resolves the records agency-side.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import asyncpg
import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker

from linkage.index_side.model import COMPARISONS, CONFIRMED_DAY, LinkageModel
from linkage.index_side.moves import CASES
from linkage.index_side.records import RecordSet
from linkage.index_side.store import KEY_COLUMNS

KINDS: tuple[str, ...] = tuple(sorted({column for c in COMPARISONS for column in c.columns}))
_EPOCH = date(1970, 1, 1)
_DESCRIPTIONS = {c.name: c.description for c in COMPARISONS}


@dataclass(frozen=True)
class Contribution:
    comparison: str  # e.g. "name and date of birth"
    level: str  # the level the pair reached, e.g. "surname sound, forename, DOB"
    weight: float  # log2 of the level's m/u (0 when a side has no such token)


@dataclass(frozen=True)
class Explanation:
    prior: float  # log2 odds that two random records match, for this population
    contributions: tuple[Contribution, ...]
    match_weight: float
    match_probability: float
    threshold: float

    @property
    def links(self) -> bool:
        """Whether the pair is strong enough to link (guards permitting)."""
        return self.match_weight >= self.threshold


def explain_pair(
    model: LinkageModel,
    left: Mapping[str, int | None],
    right: Mapping[str, int | None],
    population: int,
    moved_case: str | None = None,
) -> Explanation:
    """Score one pair of records, given by their token keys per kind (and ``confirmed_day``,
    the day the address was confirmed, in days since 1970), and ``moved_case``: what the
    people around a pair at two addresses say (:func:`moved_case_of`; None: not apart)."""
    schema = pa.schema([("record", pa.int32()), *[(kind, pa.int64()) for kind in KINDS]])
    rows = [
        {"record": n, **{kind: side.get(kind) for kind in KINDS}}
        for n, side in enumerate((left, right))
    ]
    con = duckdb.connect()
    try:
        con.register("records", pa.Table.from_pylist(rows, schema=schema))
        db = DuckDBAPI(con)
        linker = Linker(
            db.register("records"), model.settings_for(population), log_level=logging.ERROR
        )
        scored = linker.inference.score_pair(rows[0], rows[1]).as_record_list()[0]
    finally:
        con.close()
    contributions = []
    for comparison in model.settings["comparisons"]:
        name = comparison["output_column_name"]
        levels = comparison["comparison_levels"]
        gamma = int(scored[f"gamma_{name}"])
        # Splink numbers levels from "different" (0) upwards; the null level is -1.
        label = "missing" if gamma < 0 else levels[len(levels) - 1 - gamma]["label_for_charts"]
        contributions.append(
            Contribution(_DESCRIPTIONS.get(name, name), label, float(scored[f"mw_{name}"]))
        )
    weight = float(scored["match_weight"])
    prior = weight - sum(c.weight for c in contributions)
    if moved_case is not None:
        moved = model.moved_together.get(moved_case, 0.0)
        contributions.append(Contribution(MOVED_TOGETHER, moved_case, moved))
        weight += moved
    return Explanation(
        prior=prior,
        contributions=tuple(contributions),
        match_weight=weight,
        match_probability=1.0 / (1.0 + 2.0**-weight),
        threshold=model.threshold,
    )


MOVED_TOGETHER = "moved together (the people around them)"
_PLACED = (
    "SELECT agency, uprn, address, dob_postcode, name_postcode, forename_dob FROM linked_record "
    "WHERE agency = $1 AND entity = 'Person' AND record_ref = $2"
)


def _at(alias: str, record: asyncpg.Record, n: int) -> str:
    """SQL: record ``alias`` is at ``record``'s place (its UPRN, else its address), ``$n``."""
    if record["uprn"] is not None:
        return f"{alias}.uprn = ${n}"
    return f"{alias}.uprn IS NULL AND {alias}.address = ${n}"


def _place(record: asyncpg.Record) -> object:
    return record["uprn"] if record["uprn"] is not None else record["address"]


async def moved_case_of(
    conn: asyncpg.Connection, left: tuple[str, bytes], right: tuple[str, bytes]
) -> str | None:
    """The moved-together case of two stored records (agency, record reference), as
    :mod:`linkage.index_side.moves` puts a pair at two addresses, from the index as it stands:
    someone else seen at both is a mesh person with records at both (as a delta sees its
    surroundings). None when the records share an address (or have none): no such term."""
    one = await conn.fetchrow(_PLACED, *left)
    other = await conn.fetchrow(_PLACED, *right)
    if one is None or other is None or _place(one) is None or _place(other) is None:
        return None
    if any(one[c] is not None and one[c] == other[c] for c in _SAME_PLACE):
        return None
    sides = (one, other)
    seen = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM linked_record x JOIN linked_record y "
        "ON y.mesh_id = x.mesh_id AND y.entity = 'Person' "
        f"WHERE x.entity = 'Person' AND {_at('x', one, 1)} AND {_at('y', other, 2)} "
        "AND x.forename_dob IS DISTINCT FROM $3 AND y.forename_dob IS DISTINCT FROM $4)",
        _place(one),
        _place(other),
        one["forename_dob"],
        other["forename_dob"],
    )
    people = [
        await conn.fetchval(
            "SELECT count(DISTINCT forename_dob) FROM linked_record x "
            f"WHERE x.entity = 'Person' AND x.agency = $2 AND {_at('x', side, 1)}",
            _place(side),
            side["agency"],
        )
        for side in sides
    ]
    return CASES[(0 if seen else 2) + (0 if all(n > 1 for n in people) else 1)]


#: Tokens that put two records at one address (the moves' "apart" test is their negation).
_SAME_PLACE = ("uprn", "address", "dob_postcode", "name_postcode")


async def stored_record(
    conn: asyncpg.Connection, agency: str, record_ref: bytes
) -> tuple[str, dict[str, int | None]] | None:
    """A stored record's mesh id and token keys (the UPRN token's too, and the confirmation
    day), or None."""
    row = await conn.fetchrow(
        f"SELECT mesh_id, {', '.join(KEY_COLUMNS)}, uprn, address_confirmed_on FROM linked_record "
        "WHERE agency = $1 AND entity = 'Person' AND record_ref = $2",
        agency,
        record_ref,
    )
    if row is None:
        return None
    keys: dict[str, int | None] = {kind: row[kind] for kind in KEY_COLUMNS}
    keys["uprn"] = RecordSet.key_of(bytes(row["uprn"])) if row["uprn"] is not None else None
    on: date | None = row["address_confirmed_on"]
    keys[CONFIRMED_DAY] = (on - _EPOCH).days if on is not None else None
    return str(row["mesh_id"]), keys
