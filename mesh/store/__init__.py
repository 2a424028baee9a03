"""The PostgreSQL stores: which databases exist, how the server runs, how schemas migrate."""

from mesh.store.catalog import STORES, Store, store_named
from mesh.store.dsn import ServerAddress, StoreUnreachable
from mesh.store.server import PostgresServerHandle, open_server

__all__ = [
    "STORES",
    "PostgresServerHandle",
    "ServerAddress",
    "Store",
    "StoreUnreachable",
    "open_server",
    "store_named",
]
