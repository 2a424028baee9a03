"""Where the local mesh listens: one port per subgraph, next to the gateway's."""

from __future__ import annotations

from subgraphs.registry import known_subgraphs

GATEWAY_PORT = 4000
HOST = "127.0.0.1"


def subgraph_port(name: str, base: int = GATEWAY_PORT) -> int:
    return base + 1 + known_subgraphs().index(name)


def local_subgraph_urls(base: int = GATEWAY_PORT, host: str = HOST) -> dict[str, str]:
    return {
        name: f"http://{host}:{subgraph_port(name, base)}/graphql" for name in known_subgraphs()
    }
