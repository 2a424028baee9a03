"""Disclosure control: nothing from 1 to 7 leaves, and no suppressed cell can be worked out.

The attacker here is stronger than a real one: they know every released count exactly (no
rounding noise) and solve a linear programme over every line of the table (cells add up to
their margins) for the least and greatest value each suppressed entry can take.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.optimize import linprog

from subgraphs.centre.needs.disclosure import (
    ALL,
    SMALLEST_RELEASED,
    Key,
    control,
    cube,
    lines,
    round_to_base,
)

PROTECTION = 4  # a suppressed entry's possible values span at least 5 integers


def attack(full: dict[Key, int], released: dict[Key, int | None]) -> dict[Key, tuple[float, float]]:
    """The least and greatest value of each suppressed entry, given exact released values."""
    hidden = [k for k, v in released.items() if v is None]
    if not hidden:
        return {}
    index = {k: i for i, k in enumerate(hidden)}
    keys = list(full)
    rows, rhs = [], []
    for line in lines(keys, len(keys[0])):
        *members, margin = line
        row = np.zeros(len(hidden))
        constant = 0.0
        for key, sign in [(m, 1.0) for m in members] + [(margin, -1.0)]:
            if key in index:
                row[index[key]] += sign
            else:
                constant += sign * full[key]
        if row.any():
            rows.append(row)
            rhs.append(-constant)
    bounds = [(1, None)] * len(hidden)
    found = {}
    for key, i in index.items():
        c = np.zeros(len(hidden))
        c[i] = 1.0
        low = linprog(c, A_eq=np.array(rows), b_eq=np.array(rhs), bounds=bounds, method="highs")
        high = linprog(-c, A_eq=np.array(rows), b_eq=np.array(rhs), bounds=bounds, method="highs")
        assert low.status == 0, low.message
        top = float("inf") if high.status == 3 else -high.fun
        found[key] = (low.fun, top)
    return found


def random_table(
    rng: random.Random, sizes: tuple[int, ...]
) -> tuple[dict[Key, int], list[list[str]]]:
    values = [[f"v{d}{i}" for i in range(n)] for d, n in enumerate(sizes)]
    counts: dict[Key, int] = {}
    for key in __import__("itertools").product(*values):
        u = rng.random()
        counts[key] = 0 if u < 0.2 else rng.randint(1, 7) if u < 0.6 else rng.randint(8, 60)
    return counts, values


def test_rounding_is_half_up_to_five() -> None:
    assert [round_to_base(n) for n in (8, 10, 12, 13, 17, 18, 102)] == [10, 10, 10, 15, 15, 20, 100]


def test_margins_add_up_and_small_counts_are_suppressed() -> None:
    full = cube({("a",): 3, ("b",): 40, ("c",): 25}, [["a", "b", "c"]])
    assert full[(ALL,)] == 68
    table = control(full)
    assert table.released[("a",)] is None
    assert ("a",) in table.primary
    # one suppressed cell in the line would be given away by 68 - 40 - 25: a second goes too
    assert len(table.suppressed) >= 2
    assert sum(1 for v in table.released.values() if v is None) == len(table.suppressed)


@pytest.mark.parametrize("sizes", [(6,), (10,), (4, 5), (10, 6), (3, 4, 3), (10, 8)])
@pytest.mark.parametrize("seed", range(6))
def test_no_suppressed_entry_can_be_recovered(sizes: tuple[int, ...], seed: int) -> None:
    rng = random.Random(f"{sizes}:{seed}")
    counts, values = random_table(rng, sizes)
    full = cube(counts, values)
    table = control(full)
    assert table.primary, "the random table should have small counts to protect"
    for key, value in table.released.items():
        assert value is None or value == 0 or value >= SMALLEST_RELEASED - 2
        assert value is None or value % 5 == 0
        if 0 < full[key] < SMALLEST_RELEASED:
            assert value is None, f"{key} = {full[key]} was released"
    bounds = attack(full, table.released)
    assert set(bounds) == set(table.suppressed)
    for key, (low, high) in bounds.items():
        assert low - 1e-6 <= full[key] <= high + 1e-6
        assert high - low >= PROTECTION, f"{key} (true {full[key]}) pinned to [{low}, {high}]"


def test_a_lone_small_cell_with_only_zeros_beside_it_takes_its_margin_with_it() -> None:
    full = cube({("a",): 3, ("b",): 0, ("c",): 0}, [["a", "b", "c"]])
    table = control(full)
    assert table.released[("a",)] is None and table.released[(ALL,)] is None
