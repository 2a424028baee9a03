"""Strawberry's GraphiQL page, opened on an example query with the mesh's headers ready."""

from __future__ import annotations

import json
from functools import lru_cache

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from strawberry.http.ides import get_graphql_ide_html

EXAMPLE_QUERY = """# Civic Mesh: one household, every member, what each agency knows.
# Put a household id from `mesh demo` in the variables, and your token and purpose
# of use in the headers below.
query Household($id: ID!) {
  household(id: $id) {
    id
    size
    housing { tenure weeklyRent }
    members {
      id
      health { givenName familyName dateOfBirth longTermConditions { description } }
      education { sendStatus }
      welfare { universalCreditClaims { monthlyAward } }
    }
  }
}
"""

DEFAULT_HEADERS = {
    "Authorization": "Bearer <token printed by make demo>",
    "X-Purpose-Of-Use": "DIRECT_CARE",
    "X-Case-Reference": "CASE-0001",
}


@lru_cache(maxsize=4)
def graphiql_html(example_query: str = EXAMPLE_QUERY) -> str:
    html = get_graphql_ide_html("graphiql")
    start = html.index("const EXAMPLE_QUERY = `")
    end = html.index("`;", start) + 2
    html = html[:start] + f"const EXAMPLE_QUERY = {json.dumps(example_query)};" + html[end:]
    headers = json.dumps(json.dumps(DEFAULT_HEADERS, indent=2))
    return html.replace(
        "React.useState(parameters.headers)", f"React.useState(parameters.headers || {headers})"
    )


async def graphiql_page(_request: Request) -> Response:
    return HTMLResponse(graphiql_html())
