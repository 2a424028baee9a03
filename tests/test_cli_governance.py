"""The IG lead's and developer's commands, as a person would run them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from authz.dev_keys import dev_verifier
from mesh.cli.app import app

runner = CliRunner()


def test_policy_check_passes_on_the_shipped_agreements() -> None:
    result = runner.invoke(app, ["policy", "check"])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_policy_explain_prints_decisions_and_refuses_unknown_purposes() -> None:
    result = runner.invoke(
        app,
        ["policy", "explain", "--org", "QOP", "--role", "analyst", "--purpose", "planning"],
        env={"COLUMNS": "250"},
    )
    assert result.exit_code == 0, result.output
    assert "HealthRecord.dateOfBirth" in result.output and "year_only" in result.output
    bad = runner.invoke(
        app, ["policy", "explain", "--org", "QOP", "--role", "analyst", "--purpose", "gossip"]
    )
    assert bad.exit_code == 2 and "unknown purpose" in bad.output


def test_transparency_page_is_written(tmp_path: Path) -> None:
    out = tmp_path / "transparency.md"
    result = runner.invoke(app, ["policy", "transparency", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "national data opt-out" in out.read_text(encoding="utf-8")


def test_token_command_mints_a_token_the_gateway_accepts(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["token", "--org", "RW6", "--role", "gp", "--role", "nurse"],
        env={"MESH_DATA_DIR": str(tmp_path)},
    )
    assert result.exit_code == 0, result.output
    principal = dev_verifier(tmp_path).verify("Bearer " + result.output.strip())
    assert principal.organisation == "RW6" and principal.roles == ("gp", "nurse")
    too_short = runner.invoke(app, ["token", "--org", "RW6", "--role", "gp", "--ttl", "5"])
    assert too_short.exit_code == 2


def test_audit_verify_reports_an_intact_chain(pg_address: object) -> None:
    from tests.conftest import TEST_PREFIX

    result = runner.invoke(app, ["audit", "verify"], env={"MESH_DB_PREFIX": TEST_PREFIX})
    assert result.exit_code == 0, result.output
    assert "audit chain intact" in result.output
