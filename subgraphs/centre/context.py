"""What the centre's resolvers see: the caller (from the signed context) and the way out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from authz.context_token import MeshContext
from authz.oversight import OversightScope

AgencyCall = Callable[[str, str, Mapping[str, Any]], Awaitable[dict[str, Any]]]
# Headers for one request, made from its subgraph and exact body (a context signed for it).
FetchHeaders = Callable[[str, bytes], Awaitable[Mapping[str, str]]]


class Forward(Protocol):
    """How the centre reaches another subgraph (the gateway's transport)."""

    def __call__(
        self,
        subgraph: str,
        query: str,
        variables: Mapping[str, Any],
        headers: Mapping[str, str] | FetchHeaders | None = None,
        *,
        timeout: float | None = None,
    ) -> Awaitable[dict[str, Any]]: ...


@dataclass
class CentreContext:
    mesh_context: MeshContext | None
    call_agency: AgencyCall  # (subgraph, query, variables) -> GraphQL response
    search_fields: dict[str, str]  # agency subgraph -> its @inaccessible search field
    audit: Any  # authz.audit.AuditLog | None
    loaders: dict[str, Any] = field(default_factory=dict)  # this request's DataLoaders
    # The same, for the agencies' needs scans (a longer timeout); call_agency when not set.
    call_scan: AgencyCall | None = None
    # What an IG lead of an organisation may read of the audit (None: oversight unavailable).
    oversight_scope: Callable[[str], OversightScope] | None = None
