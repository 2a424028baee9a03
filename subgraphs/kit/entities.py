"""The federation schema every subgraph uses, with a stricter ``_entities``.

Strawberry's default fails the whole ``_entities`` call on an unknown ``__typename``; the
Federation spec's gateways expect each representation to stand alone. Here a bad entry
(unknown type, missing or malformed key) becomes an error at its own index while the others
resolve, and an oversized batch is refused up front instead of exhausting memory.
"""

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.federation.schema import FederationAny
from strawberry.types import ExecutionContext, Info
from strawberry.utils.inspect import get_func_args

from subgraphs.kit.context import SubgraphContext
from subgraphs.kit.logs import log_graphql_errors


class LoggingSchema(strawberry.federation.Schema):
    """A federation schema whose errors are logged as logs.py says: one line per client
    error, a traceback only for a real fault (Strawberry's own logs every traceback)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_graphql_errors(errors)


class MeshSubgraphSchema(LoggingSchema):
    """The federation schema with parse and validation caches: the gateway sends the same few
    operation texts over and over, and re-validating them was most of a subgraph's CPU."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "extensions",
            [lambda: ParserCache(maxsize=512), lambda: ValidationCache(maxsize=512)],
        )
        super().__init__(*args, **kwargs)

    def entities_resolver(
        self, info: Info, representations: list[FederationAny]
    ) -> list[FederationAny]:
        context: SubgraphContext = info.context
        if context.metrics is not None:
            context.metrics.observe_entities(len(representations))
        limit = context.max_representations
        if len(representations) > limit:
            raise GraphQLError(
                f"_entities received {len(representations)} representations; the limit is {limit}",
                extensions={"code": "TOO_MANY_REPRESENTATIONS", "limit": limit},
            )
        return [self._resolve_one(info, rep) for rep in representations]

    def _resolve_one(self, info: Info, representation: Any) -> Any:
        if not isinstance(representation, dict) or not isinstance(
            representation.get("__typename"), str
        ):
            return GraphQLError(
                "representation must be an object with a __typename",
                extensions={"code": "BAD_REPRESENTATION"},
            )
        type_name = representation["__typename"]
        type_ = self.schema_converter.type_map.get(type_name)
        origin = getattr(getattr(type_, "definition", None), "origin", None)
        resolve_reference = getattr(origin, "resolve_reference", None)
        if resolve_reference is None:
            return GraphQLError(
                f"unknown entity type {type_name!r} in this subgraph",
                extensions={"code": "UNKNOWN_TYPENAME"},
            )
        kwargs = {k: v for k, v in representation.items() if k != "__typename"}
        if "info" in get_func_args(resolve_reference):
            kwargs["info"] = info
        try:
            return resolve_reference(**kwargs)
        except GraphQLError as error:
            return error
        except (TypeError, ValueError) as error:
            return GraphQLError(str(error), extensions={"code": "BAD_REPRESENTATION"})
