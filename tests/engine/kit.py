"""Small federation subgraphs for engine tests: SDL + plain data, executed by graphql-core.

A :class:`Subgraph` is the SDL a supplier would write (Fed 1 or Fed 2) with root values and
reference resolvers over dicts. It answers ``_entities`` like any subgraph library: each
representation goes to its type's resolver (None for an unknown id). :func:`serving` runs
subgraphs as ASGI apps on real sockets (uvicorn in a thread) for end-to-end tests.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
import uvicorn
from graphql import (
    DocumentNode,
    GraphQLResolveInfo,
    GraphQLSchema,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    build_ast_schema,
    graphql,
    parse,
)

Reference = Callable[[dict[str, Any]], dict[str, Any] | None]

_FEDERATION_TYPES = """
scalar _Any
type _Service { sdl: String }
"""


def _executable_document(sdl: str) -> DocumentNode:
    """The subgraph SDL as graphql-core can build it: schema definitions dropped and
    ``extend type`` without a base (Fed 1 style) turned into a definition."""
    document = parse(sdl)
    defined = {
        d.name.value
        for d in document.definitions
        if isinstance(
            d, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode | UnionTypeDefinitionNode
        )
    }
    kept: list[Any] = []
    for d in document.definitions:
        if isinstance(d, SchemaDefinitionNode | SchemaExtensionNode):
            continue
        if isinstance(d, ObjectTypeExtensionNode) and d.name.value not in defined:
            d = ObjectTypeDefinitionNode(
                name=d.name, interfaces=d.interfaces, directives=d.directives, fields=d.fields
            )
            defined.add(d.name.value)
        elif isinstance(d, InterfaceTypeExtensionNode) and d.name.value not in defined:
            d = InterfaceTypeDefinitionNode(
                name=d.name, interfaces=d.interfaces, directives=d.directives, fields=d.fields
            )
            defined.add(d.name.value)
        elif isinstance(d, UnionTypeExtensionNode) and d.name.value not in defined:
            d = UnionTypeDefinitionNode(name=d.name, directives=d.directives, types=d.types)
            defined.add(d.name.value)
        kept.append(d)
    return DocumentNode(definitions=tuple(kept))


def _resolve_type(value: Any, info: GraphQLResolveInfo[Any], abstract: Any) -> str | None:
    return value.get("__typename") if isinstance(value, Mapping) else None


@dataclass
class Subgraph:
    name: str
    sdl: str
    root: dict[str, Any] = field(
        default_factory=dict
    )  # Query/Mutation field -> value or fn(info, **args)
    references: dict[str, Reference] = field(default_factory=dict)  # type -> resolver
    log: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        document = _executable_document(self.sdl)
        objects = {
            d.name.value
            for d in document.definitions
            if isinstance(d, ObjectTypeDefinitionNode | ObjectTypeExtensionNode)
        }
        entity_types = sorted(t for t in self.references if t in objects)
        extra = _FEDERATION_TYPES
        if entity_types:
            extra += f"union _Entity = {' | '.join(entity_types)}\n"
            extra += "extend type Query { _entities(representations: [_Any!]!): [_Entity]! }\n"
        extra += "extend type Query { _service: _Service! }\n"
        has_query = any(
            isinstance(d, ObjectTypeDefinitionNode) and d.name.value == "Query"
            for d in document.definitions
        )
        if not has_query:
            extra = "type Query\n" + extra
        full = DocumentNode(definitions=(*document.definitions, *parse(extra).definitions))
        self.schema: GraphQLSchema = build_ast_schema(full, assume_valid_sdl=True)

    def _root_value(self) -> dict[str, Any]:
        def entities(
            info: GraphQLResolveInfo[Any], representations: list[dict[str, Any]]
        ) -> list[Any]:
            out = []
            for rep in representations:
                resolver = self.references.get(rep.get("__typename", ""))
                found = resolver(rep) if resolver else None
                if found is not None and "__typename" not in found:
                    found = {"__typename": rep["__typename"], **found}
                out.append(found)
            return out

        return {**self.root, "_entities": entities, "_service": {"sdl": self.sdl}}

    async def execute(self, query: str, variables: Mapping[str, Any] | None) -> dict[str, Any]:
        self.log.append({"query": query, "variables": dict(variables or {})})
        result = await graphql(
            self.schema,
            query,
            root_value=self._root_value(),
            variable_values=dict(variables or {}),
            type_resolver=_resolve_type,
        )
        return result.formatted  # type: ignore[return-value]

    async def handler(
        self, query: str, variables: Mapping[str, Any], headers: Mapping[str, str] | None
    ) -> dict[str, Any]:
        return await self.execute(query, variables)

    async def app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """A minimal GraphQL-over-HTTP ASGI app (POST JSON)."""
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        request = orjson.loads(body or b"{}")
        result = await self.execute(request.get("query", ""), request.get("variables"))
        payload = orjson.dumps(result)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})


def free_port(low: int = 15000, high: int = 15999) -> int:
    for port in range(low, high):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


@contextmanager
def serving(subgraphs: list[Subgraph]) -> Iterator[Any]:
    """Serve each subgraph on its own port; yields name -> URL, and index -> URL too (several
    fixtures may use one subgraph name)."""
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []
    urls: dict[Any, str] = {}
    try:
        for subgraph in subgraphs:
            port = free_port()
            config = uvicorn.Config(
                subgraph.app,
                host="127.0.0.1",
                port=port,
                log_level="warning",
                lifespan="off",
                interface="asgi3",
            )
            server = uvicorn.Server(config)
            thread = threading.Thread(target=server.run, daemon=True)
            thread.start()
            deadline = time.monotonic() + 10
            while not server.started:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"subgraph {subgraph.name} did not start")
                time.sleep(0.01)
            servers.append((server, thread))
            urls[subgraph.name] = urls[len(servers) - 1] = f"http://127.0.0.1:{port}/graphql"
        yield urls
    finally:
        for server, _ in servers:
            server.should_exit = True
        for _, thread in servers:
            thread.join(timeout=5)


def with_urls(supergraph_sdl: str, urls: Mapping[str, str]) -> str:
    """A supergraph whose @join__graph URLs point at the given addresses."""
    import re

    def swap(match: re.Match[str]) -> str:
        name = match.group(1)
        return f'@join__graph(name: "{name}", url: "{urls.get(name, match.group(2))}")'

    return re.sub(r'@join__graph\(name: "([^"]+)", url: "([^"]*)"\)', swap, supergraph_sdl)


def by_id(rows: list[dict[str, Any]], key: str = "id") -> Reference:
    """A reference resolver over rows: the row whose ``key`` matches, else None."""
    index = {row[key]: row for row in rows}

    def resolve(rep: dict[str, Any]) -> dict[str, Any] | None:
        row = index.get(rep.get(key))
        return dict(row) if row is not None else None

    return resolve
