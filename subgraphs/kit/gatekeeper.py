"""The subgraph's own gate: only requests the gateway signed reach the agency's data.

The schema stays public (``_service``, ``__typename`` and introspection need no context, as
composition and tools read them, with or without fragments); everything else needs a valid
``X-Mesh-Context`` (with its ``X-Mesh-Context-Nonce``) signed for this subgraph and this very
request body, never used before (the
agency's own access log records it first). An agency may also refuse whole purposes of use
(its own, stricter rule).
"""

from collections.abc import Iterable
from pathlib import Path

import orjson
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)
from starlette.requests import Request

from authz.context_token import (
    CONTEXT_HEADER,
    NONCE_HEADER,
    ContextRejected,
    ContextVerifier,
    MeshContext,
)
from authz.model import PurposeOfUse
from subgraphs.kit.access_log import record_access
from subgraphs.kit.database import Database

_PUBLIC_ROOT_FIELDS = {"_service", "__typename", "__schema", "__type"}


class Gatekeeper:
    def __init__(
        self,
        jwks_path: Path,
        required: bool,
        refused_purposes: Iterable[PurposeOfUse] = (),
        *,
        audience: str,
        database: Database | None = None,
    ) -> None:
        self.jwks_path = jwks_path
        self.required = required
        self.refused = frozenset(refused_purposes)
        self.audience = audience  # this subgraph's name: contexts are signed for one subgraph
        self.database = database  # where the access log is kept (None: not kept)
        self._verifier: ContextVerifier | None = None

    def _load(self) -> ContextVerifier:
        if self._verifier is None:
            if not self.jwks_path.exists():
                raise ContextRejected(
                    "GATEWAY_CONTEXT_INVALID",
                    f"no gateway key configured ({self.jwks_path} is missing)",
                )
            self._verifier = ContextVerifier.from_file(self.jwks_path)
        return self._verifier

    async def admit(self, request: Request) -> MeshContext | None:
        """The verified context, None for public schema requests; raises ContextRejected
        (or DatabaseUnavailable when the access log cannot be written: nothing is served)."""
        token = request.headers.get(CONTEXT_HEADER)
        body = await request.body() if request.method == "POST" else b""
        if token is None and (not self.required or _only_public_fields(request, body)):
            return None
        nonce = request.headers.get(NONCE_HEADER)
        context = self._load().verify(token, nonce, audience=self.audience, body=body)
        if context.request.purpose in self.refused:
            raise ContextRejected(
                "FORBIDDEN_BY_AGENCY",
                f"this agency does not share data for {context.request.purpose.value}",
            )
        if self.database is not None:
            await record_access(self.database, context, body)
        return context


def _only_public_fields(request: Request, body: bytes) -> bool:
    if request.method == "GET":
        query = request.query_params.get("query")
    else:
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            return True  # let GraphQL answer the malformed request itself
        query = payload.get("query") if isinstance(payload, dict) else None
    if not isinstance(query, str):
        return True
    try:
        document = parse(query)
    except GraphQLError:
        return True  # a syntax error reveals nothing; GraphQL reports it
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return bool(operations) and all(
        _public_root(operation.selection_set, fragments, set()) for operation in operations
    )


def _public_root(
    selections: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], seen: set[str]
) -> bool:
    """Every root field, through inline fragments and fragment spreads, is a public one (the
    fields under ``__schema`` and ``__type`` are the schema's own types, never data)."""
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value not in _PUBLIC_ROOT_FIELDS:
                return False
        elif isinstance(selection, InlineFragmentNode):
            if not _public_root(selection.selection_set, fragments, seen):
                return False
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in seen:
                continue  # a cycle is invalid GraphQL; validation will refuse it
            fragment = fragments.get(name)
            if fragment is None or not _public_root(
                fragment.selection_set, fragments, seen | {name}
            ):
                return False
        else:
            return False
    return True
