"""Federation field sets (``"id organisation { id }"``) read as GraphQL selection sets."""

from __future__ import annotations

from graphql import GraphQLSyntaxError, OperationDefinitionNode, parse

from mesh.federation.supergraph.errors import SupergraphError
from mesh.federation.supergraph.model import FieldSet


def parse_field_set(text: str, *, element: str) -> FieldSet:
    try:
        document = parse("{" + text + "}", no_location=True)
    except GraphQLSyntaxError as exc:
        raise SupergraphError(
            f"cannot read the field set {text!r}: {exc.message}", element=element
        ) from None
    operation = document.definitions[0]
    if not isinstance(operation, OperationDefinitionNode) or len(document.definitions) != 1:
        raise SupergraphError(f"cannot read the field set {text!r}", element=element)
    return FieldSet(text=text, selection=operation.selection_set)
