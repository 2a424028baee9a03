"""The corpus against our engine (``mesh.federation``): every probe, from Apollo's supergraph
and from our own composition. A failure here is a finding about the engine; probes Apollo
gets wrong are held to the spec's answer all the same."""

from __future__ import annotations

import pytest

from tests.federation.conftest import case_params, probe_params
from tests.federation.support.apollo import ApolloCorpus
from tests.federation.support.case import Case, Probe
from tests.federation.support.engine import compose_with_engine
from tests.federation.support.runs import EngineRuns, SupergraphSource
from tests.federation.support.server import CorpusServer


@pytest.mark.parametrize("case", case_params())
def test_our_composer_accepts_the_case(case: Case, corpus_server: CorpusServer) -> None:
    composed = compose_with_engine(corpus_server.sdl(case.name), corpus_server.urls(case.name))
    assert composed.supergraph is not None, "\n".join(composed.errors)


@pytest.mark.parametrize(("case", "probe"), probe_params())
async def test_engine_on_apollo_supergraph(
    case: Case, probe: Probe, engine_runs: EngineRuns, apollo: ApolloCorpus
) -> None:
    engine_runs.apollo = apollo
    problems = await engine_runs.run(case, probe, SupergraphSource.APOLLO)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("case", "probe"), probe_params())
async def test_engine_on_own_supergraph(case: Case, probe: Probe, engine_runs: EngineRuns) -> None:
    problems = await engine_runs.run(case, probe, SupergraphSource.OURS)
    assert not problems, "\n".join(problems)
