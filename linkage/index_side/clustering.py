"""Clustering submitted records into mesh persons and households, from keyed hashes alone.

The index sees no identity: each record is an agency, an opaque ``record_ref`` and a few keyed
hash tokens (see :mod:`linkage.agency_side.tokens`). Two records are linked when a *match
rule* agrees for them; the transitive closure (union-find) of the links is a mesh person.

Deterministic rules, applied in this order (v1)
------------------------------------------------

======================================  =======================================  =============
rule: tokens that must agree            evidence combined                        catches
======================================  =======================================  =============
nhs                                     valid NHS number                         any fault
fullname_dob + dob_postcode, or uprn    full forename, surname, DOB, address     nicknames
name_dob + dob_postcode, or uprn        surname, initial, DOB, address           name variants
phonetic_dob + dob_postcode, or uprn    surname sound, forename, DOB, address    surname typos
forename_dob + dob_postcode, or uprn    full forename, DOB, address              surname slips
name_dob_swapped + name_postcode, uprn  surname, initial, {day, month}, address  DOB swapped
fullname_dob (unique)                   full forename, surname, DOB              moved house
phonetic_dob (unique)                   surname sound, forename, DOB             moved, typo
======================================  =======================================  =============

Every rule after ``nhs`` joins a name with a date of birth and an address, or (the last two)
requires its key to be unique. All of them are *guarded*: a block (the records sharing the
rule's tokens) links only when it is unambiguous, that is when no agency contributes two
different current clusters to it and its clusters carry at most one NHS token. So two records
of the same agency are never merged except by NHS number, twins at one address stay apart, and
a name-and-birth-date key alone links only where it is unique in every agency (health holds
nearly everyone, so two people sharing it show up as two health clusters: the uniqueness rule
of ONS deterministic matchkeys). Blocks larger than ``block_cap`` are skipped and counted.

Households are formed by recency and evidence (:mod:`linkage.index_side.households`), the same
for every clusterer. The default clusterer is probabilistic (Fellegi-Sunter, with Splink:
:mod:`linkage.index_side.probabilistic`); this one stays selectable (``--method rules``) for
comparison. Both receive a :class:`RecordSet` and return a :class:`Clustering`.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from linkage.index_side.forest import RecordForest
from linkage.index_side.households import assign_households
from linkage.index_side.moves import Surroundings
from linkage.index_side.records import RecordSet


@dataclass(frozen=True)
class MatchRule:
    """Records whose tokens of every kind in ``kinds`` agree are linked (if the block is
    unambiguous, unless ``unconditional``)."""

    kinds: tuple[str, ...]
    unconditional: bool = False

    @property
    def name(self) -> str:
        return "+".join(self.kinds)


RULES: tuple[MatchRule, ...] = (
    MatchRule(("nhs",), unconditional=True),
    MatchRule(("fullname_dob", "dob_postcode")),
    MatchRule(("fullname_dob", "uprn")),
    MatchRule(("name_dob", "dob_postcode")),
    MatchRule(("name_dob", "uprn")),
    MatchRule(("phonetic_dob", "dob_postcode")),
    MatchRule(("phonetic_dob", "uprn")),
    MatchRule(("forename_dob", "dob_postcode")),
    MatchRule(("forename_dob", "uprn")),
    MatchRule(("name_dob_swapped", "name_postcode")),
    MatchRule(("name_dob_swapped", "uprn")),
    MatchRule(("fullname_dob",)),
    MatchRule(("phonetic_dob",)),
)


@dataclass
class ClusterStats:
    links: dict[str, int] = field(default_factory=dict)  # unions made, per rule
    ambiguous_blocks: dict[str, int] = field(default_factory=dict)
    skipped_blocks: dict[str, int] = field(default_factory=dict)  # over the size cap

    @property
    def blocks_skipped(self) -> int:
        return sum(self.skipped_blocks.values())


@dataclass(frozen=True)
class ScoredPair:
    """Two records (by position) and the weight of evidence that they are one person."""

    left: int
    right: int
    match_weight: float
    linked: bool  # whether the clusterer put them in one person


@dataclass
class Clustering:
    """The clusterer's answer, all by position: record -> person -> household."""

    person_of: array[int]  # per record: person number 0 .. persons-1
    persons: int
    household_of_person: array[int]  # per person: household number, -1 when no UPRN seen
    household_tokens: list[bytes]  # per household: its address (UPRN) token
    stats: ClusterStats
    borderline: list[ScoredPair] = field(default_factory=list)  # for clerical review

    @property
    def households(self) -> int:
        return len(self.household_tokens)


class Clusterer(Protocol):
    """Anything that turns submitted records into persons and households."""

    @property
    def method(self) -> str: ...

    def parameters(self) -> dict[str, object]: ...

    def cluster(
        self,
        records: RecordSet,
        *,
        population: int | None = None,
        surroundings: Surroundings | None = None,
    ) -> Clustering:
        """Persons and households of ``records``; ``population`` (default: all of them) is how
        many records the whole index holds when these are only a part (a delta's region), and
        ``surroundings`` the records of everyone else seen at their addresses then."""
        ...

    def keep(self) -> None:
        """The run that used this clustering was committed: keep what it learnt (a model)."""
        ...


class _Forest(RecordForest):
    """A record forest that joins whole groups of roots once they are unambiguous."""

    def unambiguous(self, roots: set[int]) -> bool:
        seen_agencies = 0
        seen_nhs = 0
        for root in roots:
            mask = self.agencies[root]
            if mask & seen_agencies:
                return False
            seen_agencies |= mask
            nhs = self.nhs[root]
            if nhs:
                if seen_nhs and nhs != seen_nhs:
                    return False
                seen_nhs = nhs
        return True

    def union(self, roots: set[int]) -> int:
        """Merge the roots into one; returns how many unions that took."""
        it = iter(roots)
        top = next(it)
        for other in it:
            top = self.join(top, other)
        return len(roots) - 1


def groups(column: Sequence[int]) -> list[list[int]]:
    """Groups of two or more records with the same key in one column (0: no key)."""
    first: dict[int, int] = {}
    multi: dict[int, list[int]] = {}
    for i, key in enumerate(column):
        if key:
            j = first.setdefault(key, i)
            if j != i:
                group = multi.get(key)
                if group is None:
                    multi[key] = [j, i]
                else:
                    group.append(i)
    return list(multi.values())


def refine(grouped: Iterable[list[int]], column: Sequence[int]) -> Iterator[list[int]]:
    """Split groups further by a second column: records must agree on both."""
    for group in grouped:
        if len(group) == 2:
            key = column[group[0]]
            if key and key == column[group[1]]:
                yield group
            continue
        split: dict[int, list[int]] = {}
        for i in group:
            if key := column[i]:
                split.setdefault(key, []).append(i)
        yield from (g for g in split.values() if len(g) > 1)


@dataclass
class DeterministicClusterer:
    """Linkage v1: the rule table above, guarded blocks, union-find."""

    rules: tuple[MatchRule, ...] = RULES
    block_cap: int = 64
    household_preference: tuple[str, ...] = ("housing", "health")

    @property
    def method(self) -> str:
        return "rules"

    def parameters(self) -> dict[str, object]:
        return {
            "rules": [rule.name for rule in self.rules],
            "block_cap": self.block_cap,
            "household_preference": list(self.household_preference),
        }

    def keep(self) -> None:
        """Nothing is learnt: the rules are fixed."""

    def cluster(
        self,
        records: RecordSet,
        *,
        population: int | None = None,
        surroundings: Surroundings | None = None,
    ) -> Clustering:
        forest = _Forest(records.agency_of, records.keys("nhs"))
        stats = ClusterStats()
        grouped: dict[str, list[list[int]]] = {}  # by a rule's first kind, while still needed
        for n, rule in enumerate(self.rules):
            if len(rule.kinds) not in (1, 2):
                raise ValueError(f"rule {rule.name}: a rule combines one or two token kinds")
            first = rule.kinds[0]
            if first not in grouped:
                grouped[first] = groups(records.keys(first))
            blocks: Iterable[list[int]] = grouped[first]
            if len(rule.kinds) == 2:
                blocks = refine(blocks, records.keys(rule.kinds[1]))
            links = ambiguous = skipped = 0
            for block in blocks:
                if len(block) > self.block_cap:
                    skipped += 1
                    continue
                roots = {forest.find(i) for i in block}
                if len(roots) < 2:
                    continue
                if not rule.unconditional and not forest.unambiguous(roots):
                    ambiguous += 1
                    continue
                links += forest.union(roots)
            stats.links[rule.name] = links
            stats.ambiguous_blocks[rule.name] = ambiguous
            stats.skipped_blocks[rule.name] = skipped
            if all(later.kinds[0] != first for later in self.rules[n + 1 :]):
                del grouped[first]
        person_of, persons = forest.number()
        del forest
        households, tokens = assign_households(
            records, person_of, persons, self.household_preference
        )
        return Clustering(person_of, persons, households, tokens, stats)
