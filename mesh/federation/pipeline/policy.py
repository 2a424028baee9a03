"""The one hook through which a deployment governs requests (identity, decisions, audit).

The engine knows nothing of what a policy enforces. Ungoverned is :class:`OpenPolicy`, a null
policy, not a second path through the pipeline. Stages call the policy in order:
``authenticate`` (before parsing: a bad credential costs a 401, nothing more), ``token_budget``
and ``admit`` (before validation: refuse early what this caller may never run), then
``authorize`` (the decision that rewrites the operation), and the returned
:class:`Authorization` shapes and finishes the answer (e.g. the audit record).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from graphql import DocumentNode

from mesh.federation.execute.shape import FieldReader
from mesh.federation.pipeline.operation import PreparedOperation


class Authorization(Protocol):
    """What a policy decided for one request."""

    @property
    def document(self) -> DocumentNode:
        """The operation to plan and execute (e.g. denied fields removed)."""
        ...

    @property
    def plan_key(self) -> Hashable:
        """Separates plans of the same query text under different decisions."""
        ...

    async def fetch_headers(self, subgraph: str, body: bytes) -> Mapping[str, str]:
        """Headers for one subgraph request of this operation, given its exact body (the
        requests of one plan level ask in the same turn of the event loop)."""
        ...

    @property
    def field_reader(self) -> FieldReader | None:
        """Reads (and may withhold or transform) each value while the answer is shaped."""
        ...

    async def finish(self, body: dict[str, Any]) -> dict[str, Any]:
        """Last word on the answer (e.g. audit it, add extensions); may raise to refuse it."""
        ...


class Policy(Protocol):
    public_introspection: bool  # schema-only operations need no credentials and are cached
    # Headers read as one value: sent twice, the request is refused (400), never first-wins.
    single_valued_headers: tuple[str, ...]

    def authenticate(self, headers: Mapping[str, str]) -> object:
        """The caller's identity from the request headers (raise a GraphQLRequestError)."""
        ...

    def admit_text(self, identity: object, query: str) -> None:
        """Refuse, before parsing, what this caller may never run (raise); cheap checks only."""
        ...

    def token_budget(self, identity: object) -> int | None:
        """The most parser tokens this caller's operation may have (None: the engine's)."""
        ...

    def admit(self, identity: object, document: DocumentNode, schema_only: bool) -> None:
        """Refuse, before validation, what this caller may never run (raise)."""
        ...

    def authorize(self, identity: object, operation: PreparedOperation) -> Authorization:
        """Decide the request: rewrite the operation, headers, guard (raise to refuse)."""
        ...


@dataclass(frozen=True)
class Unrestricted:
    """The null decision: the operation as asked, nothing added."""

    document: DocumentNode
    plan_key: Hashable = None
    subgraph_headers: Mapping[str, str] = field(default_factory=dict)
    field_reader: FieldReader | None = None

    async def fetch_headers(self, subgraph: str, body: bytes) -> Mapping[str, str]:
        return self.subgraph_headers

    async def finish(self, body: dict[str, Any]) -> dict[str, Any]:
        return body


class OpenPolicy:
    """No governance: everyone may run anything (federation conformance, benchmarks)."""

    public_introspection = True
    single_valued_headers: tuple[str, ...] = ()

    def authenticate(self, headers: Mapping[str, str]) -> object:
        return None

    def admit_text(self, identity: object, query: str) -> None:
        return None

    def token_budget(self, identity: object) -> int | None:
        return None

    def admit(self, identity: object, document: DocumentNode, schema_only: bool) -> None:
        return None

    def authorize(self, identity: object, operation: PreparedOperation) -> Authorization:
        return Unrestricted(operation.document)
