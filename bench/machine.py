"""What the figures were measured on: date, machine, versions."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

_PYTHON_PACKAGES = ("civic-mesh", "strawberry-graphql", "graphql-core", "uvicorn", "starlette")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


def _git_commit(repo: Path) -> str:
    """HEAD, marked ``+uncommitted`` when the served code differs from it."""
    commit = _git(repo, "rev-parse", "--short", "HEAD") or "unknown"
    changed = _git(repo, "status", "--porcelain", "--", "mesh", "authz", "subgraphs", "schema")
    return f"{commit}+uncommitted" if changed else commit


def machine_facts(repo: Path) -> dict[str, Any]:
    """Read when the gateways have started, so the commit is the code they loaded."""
    packages = {}
    for name in _PYTHON_PACKAGES:
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = "missing"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "ram_gib": round(_ram_gib(), 1),
        "kernel": platform.release(),
        "python": sys.version.split()[0],
        "python_packages": packages,
        "commit": _git_commit(repo),
    }


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]
