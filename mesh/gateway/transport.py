"""How the civic gateway reaches subgraphs: HTTP to the agencies and the index, in-process to
the centre's own subgraph — one transport, one request count."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mesh.federation.execute import HttpTransport
from mesh.federation.execute.transport import Handler, Headers, headers_for, request_body


class MeshTransport(HttpTransport):
    """:class:`HttpTransport` with some subgraphs answered in-process (``local``)."""

    def __init__(
        self,
        urls: Mapping[str, str],
        *,
        timeouts: Mapping[str, float] | None = None,
        default_timeout: float = 5.0,
        local: Mapping[str, Handler] | None = None,
    ) -> None:
        super().__init__(urls, timeouts=timeouts, default_timeout=default_timeout)
        self.local = dict(local or {})

    async def post(
        self,
        subgraph: str,
        query: str,
        variables: Mapping[str, Any],
        headers: Headers | None = None,
        *,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        handler = self.local.get(subgraph)
        if handler is None:
            return await super().post(subgraph, query, variables, headers, timeout=timeout)
        self.requests[subgraph] += 1
        sent = await headers_for(headers, subgraph, request_body(query, variables))
        return await handler(query, variables, sent)
