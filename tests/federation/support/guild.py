"""The corpus composed by @theguild/federation-composition (the Hive CLI's composer): a
supergraph printed by someone else, which the engine must read with the same meaning."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from devtools.node_tools import npm_ci
from tests.federation.support.node import PEERS_DIR

GUILD_SCRIPT = Path(__file__).with_name("guild_compose.mjs")
COMPOSE_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class GuildComposition:
    supergraph: str | None
    errors: tuple[str, ...]


def compose_with_guild(sdl: Mapping[str, str], urls: Mapping[str, str]) -> GuildComposition:
    npm_ci(PEERS_DIR, marker="@theguild/federation-composition")
    node = shutil.which("node")
    assert node is not None
    request = {"subgraphs": [{"name": n, "url": urls[n], "sdl": s} for n, s in sdl.items()]}
    done = subprocess.run(
        [node, str(GUILD_SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=COMPOSE_TIMEOUT_SECONDS,
        check=False,
    )
    try:
        report = json.loads(done.stdout)
    except ValueError as error:
        raise RuntimeError(f"guild_compose.mjs printed no JSON: {done.stderr[-2000:]}") from error
    return GuildComposition(
        supergraph=report.get("supergraph"), errors=tuple(report.get("errors", ()))
    )
