"""``@requires`` whose inputs could not be fetched: when an earlier hop finds no entity (its key
is unknown there), the fields the requirement needs were never fetched. The representation
must then not be sent with guessed nulls: the requiring field is null, as the entity's other
fields are, and the subgraph is never asked to compute from inputs it did not get."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

PATIENTS = {
    "p1": {"nhs": "N1", "email": "a@example.org", "age": 70},
    "p2": {"nhs": "N2", "email": "b@example.org", "age": 30},
}


def _by_key(ref: Mapping[str, Any]) -> dict[str, Any] | None:
    for pid, patient in PATIENTS.items():
        if patient["nhs"] == ref.get("nhs") or pid == ref.get("pid"):
            return {"nhs": patient["nhs"], "pid": pid}
    return None


def _letter(patient: Mapping[str, Any], _: Any) -> str:
    if patient.get("email") is None or patient.get("score") is None:
        raise ValueError("letter asked without its inputs")
    return f"{patient['email']}:{patient['score']}"


practice = Subgraph(
    name="practice",
    sdl=link("@key")
    + """
    type Query { patients: [Patient!]! }
    type Patient @key(fields: "nhs") { nhs: ID! }
    """,
    resolvers={"Query": {"patients": lambda *_: [{"nhs": "N1"}, {"nhs": "N2"}, {"nhs": "N9"}]}},
)

identity = Subgraph(
    name="identity",
    sdl=link("@key")
    + """
    type Patient @key(fields: "nhs") @key(fields: "pid") { nhs: ID! pid: ID! }
    """,
    references={"Patient": _by_key},
)

contact = Subgraph(
    name="contact",
    sdl=link("@key")
    + """
    type Patient @key(fields: "pid") { pid: ID! email: String age: Int }
    """,
    references={
        "Patient": lambda ref: {
            "pid": ref["pid"],
            "email": PATIENTS[ref["pid"]]["email"],
            "age": PATIENTS[ref["pid"]]["age"],
        }
    },
)

risk = Subgraph(
    name="risk",
    sdl=link("@key", "@external", "@requires")
    + """
    type Patient @key(fields: "pid") {
      pid: ID!
      age: Int @external
      score: Int @requires(fields: "age")
    }
    """,
    resolvers={"Patient": {"score": lambda p, _: p["age"] // 10}},
    references={"Patient": lambda ref: dict(ref)},
)

letters = Subgraph(
    name="letters",
    sdl=link("@key", "@external", "@requires")
    + """
    type Patient @key(fields: "nhs") {
      nhs: ID!
      score: Int @external
      email: String @external
      letter: String @requires(fields: "score email")
    }
    """,
    resolvers={"Patient": {"letter": _letter}},
    references={"Patient": lambda ref: dict(ref)},
)

CASE = Case(
    name="requires-inputs-unavailable",
    behaviour="@requires over key jumps: an entity the middle hop does not know gets null, "
    "not a representation built from inputs never fetched",
    subgraphs=(practice, identity, contact, risk, letters),
    probes=(
        Probe(
            label="two-key-hops",
            query="{ patients { nhs email } }",
            data={
                "patients": [
                    {"nhs": "N1", "email": "a@example.org"},
                    {"nhs": "N2", "email": "b@example.org"},
                    {"nhs": "N9", "email": None},
                ]
            },
        ),
        Probe(
            label="requires-chain-over-hops",
            query="{ patients { letter } }",
            data={
                "patients": [
                    {"letter": "a@example.org:7"},
                    {"letter": "b@example.org:3"},
                    {"letter": None},
                ]
            },
            requests={"letters": 1},
        ),
        Probe(
            label="requires-and-its-inputs-selected",
            query="{ patients { score letter age } }",
            data={
                "patients": [
                    {"score": 7, "letter": "a@example.org:7", "age": 70},
                    {"score": 3, "letter": "b@example.org:3", "age": 30},
                    {"score": None, "letter": None, "age": None},
                ]
            },
        ),
    ),
)
