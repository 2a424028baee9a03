"""Ask for one household through the replicated gateway, as deploy-check does: every answer
must carry the household and its members, and both replicas must have served."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import Any

import httpx

QUERY = """query Household($id: ID!) {
  household(id: $id) { id size members { id links { agency records } health { givenName } } }
}"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--household", required=True)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    headers = {
        "Authorization": f"Bearer {args.token}",
        "X-Purpose-Of-Use": "SAFEGUARDING",
        "X-Case-Reference": "DEPLOY-CHECK-1",
    }
    upstreams: set[str] = set()
    latencies: list[float] = []
    household: dict[str, Any] | None = None
    body: dict[str, Any] = {}
    with httpx.Client(timeout=30) as client:
        for _ in range(args.requests):
            started = time.perf_counter()
            payload = {"query": QUERY, "variables": {"id": args.household}}
            response = client.post(args.url, json=payload, headers=headers)
            latencies.append((time.perf_counter() - started) * 1000)
            body = response.json()
            household = (body.get("data") or {}).get("household")
            if response.status_code != 200 or not household or not household["members"]:
                print(f"bad answer ({response.status_code}): {body}", file=sys.stderr)
                return 1
            upstreams.add(response.headers.get("x-mesh-upstream", "?"))
    if household is None:
        print("no request was sent", file=sys.stderr)
        return 1
    members = household["members"]
    print(
        f"household {household['id']}: {len(members)} members, "
        f"{sum(len(m['links']) for m in members)} agency links, "
        f"audit record {body['extensions']['governance']['auditRecord']}"
    )
    print(
        f"{args.requests} requests, median {statistics.median(latencies):.1f} ms, "
        f"max {max(latencies):.1f} ms, served by {sorted(upstreams)}"
    )
    if len(upstreams) < 2:
        print("only one replica answered", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
