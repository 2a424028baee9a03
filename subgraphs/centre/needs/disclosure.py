"""Statistical disclosure control for the planners' tables: pure functions, no I/O.

A table is a cube: every combination of the grouping values, plus a margin ("all") along every
grouping, so that every line (the entries along one grouping with the others fixed) adds up to
its margin. Rules, after NHS Digital's for Hospital Episode Statistics below national level:

1. **Primary suppression**: a count of 1 to 7 is never released (shown as suppressed).
2. **Secondary suppression**: a line in which one entry is suppressed would give it away by
   subtraction from the released margin; so in every line the suppressed entries are none, or
   at least two whose true values add up to at least ``MIN_HIDDEN_TOTAL``, chosen among the
   smallest non-zero cells (margins last), repeated until no line needs more.
3. **Audit**: lines interlock (a cell sits on one line per grouping), so the pattern is then
   attacked as an intruder would: a linear programme (HiGHS) finds the least and greatest
   value each suppressed entry can take given every released count *exactly* and every line's
   sum; an entry whose range is narrower than ``PROTECTION`` gets one more suppressed
   neighbour, until none is.
4. **Rounding**: every released count other than 0 is rounded to the nearest 5 (margins from
   the true values, not from rounded cells).

Zeros are released as 0 and never suppressed, so a suppressed entry is known to be at least 1.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np
from scipy.optimize import linprog

SMALLEST_RELEASED = 8  # counts 1..7 are suppressed
ROUNDING_BASE = 5
# The suppressed entries of a line must hide at least this much together, so that a primary
# cell's possible values span the whole suppressed range (1..7) and more.
MIN_HIDDEN_TOTAL = 10
# The least width of a suppressed entry's possible values under the audit's attack.
PROTECTION = 4

ALL = None  # the margin's value along a grouping
Key = tuple[str | None, ...]


@dataclass(frozen=True)
class ControlledTable:
    """What may be released: per entry the rounded count, or None where suppressed."""

    released: dict[Key, int | None]
    primary: frozenset[Key]
    secondary: frozenset[Key]

    @property
    def suppressed(self) -> frozenset[Key]:
        return self.primary | self.secondary


def round_to_base(count: int, base: int = ROUNDING_BASE) -> int:
    """Half up to the nearest multiple of ``base`` (12 → 10, 13 → 15)."""
    return ((count + base // 2) // base) * base


def cube(counts: Mapping[Key, int], values: Sequence[Sequence[str]]) -> dict[Key, int]:
    """Every combination of ``values`` (zeros where ``counts`` has none) plus every margin."""
    full: dict[Key, int] = {}
    choices = [[*dimension, ALL] for dimension in values]
    for key in product(*choices):
        full[key] = sum(
            count
            for cell, count in counts.items()
            if all(v is ALL or v == c for v, c in zip(key, cell, strict=True))
        )
    return full


def lines(keys: Sequence[Key], dimensions: int) -> Iterator[list[Key]]:
    """Every line of the cube: the entries along one grouping (its margin last)."""
    present = set(keys)
    for d in range(dimensions):
        seen: set[Key] = set()
        for key in keys:
            rest = key[:d] + key[d + 1 :]
            if rest in seen:
                continue
            seen.add(rest)
            members = [k for k in keys if k[:d] + k[d + 1 :] == rest and k[d] is not ALL]
            margin = (*key[:d], ALL, *key[d + 1 :])
            if margin in present and members:
                yield [*members, margin]


def control(full: Mapping[Key, int]) -> ControlledTable:
    """Suppress and round a full cube (cells and margins, as ``cube`` makes it)."""
    keys = list(full)  # the cube's own order: the groupings' values as given, totals last
    dimensions = len(keys[0]) if keys else 0
    primary = {k for k, count in full.items() if 0 < count < SMALLEST_RELEASED}
    suppressed = set(primary)
    all_lines = list(lines(keys, dimensions))
    _complete_lines(full, all_lines, suppressed)
    while exposed := [k for k, (low, high) in ranges(full, all_lines, suppressed).items()
                      if high - low < PROTECTION]:  # fmt: skip
        added = False
        for key in exposed:
            neighbours = [
                k
                for line in all_lines
                if key in line
                for k in line
                if k not in suppressed and full[k] > 0
            ]
            if neighbours:
                suppressed.add(min(neighbours, key=lambda k: (ALL in k, full[k], _order(k))))
                added = True
        if not added:  # everything around them is suppressed or zero already
            break
        _complete_lines(full, all_lines, suppressed)
    released = {k: None if k in suppressed else round_to_base(full[k]) for k in keys}
    return ControlledTable(released, frozenset(primary), frozenset(suppressed - primary))


def _complete_lines(
    full: Mapping[Key, int], all_lines: list[list[Key]], suppressed: set[Key]
) -> None:
    """Secondary suppression line by line, until every line hides none or enough."""
    changed = True
    while changed:
        changed = False
        for line in all_lines:
            hidden = [k for k in line if k in suppressed]
            if not hidden:
                continue
            if len(hidden) >= 2 and sum(full[k] for k in hidden) >= MIN_HIDDEN_TOTAL:
                continue
            candidates = [k for k in line if k not in suppressed and full[k] > 0]
            if not candidates:
                continue
            chosen = min(candidates, key=lambda k: (ALL in k, full[k], _order(k)))
            suppressed.add(chosen)
            changed = True


def ranges(
    full: Mapping[Key, int], all_lines: list[list[Key]], suppressed: set[Key]
) -> dict[Key, tuple[float, float]]:
    """The least and greatest value each suppressed entry can take, for an intruder who knows
    every released count exactly, that lines add up, and that suppressed entries are >= 1."""
    hidden = sorted(suppressed, key=_order)
    if not hidden:
        return {}
    index = {k: i for i, k in enumerate(hidden)}
    rows: list[np.ndarray] = []
    rhs: list[float] = []
    for line in all_lines:
        *members, margin = line
        row = np.zeros(len(hidden))
        known = 0.0
        for key, sign in [*((m, 1.0) for m in members), (margin, -1.0)]:
            if key in index:
                row[index[key]] += sign
            else:
                known += sign * full[key]
        if row.any():
            rows.append(row)
            rhs.append(-known)
    if not rows:
        return {k: (1.0, float("inf")) for k in hidden}
    a_eq, b_eq = np.array(rows), np.array(rhs)
    bounds = [(1.0, None)] * len(hidden)
    found: dict[Key, tuple[float, float]] = {}
    for key, i in index.items():
        objective = np.zeros(len(hidden))
        objective[i] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        least = float(low.fun) if low.status == 0 else 1.0
        greatest = float("inf") if high.status != 0 else float(-high.fun)
        found[key] = (least, greatest)
    return found


def _order(key: Key) -> tuple[tuple[int, str], ...]:
    return tuple((1, "") if v is ALL else (0, v) for v in key)
