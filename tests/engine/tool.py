"""Developer tool for the engine's fixtures (needs Node, `npm ci` in interop/ and bench/peers/).

python -m tests.engine.tool compose [CASE...]   # write cases/<case>.graphql with Apollo's composer
python -m tests.engine.tool diff [CASE...]      # our answers vs @apollo/gateway's, per query
python -m tests.engine.tool scenario [NAME...]  # SDL-only scenarios on mock subgraphs:
                                                # compose, diff, record Apollo's answers
"""

from __future__ import annotations

import asyncio
import importlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from mesh.federation.execute import HttpTransport
from mesh.federation.plan import describe_plan
from mesh.federation.supergraph import load_supergraph
from tests.engine.harness import ROOT, answer, apollo_gateway, ask, comparable
from tests.engine.kit import free_port, serving, with_urls
from tests.engine.mock import mock_subgraphs

CASES = Path(__file__).parent / "cases"


def case_modules(names: list[str]) -> list[tuple[str, ModuleType]]:
    found = names or sorted(p.stem for p in CASES.glob("*.py") if p.stem != "__init__")
    return [(n, importlib.import_module(f"tests.engine.cases.{n}")) for n in found]


def compose(name: str, module: ModuleType) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for subgraph in module.subgraphs():
            path = Path(tmp) / f"{subgraph.name}.graphql"
            path.write_text(subgraph.sdl)
            files.append(str(path))
        out = CASES / f"{name}.graphql"
        result = subprocess.run(
            ["node", str(ROOT / "interop" / "compose.mjs"), "--supergraph", str(out), *files],
            capture_output=True,
            text=True,
        )
        report = json.loads(result.stdout)
        print(name, "composed" if report["ok"] else json.dumps(report["errors"], indent=1))


async def diff(name: str, module: ModuleType) -> None:
    subgraphs = module.subgraphs()
    sdl = (CASES / f"{name}.graphql").read_text()
    with serving(subgraphs) as urls, tempfile.TemporaryDirectory() as tmp:
        supergraph = load_supergraph(with_urls(sdl, urls))
        transport = HttpTransport(urls)
        with apollo_gateway(supergraph.sdl, free_port(15500), Path(tmp)) as apollo:
            for case in module.CASES:
                ours, plan = await answer(
                    supergraph, transport, case.query, case.variables, labels=case.labels
                )
                theirs = await asyncio.to_thread(ask, apollo, case.query, case.variables)
                same = comparable(ours) == comparable(theirs)
                expected = comparable(case.expected) if case.expected is not None else None
                mark = "same" if same else "DIFF"
                verdict = "ok" if expected == comparable(ours) else "MISMATCH"
                print(f"[{mark}] {name}/{case.name} (expected {verdict})")
                if not same or expected != comparable(ours):
                    print("  ours:  ", json.dumps(ours)[:2000])
                    print("  apollo:", json.dumps(theirs)[:2000])
                    if plan is not None and "-v" in sys.argv:
                        print(describe_plan(plan))
        await transport.aclose()


SCENARIOS = Path(__file__).parent / "scenarios"


async def scenario(name: str) -> None:
    module = importlib.import_module(f"tests.engine.scenarios.{name}")
    subgraphs = mock_subgraphs(module.SUBGRAPHS)
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for subgraph in subgraphs:
            path = Path(tmp) / f"{subgraph.name}.graphql"
            path.write_text(subgraph.sdl)
            files.append(str(path))
        out = SCENARIOS / f"{name}.graphql"
        result = subprocess.run(
            ["node", str(ROOT / "interop" / "compose.mjs"), "--supergraph", str(out), *files],
            capture_output=True,
            text=True,
        )
        report = json.loads(result.stdout)
        if not report["ok"]:
            print(name, json.dumps(report["errors"], indent=1))
            return
    recorded_path = SCENARIOS / f"{name}.json"
    recorded = json.loads(recorded_path.read_text()) if recorded_path.exists() else {}
    sdl = out.read_text()
    with serving(subgraphs) as urls, tempfile.TemporaryDirectory() as tmp:
        supergraph = load_supergraph(with_urls(sdl, urls))
        transport = HttpTransport(urls)
        with apollo_gateway(supergraph.sdl, free_port(15500), Path(tmp)) as apollo:
            wrong: dict[int, str] = getattr(module, "APOLLO_WRONG", {})
            for index, entry in enumerate(module.QUERIES):
                query, variables = (entry, {}) if isinstance(entry, str) else entry
                ours, plan = await answer(supergraph, transport, query, variables)
                theirs = await asyncio.to_thread(ask, apollo, query, variables)
                same = comparable(ours) == comparable(theirs)
                print(f"[{'same' if same else 'DIFF'}] {name}: {query[:100]}")
                key = json.dumps([query, variables])
                if same:
                    recorded[key] = {
                        "expected": comparable(theirs),
                        "checked": "same as @apollo/gateway",
                    }
                elif index in wrong:
                    recorded[key] = {
                        "expected": comparable(ours),
                        "checked": f"@apollo/gateway is wrong: {wrong[index]}",
                    }
                    print("  recorded ours:", wrong[index])
                else:
                    print("  ours:  ", json.dumps(ours)[:3000])
                    print("  apollo:", json.dumps(theirs)[:3000])
                    if plan is not None and "-v" in sys.argv:
                        print(describe_plan(plan))
        await transport.aclose()
    recorded_path.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")


def main() -> None:
    command, *names = [a for a in sys.argv[1:] if not a.startswith("-")]
    if command == "scenario":
        found = names or sorted(p.stem for p in SCENARIOS.glob("*.py") if p.stem != "__init__")
        for name in found:
            asyncio.run(scenario(name))
        return
    for name, module in case_modules(names):
        if command == "compose":
            compose(name, module)
        else:
            asyncio.run(diff(name, module))


if __name__ == "__main__":
    main()
