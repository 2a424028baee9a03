"""Random operations over a scenario's API schema: our answers vs @apollo/gateway's.

    python -m tests.engine.fuzz SCENARIO [COUNT] [SEED]

Developer tool (Node and bench/peers needed). Prints every operation whose answers differ.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import random
import sys
import tempfile
from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)

from mesh.federation.execute import HttpTransport
from mesh.federation.supergraph import load_supergraph
from tests.engine.harness import answer, apollo_gateway, ask, comparable
from tests.engine.kit import free_port, serving, with_urls
from tests.engine.mock import mock_subgraphs

SCENARIOS = Path(__file__).parent / "scenarios"


class Generator:
    def __init__(self, schema: GraphQLSchema, rng: random.Random) -> None:
        self.schema = schema
        self.rng = rng

    def literal(self, type_: object) -> str:
        if isinstance(type_, GraphQLNonNull):
            return self.literal(type_.of_type)
        if isinstance(type_, GraphQLList):
            return "[" + self.literal(type_.of_type) + "]"
        if isinstance(type_, GraphQLEnumType):
            return self.rng.choice(list(type_.values))
        if isinstance(type_, GraphQLInputObjectType):
            fields = [
                f"{n}: {self.literal(f.type)}"
                for n, f in type_.fields.items()
                if isinstance(f.type, GraphQLNonNull)
            ]
            return "{" + ", ".join(fields) + "}"
        assert isinstance(type_, GraphQLScalarType)
        return {"Int": "2", "Float": "1.5", "Boolean": "true"}.get(type_.name, '"1"')

    def selection(self, type_: object, depth: int) -> str:
        named = get_named_type(type_)  # type: ignore[arg-type]
        parts: list[str] = []
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            fields = list(named.fields.items())
            for name, field in self.rng.sample(fields, min(len(fields), self.rng.randint(1, 4))):
                child = get_named_type(field.type)
                if depth <= 0 and isinstance(
                    child, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType
                ):
                    continue
                args = [
                    f"{a}: {self.literal(arg.type)}"
                    for a, arg in field.args.items()
                    if isinstance(arg.type, GraphQLNonNull) or self.rng.random() < 0.3
                ]
                text = name + (f"({', '.join(args)})" if args else "")
                if self.rng.random() < 0.15:
                    alias = self.rng.choice([n for n, _ in fields] + ["x"])
                    text = f"{alias}: {text}"
                if isinstance(child, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
                    text += " { " + self.selection(child, depth - 1) + " }"
                parts.append(text)
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            possible = list(self.schema.get_possible_types(named))
            for target in self.rng.sample(possible, min(len(possible), self.rng.randint(0, 2))):
                parts.append(f"... on {target.name} {{ {self.selection(target, depth - 1)} }}")
            if self.rng.random() < 0.5 or not parts:
                parts.append("__typename")
        if self.rng.random() < 0.1:
            parts.append("__typename")
        return " ".join(parts) or "__typename"

    def operation(self) -> str:
        query = self.schema.query_type
        assert query is not None
        return "{ " + self.selection(query, 3) + " }"


async def run(name: str, count: int, seed: int) -> None:
    module = importlib.import_module(f"tests.engine.scenarios.{name}")
    subgraphs = mock_subgraphs(module.SUBGRAPHS)
    sdl = (SCENARIOS / f"{name}.graphql").read_text()
    rng = random.Random(seed)
    differences = 0
    with serving(subgraphs) as urls, tempfile.TemporaryDirectory() as tmp:
        supergraph = load_supergraph(with_urls(sdl, urls))
        generator = Generator(supergraph.api_schema, rng)
        transport = HttpTransport(urls)
        with apollo_gateway(supergraph.sdl, free_port(15500), Path(tmp)) as apollo:
            for _ in range(count):
                query = generator.operation()
                ours, _ = await answer(supergraph, transport, query)
                theirs = await asyncio.to_thread(ask, apollo, query)
                if comparable(ours) != comparable(theirs):
                    differences += 1
                    print("DIFF", query)
                    print("  ours:  ", json.dumps(ours)[:1500])
                    print("  apollo:", json.dumps(theirs)[:1500])
        await transport.aclose()
    print(f"{name}: {differences} of {count} differ")


if __name__ == "__main__":
    args = sys.argv[1:]
    asyncio.run(
        run(args[0], int(args[1]) if len(args) > 1 else 100, int(args[2]) if len(args) > 2 else 1)
    )
