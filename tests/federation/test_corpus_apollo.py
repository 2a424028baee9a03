"""The corpus against the reference: Apollo's composition accepts every case, and
@apollo/gateway answers every probe as expected — except the recorded Apollo differences,
which must still differ (a difference that disappeared is a stale note and fails)."""

from __future__ import annotations

import httpx
import pytest

from tests.federation.conftest import case_params, probe_params
from tests.federation.support.apollo import ApolloCorpus, post_probe
from tests.federation.support.case import Case, Probe
from tests.federation.support.reference import Outcome, judge
from tests.federation.support.server import CorpusServer
from tests.federation.support.verdict import mismatches


@pytest.mark.parametrize("case", case_params())
def test_apollo_composes_the_case(case: Case, apollo: ApolloCorpus) -> None:
    composition = apollo.compositions[case.name]
    assert composition.ok, composition.errors


@pytest.mark.parametrize(("case", "probe"), probe_params())
async def test_apollo_gateway_answers_as_expected(
    case: Case, probe: Probe, apollo: ApolloCorpus, corpus_server: CorpusServer
) -> None:
    url = apollo.gateways.get(case.name)
    if url is None:
        reason = apollo.load_failures.get(case.name, "not composed")
        assert probe.apollo is not None, f"@apollo/gateway did not load {case.name}: {reason}"
        return
    if case.reset is not None:
        case.reset()
    mark = corpus_server.log.mark()
    async with httpx.AsyncClient() as client:
        answer = await post_probe(client, url, probe)
    problems = mismatches(probe, answer, corpus_server.log.counts_since(mark, case.name))
    outcome = judge(probe, problems)
    assert outcome in (Outcome.PASS, Outcome.KNOWN_DIFFERENCE), "\n".join(
        problems or [f"stale Apollo difference: {probe.apollo}"]
    )
