"""Subgraphs over HTTP: one pooled aiohttp session, per-subgraph timeouts, classified faults.

aiohttp rather than httpx: under load httpx's connection pool cost the gateway more CPU than
everything else together (bench/results/profile.md). Idle connections are dropped after 4 s,
before uvicorn's 5 s keep-alive would close them under a request.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import aiohttp

from mesh.federation.execute.faults import SubgraphTimeout, SubgraphUnavailable
from mesh.federation.execute.transport import (
    Headers,
    headers_for,
    parse_response,
    request_body,
)

KEEPALIVE_SECONDS = 4.0


class HttpTransport:
    def __init__(
        self,
        urls: Mapping[str, str],
        *,
        timeouts: Mapping[str, float] | None = None,
        default_timeout: float = 5.0,
        max_connections: int = 100,
    ) -> None:
        self.urls = dict(urls)
        self.timeouts = dict(timeouts or {})
        self.default_timeout = default_timeout
        self.requests: Counter[str] = Counter()
        self._max_connections = max_connections
        self._timeouts: dict[float, aiohttp.ClientTimeout] = {}  # made once per value
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        """The session, made in the running event loop on first use (it belongs to it)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=self._max_connections,
                    ttl_dns_cache=300,
                    keepalive_timeout=KEEPALIVE_SECONDS,
                ),
                headers={"content-type": "application/json", "accept": "application/json"},
            )
        return self._session

    async def post(
        self,
        subgraph: str,
        query: str,
        variables: Mapping[str, Any],
        headers: Headers | None = None,
        *,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """``timeout`` overrides the subgraph's own for this one request (long reads)."""
        url = self.urls.get(subgraph)
        if url is None:
            raise SubgraphUnavailable(subgraph, "no URL configured")
        self.requests[subgraph] += 1
        timeout = timeout or self.timeouts.get(subgraph, self.default_timeout)
        body = request_body(query, variables)
        sent = await headers_for(headers, subgraph, body)  # signed over this very body, if asked
        try:
            async with self._client().post(
                url,
                data=body,
                headers=dict(sent) if sent else None,
                timeout=self._client_timeout(timeout),
            ) as response:
                status = response.status
                content = await response.read()
        except TimeoutError:
            raise SubgraphTimeout(subgraph, f"no answer within {timeout:g} s") from None
        except aiohttp.ClientError as exc:
            raise SubgraphUnavailable(subgraph, f"cannot connect ({type(exc).__name__})") from None
        return parse_response(subgraph, status, content)

    def _client_timeout(self, seconds: float) -> aiohttp.ClientTimeout:
        made = self._timeouts.get(seconds)
        if made is None:
            made = self._timeouts[seconds] = aiohttp.ClientTimeout(total=seconds)
        return made

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
