"""Nested ``@provides`` through lists of entities, recursively: a root field provides
``topics { id title subtopics { id title } }``, every part of it ``@external`` in the
providing subgraph and ``@shareable`` elsewhere. The providing subgraph answers it all in one
request; the other subgraphs are never asked (their resolvers refuse, to show it)."""

from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

TOPICS: dict[str, dict[str, Any]] = {
    "t1": {"title": "Bins", "subtopics": ["t2"]},
    "t2": {"title": "Recycling", "subtopics": ["t3"]},
    "t3": {"title": "Garden waste", "subtopics": ["t1"]},
}
SERVICES = {"sv1": ["t1", "t2"], "sv2": ["t3", "t2"]}


def _topic(topic_id: str, depth: int) -> dict[str, Any]:
    topic = {"id": topic_id, "title": TOPICS[topic_id]["title"]}
    if depth:
        topic["subtopics"] = [_topic(t, depth - 1) for t in TOPICS[topic_id]["subtopics"]]
    return topic


def _refuse(_: object) -> None:
    raise ValueError("the directory provides this: this subgraph must not be asked")


directory = Subgraph(
    name="directory",
    sdl=link("@key", "@shareable", "@external", "@provides")
    + """
    type Query {
      services: [Service]
        @shareable
        @provides(fields: "topics { id title subtopics { id title } }")
    }
    type Service @key(fields: "id") { id: ID! topics: [Topic] @external }
    type Topic @key(fields: "id") { id: ID! title: String subtopics: [Topic] @external }
    """,
    resolvers={
        "Query": {
            "services": lambda *_: [
                {"id": s, "topics": [_topic(t, 1) for t in topics]}
                for s, topics in SERVICES.items()
            ]
        }
    },
    references={"Service": _refuse, "Topic": _refuse},
)

taxonomy = Subgraph(
    name="taxonomy",
    sdl=link("@key", "@shareable")
    + """
    type Service @key(fields: "id") { id: ID! topics: [Topic] @shareable }
    type Topic @key(fields: "id") { id: ID! subtopics: [Topic] @shareable }
    """,
    references={"Service": _refuse, "Topic": _refuse},
)

register = Subgraph(
    name="register",
    sdl=link("@key")
    + """
    type Service @key(fields: "id") { id: ID! }
    """,
    references={"Service": _refuse},
)

CASE = Case(
    name="provides-nested-lists",
    behaviour="nested @provides through lists of entities: one subgraph answers it all",
    subgraphs=(register, directory, taxonomy),
    probes=(
        Probe(
            label="one-level",
            query="{ services { id topics { id title } } }",
            data={
                "services": [
                    {"id": "sv1", "topics": [_topic("t1", 0), _topic("t2", 0)]},
                    {"id": "sv2", "topics": [_topic("t3", 0), _topic("t2", 0)]},
                ]
            },
            requests={"directory": 1, "taxonomy": 0, "register": 0},
        ),
        Probe(
            label="two-levels",
            query="{ services { id topics { id title subtopics { id title } } } }",
            data={
                "services": [
                    {"id": "sv1", "topics": [_topic("t1", 1), _topic("t2", 1)]},
                    {"id": "sv2", "topics": [_topic("t3", 1), _topic("t2", 1)]},
                ]
            },
            requests={"directory": 1, "taxonomy": 0, "register": 0},
        ),
    ),
)
