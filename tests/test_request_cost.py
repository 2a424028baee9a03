"""What a request costs the gateway before it is known to be allowed (issue 10, item 6), with
counts: a stranger's data query is refused before it is parsed; an authenticated caller's
operation that would be costly to validate is refused before any validation rule runs; the
schema stays readable without a token. (Timings under attack: bench/governance_figures.py.)"""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

import httpx
from graphql import get_introspection_query

from authz.dev_keys import ensure_dev_keys, mint_token
from mesh.gateway import Gateway
from store import ServerAddress
from store.server import connect
from tests.conftest import TEST_KEYS_DIR

HOUSEHOLD = (
    "query ($id: ID!) { household(id: $id) { id size members { id health { familyName } } } }"
)


def attack(selection: str = "id @include(if: true) ", times: int = 1000) -> str:
    """About 21 KB: one field 1,000 times, under a fresh id so no cache helps."""
    mesh_id = "mp_" + secrets.token_hex(10)
    return f'{{ person(id: "{mesh_id}") {{ ' + selection * times + "} }"


def _signed_in() -> dict[str, str]:
    token = mint_token(ensure_dev_keys(TEST_KEYS_DIR), "manchester-city-council",
                       ["safeguarding_lead"])  # fmt: skip
    return {
        "authorization": f"Bearer {token}",
        "x-purpose-of-use": "SAFEGUARDING",
        "x-case-reference": "CASE-2026-060",
        "accept": "application/graphql-response+json",
    }


async def _household(address: ServerAddress) -> str:
    index = await connect(address, "index")
    try:
        return str(
            await index.fetchval(
                "SELECT household_id FROM mesh_person WHERE household_id IS NOT NULL "
                "ORDER BY household_id LIMIT 1"
            )
        )
    finally:
        await index.close()


async def test_strangers_cost_a_401_and_costly_operations_are_refused_before_validation(
    http_app: Any, raw_gateway: Gateway, linked: ServerAddress
) -> None:
    documents = raw_gateway.pipeline.documents
    household = await _household(linked)
    transport = httpx.ASGITransport(app=http_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:

        async def stranger(n: int) -> list[int]:
            return [
                (await client.post("/graphql", json={"query": attack()})).status_code
                for _ in range(n)
            ]

        async def signed_in(n: int) -> list[str]:
            codes = []
            for _ in range(n):
                # within the token and field limits: about 20 KB, 1,800 fields
                costly = attack("health { familyName } ", 900)
                answer = await client.post("/graphql", json={"query": costly}, headers=_signed_in())
                codes.append(answer.json()["errors"][0]["extensions"]["code"])
            return codes

        parses, validations = documents.parses, documents.validations
        attacking = [asyncio.create_task(stranger(25)) for _ in range(4)]
        costly = [asyncio.create_task(signed_in(5)) for _ in range(2)]
        answer = await client.post(
            "/graphql",
            json={"query": HOUSEHOLD, "variables": {"id": household}},
            headers=_signed_in(),
        )
        strangers = [await task for task in attacking]
        signed = [await task for task in costly]
        assert [set(statuses) for statuses in strangers] == [{401}] * 4
        assert [set(codes) for codes in signed] == [{"QUERY_TOO_COMPLEX"}] * 2
        assert answer.status_code == 200 and answer.json()["data"]["household"]["members"]
        # 100 strangers' requests parsed nothing; 10 costly operations were parsed but
        # never validated; the household query was parsed and validated once (or cached).
        assert documents.parses - parses <= 10 + 1
        assert documents.validations - validations <= 1
        schema = await client.post(
            "/graphql", json={"query": get_introspection_query(descriptions=True)}
        )
        assert schema.status_code == 200 and schema.json()["data"]["__schema"]["types"]
