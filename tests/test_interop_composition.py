"""Composition check against Apollo's reference composition (`interop/compose.mjs`).

The script is the interface: these tests run it with the machine's Node and read
the JSON it prints. npm dependencies are installed on first use, so a fresh clone
needs nothing but `node` and `npm` on PATH.
"""

import contextlib
import json
import socket
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import strawberry
from strawberry.federation.schema_directive import schema_directive
from strawberry.schema_directive import Location

from devtools.node_tools import run_apollo_composition

requires_node = pytest.mark.usefixtures("node")


def _run_compose(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return run_apollo_composition(args, timeout=COMPOSE_TIMEOUT_SECONDS)


COMPOSE_TIMEOUT_SECONDS = 60


def compose_sdl(
    files: dict[str, str], extra_args: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    """Compose subgraph SDL given as {subgraph name: SDL}; stdout holds the JSON report."""
    with tempfile.TemporaryDirectory(prefix="civic-mesh-compose-") as workdir:
        paths = []
        for name, sdl in files.items():
            path = Path(workdir) / f"{name}.graphql"
            path.write_text(sdl, encoding="utf-8")
            paths.append(str(path))
        return _run_compose([*extra_args, *paths])


def _report(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def _error_codes(result: subprocess.CompletedProcess[str]) -> set[str]:
    return {error["code"] for error in _report(result)["errors"]}


SENSITIVE_DIRECTIVE = "directive @sensitive(category: String!) on FIELD_DEFINITION"

REGISTRY_SDL = f"""
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7",
        import: ["@key", "@shareable", "@inaccessible", "@composeDirective"])
  @link(url: "https://civicmesh.example/sensitive/v1.0", import: ["@sensitive"])
  @composeDirective(name: "@sensitive")

{SENSITIVE_DIRECTIVE}

type Person @key(fields: "id") {{
  id: ID!
  name: String! @shareable
  dateOfBirth: String @sensitive(category: "identity")
  legacyRef: String @inaccessible
}}

type Query {{
  people: [Person!]!
}}
"""

HEALTH_SDL = f"""
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7",
        import: ["@key", "@shareable", "@inaccessible", "@composeDirective"])
  @link(url: "https://civicmesh.example/sensitive/v1.0", import: ["@sensitive"])
  @composeDirective(name: "@sensitive")

{SENSITIVE_DIRECTIVE}

type Person @key(fields: "id") {{
  id: ID!
  name: String! @shareable
  nhsNumber: String @sensitive(category: "health")
}}

type Query {{
  patient(id: ID!): Person
}}
"""

# The shape strawberry 0.341 prints for `_service { sdl }` with a compose=True
# schema directive: a full `schema` definition (not `extend schema`) carrying
# @composeDirective and both @link imports, plus the federation entry points.
STRAWBERRY_PRINTED_HEALTH_SDL = """\
directive @sensitive(category: String!) on FIELD_DEFINITION

schema @composeDirective(name: "@sensitive") @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@composeDirective", "@key"]) @link(url: "https://civicmesh.example/sensitive/v1.0", import: ["@sensitive"]) {
  query: Query
}

type Person @key(fields: "id") {
  id: ID!
  nhsNumber: String! @sensitive(category: "health")
}

type Query {
  _entities(representations: [_Any!]!): [_Entity]!
  _service: _Service!
  person(id: ID!): Person
}

scalar _Any

union _Entity = Person

type _Service {
  sdl: String!
}
"""  # noqa: E501


def _person_subgraph(query_field: str, name_type: str) -> str:
    return f"""
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

type Person @key(fields: "id") {{
  id: ID!
  name: {name_type}
}}

type Query {{
  {query_field}: Person
}}
"""


@requires_node
def test_subgraphs_with_composed_directive_compose(tmp_path: Path) -> None:
    supergraph_path = tmp_path / "supergraph.graphql"

    result = compose_sdl(
        {"registry": REGISTRY_SDL, "health": HEALTH_SDL},
        extra_args=["--supergraph", str(supergraph_path)],
    )

    assert result.returncode == 0, result.stdout + result.stderr
    report = _report(result)
    assert report["ok"] is True
    assert report["errors"] == []
    assert sorted(report["subgraphs"]) == ["health", "registry"]
    supergraph = supergraph_path.read_text(encoding="utf-8")
    assert SENSITIVE_DIRECTIVE in supergraph
    assert '@sensitive(category: "identity")' in supergraph
    assert '@sensitive(category: "health")' in supergraph
    assert '@link(url: "https://civicmesh.example/sensitive/v1.0"' in supergraph


@requires_node
def test_strawberry_printed_sdl_composes(tmp_path: Path) -> None:
    supergraph_path = tmp_path / "supergraph.graphql"

    result = compose_sdl(
        {"health": STRAWBERRY_PRINTED_HEALTH_SDL, "registry": REGISTRY_SDL},
        extra_args=["--supergraph", str(supergraph_path)],
    )

    assert result.returncode == 0, result.stdout + result.stderr
    supergraph = supergraph_path.read_text(encoding="utf-8")
    assert 'nhsNumber: String! @join__field(graph: HEALTH) @sensitive(category: "health")' in (
        supergraph
    )
    assert "_service" not in supergraph


@requires_node
@pytest.mark.parametrize(
    ("second_name_type", "expected_code"),
    [
        ("String!", "INVALID_FIELD_SHARING"),
        ("Int!", "FIELD_TYPE_MISMATCH"),
    ],
)
def test_conflicting_subgraphs_report_error_codes(
    second_name_type: str, expected_code: str
) -> None:
    result = compose_sdl(
        {
            "registry": _person_subgraph("person", "String!"),
            "housing": _person_subgraph("tenant", second_name_type),
        }
    )

    assert result.returncode == 1, result.stdout + result.stderr
    report = _report(result)
    assert report["ok"] is False
    assert expected_code in _error_codes(result)
    assert all(error["message"] for error in report["errors"])


@requires_node
def test_unparseable_sdl_is_a_usage_error() -> None:
    result = compose_sdl({"registry": REGISTRY_SDL, "broken": "type Query { person: }"})

    assert result.returncode == 2, result.stdout + result.stderr
    assert _error_codes(result) == {"SDL_PARSE_ERROR"}
    assert _report(result)["errors"][0]["subgraphs"] == ["broken"]


@requires_node
def test_no_subgraphs_is_a_usage_error() -> None:
    result = _run_compose([])

    assert result.returncode == 2
    assert _error_codes(result) == {"NO_SUBGRAPHS"}


@requires_node
def test_unreadable_file_is_a_usage_error(tmp_path: Path) -> None:
    result = _run_compose([str(tmp_path / "missing.graphql")])

    assert result.returncode == 2
    assert _error_codes(result) == {"UNREADABLE_FILE"}


def _strawberry_health_schema() -> strawberry.federation.Schema:
    @schema_directive(
        locations=[Location.FIELD_DEFINITION],
        name="sensitive",
        compose=True,
        import_url="https://civicmesh.example/sensitive/v1.0",
    )
    class Sensitive:
        category: str

    @strawberry.federation.type(keys=["id"])
    class Person:
        id: strawberry.ID
        nhs_number: str = strawberry.federation.field(directives=[Sensitive(category="health")])

    @strawberry.type
    class Query:
        @strawberry.field
        def person(self, id: strawberry.ID) -> Person | None:
            return None

    return strawberry.federation.Schema(query=Query, federation_version="2.7")


def test_strawberry_fixture_matches_what_strawberry_prints() -> None:
    # Keeps STRAWBERRY_PRINTED_HEALTH_SDL honest when strawberry is upgraded.
    sdl = _strawberry_health_schema().execute_sync("{ _service { sdl } }").data
    assert sdl is not None
    assert sdl["_service"]["sdl"].strip() == STRAWBERRY_PRINTED_HEALTH_SDL.strip()


@contextlib.contextmanager
def _serve_graphql(answer: Callable[[str], dict[str, Any]]) -> Iterator[str]:
    """Serve POSTed GraphQL queries on localhost with `answer(query)` as the JSON body."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            body = json.dumps(answer(json.loads(self.rfile.read(length))["query"])).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/graphql"
    finally:
        server.shutdown()
        server.server_close()


@requires_node
def test_from_urls_composes_live_service_sdl(tmp_path: Path) -> None:
    health_schema = _strawberry_health_schema()
    supergraph_path = tmp_path / "supergraph.graphql"

    with (
        _serve_graphql(lambda query: {"data": health_schema.execute_sync(query).data}) as health,
        _serve_graphql(lambda query: {"data": {"_service": {"sdl": REGISTRY_SDL}}}) as registry,
    ):
        result = _run_compose(
            [
                "--supergraph",
                str(supergraph_path),
                "--from-urls",
                f"health={health}",
                f"registry={registry}",
            ]
        )

    assert result.returncode == 0, result.stdout + result.stderr
    supergraph = supergraph_path.read_text(encoding="utf-8")
    assert f'HEALTH @join__graph(name: "health", url: "{health}")' in supergraph
    assert 'nhsNumber: String! @join__field(graph: HEALTH) @sensitive(category: "health")' in (
        supergraph
    )


@requires_node
def test_from_urls_unreachable_subgraph_is_a_usage_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    result = _run_compose(
        ["--timeout", "5", "--from-urls", f"health=http://127.0.0.1:{closed_port}/graphql"]
    )

    assert result.returncode == 2
    assert _error_codes(result) == {"FETCH_FAILED"}


@requires_node
def test_the_mesh_subgraphs_compose_under_apollo_composition(tmp_path: Path) -> None:
    """Every Civic Mesh subgraph (and the centre's) composes with the reference composer, and
    the supergraph keeps @sensitive: the independent check of our own composition."""
    from mesh.schema_contract import subgraph_sources

    files = {source.name: source.sdl for source in subgraph_sources()}
    supergraph_path = tmp_path / "supergraph.graphql"
    result = compose_sdl(files, extra_args=["--supergraph", str(supergraph_path)])
    report = _report(result)
    assert result.returncode == 0, report.get("errors")
    assert report["ok"] is True
    assert set(report["subgraphs"]) == set(files)
    supergraph = supergraph_path.read_text(encoding="utf-8")
    assert '@sensitive(category: "mental_health")' in supergraph
    assert "healthPeopleSearch" in supergraph  # kept, but @inaccessible to clients
