"""Random subgraph sets for cross-checking composition against @apollo/composition.

The hand-written corpus covers each feature on purpose; these sets combine features at random
(entities known by different keys, fields owned by one subgraph or shared, ``@requires``,
``@provides``, ``@override`` with and without labels, value types, enums used as input or output,
input objects, entity interfaces with ``@interfaceObject``, unions, Fed 1 subgraphs with
``extend type``, tags, access control, descriptions), most of them valid, many not.

    .venv/bin/python -m tests.federation.composition.random_sets [SEED] [COUNT]
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter

from mesh.federation.compose import SubgraphSource, compose
from tests.federation.composition.corpus import Case

_SCALARS = ["String", "Int", "Float", "Boolean", "ID"]
_IMPORTS = [
    "@key",
    "@shareable",
    "@external",
    "@requires",
    "@provides",
    "@override",
    "@inaccessible",
    "@tag",
    "@interfaceObject",
    "@requiresScopes",
]


class _Generator:
    def __init__(self, rng: random.Random, n: int) -> None:
        self.rng = rng
        self.n = n
        # Per subgraph: (is Fed 1, federation minor version).
        self.fed = [(rng.random() < 0.25, rng.choice([3, 5, 7, 8])) for _ in range(n)]
        self.lines: list[list[str]] = [[] for _ in range(n)]
        self.query: list[list[str]] = [[] for _ in range(n)]
        self.present: list[set[str]] = [set() for _ in range(n)]
        self.entities = {
            name: {
                f"{name.lower()}F{i}": rng.choice(_SCALARS) + rng.choice(["", "!"])
                for i in range(rng.randint(2, 5))
            }
            for name in ["Product", "User", "Review", "Store"][: rng.randint(2, 4)]
        }
        # Each field is owned by one subgraph, or "shared" (several may resolve it).
        self.owners = {
            (e, f): rng.choice(["shared", *range(n)]) for e, fs in self.entities.items() for f in fs
        }

    def sets(self) -> tuple[SubgraphSource, ...]:
        for i, (fed1, version) in enumerate(self.fed):
            if not fed1:
                link = json.dumps(f"https://specs.apollo.dev/federation/v2.{version}")
                imports = [d for d in _IMPORTS if version >= 5 or d != "@requiresScopes"]
                self.lines[i].append(
                    f"extend schema @link(url: {link}, import: {json.dumps(imports)})"
                )
        for entity in self.entities:
            for i in range(self.n):
                self._entity(entity, i)
        for i in range(self.n):
            self._extras(i)
        self._interfaces()
        for i in range(self.n):
            if self.query[i]:
                keyword = "extend type" if self.fed[i][0] and self.rng.random() < 0.5 else "type"
                self.lines[i].append(f"{keyword} Query {{ {' '.join(self.query[i])} }}")
        return tuple(SubgraphSource(f"s{i}", "", "\n".join(self.lines[i])) for i in range(self.n))

    def _entity(self, entity: str, i: int) -> None:
        rng, (fed1, version) = self.rng, self.fed[i]
        fields = self.entities[entity]
        own = [f for f in fields if self.owners[(entity, f)] == i]
        shared = [f for f in fields if self.owners[(entity, f)] == "shared" and rng.random() < 0.7]
        reference = rng.random() < 0.3
        if not own and not shared and not reference:
            return
        self.present[i].add(entity)
        key = rng.choice(["id", "sku", "id sku", "id"])
        extend = fed1 and rng.random() < 0.6
        body = []
        for name, typ in (("id", "ID!"), ("sku", "String!")):
            if name in key.split():
                body.append(f"{name}: {typ}" + (" @external" if extend else ""))
            elif rng.random() < 0.5:
                body.append(f"{name}: {typ}" + ("" if fed1 else " @shareable"))
        for f in own:
            body.append(self._decorated(f, fields[f], fed1, version))
        for f in shared:
            typ = fields[f].rstrip("!") if not fed1 and rng.random() < 0.1 else fields[f]
            body.append(self._decorated(f, typ, fed1, version) + ("" if fed1 else " @shareable"))
        others = [f for f in fields if self.owners[(entity, f)] not in (i, "shared")]
        if others and rng.random() < 0.3:
            f = rng.choice(others)
            body.append(f"{f}: {fields[f]} @external")
            body.append(f'calc{i}{entity}: Int @requires(fields: "{f}")')
        elif others and not fed1 and rng.random() < 0.15:
            f = rng.choice(others)
            owner = self.owners[(entity, f)]
            label = ""
            if version >= 7 and rng.random() < 0.5:
                label = f', label: "percent({rng.randint(1, 99)})"'
            body.append(f'{f}: {fields[f]} @override(from: "s{owner}"{label})')
        resolvable = ""
        if reference and not own and not shared and rng.random() < 0.5:
            resolvable = ", resolvable: false"
        second_key = f' @key(fields: "{rng.choice(["id", "sku"])}")' if rng.random() < 0.2 else ""
        keyword = "extend type" if extend else "type"
        self.lines[i].append(
            f'{keyword} {entity} @key(fields: "{key}"{resolvable}){second_key} '
            f"{{ {' '.join(body)} }}"
        )
        if rng.random() < 0.5:
            self.query[i].append(f"get{entity}{i}: {entity}")

    def _decorated(self, name: str, typ: str, fed1: bool, version: int) -> str:
        rng = self.rng
        text = f'"{rng.choice(["one", "two"])}" ' if rng.random() < 0.15 else ""
        text += name
        if rng.random() < 0.1:
            text += "(" + rng.choice(["first: Int", "first: Int = 5"]) + ")"
        text += f": {typ}"
        if not fed1 and rng.random() < 0.1:
            text += f' @tag(name: "{rng.choice(["x", "y"])}")'
        if not fed1 and version >= 5 and rng.random() < 0.08:
            text += f' @requiresScopes(scopes: [["{rng.choice(["a", "b"])}"]])'
        return text

    def _extras(self, i: int) -> None:
        rng, (fed1, _) = self.rng, self.fed[i]
        if rng.random() < 0.2:
            entity = rng.choice(list(self.entities))
            others = [
                f for f in self.entities[entity] if self.owners[(entity, f)] not in (i, "shared")
            ]
            if others and entity not in self.present[i]:
                f = rng.choice(others)
                typ = self.entities[entity][f]
                self.lines[i].append(
                    f'type {entity} @key(fields: "id") {{ id: ID! {f}: {typ} @external }}'
                )
                self.query[i].append(f'prov{entity}{i}: {entity} @provides(fields: "{f}")')
                self.present[i].add(entity)
        if rng.random() < 0.4:
            money = "amount: Int currency: String" if rng.random() < 0.8 else "amount: Int"
            self.lines[i].append(f"type Money{'' if fed1 else ' @shareable'} {{ {money} }}")
            self.query[i].append(f"money{i}: Money")
        if rng.random() < 0.4:
            values = sorted(rng.sample(["A", "B", "C"], rng.randint(2, 3)))
            self.lines[i].append(f"enum Level {{ {' '.join(values)} }}")
            if rng.random() < 0.5:
                self.query[i].append(f"level{i}(l: Level): Int")
            else:
                self.query[i].append(f"levelOut{i}: Level")
        if rng.random() < 0.3:
            extra = rng.choice(["", " c: Boolean", " c: Boolean!", " c: Boolean = true"])
            self.lines[i].append(f"input Filter {{ a: Int b: String{extra} }}")
            self.query[i].append(f"search{i}(f: Filter): Int")
        members = sorted(self.present[i])
        if members and rng.random() < 0.2:
            self.lines[i].append(f"union Result = {' | '.join(members)}")
            self.query[i].append(f"find{i}: [Result]")

    def _interfaces(self) -> None:
        rng = self.rng
        owner = rng.randrange(self.n)
        if rng.random() >= 0.3 or self.fed[owner][0]:
            return
        self.lines[owner].append('interface Media @key(fields: "id") { id: ID! title: String }')
        self.lines[owner].append(
            'type Book implements Media @key(fields: "id") { id: ID! title: String pages: Int }'
        )
        self.lines[owner].append(
            'type Song implements Media @key(fields: "id") { id: ID! title: String }'
        )
        self.query[owner].append(f"media{owner}: [Media]")
        for i in range(self.n):
            if i != owner and not self.fed[i][0] and rng.random() < 0.6:
                self.lines[i].append(
                    f'type Media @key(fields: "id") @interfaceObject {{ id: ID! score{i}: Int }}'
                )
                if rng.random() < 0.5:
                    self.query[i].append(f"topMedia{i}: [Media]")


def random_cases(seed: int, count: int) -> list[Case]:
    rng = random.Random(seed)
    return [
        Case(f"random-{seed}-{k}", "", True, frozenset(), _Generator(rng, rng.randint(2, 4)).sets())
        for k in range(count)
    ]


def main(argv: list[str]) -> int:
    from tests.federation.composition.apollo import compose_with_apollo
    from tests.federation.composition.supergraph_diff import supergraph_differences

    seed = int(argv[0]) if argv else 1
    count = int(argv[1]) if len(argv) > 1 else 200
    cases = random_cases(seed, count)
    theirs = compose_with_apollo(cases)
    outcome: Counter[str] = Counter()
    for case in cases:
        ours, apollo = compose(case.subgraphs), theirs[case.name]
        our_codes = sorted({e.code for e in ours.errors})
        their_codes = sorted({e["code"] for e in apollo["errors"]})
        outcome["accepted by Apollo"] += apollo["ok"]
        if our_codes != their_codes or ours.ok != apollo["ok"]:
            outcome["different"] += 1
            print(f"{case.name}: ours {our_codes or 'ok'} vs Apollo {their_codes or 'ok'}")
        elif ours.ok and supergraph_differences(ours.supergraph_sdl or "", apollo["supergraph"]):
            outcome["different supergraph"] += 1
            print(f"{case.name}: supergraphs differ")
        else:
            outcome["same"] += 1
    print(f"{count} random sets (seed {seed}): {dict(outcome)}")
    return 0 if outcome["same"] == count else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
