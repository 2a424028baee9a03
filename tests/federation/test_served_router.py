"""The corpus end to end as an external conformance suite runs a gateway: each case's supergraph
(Apollo's composition and ours) published over HTTP, ``mesh gateway serve --supergraph URL``
started on it in a bare directory (no store, no civic subgraphs: a plain router), and every
probe sent as an HTTP POST. A few cases run in ``make test``; ``MESH_SERVED_CASES=all`` (or a
comma-separated list of case names) runs more."""

from __future__ import annotations

import os

import httpx
import pytest

from tests.federation.cases import all_cases, case_named
from tests.federation.support.apollo import ApolloCorpus, post_probe
from tests.federation.support.case import Case
from tests.federation.support.runs import EngineRuns, SupergraphSource
from tests.federation.support.served import served_router
from tests.federation.support.server import CorpusServer
from tests.federation.support.verdict import mismatches

DEFAULT_CASES = ("requires-chain", "interface-object", "subgraph-failures", "subgraph-http-faults")


def _chosen() -> list[Case]:
    wanted = os.environ.get("MESH_SERVED_CASES", ",".join(DEFAULT_CASES))
    cases = all_cases()
    if wanted == "all":
        return cases
    names = {name.strip() for name in wanted.split(",") if name.strip()}
    unknown = names - {case.name for case in cases}
    assert not unknown, f"no such cases: {sorted(unknown)}"
    return [case for case in cases if case.name in names]


@pytest.mark.parametrize("source", list(SupergraphSource), ids=lambda s: s.value)
@pytest.mark.parametrize("case", _chosen(), ids=lambda c: c.name)
async def test_served_router_answers_every_probe(
    case: Case,
    source: SupergraphSource,
    corpus_server: CorpusServer,
    engine_runs: EngineRuns,
    apollo: ApolloCorpus,
) -> None:
    engine_runs.apollo = apollo
    published = corpus_server.publish(
        f"{case.name}-{source.value}", engine_runs.supergraph(case, source)
    )
    failures: list[str] = []
    with served_router(published) as router:
        async with httpx.AsyncClient() as client:
            for probe in case.probes:
                if case.reset is not None:
                    case.reset()
                mark = corpus_server.log.mark()
                answer = await post_probe(client, router.url, probe)
                counts = corpus_server.log.counts_since(mark, case.name)
                failures += [f"{probe.label}: {p}" for p in mismatches(probe, answer, counts)]
        assert "plain federation router" in router.output()
    assert not failures, "\n".join(failures)


async def test_a_planning_failure_is_a_graphql_error_with_its_path(
    corpus_server: CorpusServer, engine_runs: EngineRuns
) -> None:
    """``node { id }`` cannot be planned (``id`` is ``@external`` wherever ``node`` is
    resolved): the answer names the code and the unreachable path; no 500, no data."""
    case = case_named("unknown-entities")
    published = corpus_server.publish(
        "planning-failure", engine_runs.supergraph(case, SupergraphSource.OURS)
    )
    query = {"query": '{ node(id: "hs1") { id } }'}
    with served_router(published) as router:
        async with httpx.AsyncClient() as client:
            legacy = await client.post(router.url, json=query)
            modern = await client.post(
                router.url, json=query, headers={"accept": "application/graphql-response+json"}
            )
    assert (legacy.status_code, modern.status_code) == (200, 400)
    [error] = legacy.json()["errors"]
    assert error["extensions"]["code"] == "QUERY_PLANNING_FAILED"
    assert error["extensions"]["path"][0] == "node"
    assert legacy.json().get("data") is None
