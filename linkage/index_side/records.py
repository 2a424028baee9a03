"""The submitted records as the index holds them while linking: compact columns, no identity.

Record i is an int everywhere. For matching, the index keeps 64 bits of each keyed hash (its
first 8 bytes as an int64; 0 stands for "no token"): two different values share them by chance
with probability about n^2 / 2^65, under 10^-6 for five million values of one kind. The full
32-byte hash is kept only for the reference (the agency's handle on its record) and the UPRN
token (the handle an agency uses to find its mesh household).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from linkage.agency_side.submission import SubmissionBatch

TOKEN_BYTES = 32
_MISSING = bytes(TOKEN_BYTES)
MAX_AGENCIES = 64


class RecordSet:
    """Submitted person records in columns: agency, reference, token keys, address token and
    the date the agency last confirmed the address (an ordinal day, 0 when unknown)."""

    def __init__(self, kinds: Sequence[str]) -> None:
        self.kinds: tuple[str, ...] = tuple(kinds)
        self.agencies: list[str] = []
        self.agency_of = array("B")
        self.refs = bytearray()
        self.address_tokens = bytearray()  # the full UPRN token, zeros when none
        self.confirmed = array("i")
        self._keys: dict[str, array[int]] = {kind: array("q") for kind in self.kinds}
        self._agency_index: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.agency_of)

    def agency_code(self, agency: str) -> int:
        code = self._agency_index.get(agency)
        if code is None:
            if len(self.agencies) >= MAX_AGENCIES:
                raise ValueError(f"at most {MAX_AGENCIES} agencies take part in linkage")
            code = self._agency_index[agency] = len(self.agencies)
            self.agencies.append(agency)
        return code

    def add(
        self,
        agency: str,
        record_ref: bytes,
        tokens: Mapping[str, bytes],
        confirmed: date | None = None,
    ) -> int:
        """Append one record; returns its index."""
        if len(record_ref) != TOKEN_BYTES:
            raise ValueError("a record_ref is a 32-byte keyed hash")
        unknown = sorted(set(tokens) - set(self.kinds))
        if unknown:
            raise ValueError(f"unknown token kinds {unknown}")
        for kind, value in tokens.items():
            if len(value) != TOKEN_BYTES:
                raise ValueError(f"token {kind!r} is not a 32-byte keyed hash")
        code = self.agency_code(agency)
        for kind, column in self._keys.items():
            token = tokens.get(kind)
            column.append(_key(token) if token is not None else 0)
        self.address_tokens += tokens.get("uprn", _MISSING)
        self.confirmed.append(confirmed.toordinal() if confirmed is not None else 0)
        self.agency_of.append(code)
        self.refs += record_ref
        return len(self.agency_of) - 1

    def add_stored(
        self,
        agency: str,
        record_ref: bytes,
        keys: Mapping[str, int | None],
        address_token: bytes | None,
        confirmed: date | None,
    ) -> int:
        """Append a record as the index stored it (token keys, not tokens); returns its index."""
        code = self.agency_code(agency)
        for kind, column in self._keys.items():
            if kind == "uprn":
                column.append(_key(address_token) if address_token else 0)
            else:
                column.append(keys.get(kind) or 0)
        self.address_tokens += address_token or _MISSING
        self.confirmed.append(confirmed.toordinal() if confirmed is not None else 0)
        self.agency_of.append(code)
        self.refs += record_ref
        return len(self.agency_of) - 1

    def extend(self, batch: SubmissionBatch) -> range:
        """Append a whole batch; returns the indexes its records took."""
        n = len(batch)
        if len(batch.confirmed) != n or any(
            len(batch.tokens.get(kind, b"")) != n * TOKEN_BYTES for kind in self.kinds
        ):
            raise ValueError(f"{batch.agency}: a batch's columns must hold {n} records each")
        unknown = sorted(set(batch.tokens) - set(self.kinds))
        if unknown:
            raise ValueError(f"{batch.agency}: unknown token kinds {unknown}")
        first = len(self)
        code = self.agency_code(batch.agency)
        for kind, column in self._keys.items():
            column.extend(memoryview(batch.tokens[kind]).cast("q")[:: TOKEN_BYTES // 8])
        self.address_tokens += batch.tokens["uprn"] if "uprn" in self.kinds else _MISSING * n
        self.confirmed.extend(batch.confirmed)
        self.agency_of.extend(array("B", [code]) * n)
        self.refs += batch.refs
        return range(first, first + n)

    def ref(self, i: int) -> bytes:
        return bytes(self.refs[i * TOKEN_BYTES : (i + 1) * TOKEN_BYTES])

    def address_token(self, i: int) -> bytes | None:
        value = bytes(self.address_tokens[i * TOKEN_BYTES : (i + 1) * TOKEN_BYTES])
        return None if value == _MISSING else value

    def keys(self, kind: str) -> array[int]:
        """Each record's token of this kind as an int64 (0: none)."""
        return self._keys[kind]

    @staticmethod
    def key_of(token: bytes) -> int:
        """The 64-bit key the index keeps of a token."""
        return _key(token)

    def key(self, kind: str, i: int) -> int | None:
        return self._keys[kind][i] or None

    def indexes_of(self, agency: str) -> Iterable[int]:
        code = self._agency_index.get(agency)
        return () if code is None else (i for i, a in enumerate(self.agency_of) if a == code)

    def to_arrow(self, *, record_offset: int = 0) -> pa.Table:
        """The records as an Arrow table for DuckDB: ``record`` (int32), ``agency``, one int64
        column per token kind (null: none), ``confirmed`` (date32, null: unknown) and the same
        day as a number, ``confirmed_day`` (days since 1970: portable SQL for the model)."""
        n = len(self)
        record = pa.array(range(record_offset, record_offset + n), pa.int32())
        agency = pa.DictionaryArray.from_arrays(
            _buffer_array(pa.uint8(), self.agency_of, n), pa.array(self.agencies, pa.string())
        )
        columns: dict[str, pa.Array] = {"record": record, "agency": agency}
        for kind in self.kinds:
            keys = _buffer_array(pa.int64(), self._keys[kind], n)
            columns[kind] = pc.if_else(pc.equal(keys, 0), pa.scalar(None, pa.int64()), keys)
        days = _buffer_array(pa.int32(), self.confirmed, n)
        epoch = date(1970, 1, 1).toordinal()
        since_epoch = pc.if_else(
            pc.equal(days, 0),
            pa.scalar(None, pa.int32()),
            pc.subtract(days, pa.scalar(epoch, pa.int32())),
        )
        columns["confirmed"] = since_epoch.view(pa.date32())
        columns["confirmed_day"] = since_epoch
        return pa.table(columns)


def _key(token: bytes) -> int:
    """The first 8 bytes as a native int64, as ``extend`` reads whole columns."""
    return int(memoryview(token[:8]).cast("q")[0])


def _buffer_array(kind: pa.DataType, values: array[int], n: int) -> pa.Array:
    """An Arrow array over a copy of an ``array`` column (a copy, so the column can grow)."""
    return pa.Array.from_buffers(kind, n, [None, pa.py_buffer(values.tobytes())])
