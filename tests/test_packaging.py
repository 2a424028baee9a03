"""The wheel carries what a machine with only Python needs: GraphiQL's bundle and migrations."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_ships_graphiql_and_the_migrations(tmp_path: Path) -> None:
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"),
            *("--no-build-isolation", "--wheel-dir", str(tmp_path), str(ROOT)),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("civic_mesh-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    manifest = json.loads((ROOT / "mesh/gateway/graphiql_assets/manifest.json").read_text())
    for built in (*manifest.values(), "manifest.json"):
        assert f"mesh/gateway/graphiql_assets/{built}" in names
    assert any(n.startswith("subgraphs/kit/migrations/") and n.endswith(".sql") for n in names)
    assert not any("node_modules" in n or n.startswith("tools/") for n in names)
