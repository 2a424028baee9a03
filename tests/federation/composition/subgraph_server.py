"""A federation subgraph from any SDL (Federation 1 or 2), served by graphql-core over real HTTP.

Enough for a router to call it: the SDL's own types plus ``_service { sdl }`` and
``_entities(representations:)``. Data comes from the test: root field values and, per entity
type, a function from a representation to the entity (or ``None``).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from graphql import (
    DefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    GraphQLSchema,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    UnionTypeDefinitionNode,
    build_ast_schema,
    graphql_sync,
    parse,
)

PORTS = range(16000, 17000)  # this worktree's port range
EntityResolver = Callable[[dict[str, Any]], dict[str, Any] | None]
_FEDERATION_TYPES = {
    "_Any",
    "_Entity",
    "_Service",
    "_FieldSet",
    "FieldSet",
    "link__Import",
    "link__Purpose",
}
_DEFINITIONS: dict[str, type[DefinitionNode]] = {
    "ObjectTypeExtensionNode": ObjectTypeDefinitionNode,
    "InterfaceTypeExtensionNode": InterfaceTypeDefinitionNode,
    "UnionTypeExtensionNode": UnionTypeDefinitionNode,
    "EnumTypeExtensionNode": EnumTypeDefinitionNode,
    "InputObjectTypeExtensionNode": InputObjectTypeDefinitionNode,
    "ScalarTypeExtensionNode": ScalarTypeDefinitionNode,
}


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 16000-16999")


def subgraph_schema(
    sdl: str, entities: dict[str, EntityResolver], root: dict[str, Any]
) -> GraphQLSchema:
    document = parse(sdl)
    defined = {
        d.name.value
        for d in document.definitions
        if type(d).__name__.endswith("DefinitionNode") and hasattr(d, "name")
    }
    definitions: list[Any] = []
    for node in document.definitions:
        kind = type(node).__name__
        name = getattr(getattr(node, "name", None), "value", None)
        if name in _FEDERATION_TYPES or kind == "DirectiveDefinitionNode":
            continue
        if kind in _DEFINITIONS and name not in defined:
            defined.add(name)  # the first `extend` of a type defined elsewhere defines it here
            definition = _DEFINITIONS[kind]
            fields = definition.keys  # graphql-core's Node subclasses list their attributes
            node = definition(**{k: getattr(node, k, None) for k in fields if k != "loc"})
        definitions.append(node)
    key_types = sorted(
        d.name.value
        for d in definitions
        if isinstance(d, (ObjectTypeDefinitionNode, ObjectTypeExtensionNode))
        and any(directive.name.value == "key" for directive in d.directives or ())
    )
    plumbing = "scalar _Any\ntype _Service { sdl: String! }\n"
    query_fields = "_service: _Service!"
    if key_types:
        plumbing += f"union _Entity = {' | '.join(key_types)}\n"
        query_fields += " _entities(representations: [_Any!]!): [_Entity]!"
    keyword = "extend type" if "Query" in defined else "type"
    plumbing += f"{keyword} Query {{ {query_fields} }}\n"
    definitions.extend(parse(plumbing).definitions)
    schema = build_ast_schema(DocumentNode(definitions=tuple(definitions)), assume_valid_sdl=True)
    query = schema.query_type
    assert query is not None
    query.fields["_service"].resolve = lambda *_: {"sdl": sdl}
    if key_types:

        def resolve_entities(_: Any, __: Any, representations: list[dict[str, Any]]) -> list[Any]:
            return [entities[r["__typename"]](r) for r in representations]

        query.fields["_entities"].resolve = resolve_entities
        entity_union = schema.type_map["_Entity"]
        entity_union.resolve_type = lambda value, *_: value["__typename"]  # type: ignore[attr-defined]
    for name, value in root.items():
        query.fields[name].resolve = lambda *_args, _value=value, **_kw: _value
    return schema


@contextlib.contextmanager
def serve_subgraph(
    sdl: str,
    *,
    entities: dict[str, EntityResolver] | None = None,
    root: dict[str, Any] | None = None,
) -> Iterator[str]:
    """Serve the subgraph on a local port; yields its URL."""
    schema = subgraph_schema(sdl, entities or {}, root or {})

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            request = json.loads(self.rfile.read(length))
            result = graphql_sync(
                schema, request["query"], variable_values=request.get("variables")
            )
            body: dict[str, Any] = {"data": result.data}
            if result.errors:
                body["errors"] = [e.formatted for e in result.errors]
            encoded = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/graphql"
    finally:
        server.shutdown()
        server.server_close()
