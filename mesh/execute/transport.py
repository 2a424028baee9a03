"""HTTP to subgraphs: pooled connections, per-subgraph timeouts, faults classified by code."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
import orjson


class SubgraphFault(Exception):
    """A subgraph could not answer: unavailable, too slow, or answered with an error."""

    def __init__(self, subgraph: str, code: str, detail: str) -> None:
        self.subgraph = subgraph
        self.code = code
        self.detail = detail
        super().__init__(f"subgraph {subgraph}: {detail}")


LocalHandler = Callable[
    [str, Mapping[str, Any], Mapping[str, str] | None], Awaitable[dict[str, Any]]
]
# Static headers, or headers made for each request from its subgraph and exact body (a
# context the gateway signs over that one request).
Headers = Mapping[str, str] | Callable[[str, bytes], Mapping[str, str]]


class SubgraphTransport:
    """One pooled HTTP client (aiohttp) for every subgraph, counting requests per subgraph.

    ``local`` subgraphs (the centre's own) are called in-process through the same interface.
    aiohttp rather than httpx here: under load httpx's connection pool cost the gateway more
    CPU than everything else together (see bench/results/profile.md).
    """

    def __init__(
        self,
        urls: Mapping[str, str],
        timeouts: Mapping[str, float] | None = None,
        default_timeout: float = 5.0,
        max_connections: int = 100,
        local: Mapping[str, LocalHandler] | None = None,
    ) -> None:
        self.urls = dict(urls)
        self.local = dict(local or {})
        self.timeouts = dict(timeouts or {})
        self.default_timeout = default_timeout
        self.requests: Counter[str] = Counter()
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        """The session, made in the running event loop on first use (it belongs to it)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                # Idle connections are dropped before uvicorn's 5 s keep-alive would close them
                # under us (a request on a connection the server is closing fails).
                connector=aiohttp.TCPConnector(
                    limit=self._max_connections, ttl_dns_cache=300, keepalive_timeout=4.0
                ),
                headers={"content-type": "application/json", "accept": "application/json"},
                json_serialize=lambda value: orjson.dumps(value).decode(),
            )
        return self._session

    async def post(
        self,
        subgraph: str,
        query: str,
        variables: Mapping[str, Any],
        headers: Headers | None = None,
    ) -> dict[str, Any]:
        body = orjson.dumps({"query": query, "variables": dict(variables)})
        sent = headers(subgraph, body) if callable(headers) else headers
        handler = self.local.get(subgraph)
        if handler is not None:
            self.requests[subgraph] += 1
            return await handler(query, variables, sent)
        url = self.urls.get(subgraph)
        if url is None:
            raise SubgraphFault(subgraph, "SUBGRAPH_UNAVAILABLE", "no URL configured")
        self.requests[subgraph] += 1
        timeout = self.timeouts.get(subgraph, self.default_timeout)
        try:
            async with self._client().post(
                url,
                data=body,
                headers=dict(sent or {}),
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as response:
                status = response.status
                content = await response.read()
        except TimeoutError:
            raise SubgraphFault(
                subgraph, "SUBGRAPH_TIMEOUT", f"no answer within {timeout:g} s"
            ) from None
        except aiohttp.ClientError as exc:
            raise SubgraphFault(
                subgraph, "SUBGRAPH_UNAVAILABLE", f"cannot connect ({type(exc).__name__})"
            ) from None
        try:
            payload = orjson.loads(content)
        except orjson.JSONDecodeError:
            raise SubgraphFault(
                subgraph, "SUBGRAPH_ERROR", f"HTTP {status} with a body that is not JSON"
            ) from None
        if not isinstance(payload, dict) or ("data" not in payload and "errors" not in payload):
            raise SubgraphFault(
                subgraph, "SUBGRAPH_ERROR", f"HTTP {status} without a GraphQL response"
            )
        if status >= 500 and payload.get("data") is None:
            raise SubgraphFault(subgraph, "SUBGRAPH_ERROR", f"HTTP {status}")
        return payload

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
