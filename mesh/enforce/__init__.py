"""Enforcement of the sharing rules at the gateway: decide per field before delegation,
prune what is denied (never fetched), mask and explain in the response, and audit."""

from mesh.enforce.facts import schema_field_facts
from mesh.enforce.guard import OPT_OUT_ALIAS, FieldGuard
from mesh.enforce.operation import operation_coordinates
from mesh.enforce.prune import prune_denied
from mesh.enforce.subjects import subject_fields, subject_selections

__all__ = [
    "OPT_OUT_ALIAS",
    "FieldGuard",
    "operation_coordinates",
    "prune_denied",
    "schema_field_facts",
    "subject_fields",
    "subject_selections",
]
