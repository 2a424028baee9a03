"""Serving cases over a real socket: one uvicorn server (in a thread, on an ephemeral port)
hosts every subgraph of every case at ``/<case>/<subgraph>/graphql``, GraphQL over HTTP POST.

Each request a subgraph receives is recorded, so a runner can check how many requests a
probe cost and what was sent.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.federation.support.case import Case
from tests.federation.support.subgraph import ExecutableSubgraph

START_TIMEOUT_SECONDS = 20
HOST = "127.0.0.1"


@dataclass(frozen=True)
class ReceivedRequest:
    case: str
    subgraph: str
    query: str
    variables: Mapping[str, Any] | None


@dataclass
class RequestLog:
    """What the subgraphs received, in order; thread-safe (the server runs in its own thread)."""

    entries: list[ReceivedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, entry: ReceivedRequest) -> None:
        with self.lock:
            self.entries.append(entry)

    def mark(self) -> int:
        with self.lock:
            return len(self.entries)

    def since(self, mark: int, case: str) -> list[ReceivedRequest]:
        with self.lock:
            return [e for e in self.entries[mark:] if e.case == case]

    def counts_since(self, mark: int, case: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.since(mark, case):
            counts[entry.subgraph] = counts.get(entry.subgraph, 0) + 1
        return counts


def _refused_url() -> str:
    """A URL on which nothing listens: a subgraph that is down."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    return f"http://{HOST}:{port}/graphql"


class CorpusServer:
    """The subgraphs of some cases, served; ``url(case, subgraph)`` is where each answers."""

    def __init__(self, cases: Iterable[Case]) -> None:
        self.cases = {case.name: case for case in cases}
        self.log = RequestLog()
        self._subgraphs: dict[tuple[str, str], ExecutableSubgraph] = {}
        self._down: dict[tuple[str, str], str] = {}
        for case in self.cases.values():
            for subgraph in case.subgraphs:
                key = (case.name, subgraph.name)
                if subgraph.down:
                    self._down[key] = _refused_url()
                else:
                    self._subgraphs[key] = ExecutableSubgraph(subgraph)
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((HOST, 0))
        self.port: int = self._socket.getsockname()[1]
        self._published: dict[str, str] = {}
        app = Starlette(
            routes=[
                Route("/{case}/{subgraph}/graphql", self._handle, methods=["POST"]),
                Route("/published/{name}", self._published_text, methods=["GET"]),
            ]
        )
        config = uvicorn.Config(
            app, log_level="warning", access_log=False, lifespan="off", timeout_keep_alive=30
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def url(self, case: str, subgraph: str) -> str:
        key = (case, subgraph)
        if key in self._down:
            return self._down[key]
        if key not in self._subgraphs:
            raise KeyError(f"no subgraph {subgraph!r} in case {case!r}")
        return f"http://{HOST}:{self.port}/{case}/{subgraph}/graphql"

    def urls(self, case: str) -> dict[str, str]:
        return {s.name: self.url(case, s.name) for s in self.cases[case].subgraphs}

    def sdl(self, case: str) -> dict[str, str]:
        """Each subgraph's ``_service { sdl }``, by subgraph name (down ones included)."""
        return {s.name: s.sdl for s in self.cases[case].subgraphs}

    def publish(self, name: str, text: str) -> str:
        """Serve ``text`` (a supergraph) at the returned URL, as a schema registry or a
        conformance suite does; publishing again under the same name replaces it."""
        self._published[name] = text
        return f"http://{HOST}:{self.port}/published/{name}"

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise TimeoutError("the corpus subgraph server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()

    async def _published_text(self, request: Request) -> Response:
        text = self._published.get(request.path_params["name"])
        if text is None:
            return PlainTextResponse("not published", status_code=404)
        return PlainTextResponse(text)

    async def _handle(self, request: Request) -> Response:
        key = (request.path_params["case"], request.path_params["subgraph"])
        subgraph = self._subgraphs.get(key)
        if subgraph is None:
            return JSONResponse({"errors": [{"message": "no such subgraph"}]}, status_code=404)
        try:
            body = json.loads(await request.body())
        except ValueError:
            return JSONResponse({"errors": [{"message": "body is not JSON"}]}, status_code=400)
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return JSONResponse({"errors": [{"message": "no query"}]}, status_code=400)
        variables = body.get("variables")
        self.log.record(ReceivedRequest(key[0], key[1], body["query"], variables))
        fault = subgraph.fault
        if fault is not None:
            return Response(fault.body, status_code=fault.status, media_type=fault.content_type)
        answer = await subgraph.execute(body["query"], variables, body.get("operationName"))
        return JSONResponse(answer)


@contextmanager
def serve_cases(cases: Iterable[Case]) -> Iterator[CorpusServer]:
    """Serve these cases' subgraphs for the duration of the block."""
    server = CorpusServer(cases)
    server.start()
    try:
        yield server
    finally:
        server.stop()
