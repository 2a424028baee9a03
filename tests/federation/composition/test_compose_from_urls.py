"""``mesh compose NAME=URL``: subgraph SDL fetched from running subgraphs over real HTTP."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from mesh.federation.compose.cli import compose_command
from tests.federation.composition.subgraph_server import free_port, serve_subgraph

app = typer.Typer()
app.command()(compose_command)
runner = CliRunner()

ACCOUNTS = 'extend type Query { me: User }\ntype User @key(fields: "id") { id: ID! name: String }'
REVIEWS = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n'
    'type User @key(fields: "id") { id: ID! reviewCount: Int }'
)


def test_composes_from_running_subgraphs() -> None:
    with serve_subgraph(ACCOUNTS) as accounts, serve_subgraph(REVIEWS) as reviews:
        result = runner.invoke(app, [f"accounts={accounts}", f"reviews={reviews}"])

    assert result.exit_code == 0, result.stderr
    assert f'ACCOUNTS @join__graph(name: "accounts", url: "{accounts}")' in result.stdout
    assert "reviewCount: Int @join__field(graph: REVIEWS)" in result.stdout


def test_an_unreachable_subgraph_exits_2() -> None:
    closed = free_port()

    result = runner.invoke(app, [f"accounts=http://127.0.0.1:{closed}/graphql", "--timeout", "2"])

    assert result.exit_code == 2
    assert "failed" in result.stderr
