"""What the gateway knows of the caller for the access directives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Claims:
    authenticated: bool = False
    scopes: frozenset[str] = frozenset()
    policies: frozenset[str] = frozenset()  # the ``@policy`` names that hold for this caller


ANONYMOUS = Claims()


class ClaimsSource(Protocol):
    def claims(self, identity: object, headers: Mapping[str, str]) -> Claims:
        """The caller's claims from the policy's identity and the request headers (raise
        :class:`~mesh.federation.errors.Unauthenticated` for a credential that does not
        verify)."""
        ...


class NoClaims:
    """No credentials are read: every caller is anonymous."""

    def claims(self, identity: object, headers: Mapping[str, str]) -> Claims:
        return ANONYMOUS
