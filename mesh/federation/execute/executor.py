"""Run a query plan: fetches in the plan's order, answers merged into one data tree.

Entity fetches collect the objects at their paths, build each one's representation (skipping
objects whose key fields are null or missing), send each distinct representation once and
merge every answer back into every object it stands for. Subgraph errors keep their place in
the client's response (``_entities`` paths mapped back); a subgraph fault costs only the
fields that subgraph was to supply.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from mesh.federation.execute.faults import SubgraphBadResponse, SubgraphFault
from mesh.federation.execute.merge import (
    ClientPath,
    apply_rewrites,
    deep_merge,
    objects_at,
    renamed_path,
    representation_of,
)
from mesh.federation.execute.transport import Headers, Transport
from mesh.federation.plan.nodes import (
    ANY_TYPE,
    ConditionNode,
    EntityInput,
    FetchNode,
    ParallelNode,
    PlanNode,
    QueryPlan,
    SequenceNode,
)


@dataclass
class ExecutionOutcome:
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    faulted: bool = False


def _as_fault(subgraph: str, exc: Exception) -> SubgraphFault:
    """A transport's failure as a fault: its own, or any other exception (a transport bug
    must cost that subgraph's fields, not the whole response)."""
    if isinstance(exc, SubgraphFault):
        return exc
    return SubgraphBadResponse(subgraph, f"the transport failed ({type(exc).__name__})")


def _paths_of(owners: list[list[tuple[dict[str, Any], ClientPath]]]) -> list[ClientPath]:
    return [where for group in owners for _, where in group]


def _usable(obj: dict[str, Any], entity: EntityInput) -> bool:
    if not entity.keys:
        return True
    return any(all(obj.get(k) is not None for k in key) for key in entity.keys)


class _Run:
    __slots__ = ("defaults", "headers", "outcome", "transport", "variables")

    def __init__(
        self,
        transport: Transport,
        variables: Mapping[str, Any],
        headers: Headers | None,
        defaults: Mapping[str, Any],
    ) -> None:
        self.transport = transport
        self.variables = variables
        self.headers = headers
        self.defaults = defaults
        self.outcome = ExecutionOutcome()

    async def run(self, node: PlanNode) -> None:
        if isinstance(node, FetchNode):
            if node.targets:
                await self.entities(node)
            else:
                await self.root(node)
        elif isinstance(node, SequenceNode):
            for child in node.nodes:
                await self.run(child)
        elif isinstance(node, ParallelNode):
            await asyncio.gather(*(self.run(child) for child in node.nodes))
        else:
            await self.condition(node)

    async def condition(self, node: ConditionNode) -> None:
        value = self.variables.get(node.variable, self.defaults.get(node.variable))
        branch = node.if_clause if value else node.else_clause
        if branch is not None:
            await self.run(branch)

    def variables_for(self, node: FetchNode) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for name in node.variables:
            if name in self.variables:
                found[name] = self.variables[name]
        return found

    async def root(self, node: FetchNode) -> None:
        try:
            payload = await self.transport.post(
                node.subgraph, node.operation, self.variables_for(node), self.headers
            )
        except Exception as exc:
            self.fault(_as_fault(node.subgraph, exc), [()])
            return
        data = payload.get("data")
        if isinstance(data, dict):
            if node.rewrites:
                apply_rewrites(data, node.rewrites)
            deep_merge(self.outcome.data, data)
        errors = payload.get("errors")
        if errors:
            self.subgraph_errors(node, errors, None)

    async def entities(self, node: FetchNode) -> None:
        representations: list[dict[str, Any]] = []
        owners: list[list[tuple[dict[str, Any], ClientPath]]] = []
        index_of: dict[bytes, int] = {}
        for target in node.targets:
            inputs = target.inputs
            for obj, where in objects_at(self.outcome.data, target.path):
                typename = obj.get("__typename")
                entity = inputs.get(typename) if isinstance(typename, str) else None
                if entity is None:
                    entity = inputs.get(ANY_TYPE)
                if entity is None or not _usable(obj, entity):
                    continue
                rep = representation_of(obj, entity.selection, entity.typename or str(typename))
                if rep is None:
                    continue
                marker = orjson.dumps(rep)
                index = index_of.get(marker)
                if index is None:
                    index_of[marker] = len(representations)
                    representations.append(rep)
                    owners.append([(obj, where)])
                else:
                    owners[index].append((obj, where))
        if not representations:
            return
        variables = self.variables_for(node)
        variables["representations"] = representations
        try:
            payload = await self.transport.post(
                node.subgraph, node.operation, variables, self.headers
            )
        except Exception as exc:
            self.fault(_as_fault(node.subgraph, exc), _paths_of(owners))
            return
        data = payload.get("data")
        entities = data.get("_entities") if isinstance(data, dict) else None
        if isinstance(entities, list) and len(entities) != len(representations):
            # Which answer belongs to which object is unknowable: none of them is used.
            detail = f"{len(entities)} entities for {len(representations)} representations"
            self.fault(SubgraphBadResponse(node.subgraph, detail), _paths_of(owners))
            return
        if isinstance(entities, list):
            for entity, group, rep in zip(entities, owners, representations, strict=True):
                if not isinstance(entity, dict):
                    continue
                if node.rewrites:
                    apply_rewrites(entity, node.rewrites, rep["__typename"])
                for obj, _ in group:
                    deep_merge(obj, entity)
        errors = payload.get("errors")
        if errors:
            self.subgraph_errors(node, errors, [[where for _, where in g] for g in owners])

    def fault(self, fault: SubgraphFault, paths: Sequence[ClientPath]) -> None:
        """A failed fetch: one error for every object it was to complete (each entity's
        path, as Apollo Router reports it), or one without a path for a root fetch."""
        self.outcome.faulted = True
        for path in paths:
            error: dict[str, Any] = {
                "message": f"subgraph {fault.subgraph} failed: {fault.detail}",
                "extensions": {"code": fault.code, "subgraph": fault.subgraph},
            }
            if path:
                error["path"] = list(path)
            self.outcome.errors.append(error)

    def subgraph_errors(
        self, node: FetchNode, errors: Any, entity_paths: list[list[ClientPath]] | None
    ) -> None:
        """A subgraph's errors at the client's paths: an ``_entities`` error once for every
        object its representation stood for (one representation may serve several)."""
        if not isinstance(errors, list):
            return
        for error in errors:
            if not isinstance(error, dict):
                continue
            path = error.get("path")
            mapped: list[list[str | int] | None] = [None]
            if isinstance(path, list):
                if entity_paths is None:
                    mapped = [renamed_path(path, node.rewrites)]
                elif (
                    len(path) >= 2
                    and path[0] == "_entities"
                    and isinstance(path[1], int)
                    and 0 <= path[1] < len(entity_paths)
                ):
                    inside = renamed_path(path[2:], node.rewrites)
                    mapped = [[*where, *inside] for where in entity_paths[path[1]]]
            extensions = dict(error.get("extensions") or {})
            extensions.setdefault("code", "SUBGRAPH_ERROR")
            extensions["subgraph"] = node.subgraph
            for client_path in mapped:
                entry: dict[str, Any] = {
                    "message": str(error.get("message", "subgraph error")),
                    "extensions": dict(extensions),
                }
                if client_path is not None:
                    entry["path"] = client_path
                self.outcome.errors.append(entry)


async def execute_plan(
    plan: QueryPlan,
    transport: Transport,
    variables: Mapping[str, Any] | None = None,
    headers: Headers | None = None,
) -> ExecutionOutcome:
    """Fetch everything the plan needs; the result still has to be shaped for the client."""
    run = _Run(transport, variables or {}, headers, plan.variable_defaults)
    if plan.node is not None:
        await run.run(plan.node)
    return run.outcome
