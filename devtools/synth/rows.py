"""Rows ready for COPY: one ``TableRows`` per table per chunk, in load (foreign-key) order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: One row's values: str, int, bool, float, Decimal, date, tz-aware datetime or None.
Row = tuple[object, ...]


@dataclass(frozen=True)
class TableRows:
    """Rows for one table of one database."""

    database: str  # an agency database name, or 'truth'
    table: str
    columns: tuple[str, ...]
    rows: list[Row]


@dataclass(frozen=True)
class TableSpec:
    """A table a generator writes, and the columns of its rows in order."""

    database: str
    table: str
    columns: tuple[str, ...]


class ChunkRows:
    """The rows of one chunk, collected per table."""

    def __init__(self, specs: Sequence[TableSpec]) -> None:
        self._specs = tuple(specs)
        self._rows: dict[tuple[str, str], list[Row]] = {
            (s.database, s.table): [] for s in self._specs
        }

    def table(self, spec: TableSpec) -> list[Row]:
        """The list to append this table's rows to."""
        return self._rows[(spec.database, spec.table)]

    def to_list(self) -> list[TableRows]:
        """Non-empty tables in load order: the order of the specs given."""
        return [
            TableRows(s.database, s.table, s.columns, rows)
            for s in self._specs
            if (rows := self._rows[(s.database, s.table)])
        ]
