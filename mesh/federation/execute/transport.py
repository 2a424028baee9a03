"""How the executor reaches subgraphs: a one-method protocol and two small implementations.

:class:`Transport` is all the executor needs. :class:`InProcessTransport` calls a coroutine
or an ASGI app without a socket (tests, a subgraph served inside the gateway);
:class:`RoutingTransport` sends each subgraph to its own transport. The HTTP one is in
``mesh.federation.execute.http``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

import orjson

from mesh.federation.execute.faults import SubgraphBadResponse, SubgraphUnavailable

# A request's headers: fixed, or made for each request from its subgraph and exact body, so that
# a policy can bind what it sends to that one request (a context signed over the body). Made
# ones are awaited: requests started in the same turn of the event loop may be signed together.
FetchHeaders = Callable[[str, bytes], Awaitable[Mapping[str, str]]]
Headers = Mapping[str, str] | FetchHeaders


def request_body(query: str, variables: Mapping[str, Any]) -> bytes:
    """The JSON body of a subgraph request, as every transport sends (and signs) it."""
    return orjson.dumps({"query": query, "variables": dict(variables)})


async def headers_for(
    headers: Headers | None, subgraph: str, body: bytes
) -> Mapping[str, str] | None:
    return await headers(subgraph, body) if callable(headers) else headers


class Transport(Protocol):
    async def post(
        self,
        subgraph: str,
        query: str,
        variables: Mapping[str, Any],
        headers: Headers | None,
    ) -> dict[str, Any]:
        """The subgraph's GraphQL response (``data`` and/or ``errors``), or a SubgraphFault."""
        ...


Handler = Callable[[str, Mapping[str, Any], Mapping[str, str] | None], Awaitable[dict[str, Any]]]
AsgiApp = Callable[..., Awaitable[None]]


class InProcessTransport:
    """Answers from a coroutine ``handler(query, variables, headers)`` or an ASGI ``app``."""

    def __init__(
        self, *, handler: Handler | None = None, app: AsgiApp | None = None, path: str = "/graphql"
    ) -> None:
        if (handler is None) == (app is None):
            raise ValueError("give exactly one of handler= or app=")
        self._handler = handler
        self._app = app
        self._path = path

    async def post(
        self,
        subgraph: str,
        query: str,
        variables: Mapping[str, Any],
        headers: Headers | None,
    ) -> dict[str, Any]:
        body = request_body(query, variables)
        sent = await headers_for(headers, subgraph, body)
        if self._handler is not None:
            return await self._handler(query, variables, sent)
        assert self._app is not None
        return await self._call_asgi(subgraph, body, sent)

    async def _call_asgi(
        self, subgraph: str, body: bytes, headers: Mapping[str, str] | None
    ) -> dict[str, Any]:
        assert self._app is not None
        raw_headers = [
            (b"content-type", b"application/json"),
            (b"accept", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items()),
        ]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": self._path,
            "raw_path": self._path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": raw_headers,
            "client": ("127.0.0.1", 0),
            "server": ("in-process", 80),
        }
        sent = False
        status = 500
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self._app(scope, receive, send)
        except Exception as exc:  # the app crashed: for the gateway that is an unavailable subgraph
            raise SubgraphUnavailable(
                subgraph, f"in-process app failed ({type(exc).__name__})"
            ) from None
        return parse_response(subgraph, status, b"".join(chunks))


class RoutingTransport:
    """Each subgraph to its own transport (in-process for some, HTTP for the rest)."""

    def __init__(self, routes: Mapping[str, Transport], default: Transport | None = None) -> None:
        self._routes = dict(routes)
        self._default = default

    async def post(
        self,
        subgraph: str,
        query: str,
        variables: Mapping[str, Any],
        headers: Headers | None,
    ) -> dict[str, Any]:
        transport = self._routes.get(subgraph, self._default)
        if transport is None:
            raise SubgraphUnavailable(subgraph, "no route to this subgraph")
        return await transport.post(subgraph, query, variables, headers)


def parse_response(subgraph: str, status: int, content: bytes) -> dict[str, Any]:
    """A subgraph's HTTP answer as a GraphQL response, or the fault it amounts to."""
    try:
        payload = orjson.loads(content)
    except orjson.JSONDecodeError:
        raise SubgraphBadResponse(subgraph, f"HTTP {status} with a body that is not JSON") from None
    if not isinstance(payload, dict) or ("data" not in payload and "errors" not in payload):
        raise SubgraphBadResponse(subgraph, f"HTTP {status} without a GraphQL response")
    if status >= 500 and payload.get("data") is None:
        raise SubgraphBadResponse(subgraph, f"HTTP {status}{_said(payload.get('errors'))}")
    return payload


def _said(errors: object, most: int = 3, longest: int = 200) -> str:
    """What a failed subgraph's own errors said, briefly (so that the client sees why)."""
    if not isinstance(errors, list):
        return ""
    messages = [
        str(e["message"])[:longest]
        for e in errors
        if isinstance(e, dict) and isinstance(e.get("message"), str)
    ]
    if not messages:
        return ""
    more = f" (and {len(messages) - most} more)" if len(messages) > most else ""
    return ": " + "; ".join(messages[:most]) + more
