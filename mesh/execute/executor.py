"""Run a query plan: root fetches concurrently, then each level's entity fetches, merging as
answers arrive. A subgraph fault costs only the fields that subgraph would have supplied."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import FieldNode, SelectionNode

from mesh.execute.merge import Path, deep_merge, objects_at
from mesh.execute.transport import Headers, SubgraphFault, SubgraphTransport
from mesh.plan.model import FetchNode, QueryPlan


@dataclass
class ExecutionOutcome:
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    faulted: bool = False


def _first_response_key(selections: list[SelectionNode]) -> str | None:
    for selection in selections:
        if isinstance(selection, FieldNode) and selection.name.value != "__typename":
            return (selection.alias or selection.name).value
    return None


def _representation(obj: Mapping[str, Any], fields: list[SelectionNode]) -> dict[str, Any]:
    rep: dict[str, Any] = {}
    for selection in fields:
        if not isinstance(selection, FieldNode):
            continue
        name = selection.name.value
        value = obj.get(name)
        if selection.selection_set is not None and isinstance(value, dict):
            value = _representation(value, list(selection.selection_set.selections))
        rep[name] = value
    return rep


class _Run:
    def __init__(
        self,
        transport: SubgraphTransport,
        variables: Mapping[str, Any],
        headers: Headers | None,
    ) -> None:
        self.transport = transport
        self.variables = variables
        self.headers = headers
        self.outcome = ExecutionOutcome()

    def variables_for(self, node: FetchNode) -> dict[str, Any]:
        return {n: self.variables[n] for n in node.variable_names if n in self.variables}

    def fault(self, node: FetchNode, fault: SubgraphFault, path: Path) -> None:
        self.outcome.faulted = True
        self.outcome.errors.append(
            {
                "message": f"subgraph {fault.subgraph} failed: {fault.detail}",
                "path": list(path),
                "extensions": {"code": fault.code, "subgraph": fault.subgraph},
            }
        )

    def subgraph_errors(
        self, node: FetchNode, errors: list[Any], entity_paths: list[Path] | None
    ) -> None:
        for error in errors:
            if not isinstance(error, dict):
                continue
            path = error.get("path")
            mapped: list[str | int] | None = None
            if isinstance(path, list):
                if (
                    entity_paths is not None
                    and len(path) >= 2
                    and path[0] == "_entities"
                    and isinstance(path[1], int)
                    and path[1] < len(entity_paths)
                ):
                    mapped = [*entity_paths[path[1]], *path[2:]]
                elif entity_paths is None:
                    mapped = list(path)
            extensions = dict(error.get("extensions") or {})
            extensions.setdefault("code", "SUBGRAPH_ERROR")
            extensions["subgraph"] = node.subgraph
            entry: dict[str, Any] = {
                "message": str(error.get("message", "subgraph error")),
                "extensions": extensions,
            }
            if mapped is not None:
                entry["path"] = mapped
            self.outcome.errors.append(entry)

    async def run(self, node: FetchNode) -> None:
        if node.entity_type is None:
            await self.run_root(node)
        else:
            await self.run_entities(node)
        if len(node.children) == 1:
            await self.run(node.children[0])
        elif node.children:
            await asyncio.gather(*(self.run(child) for child in node.children))

    async def run_root(self, node: FetchNode) -> None:
        try:
            payload = await self.transport.post(
                node.subgraph, node.operation, self.variables_for(node), self.headers
            )
        except SubgraphFault as fault:
            key = _first_response_key(node.selections)
            self.fault(node, fault, (key,) if key else ())
            return
        if isinstance(payload.get("data"), dict):
            deep_merge(self.outcome.data, payload["data"])
        self.subgraph_errors(node, payload.get("errors") or [], None)

    async def run_entities(self, node: FetchNode) -> None:
        targets = objects_at(self.outcome.data, node.path, node.type_filter)
        if not targets:
            return
        representations: list[dict[str, Any]] = []
        groups: list[list[tuple[dict[str, Any], Path]]] = []
        index_of: dict[bytes, int] = {}
        for obj, path in targets:
            rep = _representation(obj, node.representation)
            if any(v is None for v in rep.values()):
                continue  # the key could not be fetched: nothing to ask for
            marker = orjson.dumps(rep, option=orjson.OPT_SORT_KEYS)
            if marker not in index_of:
                index_of[marker] = len(representations)
                representations.append(rep)
                groups.append([])
            groups[index_of[marker]].append((obj, path))
        if not representations:
            return
        variables = self.variables_for(node)
        variables[node.representations_variable] = representations
        try:
            payload = await self.transport.post(
                node.subgraph, node.operation, variables, self.headers
            )
        except SubgraphFault as fault:
            key = _first_response_key(node.selections)
            first = groups[0][0][1]
            self.fault(node, fault, (*first, key) if key else first)
            return
        data = payload.get("data")
        entities = data.get("_entities") if isinstance(data, dict) else None
        if isinstance(entities, list):
            for entity, group in zip(entities, groups, strict=False):
                if isinstance(entity, dict):
                    for obj, _ in group:
                        deep_merge(obj, entity)
        self.subgraph_errors(node, payload.get("errors") or [], [g[0][1] for g in groups])


async def execute_plan(
    plan: QueryPlan,
    transport: SubgraphTransport,
    variables: Mapping[str, Any] | None = None,
    headers: Headers | None = None,
) -> ExecutionOutcome:
    """Fetch everything the plan needs; the result still has to be shaped for the client."""
    run = _Run(transport, variables or {}, headers)
    if plan.sequential:
        for root in plan.roots:
            await run.run(root)
    else:
        await asyncio.gather(*(run.run(root) for root in plan.roots))
    return run.outcome
