"""Custom scalars: values pass through the gateway unchanged (objects and numbers included),
as literals and as variables, in keys and in ``@requires``; a subgraph's own validation of a
bad value is reported with the field's path."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from tests.federation.support import ANY_ERROR, Case, Probe, ScalarCodec, Subgraph, link


def _parse_date(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("Date must be a string")
    return date.fromisoformat(value).isoformat()


DATE = ScalarCodec(parse=_parse_date, serialize=str)
EVENTS = {"2026-01-05": "Bin day", "2026-03-01": "Council meeting"}

calendar = Subgraph(
    name="calendar",
    sdl=link("@key")
    + """
    scalar Date
    scalar JSON
    type Query { on(day: Date!): Day! meta: JSON! }
    type Day @key(fields: "date") { date: Date! event: String }
    """,
    scalars={"Date": DATE},
    resolvers={
        "Query": {
            "on": lambda _, a: {"date": a["day"], "event": EVENTS.get(a["day"])},
            "meta": lambda *_: {"source": "ics", "version": 2, "tags": ["council", None]},
        }
    },
)


def _countdown(day: Mapping[str, Any]) -> int:
    if "date" not in day:
        raise ValueError("needs date")
    return (date.fromisoformat(day["date"]) - date(2026, 1, 1)).days


reminders = Subgraph(
    name="reminders",
    sdl=link("@key")
    + """
    scalar Date
    type Day @key(fields: "date") { date: Date! daysFromNewYear: Int! }
    """,
    scalars={"Date": DATE},
    resolvers={"Day": {"daysFromNewYear": lambda d, _: _countdown(d)}},
    references={"Day": lambda ref: {"date": ref["date"]}},
)

CASE = Case(
    name="custom-scalars",
    behaviour="custom scalars pass through as literals, variables, keys and JSON objects",
    subgraphs=(calendar, reminders),
    probes=(
        Probe(
            label="literal-and-entity-key",
            query='{ on(day: "2026-01-05") { date event daysFromNewYear } }',
            data={"on": {"date": "2026-01-05", "event": "Bin day", "daysFromNewYear": 4}},
        ),
        Probe(
            label="variable",
            query="query ($d: Date!) { on(day: $d) { event daysFromNewYear } }",
            variables={"d": "2026-03-01"},
            data={"on": {"event": "Council meeting", "daysFromNewYear": 59}},
        ),
        Probe(
            label="json-object-value",
            query="{ meta }",
            data={"meta": {"source": "ics", "version": 2, "tags": ["council", None]}},
        ),
        Probe(
            label="invalid-value-rejected-by-the-subgraph",
            query="query ($d: Date!) { on(day: $d) { event } }",
            variables={"d": "not-a-date"},
            data=None,
            errors=ANY_ERROR,
        ),
    ),
)
