"""Same answers first: every gateway must return identical ``data`` for a sample of ids.

Our contract makes ``@sensitive`` fields nullable where the peers keep the subgraphs' non-null
types; that changes types, never values, so ``data`` is compared as is. Any GraphQL error is
a failure too: a gateway that answers with errors is not serving the workload.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.workloads import Workload, request_body


class AnswersDiffer(RuntimeError):
    """Two gateways disagreed (or one answered with errors); the message holds a diff."""


@dataclass
class AnswerCheck:
    workload: str
    ids_checked: int = 0
    non_null_answers: int = 0
    bytes_per_answer: dict[str, float] = field(default_factory=dict)


def _pretty(value: Any) -> list[str]:
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False).splitlines()


def _diff(first: str, other: str, a: Any, b: Any) -> str:
    lines = difflib.unified_diff(_pretty(a), _pretty(b), first, other, lineterm="", n=3)
    shown = list(lines)
    more = f"\n… {len(shown) - 80} more diff lines" if len(shown) > 80 else ""
    return "\n".join(shown[:80]) + more


def check_answers(
    item: Workload,
    ids: Sequence[str],
    gateways: Mapping[str, str],
    headers: Mapping[str, str],
    timeout: float = 30.0,
) -> AnswerCheck:
    """Ask every gateway (name → URL) about each id; raise ``AnswersDiffer`` on a mismatch."""
    report = AnswerCheck(item.name)
    sizes = dict.fromkeys(gateways, 0)
    with httpx.Client(timeout=timeout, headers=dict(headers)) as client:
        for entity_id in ids:
            answers: dict[str, Any] = {}
            for name, url in gateways.items():
                response = client.post(url, json=request_body(item, entity_id))
                sizes[name] += len(response.content)
                body = response.json()
                if response.status_code != 200 or body.get("errors"):
                    raise AnswersDiffer(
                        f"{name} answered {item.name} for {entity_id} with HTTP "
                        f"{response.status_code} and errors:\n"
                        + json.dumps(body.get("errors"), indent=1)[:3000]
                    )
                answers[name] = body.get("data")
            first, *others = gateways
            for other in others:
                if answers[other] != answers[first]:
                    raise AnswersDiffer(
                        f"{first} and {other} differ on {item.name} for {entity_id}:\n"
                        + _diff(first, other, answers[first], answers[other])
                    )
            report.ids_checked += 1
            root = next(iter((answers[first] or {}).values()), None)
            report.non_null_answers += root is not None
    report.bytes_per_answer = {n: s / max(len(ids), 1) for n, s in sizes.items()}
    return report
