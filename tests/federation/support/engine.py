"""Our federation engine over a case: ``mesh.federation`` composes (optionally), loads the
supergraph, plans, executes over HTTP and shapes the answer — the request pipeline a gateway
runs, written out here so each stage's errors surface as a client would see them.

The engine modules are imported when used, so the corpus itself (and the Apollo runner) works
on a checkout where they do not exist yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLError,
    OperationDefinitionNode,
    get_operation_ast,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values

from tests.federation.support.case import Probe

PLANNING_FAILED = "QUERY_PLANNING_FAILED"


@dataclass(frozen=True)
class EngineComposition:
    supergraph: str | None
    errors: tuple[str, ...]


def compose_with_engine(sdl: Mapping[str, str], urls: Mapping[str, str]) -> EngineComposition:
    """Compose with ``mesh.federation.compose`` (our composer)."""
    # The engine's modules are typed; on a checkout without them mypy cannot follow the
    # import, hence the ignores (which stay silent once the modules are there).
    from mesh.federation.compose import (  # type: ignore[import-untyped, import-not-found, unused-ignore]
        SubgraphSource,
        compose,
    )

    result = compose([SubgraphSource(name=n, url=urls[n], sdl=s) for n, s in sdl.items()])
    errors = tuple(f"{e.code}: {e.message}" for e in result.errors)
    return EngineComposition(supergraph=result.supergraph_sdl, errors=errors)


def _request_error(errors: list[GraphQLError], code: str) -> dict[str, Any]:
    formatted: list[dict[str, Any]] = []
    for error in errors:
        entry: dict[str, Any] = dict(error.formatted)
        entry["extensions"] = {**(entry.get("extensions") or {}), "code": code}
        formatted.append(entry)
    return {"errors": formatted}


class EngineGateway:
    """One supergraph served by our engine; ``answer(probe)`` is one client request."""

    def __init__(self, *, supergraph_sdl: str, urls: Mapping[str, str]) -> None:
        from mesh.federation.execute import (  # type: ignore[import-untyped, import-not-found, unused-ignore]
            HttpTransport,
        )
        from mesh.federation.supergraph import (  # type: ignore[import-untyped, import-not-found, unused-ignore]
            load_supergraph,
        )

        self.supergraph = load_supergraph(supergraph_sdl)
        self.transport = HttpTransport(dict(urls), default_timeout=10.0)

    async def answer(
        self, probe: Probe, headers: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        return await self.execute(
            probe.query, probe.variables, probe.operation_name, headers=headers
        )

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        operation_name: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        from mesh.federation.execute import (  # type: ignore[import-untyped, import-not-found, unused-ignore]
            execute_plan,
            shape_response,
        )
        from mesh.federation.plan import (  # type: ignore[import-untyped, import-not-found, unused-ignore]
            PlanningError,
            plan_operation,
        )

        api_schema = self.supergraph.api_schema
        try:
            document = parse(query)
        except GraphQLError as error:
            return _request_error([error], "GRAPHQL_PARSE_FAILED")
        invalid = validate(api_schema, document)
        if invalid:
            return _request_error(list(invalid), "GRAPHQL_VALIDATION_FAILED")
        operation = get_operation_ast(document, operation_name)
        if not isinstance(operation, OperationDefinitionNode):
            missing = GraphQLError("no operation to run (or operationName is needed)")
            return _request_error([missing], "BAD_REQUEST")
        coerced = get_variable_values(
            api_schema, operation.variable_definitions or (), dict(variables or {})
        )
        if isinstance(coerced, list):
            return _request_error(coerced, "BAD_USER_INPUT")
        # graphql-core 3.3 wraps the values (``.coerced``); 3.2 returns the dict itself.
        values: dict[str, Any] = dict(getattr(coerced, "coerced", coerced))  # type: ignore[arg-type, unused-ignore]
        try:
            plan = plan_operation(self.supergraph, document, operation_name)
        except PlanningError as error:
            return {
                "data": None,
                "errors": [{"message": str(error), "extensions": {"code": PLANNING_FAILED}}],
            }
        outcome = await execute_plan(plan, self.transport, values, headers)
        answer: dict[str, Any] = shape_response(
            api_schema, document, operation_name, values, outcome
        )
        return answer

    async def aclose(self) -> None:
        await self.transport.aclose()
