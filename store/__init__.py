"""The PostgreSQL stores: which databases exist, how the server runs, how schemas migrate."""

from store.catalog import STORES, Store, store_named
from store.dsn import ServerAddress, StoreUnreachable
from store.server import PostgresServerHandle, open_server

__all__ = [
    "STORES",
    "PostgresServerHandle",
    "ServerAddress",
    "Store",
    "StoreUnreachable",
    "open_server",
    "store_named",
]
