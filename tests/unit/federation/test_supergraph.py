"""Reading supergraph SDL: the planner's model, the API schema and what civic code asks."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import print_schema

from mesh.federation.supergraph import (
    DirectiveUse,
    SupergraphError,
    TypeKind,
    load_supergraph,
)
from tests.unit.federation.corpus import case_supergraph

HERE = Path(__file__).parent
ENGINE_CASES = HERE.parent.parent / "engine" / "cases"


def read(name: str) -> str:
    if name == "catalogue.graphql":
        return (ENGINE_CASES / name).read_text()
    return (HERE / "supergraphs" / name).read_text()


def test_keys_requires_provides_and_external_per_subgraph() -> None:
    supergraph = load_supergraph(read("catalogue.graphql"))
    assert supergraph.join_version == "v0.3"
    assert sorted(supergraph.subgraphs) == ["accounts", "inventory", "products", "reviews"]
    product = supergraph.type("Product")
    assert product.kind is TypeKind.OBJECT
    assert [k.fields.text for k in product.keys_in("products")] == ["upc", "sku"]
    assert [k.fields.text for k in product.keys_in("inventory")] == ["sku"]
    estimate = product.fields["shippingEstimate"].subgraphs["inventory"]
    assert estimate.requires is not None and estimate.requires.text == "price weight"
    assert product.fields["price"].subgraphs["inventory"].external
    assert supergraph.field_subgraphs("Product", "price") == {"products"}
    author = supergraph.type("Review").fields["author"].subgraphs["reviews"]
    assert author.provides is not None and author.provides.text == "username"


def test_interface_objects_and_fields_no_subgraph_resolves_itself() -> None:
    supergraph = case_supergraph("interface-object")  # composed by our composer
    vehicle = supergraph.type("Vehicle")
    assert vehicle.kind is TypeKind.INTERFACE
    assert vehicle.subgraphs["depot"].interface_object
    assert not vehicle.subgraphs["fleet"].interface_object
    # the implementations get the interface object's field with an empty @join__field
    assert supergraph.field_subgraphs("Bus", "mileage") == frozenset()
    assert supergraph.field_subgraphs("Vehicle", "mileage") == {"depot"}
    assert supergraph.possible_types("Vehicle") == {"Bus", "Tram"}
    assert supergraph.possible_types_in("Vehicle", "fleet") == {"Bus", "Tram"}
    assert supergraph.possible_types_in("Vehicle", "depot") == frozenset()


def test_progressive_override_answers_per_label() -> None:
    supergraph = load_supergraph(read("progressive.graphql"))
    assert supergraph.field_subgraphs("Product", "price") == {"b"}
    assert supergraph.field_subgraphs("Product", "price", frozenset({"percent(50)"})) == {"a"}
    price = supergraph.type("Product").fields["price"].subgraphs["a"]
    assert (price.override_from, price.override_label) == ("b", "percent(50)")


def test_the_api_schema_has_no_machinery_and_no_inaccessible_parts() -> None:
    supergraph = load_supergraph(read("progressive.graphql"))
    printed = print_schema(supergraph.api_schema)
    assert "join__" not in printed and "link__" not in printed and "@link" not in printed
    assert "secret" not in printed  # @inaccessible root field
    assert "email" not in printed  # @inaccessible object field
    assert "directive @sensitive(category: String!) on FIELD_DEFINITION" in printed
    assert supergraph.field("Query", "secret") is not None  # still planned between subgraphs
    assert supergraph.field("Query", "secret").inaccessible  # type: ignore[union-attr]


def test_civic_code_reads_subgraphs_and_composed_directives_per_field() -> None:
    supergraph = load_supergraph(read("civic.graphql"))
    assert supergraph.field_subgraphs("Person", "health") == {"health"}
    assert supergraph.field_subgraphs("Household", "housing") == {"housing"}
    assert supergraph.field_directives("HealthRecord", "nhsNumber") == (
        DirectiveUse("sensitive", {"category": "identity"}),
    )
    assert supergraph.field("Person", "health").directive_args("sensitive") == [  # type: ignore[union-attr]
        {"category": "health"}
    ]
    assert supergraph.field_directives("Nope", "nothing") == ()


def test_a_fed1_core_supergraph_with_owners_and_unmarked_value_types() -> None:
    supergraph = load_supergraph(read("fed1_core.graphql"))
    assert supergraph.join_version == "v0.1"
    user = supergraph.type("User")
    # key fields without @join__field: the owner and every subgraph whose key names them
    assert supergraph.field_subgraphs("User", "id") == {"accounts", "reviews"}
    assert supergraph.field_subgraphs("User", "name") == {"accounts"}
    assert [k.fields.text for k in user.keys_in("reviews")] == ["id"]
    assert supergraph.type("Rating").subgraphs.keys() == {"accounts", "reviews"}
    assert supergraph.subgraphs["reviews"].url == "http://reviews:4002/graphql"


def _renamed(sdl: str) -> str:
    """The catalogue supergraph with the join spec linked under another name and
    @inaccessible imported as @hidden."""
    return sdl.replace(
        '@link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)',
        '@link(url: "https://specs.apollo.dev/join/v0.3", as: "j", for: EXECUTION)',
    ).replace("join__", "j__")


def test_link_as_renames_the_join_directives() -> None:
    supergraph = load_supergraph(_renamed(read("catalogue.graphql")))
    assert supergraph.field_subgraphs("Product", "inStock") == {"inventory"}
    assert [k.fields.text for k in supergraph.type("Product").keys_in("inventory")] == ["sku"]


def test_link_import_renames_a_directive() -> None:
    sdl = (
        read("progressive.graphql")
        .replace(
            '@link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)',
            '@link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY, '
            'import: [{name: "@inaccessible", as: "@hidden"}])',
        )
        .replace("@inaccessible", "@hidden")
        .replace('name: "@hidden", as', 'name: "@inaccessible", as')
    )
    supergraph = load_supergraph(sdl)
    assert supergraph.field("Query", "secret").inaccessible  # type: ignore[union-attr]
    assert "secret" not in print_schema(supergraph.api_schema)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("join/v0.4", "join/v0.9"), "join/v0.9 is not supported"),
        (
            (
                'link/v1.0")',
                'link/v1.0")\n  @link(url: "https://example.com/audit/v1.0", for: EXECUTION)',
            ),
            "linked for EXECUTION and this gateway does not implement it",
        ),
        (
            (
                'link/v1.0")',
                'link/v1.0")\n  @link(url: "https://specs.apollo.dev/context/v0.1", for: SECURITY)',
            ),
            "linked for SECURITY",
        ),
        (("enum join__Graph {", "enum join__Graphs {"), "join__Graph"),
        (("type Query", "type Query {"), "does not parse"),
        (('@join__graph(name: "a", url: "")', ""), "needs exactly one @join__graph"),
    ],
)
def test_malformed_or_unsupported_supergraphs_are_refused_with_the_reason(
    change: tuple[str, str], message: str
) -> None:
    sdl = read("progressive.graphql")
    assert change[0] in sdl
    with pytest.raises(SupergraphError, match=message):
        load_supergraph(sdl.replace(change[0], change[1], 1))


def test_a_schema_that_is_not_a_supergraph_is_refused() -> None:
    with pytest.raises(SupergraphError, match="links no features"):
        load_supergraph("type Query { a: Int }")
    with pytest.raises(SupergraphError, match="does not link the join spec"):
        load_supergraph(
            'schema @link(url: "https://specs.apollo.dev/link/v1.0") { query: Query }\n'
            "directive @link(url: String!) repeatable on SCHEMA\ntype Query { a: Int }"
        )


def test_a_hundred_percent_override_always_applies() -> None:
    supergraph = load_supergraph(read("progressive.graphql").replace("percent(50)", "percent(100)"))
    assert supergraph.field_subgraphs("Product", "price") == {"a"}


def test_each_subgraph_has_its_own_view() -> None:
    supergraph = load_supergraph(read("catalogue.graphql"))
    inventory = supergraph.subgraph_view("inventory")
    assert set(inventory.types) >= {"Product", "Query"}
    assert "User" not in inventory.types
    assert set(inventory.fields["Product"]) == {
        "sku",
        "price",
        "weight",
        "inStock",
        "shippingEstimate",
    }
    assert inventory.resolves("Product", "inStock")
    assert not inventory.resolves("Product", "price")  # @external there
    with pytest.raises(KeyError):
        supergraph.subgraph_view("nope")


def test_a_field_named_by_requires_is_external_in_that_subgraph() -> None:
    """Some composers print a required field without ``@join__field(external: true)``
    (no ``@join__field`` at all: every subgraph of the type). A ``@requires`` may only name
    ``@external`` fields, so the requiring subgraph cannot resolve it."""
    supergraph = load_supergraph(read("implicit_external.graphql"))
    assert supergraph.field_subgraphs("Item", "weight") == {"stock"}
    assert supergraph.type("Item").fields["weight"].subgraphs["pricing"].external
    assert supergraph.field_subgraphs("Asset", "serial") == {"stock"}
    assert supergraph.type("Asset").fields["serial"].subgraphs["maint"].external
