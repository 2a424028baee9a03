"""The chunked, deterministic generator of the synthetic Greater Manchester population."""

from __future__ import annotations

from collections.abc import Iterator
from random import Random

from devtools.synth.agencies import AGENCIES
from devtools.synth.context import ChunkContext
from devtools.synth.faults import DEFAULT_FAULTS, FaultRates
from devtools.synth.identifiers import MAX_PEOPLE
from devtools.synth.people import households
from devtools.synth.rows import ChunkRows, TableRows, TableSpec
from devtools.synth.truth import TABLES as TRUTH_TABLES
from devtools.synth.truth import TruthRecords

#: Every table written, in load order: the truth first, then each agency parents before children.
ALL_TABLES: tuple[TableSpec, ...] = TRUTH_TABLES + tuple(
    spec for _, tables, _ in AGENCIES for spec in tables
)


def generate(
    people: int, seed: int = 1, chunk_people: int = 20_000, faults: FaultRates = DEFAULT_FAULTS
) -> Iterator[list[TableRows]]:
    """Yield one list of TableRows per chunk of ``chunk_people`` people (the last chunk the rest).

    Each chunk holds whole households (the last household of a chunk may be cut short), its own
    random stream derived from ``seed`` and the chunk number, and tables in load order: parents
    before children, the education ``school`` table in the first chunk only. The same arguments
    always give the same rows. Raises ValueError if ``people`` is below 1 or above MAX_PEOPLE.
    """
    if people < 1:
        raise ValueError(f"people must be at least 1, not {people}")
    if people > MAX_PEOPLE:
        raise ValueError(f"people must be at most {MAX_PEOPLE:,}, not {people}")
    if chunk_people < 1:
        raise ValueError(f"chunk_people must be at least 1, not {chunk_people}")
    return _chunks(people, seed, chunk_people, faults)


def _chunks(
    people: int, seed: int, chunk_people: int, faults: FaultRates
) -> Iterator[list[TableRows]]:
    for index, first in enumerate(range(0, people, chunk_people)):
        yield generate_chunk(index, first, min(chunk_people, people - first), seed, faults)


def generate_chunk(
    index: int, first: int, count: int, seed: int, faults: FaultRates = DEFAULT_FAULTS
) -> list[TableRows]:
    """The rows of chunk ``index``: ``count`` people numbered from ``first`` (0-based)."""
    rng = Random(f"civic-mesh:{seed}:{index}")
    rows = ChunkRows(ALL_TABLES)
    ctx = ChunkContext(index, seed, rng, faults, rows)
    truth = TruthRecords(rows)
    writers = [make(ctx) for _, _, make in AGENCIES]
    for household in households(rng, first + 1, count, seed):
        truth.add(household)
        for writer in writers:
            ctx.identity.visit(household)
            writer.add(household)
    return rows.to_list()
