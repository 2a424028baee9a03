"""The corpus on supergraphs printed by another composer, @theguild/federation-composition
(the Hive CLI's): ``mesh gateway serve --supergraph`` must give the same answers whoever
composed. Its supergraphs differ in form from Apollo's (fields with no ``@join__field``
where Apollo writes ``external: true``), and in two places in meaning, recorded below."""

from __future__ import annotations

import pytest

from tests.federation.conftest import probe_params
from tests.federation.support.case import Case, Probe
from tests.federation.support.runs import CompositionRefused, EngineRuns, SupergraphSource
from tests.required_tools import require_node

GUILD_REFUSES = {
    "requires-with-fragments": "its satisfiability check cannot satisfy a @requires whose "
    "selection has type conditions on an interface's implementations",
}
GUILD_NARROWS = {
    ("covariant-fields", "union-in-one-member-in-other"): "it types a field that is a union "
    "in one subgraph and a member of it in another as the member, so a fragment on the "
    "other member is invalid in its API schema",
}


@pytest.mark.parametrize(("case", "probe"), probe_params())
async def test_engine_on_guild_supergraph(
    case: Case, probe: Probe, engine_runs: EngineRuns
) -> None:
    require_node()
    if case.name in GUILD_REFUSES:
        with pytest.raises(CompositionRefused):
            engine_runs.gateway(case, SupergraphSource.GUILD)
        return
    if (case.name, probe.label) in GUILD_NARROWS:
        answer = await engine_runs.gateway(case, SupergraphSource.GUILD).answer(probe)
        codes = [e.get("extensions", {}).get("code") for e in answer.get("errors", [])]
        assert codes == ["GRAPHQL_VALIDATION_FAILED"], answer
        return
    problems = await engine_runs.run(case, probe, SupergraphSource.GUILD)
    assert not problems, "\n".join(problems)
