"""The composition corpus: subgraph sets written from the federation spec and docs, each with
the outcome the spec gives it (composes, or fails with these error codes).

A case is one ``cases/*.graphql`` file: header comments, then one section per subgraph::

    # Fed 1: a value type defined in two subgraphs is shareable.
    # expect: ok                      (or: # expect: errors CODE [CODE...])
    # --- subgraph: products
    type Query { ... }
    # --- subgraph: reviews url=http://reviews/graphql
    ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mesh.federation.compose import SubgraphSource

CASES_DIR = Path(__file__).resolve().parent / "cases"
_SECTION = re.compile(r"^# --- subgraph: (?P<name>\S+)(?: url=(?P<url>\S+))?\s*$")


@dataclass(frozen=True)
class Case:
    name: str
    description: str
    expect_ok: bool
    expect_codes: frozenset[str]
    subgraphs: tuple[SubgraphSource, ...]

    def as_batch_input(self) -> dict[str, object]:
        return {
            "id": self.name,
            "subgraphs": [{"name": s.name, "url": s.url, "sdl": s.sdl} for s in self.subgraphs],
        }


def load_case(path: Path) -> Case:
    description: list[str] = []
    expectation: str | None = None
    sections: list[tuple[str, str, list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        section = _SECTION.match(line)
        if section:
            sections.append((section["name"], section["url"] or "", []))
        elif sections:
            sections[-1][2].append(line)
        elif line.startswith("# expect:"):
            expectation = line.removeprefix("# expect:").strip()
        elif line.startswith("#"):
            description.append(line.lstrip("# ").rstrip())
    if expectation is None or not sections:
        raise ValueError(f"{path.name}: needs an '# expect:' line and at least one subgraph")
    if expectation == "ok":
        ok, codes = True, frozenset[str]()
    elif expectation.startswith("errors "):
        ok, codes = False, frozenset(expectation.removeprefix("errors ").split())
    else:
        raise ValueError(f"{path.name}: '# expect: ok' or '# expect: errors CODE...'")
    subgraphs = tuple(SubgraphSource(n, url, "\n".join(lines)) for n, url, lines in sections)
    return Case(path.stem, " ".join(description), ok, codes, subgraphs)


def load_cases() -> list[Case]:
    return [load_case(path) for path in sorted(CASES_DIR.glob("*.graphql"))]
