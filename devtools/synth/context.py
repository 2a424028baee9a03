"""What every agency's record writer shares while one chunk is generated."""

from __future__ import annotations

from random import Random

from devtools.synth.faults import FaultRates, IdentityCopier
from devtools.synth.people import Person
from devtools.synth.rows import ChunkRows
from devtools.synth.truth import TRUTH_RECORD


class ChunkContext:
    """The chunk's random stream, fault rates, row sink and the truth links it records."""

    __slots__ = ("_links", "faults", "identity", "index", "rng", "rows", "seed")

    def __init__(
        self, index: int, seed: int, rng: Random, faults: FaultRates, rows: ChunkRows
    ) -> None:
        self.index = index
        self.seed = seed
        self.rng = rng
        self.faults = faults
        self.rows = rows
        self.identity = IdentityCopier(rng, faults)
        self._links = rows.table(TRUTH_RECORD)

    def link(self, agency: str, local_id: str, person: Person) -> None:
        """Record in the truth that an agency's person record ``local_id`` is ``person``."""
        self._links.append((agency, local_id, person.person_id))
