"""The HTTP transport against real sockets: timeouts, non-GraphQL answers, pooled requests."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from mesh.federation.execute import (
    HttpTransport,
    SubgraphBadResponse,
    SubgraphTimeout,
    SubgraphUnavailable,
)
from tests.engine.kit import serving


class Scripted:
    """An ASGI app answering every request with ``status`` and ``body`` after ``delay`` s."""

    def __init__(self, name: str, status: int, body: bytes, delay: float = 0.0) -> None:
        self.name, self.status, self.body, self.delay = name, status, body, delay

    async def app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        while (await receive()).get("more_body"):
            pass
        await asyncio.sleep(self.delay)
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": self.body})


@pytest.fixture(scope="module")
def urls() -> Any:
    apps = [
        Scripted("slow", 200, b'{"data": {"a": 1}}', delay=1.0),
        Scripted("html", 502, b"<html>bad gateway</html>"),
        Scripted("ok", 200, b'{"data": {"a": 1}}'),
    ]
    with serving(apps) as found:  # type: ignore[arg-type]
        yield found


async def test_a_slow_subgraph_times_out(urls: dict[str, str]) -> None:
    transport = HttpTransport(urls, timeouts={"slow": 0.2})
    try:
        with pytest.raises(SubgraphTimeout) as raised:
            await transport.post("slow", "{ a }", {}, None)
        assert raised.value.code == "SUBGRAPH_TIMEOUT"
    finally:
        await transport.aclose()


async def test_a_non_graphql_answer_is_a_subgraph_error(urls: dict[str, str]) -> None:
    transport = HttpTransport(urls)
    try:
        with pytest.raises(SubgraphBadResponse) as raised:
            await transport.post("html", "{ a }", {}, None)
        assert raised.value.code == "SUBGRAPH_ERROR"
    finally:
        await transport.aclose()


async def test_requests_share_one_pool_and_are_counted(urls: dict[str, str]) -> None:
    transport = HttpTransport(urls)
    try:
        answers = await asyncio.gather(*(transport.post("ok", "{ a }", {}, None) for _ in range(5)))
        assert answers == [{"data": {"a": 1}}] * 5
        assert transport.requests["ok"] == 5
    finally:
        await transport.aclose()
    with pytest.raises(SubgraphUnavailable):
        await HttpTransport({}).post("ok", "{ a }", {}, None)
