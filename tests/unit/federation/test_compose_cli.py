"""``mesh compose`` as a command: files, NAME=FILE, supergraph.yaml; errors and exit codes."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from mesh.federation.compose.cli import compose_command

app = typer.Typer()
app.command()(compose_command)
runner = CliRunner()

PRODUCTS = 'type Query { p: Product }\ntype Product @key(fields: "id") { id: ID! name: String }\n'
REVIEWS = 'extend type Product @key(fields: "id") { id: ID! @external stars: Int }\n'
CLASH = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n'
    'type Product @key(fields: "id") { id: ID! name: Int }\n'
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_composes_files_to_an_output_file(tmp_path: Path) -> None:
    products = write(tmp_path, "products.graphql", PRODUCTS)
    reviews = write(tmp_path, "reviews.graphql", REVIEWS)
    out = tmp_path / "supergraph.graphql"

    result = runner.invoke(
        app,
        [
            str(products),
            f"reviews={reviews}",
            "-o",
            str(out),
            "--routing-url",
            "reviews=http://r/graphql",
        ],
    )

    assert result.exit_code == 0, result.output
    sdl = out.read_text(encoding="utf-8")
    assert 'PRODUCTS @join__graph(name: "products", url: "")' in sdl
    assert 'REVIEWS @join__graph(name: "reviews", url: "http://r/graphql")' in sdl
    assert "stars: Int @join__field(graph: REVIEWS)" in sdl


def test_prints_to_stdout_without_output(tmp_path: Path) -> None:
    products = write(tmp_path, "products.graphql", PRODUCTS)

    result = runner.invoke(app, [str(products)])

    assert result.exit_code == 0
    assert result.stdout.startswith("schema\n  @link(")


def test_composition_errors_exit_1_with_code_coordinate_and_subgraphs(tmp_path: Path) -> None:
    products = write(tmp_path, "products.graphql", PRODUCTS)
    clash = write(tmp_path, "clash.graphql", CLASH)

    result = runner.invoke(app, [str(products), str(clash)])

    assert result.exit_code == 1
    assert "error[FIELD_TYPE_MISMATCH] Product.name (subgraphs: clash, products)" in result.stderr
    assert "composition failed: " in result.stderr
    assert result.stdout == ""


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, [str(tmp_path / "missing.graphql")])

    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_rover_style_config(tmp_path: Path) -> None:
    write(tmp_path, "products.graphql", PRODUCTS)
    config = write(
        tmp_path,
        "supergraph.yaml",
        "federation_version: 2\nsubgraphs:\n"
        "  products:\n    routing_url: http://p/graphql\n"
        "    schema:\n      file: ./products.graphql\n"
        "  reviews:\n    routing_url: http://r/graphql\n"
        f"    schema:\n      sdl: '{REVIEWS.strip()}'\n",
    )

    result = runner.invoke(app, ["--config", str(config)])

    assert result.exit_code == 0, result.stderr
    assert 'PRODUCTS @join__graph(name: "products", url: "http://p/graphql")' in result.stdout


def test_bad_config_exits_2(tmp_path: Path) -> None:
    config = write(tmp_path, "supergraph.yaml", "subgraphs: [1, 2]\n")

    result = runner.invoke(app, ["--config", str(config)])

    assert result.exit_code == 2
    assert "'subgraphs:' mapping" in result.stderr


def test_nothing_to_compose_is_a_usage_error() -> None:
    result = runner.invoke(app, [])

    assert result.exit_code == 2
