"""Where the local mesh listens: the gateway's port, and one port per subgraph next to it.

A subgraph's port depends on its name only, never on its position in the registry, so adding
an agency moves nobody: the founding eight keep the ports they always had, and any other
subgraph gets one from a hash of its name (probing on past a rare collision).
"""

from __future__ import annotations

import socket
import zlib
from collections.abc import Iterable

from subgraphs.registry import known_subgraphs

GATEWAY_PORT = 4000
HOST = "127.0.0.1"
_FOUNDING = (
    "health",
    "adult_social_care",
    "childrens_services",
    "housing",
    "police",
    "education",
    "welfare",
    "index",
)
_HASHED_FIRST, _HASHED_SLOTS = 10, 90  # offsets 10..99 for subgraphs added later


def port_offsets(names: Iterable[str]) -> dict[str, int]:
    """Offset from the gateway's port for each subgraph, by name."""
    offsets = {name: _FOUNDING.index(name) + 1 for name in names if name in _FOUNDING}
    taken = set(offsets.values())
    for name in sorted(set(names) - set(offsets)):
        slot = zlib.crc32(name.encode()) % _HASHED_SLOTS
        for probe in range(_HASHED_SLOTS):
            offset = _HASHED_FIRST + (slot + probe) % _HASHED_SLOTS
            if offset not in taken:
                break
        else:
            raise ValueError("more subgraphs than local ports: give them ports explicitly")
        offsets[name] = offset
        taken.add(offset)
    return offsets


def subgraph_port(name: str, base: int = GATEWAY_PORT) -> int:
    return base + port_offsets(known_subgraphs())[name]


def local_subgraph_urls(base: int = GATEWAY_PORT, host: str = HOST) -> dict[str, str]:
    offsets = port_offsets(known_subgraphs())
    return {name: f"http://{host}:{base + offsets[name]}/graphql" for name in known_subgraphs()}


def ports_in_use(ports: Iterable[int], host: str = HOST) -> list[int]:
    """The ports something already listens on (so a demo or bench can say so up front)."""
    busy = []
    for port in ports:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((host, port))
            except OSError:
                busy.append(port)
    return busy
