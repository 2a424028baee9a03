"""Synthetic Greater Manchester: residents, households and every agency's records of them.

``generate`` streams the rows chunk by chunk for COPY into each agency's database and into the
'truth' database (schema from ``truth_schema_sql``), which alone says which record is whose.
"""

from devtools.synth.faults import DEFAULT_FAULTS, FaultRates
from devtools.synth.generator import ALL_TABLES, generate, generate_chunk
from devtools.synth.geography import AUTHORITIES, GREATER_MANCHESTER_POPULATION, Authority
from devtools.synth.identifiers import MAX_PEOPLE
from devtools.synth.rows import TableRows, TableSpec
from devtools.synth.truth import truth_schema_sql

__all__ = [
    "ALL_TABLES",
    "AUTHORITIES",
    "DEFAULT_FAULTS",
    "GREATER_MANCHESTER_POPULATION",
    "MAX_PEOPLE",
    "Authority",
    "FaultRates",
    "TableRows",
    "TableSpec",
    "generate",
    "generate_chunk",
    "truth_schema_sql",
]
