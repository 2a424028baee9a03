"""A plan as stable text (after Apollo's QueryPlan form) and as JSON, for ``mesh plan``."""

from __future__ import annotations

import json
from typing import Any

from mesh.federation.plan.nodes import (
    FetchNode,
    ParallelNode,
    PlanNode,
    QueryPlan,
    SequenceNode,
    path_text,
)


def describe_plan(plan: QueryPlan) -> str:
    lines = ["QueryPlan {"]
    if plan.node is not None:
        _describe(plan.node, 1, lines)
    lines.append("}")
    return "\n".join(lines)


def _block(text: str, indent: int) -> list[str]:
    pad = "  " * indent
    return [pad + line for line in text.splitlines()]


def _describe(node: PlanNode, indent: int, lines: list[str]) -> None:
    pad = "  " * indent
    if isinstance(node, FetchNode):
        inner = indent
        if node.targets:
            paths = ", ".join(f'"{path_text(t.path)}"' for t in node.targets)
            lines.append(f"{pad}Flatten(path: {paths}) {{")
            inner += 1
        ipad = "  " * inner
        lines.append(f'{ipad}Fetch(service: "{node.subgraph}") {{')
        if node.targets:
            lines.append(ipad + "  {")
            lines.extend(_block(node.inputs_text, inner + 2))
            lines.append(ipad + "  } =>")
        lines.append(ipad + "  {")
        lines.extend(_block(node.selection_text, inner + 2))
        lines.append(ipad + "  }")
        for rewrite in node.rewrites:
            on = f" on {'|'.join(sorted(rewrite.types))}" if rewrite.types else ""
            where = ".".join(rewrite.path)
            lines.append(
                f"{ipad}  rename{on} {where}{'.' if where else ''}{rewrite.alias} -> {rewrite.key}"
            )
        lines.append(ipad + "},")
        if node.targets:
            lines.append(pad + "},")
        return
    if isinstance(node, SequenceNode | ParallelNode):
        lines.append(pad + ("Sequence {" if isinstance(node, SequenceNode) else "Parallel {"))
        for child in node.nodes:
            _describe(child, indent + 1, lines)
        lines.append(pad + "},")
        return
    if node.if_clause is not None and node.else_clause is None:
        lines.append(f"{pad}Include(if: ${node.variable}) {{")
        _describe(node.if_clause, indent + 1, lines)
    elif node.else_clause is not None and node.if_clause is None:
        lines.append(f"{pad}Skip(if: ${node.variable}) {{")
        _describe(node.else_clause, indent + 1, lines)
    else:
        lines.append(f"{pad}Condition(if: ${node.variable}) {{")
        if node.if_clause is not None:
            lines.append(pad + "  Then {")
            _describe(node.if_clause, indent + 2, lines)
            lines.append(pad + "  },")
        if node.else_clause is not None:
            lines.append(pad + "  Else {")
            _describe(node.else_clause, indent + 2, lines)
            lines.append(pad + "  },")
    lines.append(pad + "},")


def explain_operation(
    supergraph_sdl: str,
    operation: str,
    *,
    operation_name: str | None = None,
    override_labels: frozenset[str] = frozenset(),
    as_json: bool = False,
) -> str:
    """What ``mesh plan`` prints: the plan of ``operation`` over a supergraph SDL, as text or
    JSON. Raises SupergraphError or PlanningError with the reason."""
    from mesh.federation.plan.planner import plan_operation
    from mesh.federation.supergraph import load_supergraph

    plan = plan_operation(
        load_supergraph(supergraph_sdl),
        operation,
        operation_name,
        override_labels=override_labels,
    )
    if as_json:
        return json.dumps(plan_to_json(plan), indent=2)
    return describe_plan(plan)


def plan_to_json(plan: QueryPlan) -> dict[str, Any]:
    return {
        "kind": "QueryPlan",
        "operationKind": plan.operation_kind,
        "overrideLabels": sorted(plan.override_labels),
        "node": _json(plan.node) if plan.node is not None else None,
    }


def _json(node: PlanNode) -> dict[str, Any]:
    if isinstance(node, FetchNode):
        fetch: dict[str, Any] = {
            "kind": "Fetch",
            "serviceName": node.subgraph,
            "operationKind": node.operation_kind,
            "operation": node.operation,
            "variableUsages": list(node.variables),
        }
        if node.targets:
            fetch["paths"] = [path_text(t.path) for t in node.targets]
            fetch["requires"] = node.inputs_text
        if node.rewrites:
            fetch["outputRewrites"] = [
                {
                    "path": list(r.path),
                    "types": sorted(r.types) if r.types else None,
                    "from": r.alias,
                    "to": r.key,
                }
                for r in node.rewrites
            ]
        return fetch
    if isinstance(node, SequenceNode | ParallelNode):
        kind = "Sequence" if isinstance(node, SequenceNode) else "Parallel"
        return {"kind": kind, "nodes": [_json(n) for n in node.nodes]}
    return {
        "kind": "Condition",
        "condition": node.variable,
        "ifClause": _json(node.if_clause) if node.if_clause is not None else None,
        "elseClause": _json(node.else_clause) if node.else_clause is not None else None,
    }
