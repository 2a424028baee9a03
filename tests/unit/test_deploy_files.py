"""The image and the Compose files, checked without an engine: the Compose Specification's
schema, what the build context holds under the ignore rules, and the wiring of the stack.
(`make deploy-check` runs them for real.)"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from docker.utils.build import exclude_paths

from subgraphs.registry import known_subgraphs

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
COMPOSE_FILES = ("compose.yaml", "compose.debian.yaml")
# Never in a build context: local state, keys, databases, environments, dependencies.
FORBIDDEN = re.compile(
    r"(^|/)(\.venv|\.mesh|\.git|node_modules|pgdata|tests|__pycache__)(/|$)"
    r"|\.(key|pem)$|(^|/)(demo-token\.txt|linkage\.key|PG_VERSION)$"
)


def ignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def build_context(root: Path) -> set[str]:
    """Files a builder sends from ``root`` under the root .dockerignore (docker-py implements
    the engine's rules; the Dockerfile and .dockerignore always go, as with the docker CLI)."""
    return set(exclude_paths(str(root), ignore_patterns(), dockerfile="docker/Dockerfile"))


def load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DOCKER / name).read_text(encoding="utf-8"))
    return loaded


def compose_validator() -> jsonschema.Draft201909Validator:
    """The vendored schema says draft 2019-09 (with a ``$schema`` URI jsonschema does not know)."""
    schema = json.loads((DOCKER / "schema" / "compose-spec.json").read_text(encoding="utf-8"))
    jsonschema.Draft201909Validator.check_schema(schema)
    return jsonschema.Draft201909Validator(schema)


@pytest.mark.parametrize("name", COMPOSE_FILES)
def test_compose_files_follow_the_compose_specification(name: str) -> None:
    compose_validator().validate(load(name))


def test_the_schema_refuses_what_docker_compose_1_29_refuses() -> None:
    named = {**load("compose.yaml"), "name": "civic-mesh"}
    with pytest.raises(jsonschema.ValidationError, match="name"):
        compose_validator().validate(named)


def test_a_context_from_a_used_worktree_holds_wheels_only(tmp_path: Path) -> None:
    for path in [
        ".venv/bin/python",
        ".mesh/pg/PG_VERSION",
        ".mesh/linkage.key",
        ".mesh/demo-token.txt",
        ".mesh/gateway-signing.key",
        ".git/config",
        "node_modules/react/index.js",
        "tools/graphiql/node_modules/graphiql/index.js",
        "tests/pgdata/base/1",
        "signing.key",
        "mesh/gateway/service.py",
        "build/wheelhouse/civic_mesh-0.1.0-py3-none-any.whl",
        "build/wheelhouse/notes.key",
        "build/other/stale.whl",
        "docker/Dockerfile",
    ]:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x")
    (tmp_path / ".dockerignore").write_text((ROOT / ".dockerignore").read_text())
    assert build_context(tmp_path) == {
        ".dockerignore",
        "docker/Dockerfile",
        "build/wheelhouse/civic_mesh-0.1.0-py3-none-any.whl",
    }


def test_this_worktree_would_send_no_secret_or_data_file() -> None:
    context = build_context(ROOT)
    leaked = sorted(path for path in context if FORBIDDEN.search(path))
    assert leaked == []
    assert context - {".dockerignore", "docker/Dockerfile"} <= {
        p for p in context if p.startswith("build/wheelhouse/") and p.endswith(".whl")
    }


def test_the_forbidden_pattern_catches_what_it_must() -> None:
    for path in [".mesh/pg/base/1", ".venv/lib/x.py", "a/b.key", "linkage.key", "x/pgdata/1"]:
        assert FORBIDDEN.search(path), path
    assert not FORBIDDEN.search("build/wheelhouse/civic_mesh-0.1.0-py3-none-any.whl")


def test_buildkit_reads_the_root_ignore_file_not_one_beside_the_dockerfile() -> None:
    assert not (DOCKER / "Dockerfile.dockerignore").exists()


def test_the_image_installs_offline_and_runs_unprivileged() -> None:
    dockerfile = (DOCKER / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^ARG BASE_IMAGE=python:3\.11", dockerfile, re.M)
    assert dockerfile.count("FROM ${BASE_IMAGE}") == 2  # an install stage and the runtime
    assert "--no-index --find-links /wheels" in dockerfile
    assert re.search(r"^USER mesh$", dockerfile, re.M)
    assert re.search(r"^HEALTHCHECK .*\n.*/readyz", dockerfile, re.M)


def test_every_subgraph_runs_in_its_own_container_and_both_gateways_route_to_all() -> None:
    services = load("compose.yaml")["services"]
    for name in known_subgraphs():
        service = services[name.replace("_", "-")]
        assert service["command"][:3] == ["subgraph", "serve", name]
        assert service["environment"]["MESH_SUBGRAPH_DSN"].endswith(f"/{name}")
    gateways = [s for s in services if s.startswith("gateway-")]
    assert gateways == ["gateway-1", "gateway-2"]
    for gateway in gateways:
        command = services[gateway]["command"]
        routes = dict(
            command[i + 1].split("=", 1) for i, arg in enumerate(command) if arg == "--subgraph"
        )
        assert sorted(routes) == sorted(known_subgraphs())
        for name, url in routes.items():
            port = services[name.replace("_", "-")]["command"][-1]
            assert url == f"http://{name.replace('_', '-')}:{port}/graphql"
    audit = {services[g]["environment"]["MESH_GATEWAY_AUDIT_DSN"] for g in gateways}
    assert len(audit) == 1 and next(iter(audit)).endswith("/governance")


def test_one_port_serves_both_replicas() -> None:
    services = load("compose.yaml")["services"]
    published = [name for name, service in services.items() if service.get("ports")]
    assert published == ["proxy"]
    assert services["proxy"]["ports"] == ["127.0.0.1:${MESH_PORT:-4000}:4000"]
    assert services["proxy"]["user"] != "0:0"
    nginx = (DOCKER / "nginx.conf").read_text(encoding="utf-8")
    upstream = re.search(r"upstream gateway \{(.*?)\}", nginx, re.S)
    assert upstream is not None
    assert re.findall(r"server (\S+):4000", upstream.group(1)) == ["gateway-1", "gateway-2"]
    assert "daemon off;" in nginx  # the container's process must stay in the foreground
