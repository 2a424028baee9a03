"""The planning-heavy workload's subgraphs: the corpus case ``requires-over-key-jump`` (a
``@requires`` chain over a key jump, five subgraphs, 200 homes), each served in its own
process on graphql-core, logging one JSON line per request like the civic subgraphs do.
Every gateway serves the same supergraph of them (Apollo's composition).

    python -m bench.fixture SUBGRAPH --port PORT     # one subgraph (the bench starts them)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.services import Service
from bench.subgraphs import HOST, SubgraphSet, start_subgraphs
from tests.federation.cases import requires_over_key_jump as homes_case


def fixture_set(python: str, base_port: int, log_dir: Path) -> SubgraphSet:
    """The fixture's subgraphs as services on ``base_port``, ``base_port + 1``, …"""
    services, urls = [], {}
    for offset, subgraph in enumerate(homes_case.CASE.subgraphs):
        port = base_port + offset
        urls[subgraph.name] = f"http://{HOST}:{port}/graphql"
        argv = [python, "-m", "bench.fixture", subgraph.name, "--port", str(port)]
        log = log_dir / f"fixture-{subgraph.name}.log"
        services.append(Service(f"fixture-{subgraph.name}", argv, log, {"PYTHONUNBUFFERED": "1"}))
    return SubgraphSet(tuple(services), urls)


def start_fixture(subgraphs: SubgraphSet) -> None:
    start_subgraphs(subgraphs)


def home_ids() -> list[str]:
    return list(homes_case.HOME_IDS)


def _serve(name: str, port: int) -> None:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    from tests.federation.support.subgraph import ExecutableSubgraph

    subgraph = ExecutableSubgraph(homes_case.CASE.subgraph(name))

    async def graphql(request: Request) -> Response:
        body = json.loads(await request.body())
        print(json.dumps({"event": "request", "subgraph": name}), flush=True)
        answer = await subgraph.execute(
            body["query"], body.get("variables"), body.get("operationName")
        )
        return JSONResponse(answer)

    async def ready(_: Request) -> Response:
        return JSONResponse({"status": "ready"})

    app = Starlette(routes=[Route("/graphql", graphql, methods=["POST"]), Route("/readyz", ready)])
    uvicorn.run(app, host=HOST, port=port, log_level="warning", access_log=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fixture", description=__doc__)
    parser.add_argument("subgraph")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    _serve(args.subgraph, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
