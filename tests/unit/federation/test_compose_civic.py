"""The civic subgraphs compose with the engine's composer, and every ``@sensitive`` category
reaches the supergraph: the gateway's governance reads them from there."""

from __future__ import annotations

import functools
import re

from graphql import (
    FieldDefinitionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    StringValueNode,
    parse,
)

from mesh.federation.compose import CompositionResult, SubgraphSource, compose


@functools.cache
def civic_sources() -> tuple[SubgraphSource, ...]:
    from mesh.schema_contract import subgraph_sources

    return tuple(
        SubgraphSource(s.name, f"http://{s.name}/graphql", s.sdl) for s in subgraph_sources()
    )


@functools.cache
def civic_composition() -> CompositionResult:
    return compose(civic_sources())


def sensitive_fields(sdl: str) -> dict[str, str]:
    """``Type.field`` -> category, for every ``@sensitive(category:)`` application in ``sdl``."""
    found: dict[str, str] = {}
    for node in parse(sdl).definitions:
        if not isinstance(node, (ObjectTypeDefinitionNode, ObjectTypeExtensionNode)):
            continue
        for f in node.fields or ():
            assert isinstance(f, FieldDefinitionNode)
            for d in f.directives or ():
                if d.name.value == "sensitive":
                    [arg] = d.arguments or ()
                    assert isinstance(arg.value, StringValueNode)
                    found[f"{node.name.value}.{f.name.value}"] = arg.value.value
    return found


def test_the_civic_subgraphs_compose() -> None:
    result = civic_composition()

    assert result.ok, "\n".join(str(e) for e in result.errors)
    assert len(civic_sources()) >= 9


def test_every_sensitive_field_keeps_its_category_in_the_supergraph() -> None:
    supergraph = civic_composition().supergraph_sdl or ""
    in_supergraph = sensitive_fields(supergraph)
    expected: dict[str, str] = {}
    for source in civic_sources():
        expected.update(sensitive_fields(source.sdl))

    assert len(expected) > 100
    assert in_supergraph == expected
    assert "directive @sensitive(category: String!) on FIELD_DEFINITION" in supergraph
    linked = re.search(r'/sensitive/v1\.0", import: \[([^\]]*)\]\)', supergraph)
    assert linked is not None
    assert set(re.findall(r'"(@\w+)"', linked.group(1))) == {"@public", "@sensitive"}


def test_inaccessible_search_fields_stay_in_the_supergraph_but_hidden() -> None:
    supergraph = civic_composition().supergraph_sdl or ""

    assert "healthPeopleSearch" in supergraph
    line = next(line for line in supergraph.splitlines() if "healthPeopleSearch" in line)
    assert "@inaccessible" in line
