"""The architecture's import rules, checked on the source so a forbidden import fails CI."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = {"mesh", "authz", "subgraphs", "linkage", "devtools", "bench", "tests"}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def violations(package: str, allowed_prefixes: tuple[str, ...]) -> list[str]:
    """Imports of project code from ``package`` that are not under an allowed prefix."""
    base = ROOT / package.replace(".", "/")
    problems: list[str] = []
    for path in sorted(base.rglob("*.py")):
        for line, module in imported_modules(path):
            top = module.split(".")[0]
            if top not in PROJECT_PACKAGES:
                continue
            if not any(module == p or module.startswith(p + ".") for p in allowed_prefixes):
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return problems


# Each package and the project code it may import (everything else of the project is
# forbidden). Read top to bottom, it is the architecture: the engine and authz stand alone;
# the store layer knows only the registry of stores; subgraphs decide nothing themselves
# (authz does); linkage runs between agencies and index; the gateway plugs governance into
# the engine; development tooling and the CLI sit on top.
ALLOWED: dict[str, tuple[str, ...]] = {
    "mesh.federation": ("mesh.federation",),
    "authz": ("authz",),
    "store": ("store", "authz", "subgraphs.registry"),
    "subgraphs": ("subgraphs", "authz"),
    "linkage": ("linkage", "store", "subgraphs", "authz"),
    "mesh.gateway": ("mesh.gateway", "mesh.federation", "mesh.enforce", "mesh.compose",
                     "mesh.plan", "mesh.execute", "mesh.schema_contract", "authz", "store",
                     "subgraphs"),
    "mesh.enforce": ("mesh.enforce", "mesh.federation", "mesh.compose", "authz"),
    "devtools": ("devtools", "store", "linkage", "subgraphs", "authz"),
}  # fmt: skip


def test_every_package_imports_only_what_the_architecture_allows() -> None:
    for package, allowed in ALLOWED.items():
        files = list((ROOT / package.replace(".", "/")).rglob("*.py"))
        assert files, f"{package} is missing"
        assert violations(package, allowed) == [], package


def test_top_level_packages_have_no_cycles() -> None:
    edges: dict[str, set[str]] = {p: set() for p in PROJECT_PACKAGES}
    for package in PROJECT_PACKAGES - {"tests"}:
        for path in (ROOT / package).rglob("*.py"):
            for _, module in imported_modules(path):
                top = module.split(".")[0]
                if top in PROJECT_PACKAGES and top != package:
                    edges[package].add(top)
    assert edges["mesh"], "the checker found no edges at all"

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
            for nxt in edges[start]
        )

    cycles = sorted(p for p in edges if reaches(p, p, {p}))
    assert cycles == [], f"packages on an import cycle: {cycles}"


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import os\nfrom authz.policy import SharingRules\nimport mesh.federation\n")
    assert imported_modules(module) == [(1, "os"), (2, "authz.policy"), (3, "mesh.federation")]
