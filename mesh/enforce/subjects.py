"""Whose data an answer held, for the audit record."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_MESH_ID = re.compile(r"^m[ph]_[0-9a-f]{20}$")


def subjects_in(data: Any, variables: Mapping[str, Any] | None) -> list[str]:
    """Every mesh id in the answer or the request's variables: whose data this was."""
    found: dict[str, None] = {}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and _MESH_ID.match(value):
            found[value] = None

    walk(data)
    walk(dict(variables or {}))
    return list(found)
