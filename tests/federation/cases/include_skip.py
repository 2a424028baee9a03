"""``@skip`` / ``@include`` with literals and variables on fields, inline fragments, named
fragment spreads and entity branches: a skipped branch is neither planned into failure nor
fetched (its resolvers raise if they are ever called)."""

from collections.abc import Mapping
from typing import Any

from tests.federation.support import Case, Probe, Subgraph, link

LIGHTS = {"sl1": {"watts": 60}}


def _never(*_: Any) -> Any:
    raise RuntimeError("a skipped field was fetched")


def _need_watts(light: Mapping[str, Any]) -> bool:
    if "watts" not in light:
        raise ValueError("needs watts")
    return bool(light["watts"] > 50)


inventory = Subgraph(
    name="inventory",
    sdl=link("@key")
    + """
    type Query { light: Light }
    type Light @key(fields: "id") { id: ID! watts: Int! }
    """,
    resolvers={"Query": {"light": lambda *_: {"id": "sl1", "watts": 60}}},
    references={"Light": lambda ref: {"id": ref["id"], **LIGHTS[ref["id"]]}},
)

energy = Subgraph(
    name="energy",
    sdl=link("@key", "@external", "@requires")
    + """
    type Light @key(fields: "id") {
      id: ID!
      watts: Int! @external
      bright: Boolean! @requires(fields: "watts")
      neverCalled: Boolean! @requires(fields: "watts")
    }
    """,
    resolvers={"Light": {"bright": lambda light, _: _need_watts(light), "neverCalled": _never}},
    references={"Light": lambda ref: dict(ref)},
)

CASE = Case(
    name="include-skip",
    behaviour="@skip/@include: skipped branches are not fetched and do not break planning",
    subgraphs=(inventory, energy),
    probes=(
        Probe(
            label="include-false-variable",
            query="query ($on: Boolean = false) { light { watts neverCalled @include(if: $on) } }",
            data={"light": {"watts": 60}},
            requests={"inventory": 1, "energy": 0},
        ),
        Probe(
            label="skip-true-variable",
            query="query ($off: Boolean!) { light { watts neverCalled @skip(if: $off) } }",
            variables={"off": True},
            data={"light": {"watts": 60}},
            requests={"inventory": 1, "energy": 0},
        ),
        Probe(
            label="include-true-variable",
            query="query ($on: Boolean = true) { light { watts bright @include(if: $on) } }",
            data={"light": {"watts": 60, "bright": True}},
            requests={"inventory": 1, "energy": 1},
        ),
        Probe(
            label="skip-false-literal",
            query="{ light { bright @skip(if: false) } }",
            data={"light": {"bright": True}},
        ),
        Probe(
            label="literal-on-inline-fragment",
            query=(
                "{ light { id ... @include(if: false) { neverCalled } ... @skip(if: false) { "
                "bright } } }"
            ),
            data={"light": {"id": "sl1", "bright": True}},
        ),
        Probe(
            label="variable-on-fragment-spread",
            query="""query ($x: Boolean!) { light { id ...Costly @include(if: $x) } }
                     fragment Costly on Light { neverCalled }""",
            variables={"x": False},
            data={"light": {"id": "sl1"}},
            requests={"energy": 0},
        ),
        Probe(
            label="skip-whole-root-field",
            query="query ($x: Boolean!) { light @skip(if: $x) { neverCalled } }",
            variables={"x": True},
            data={},
            requests={"inventory": 0, "energy": 0},
        ),
        Probe(
            label="both-directives",
            query=(
                "query ($a: Boolean!, $b: Boolean!) { light { id bright @include(if: $a) "
                "@skip(if: $b) } }"
            ),
            variables={"a": True, "b": True},
            data={"light": {"id": "sl1"}},
            requests={"energy": 0},
        ),
    ),
)
