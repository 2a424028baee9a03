"""Judging an answer against a probe: what differs, in words a failing test can print."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from tests.federation.support.case import ExpectedError, Probe


def _error_matches(expected: ExpectedError, actual: Mapping[str, Any]) -> bool:
    if expected.path is not None and tuple(actual.get("path") or ()) != expected.path:
        return False
    if expected.message is not None and expected.message not in str(actual.get("message", "")):
        return False
    code = (actual.get("extensions") or {}).get("code")
    return expected.code is None or code == expected.code


def mismatches(
    probe: Probe, answer: Mapping[str, Any], requests: Mapping[str, int] | None = None
) -> list[str]:
    """Empty when ``answer`` (and the subgraph ``requests`` it cost) is what the probe wants."""
    problems: list[str] = []
    data = answer.get("data")
    if data != probe.data:
        problems.append(f"data: expected {_dump(probe.data)}, got {_dump(data)}")
    errors = answer.get("errors") or []
    if not isinstance(errors, list):
        problems.append(f"errors is not a list: {_dump(errors)}")
        errors = []
    if not probe.errors and errors:
        problems.append(f"expected no errors, got {_dump(errors)}")
    for expected in probe.errors:
        if not any(isinstance(e, Mapping) and _error_matches(expected, e) for e in errors):
            problems.append(f"expected an error like {expected}, got {_dump(errors)}")
    if probe.requests is not None and requests is not None:
        for subgraph, count in probe.requests.items():
            if requests.get(subgraph, 0) != count:
                problems.append(
                    f"requests to {subgraph}: expected {count}, got {requests.get(subgraph, 0)}"
                )
    return problems


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
