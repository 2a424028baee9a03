"""Addresses of the databases on one PostgreSQL server, and safe descriptions of them."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit


class StoreUnreachable(RuntimeError):
    """The server or a database could not be reached. The message never carries a password."""


@dataclass(frozen=True)
class ServerAddress:
    """A server-level DSN plus the prefix that namespaces this deployment's databases.

    The prefix lets the test suite keep its own databases (``test_health`` ...) on the same
    server as the demo without touching the demo's data.
    """

    server_dsn: str
    prefix: str = ""

    def database_name(self, store: str) -> str:
        return f"{self.prefix}{store}"

    def dsn(self, store: str) -> str:
        """DSN of one store's database on this server."""
        return self.dsn_for_database(self.database_name(store))

    def dsn_for_database(self, database: str) -> str:
        parts = urlsplit(self.server_dsn)
        return urlunsplit(parts._replace(path="/" + database))

    def describe(self, database: str | None = None) -> str:
        """'host H port P database D' for messages: never the user's password."""
        parts = urlsplit(self.server_dsn)
        query = parse_qs(parts.query)
        host = parts.hostname or (query.get("host") or ["localhost"])[0]
        port = parts.port or int((query.get("port") or ["5432"])[0])
        db = database if database is not None else (parts.path.lstrip("/") or "postgres")
        return f"host {host} port {port} database {db}"

    def without_password(self) -> str:
        parts = urlsplit(self.server_dsn)
        if parts.password is None:
            return self.server_dsn
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))


def with_query(dsn: str, **params: str) -> str:
    """Add query parameters to a DSN (e.g. an application_name)."""
    parts = urlsplit(dsn)
    query = parse_qs(parts.query)
    query.update({k: [v] for k, v in params.items()})
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))
