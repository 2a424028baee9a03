"""Union-find over agency records whose roots know their agencies (a bit mask) and NHS token
(0: none): the guards both clusterers apply when joining people live on the roots."""

from __future__ import annotations

from array import array
from collections.abc import Sequence


class RecordForest:
    """Records 0..n-1; ``join`` merges two roots, the larger one (ties: the first) on top."""

    def __init__(self, agency_of: Sequence[int], nhs: Sequence[int]) -> None:
        n = len(agency_of)
        self.parent = array("i", range(n))
        self.size = array("i", [1]) * n
        self.agencies = array("Q", (1 << a for a in agency_of))
        self.nhs = array("q", nhs)

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(self, a: int, b: int) -> int:
        """Merge root ``b`` into root ``a`` or the other way round; returns the new root."""
        if self.size[a] < self.size[b]:
            a, b = b, a
        self.parent[b] = a
        self.size[a] += self.size[b]
        self.agencies[a] |= self.agencies[b]
        if not self.nhs[a]:
            self.nhs[a] = self.nhs[b]
        return a

    def number(self) -> tuple[array[int], int]:
        """Person numbers 0.. in order of each person's first record."""
        n = len(self.parent)
        number = array("i", [-1]) * n
        person_of = array("i", [0]) * n
        persons = 0
        for i in range(n):
            root = self.find(i)
            p = number[root]
            if p < 0:
                p = number[root] = persons
                persons += 1
            person_of[i] = p
        return person_of, persons
