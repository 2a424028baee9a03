"""``@authenticated``, ``@requiresScopes`` and ``@policy`` applied by the gateway, after Apollo
Router's authorization semantics: fields the caller may not see are removed from the
operation before planning (no subgraph is asked for them) and answered ``null`` with an
``UNAUTHORIZED_FIELD_OR_TYPE`` error at their path; the rest of the answer is served.

Who the caller is (authenticated, which scopes, which policies hold) comes from a
:class:`ClaimsSource`: :class:`JwtClaims` reads a bearer JWT (a shared secret or a JWKS);
a deployment may plug in its own. With none configured every caller is anonymous, so a
protected field is never served (fail closed).
"""

from mesh.federation.access.claims import ANONYMOUS, Claims, ClaimsSource, NoClaims
from mesh.federation.access.control import AccessControl, AccessDecision
from mesh.federation.access.jwt_claims import JwtClaims
from mesh.federation.access.rules import AccessRules

__all__ = [
    "ANONYMOUS",
    "AccessControl",
    "AccessDecision",
    "AccessRules",
    "Claims",
    "ClaimsSource",
    "JwtClaims",
    "NoClaims",
]
