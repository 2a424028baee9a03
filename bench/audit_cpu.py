"""CPU the audit log costs outside the gateway: its PostgreSQL backends' own time.

Our gateway appends one hash-chained record per request through a pool of connections
(``application_name = 'civic-mesh-audit'``); the server processes doing that work are not
the gateway's children, so their CPU is read separately and reported beside it.
"""

from __future__ import annotations

import asyncio

from bench import proc
from store.dsn import ServerAddress
from store.server import connect

_BACKENDS = """
SELECT pid FROM pg_stat_activity
WHERE application_name = 'civic-mesh-audit' AND datname = current_database()
"""


async def _pids(address: ServerAddress) -> list[int]:
    conn = await connect(address, "governance")
    try:
        return [int(r["pid"]) for r in await conn.fetch(_BACKENDS)]
    finally:
        await conn.close()


class AuditBackends:
    """Reads the audit backends' CPU (seconds); 0 when the server is not on this machine."""

    def __init__(self, address: ServerAddress) -> None:
        self._address = address

    def cpu_seconds(self) -> float:
        try:
            pids = asyncio.run(_pids(self._address))
        except OSError:
            return 0.0
        return sum(proc.cpu(pid).seconds for pid in pids)
