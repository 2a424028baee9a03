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

Households: each person takes the UPRN token seen most often among its records (ties go to the
most preferred agency: housing, the landlord, then health, the GP register); persons sharing
that token are one household. A record without a UPRN counts for the UPRN its ``address``
token (address line and postcode) was seen with elsewhere, when that is a single one.

A probabilistic (Fellegi-Sunter) clusterer can replace :class:`DeterministicClusterer` behind
:class:`Clusterer`: it receives the same :class:`RecordSet` and returns a :class:`Clustering`.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

TOKEN_BYTES = 32
_MISSING = bytes(TOKEN_BYTES)


class RecordSet:
    """Submitted person records in compact columns: record i is an int everywhere.

    Tokens are kept as fixed 32-byte slots of one ``bytearray`` per kind (zeros: no token), so
    millions of records cost 32 bytes per token and no Python object each.
    """

    def __init__(self, kinds: Sequence[str]) -> None:
        self.kinds: tuple[str, ...] = tuple(kinds)
        self.agencies: list[str] = []
        self.agency_of = array("B")
        self.refs = bytearray()
        self._columns: dict[str, bytearray] = {kind: bytearray() for kind in self.kinds}
        self._agency_index: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.agency_of)

    def add(self, agency: str, record_ref: bytes, tokens: Mapping[str, bytes]) -> int:
        """Append one record; returns its index."""
        if len(record_ref) != TOKEN_BYTES:
            raise ValueError("a record_ref is a 32-byte keyed hash")
        code = self._agency_index.get(agency)
        if code is None:
            if len(self.agencies) >= 64:
                raise ValueError("at most 64 agencies take part in linkage")
            code = self._agency_index[agency] = len(self.agencies)
            self.agencies.append(agency)
        used = 0
        for kind, column in self._columns.items():
            value = tokens.get(kind)
            if value is None:
                column += _MISSING
            else:
                if len(value) != TOKEN_BYTES:
                    raise ValueError(f"token {kind!r} is not a 32-byte keyed hash")
                column += value
                used += 1
        if used != len(tokens):
            unknown = sorted(set(tokens) - set(self._columns))
            raise ValueError(f"unknown token kinds {unknown}")
        self.agency_of.append(code)
        self.refs += record_ref
        return len(self.agency_of) - 1

    def ref(self, i: int) -> bytes:
        return bytes(self.refs[i * TOKEN_BYTES : (i + 1) * TOKEN_BYTES])

    def token(self, kind: str, i: int) -> bytes | None:
        value = bytes(self._columns[kind][i * TOKEN_BYTES : (i + 1) * TOKEN_BYTES])
        return None if value == _MISSING else value

    def keys(self, kind: str) -> memoryview:
        """The first 8 bytes of each record's token as an int64 (0: no token), for blocking."""
        return memoryview(self._columns[kind]).cast("q")[:: TOKEN_BYTES // 8]

    def indexes_of(self, agency: str) -> Iterable[int]:
        code = self._agency_index.get(agency)
        return () if code is None else (i for i, a in enumerate(self.agency_of) if a == code)


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


@dataclass
class Clustering:
    """The clusterer's answer, all by position: record -> person -> household."""

    person_of: array[int]  # per record: person number 0 .. persons-1
    persons: int
    household_of_person: array[int]  # per person: household number, -1 when no UPRN seen
    household_tokens: list[bytes]  # per household: its address (UPRN) token
    stats: ClusterStats

    @property
    def households(self) -> int:
        return len(self.household_tokens)


class Clusterer(Protocol):
    """Anything that turns submitted records into persons and households."""

    @property
    def method(self) -> str: ...

    def parameters(self) -> dict[str, object]: ...

    def cluster(self, records: RecordSet) -> Clustering: ...


class _Forest:
    """Union-find over record indexes, each root knowing its agencies and NHS token."""

    def __init__(self, agency_of: array[int], nhs: memoryview) -> None:
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
            a, b = (top, other) if self.size[top] >= self.size[other] else (other, top)
            self.parent[b] = a
            self.size[a] += self.size[b]
            self.agencies[a] |= self.agencies[b]
            if not self.nhs[a]:
                self.nhs[a] = self.nhs[b]
            top = a
        return len(roots) - 1


def groups(column: memoryview) -> list[list[int]]:
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


def refine(grouped: Iterable[list[int]], column: memoryview) -> Iterator[list[int]]:
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


def _properties(records: RecordSet) -> tuple[array[int], dict[int, int]]:
    """Each record's UPRN key, or where it has none the UPRN its address token was seen with
    (when that address was seen with one UPRN only); and a record holding each UPRN token."""
    uprn = records.keys("uprn")
    address = records.keys("address") if "address" in records.kinds else None
    holder: dict[int, int] = {}
    via_address: dict[int, int] = {}
    for i, u in enumerate(uprn):
        if u:
            holder.setdefault(u, i)
            if address is not None and (a := address[i]) and via_address.setdefault(a, u) != u:
                via_address[a] = 0
    effective = array("q", uprn)
    if address is not None:
        for i, u in enumerate(uprn):
            if not u and (a := address[i]):
                effective[i] = via_address.get(a, 0)
    return effective, holder


def assign_households(
    records: RecordSet, person_of: array[int], persons: int, preference: Sequence[str]
) -> tuple[array[int], list[bytes]]:
    """Each person's most frequent UPRN token (ties: preferred agency first); persons sharing it
    form one household. Returns (household per person, address token per household)."""
    rank = array(
        "i", (preference.index(a) if a in preference else len(preference) for a in records.agencies)
    )
    uprn, holder = _properties(records)
    # Counting sort of records by person, so each person's records are adjacent.
    start = array("i", [0]) * (persons + 1)
    for p in person_of:
        start[p + 1] += 1
    for p in range(persons):
        start[p + 1] += start[p]
    order = array("i", [0]) * len(person_of)
    fill = array("i", start)
    for i, p in enumerate(person_of):
        order[fill[p]] = i
        fill[p] += 1
    del fill
    household_of_person = array("i", [-1]) * persons
    household_of_key: dict[int, int] = {}
    tokens: list[bytes] = []
    for p in range(persons):
        lo, hi = start[p], start[p + 1]
        if hi - lo == 1:
            best_key = uprn[order[lo]]
        else:
            votes: dict[int, list[int]] = {}  # key -> [count, -best agency rank, -first record]
            for i in order[lo:hi]:  # in record order
                if key := uprn[i]:
                    r = -rank[records.agency_of[i]]
                    vote = votes.setdefault(key, [0, r, -i])
                    vote[0] += 1
                    vote[1] = max(vote[1], r)
            best_key = max(votes, key=votes.__getitem__) if votes else 0
        if not best_key:
            continue
        household = household_of_key.get(best_key)
        if household is None:
            household = household_of_key[best_key] = len(tokens)
            tokens.append(records.token("uprn", holder[best_key]) or _MISSING)
        household_of_person[p] = household
    return household_of_person, tokens


@dataclass
class DeterministicClusterer:
    """Linkage v1: the rule table above, guarded blocks, union-find."""

    rules: tuple[MatchRule, ...] = RULES
    block_cap: int = 64
    household_preference: tuple[str, ...] = ("housing", "health")

    @property
    def method(self) -> str:
        return "deterministic-v1"

    def parameters(self) -> dict[str, object]:
        return {
            "rules": [rule.name for rule in self.rules],
            "block_cap": self.block_cap,
            "household_preference": list(self.household_preference),
        }

    def cluster(self, records: RecordSet) -> Clustering:
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
        person_of, persons = _number_clusters(forest)
        del forest
        households, tokens = assign_households(
            records, person_of, persons, self.household_preference
        )
        return Clustering(person_of, persons, households, tokens, stats)


def _number_clusters(forest: _Forest) -> tuple[array[int], int]:
    """Person numbers 0.. in order of each cluster's first record."""
    n = len(forest.parent)
    number = array("i", [-1]) * n
    person_of = array("i", [0]) * n
    persons = 0
    for i in range(n):
        root = forest.find(i)
        p = number[root]
        if p < 0:
            p = number[root] = persons
            persons += 1
        person_of[i] = p
    return person_of, persons
