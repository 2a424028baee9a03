"""Every case fixture end to end: subgraphs on real sockets, our engine over HTTP.

Each case's expected response was checked against @apollo/gateway with
``python -m tests.engine.tool diff`` (where Apollo is wrong, the case says so).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from mesh.federation.execute import HttpTransport
from mesh.federation.plan import describe_plan
from mesh.federation.supergraph import Supergraph, load_supergraph
from tests.engine.harness import Case, answer
from tests.engine.kit import serving, with_urls

CASES_DIR = Path(__file__).parent / "cases"
MODULES = sorted(p.stem for p in CASES_DIR.glob("*.py") if p.stem != "__init__")


def _cases() -> Iterator[tuple[str, Case]]:
    for name in MODULES:
        module = importlib.import_module(f"tests.engine.cases.{name}")
        for case in module.CASES:
            yield name, case


@pytest.fixture(scope="module")
def served() -> Iterator[dict[str, tuple[ModuleType, Supergraph, dict[str, str]]]]:
    found: dict[str, tuple[ModuleType, Supergraph, dict[str, str]]] = {}
    modules = {n: importlib.import_module(f"tests.engine.cases.{n}") for n in MODULES}
    everything = {n: m.subgraphs() for n, m in modules.items()}
    flat = [s for subgraphs in everything.values() for s in subgraphs]
    with serving(flat) as urls_by_object:
        index = 0
        for name, subgraphs in everything.items():
            urls = {}
            for subgraph in subgraphs:
                urls[subgraph.name] = urls_by_object[index]
                index += 1
            sdl = (CASES_DIR / f"{name}.graphql").read_text()
            found[name] = (modules[name], load_supergraph(with_urls(sdl, urls)), urls)
        yield found


@pytest.mark.parametrize(
    ("module", "case"), list(_cases()), ids=lambda v: v if isinstance(v, str) else v.name
)
async def test_case(
    served: dict[str, tuple[ModuleType, Supergraph, dict[str, str]]], module: str, case: Case
) -> None:
    _, supergraph, urls = served[module]
    transport = HttpTransport(urls)
    try:
        body, plan = await answer(
            supergraph, transport, case.query, case.variables, labels=case.labels
        )
    finally:
        await transport.aclose()
    if case.plan is not None:
        assert plan is not None
        assert describe_plan(plan) == case.plan.strip("\n")
    if case.fetches is not None:
        assert plan is not None and len(plan.fetches()) == case.fetches
    expected = dict(case.expected)
    if expected.get("errors") is True:
        assert body.get("errors"), body
        expected.pop("errors")
        body = {k: v for k, v in body.items() if k != "errors"}
    assert body == expected
