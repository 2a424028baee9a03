"""Running the corpus on @apollo/gateway: the check that each case's expectations are what a
reference gateway answers, except where the case records a known Apollo difference."""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from tests.federation.support.apollo import ApolloCorpus, apollo_gateways, post_probe
from tests.federation.support.case import Case, Probe
from tests.federation.support.server import CorpusServer, serve_cases
from tests.federation.support.verdict import mismatches


class Outcome(enum.Enum):
    PASS = "pass"
    KNOWN_DIFFERENCE = "known Apollo difference"
    FAIL = "fail"
    STALE_DIFFERENCE = "recorded Apollo difference no longer happens"
    NOT_COMPOSED = "Apollo did not compose the case"


@dataclass(frozen=True)
class ProbeResult:
    case: str
    probe: str
    outcome: Outcome
    problems: tuple[str, ...]


def judge(probe: Probe, problems: list[str]) -> Outcome:
    if not problems:
        return Outcome.STALE_DIFFERENCE if probe.apollo is not None else Outcome.PASS
    return Outcome.KNOWN_DIFFERENCE if probe.apollo is not None else Outcome.FAIL


async def run_on_apollo(
    server: CorpusServer, corpus: ApolloCorpus, cases: Sequence[Case]
) -> list[ProbeResult]:
    results: list[ProbeResult] = []
    async with httpx.AsyncClient() as client:
        for case in cases:
            url = corpus.gateways.get(case.name)
            for probe in case.probes:
                if url is None:
                    results.append(_unserved(case, probe, corpus))
                    continue
                if case.reset is not None:
                    case.reset()
                mark = server.log.mark()
                answer = await post_probe(client, url, probe)
                problems = mismatches(probe, answer, server.log.counts_since(mark, case.name))
                results.append(
                    ProbeResult(case.name, probe.label, judge(probe, problems), tuple(problems))
                )
    return results


def _unserved(case: Case, probe: Probe, corpus: ApolloCorpus) -> ProbeResult:
    """Apollo did not compose the case (always a corpus bug), or composed it but its gateway
    refused to load the supergraph (a known difference when the probe records it)."""
    composition = corpus.compositions[case.name]
    if not composition.ok:
        reason = str(composition.errors)
        return ProbeResult(case.name, probe.label, Outcome.NOT_COMPOSED, (reason,))
    reason = f"@apollo/gateway did not load the supergraph: {corpus.load_failures[case.name]}"
    return ProbeResult(case.name, probe.label, judge(probe, [reason]), (reason,))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tests.federation.support.reference [CASE...]``: the table, then failures."""
    import sys

    from tests.federation.cases import all_cases

    names = list(sys.argv[1:] if argv is None else argv)
    cases = [c for c in all_cases() if not names or c.name in names]
    with serve_cases(cases) as server, apollo_gateways(server, cases) as corpus:
        results = asyncio.run(run_on_apollo(server, corpus, cases))
    for case in cases:
        mine = [r for r in results if r.case == case.name]
        passed = sum(r.outcome is Outcome.PASS for r in mine)
        known = sum(r.outcome is Outcome.KNOWN_DIFFERENCE for r in mine)
        print(f"{case.name:40} {len(mine):3} probes  {passed:3} pass  {known:2} known-diff")
    bad = [r for r in results if r.outcome not in (Outcome.PASS, Outcome.KNOWN_DIFFERENCE)]
    for result in bad:
        print(f"\n{result.case} / {result.probe}: {result.outcome.value}")
        for problem in result.problems:
            print(f"  {problem[:1500]}")
    total = len(results)
    passed = sum(r.outcome is Outcome.PASS for r in results)
    print(f"\n{passed}/{total} pass on @apollo/gateway; {len(bad)} unexpected")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
