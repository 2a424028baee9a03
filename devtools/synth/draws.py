"""Cheap random draws for the generator's hot loops."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from decimal import Decimal
from itertools import accumulate
from random import Random
from typing import Generic, TypeVar

T = TypeVar("T")

_CENTS = Decimal("0.01")


class Weighted(Generic[T]):
    """A fixed weighted choice among options, drawn with one uniform number."""

    __slots__ = ("_bounds", "_options")

    def __init__(self, options: Sequence[tuple[T, float]]) -> None:
        total = sum(w for _, w in options)
        self._options = tuple(o for o, _ in options)
        self._bounds = tuple(b / total for b in accumulate(w for _, w in options))

    def pick(self, u: float) -> T:
        """The option that the uniform draw ``u`` in [0, 1) selects."""
        return self._options[min(bisect_right(self._bounds, u), len(self._options) - 1)]


def repeats(rng: Random, more: float, cap: int) -> int:
    """At least one; each further one follows with probability ``more``, up to ``cap`` in all."""
    n = 1
    r = rng.random
    while n < cap and r() < more:
        n += 1
    return n


def hundredths(value: float) -> Decimal:
    """``value`` to two decimal places."""
    return Decimal(round(value * 100)) * _CENTS


def money(amount: float) -> Decimal:
    """``amount`` in pounds, to the penny."""
    return Decimal(round(amount * 100)) * _CENTS


def tenths(amount: float) -> Decimal:
    """``amount`` to one decimal place."""
    return Decimal(round(amount * 10)) / 10
