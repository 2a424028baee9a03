"""What the centre's resolvers see: the caller (from the signed context) and the way out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from authz.context_token import MeshContext
from authz.oversight import OversightScope

AgencyCall = Callable[[str, str, Mapping[str, Any]], Awaitable[dict[str, Any]]]
# Headers for one request, made from its subgraph and exact body (a context signed for it).
FetchHeaders = Callable[[str, bytes], Mapping[str, str]]
Forward = Callable[[str, str, Mapping[str, Any], FetchHeaders], Awaitable[dict[str, Any]]]


@dataclass
class CentreContext:
    mesh_context: MeshContext | None
    call_agency: AgencyCall  # (subgraph, query, variables) -> GraphQL response
    search_fields: dict[str, str]  # agency subgraph -> its @inaccessible search field
    audit: Any  # authz.audit.AuditLog | None
    # What an IG lead of an organisation may read of the audit (None: oversight unavailable).
    oversight_scope: Callable[[str], OversightScope] | None = None
