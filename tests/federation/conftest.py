"""Session fixtures for the federation corpus: every case's subgraphs served once, Apollo's
gateway over them (when Node is installed), our engine over them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.federation.cases import all_cases
from tests.federation.support.apollo import ApolloCorpus, apollo_gateways
from tests.federation.support.case import Case
from tests.federation.support.runs import EngineRuns
from tests.federation.support.server import CorpusServer, serve_cases
from tests.required_tools import require_node

CASES = all_cases()


def probe_params() -> list[object]:
    """One test per probe, its id ``case/probe``."""
    return [
        pytest.param(case, probe, id=f"{case.name}/{probe.label}")
        for case in CASES
        for probe in case.probes
    ]


def case_params() -> list[object]:
    return [pytest.param(case, id=case.name) for case in CASES]


@pytest.fixture(scope="session")
def corpus() -> list[Case]:
    return CASES


@pytest.fixture(scope="session")
def corpus_server(corpus: list[Case]) -> Iterator[CorpusServer]:
    with serve_cases(corpus) as server:
        yield server


@pytest.fixture(scope="session")
def apollo(corpus_server: CorpusServer, corpus: list[Case]) -> Iterator[ApolloCorpus]:
    require_node()
    with apollo_gateways(corpus_server, corpus) as served:
        yield served


@pytest.fixture(scope="session")
async def engine_runs(corpus_server: CorpusServer) -> AsyncIterator[EngineRuns]:
    runs = EngineRuns(corpus_server)
    try:
        yield runs
    finally:
        await runs.aclose()
