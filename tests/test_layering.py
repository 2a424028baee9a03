"""The architecture's import rules, checked on the source so a forbidden import fails CI."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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


def test_the_federation_engine_imports_nothing_civic() -> None:
    files = list((ROOT / "mesh" / "federation").rglob("*.py"))
    assert files, "the engine package is missing"
    assert violations("mesh.federation", ("mesh.federation",)) == []


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import os\nfrom authz.policy import SharingRules\nimport mesh.federation\n")
    assert imported_modules(module) == [(1, "os"), (2, "authz.policy"), (3, "mesh.federation")]
