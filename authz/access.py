"""From a verified principal and what the request's headers say, the access being asked for:
purpose of use, case reference and justification, checked before anything else happens."""

from __future__ import annotations

from dataclasses import dataclass

from authz.errors import CodedError
from authz.model import AccessRequest, Principal, PurposeOfUse


class CallerError(CodedError):
    """The request cannot proceed as asked (no purpose, unknown purpose, no justification)."""


def _purposes() -> str:
    return ", ".join(p.value for p in PurposeOfUse)


@dataclass(frozen=True)
class Caller:
    """A verified principal and the purpose, case and justification its request gives."""

    principal: Principal
    purpose: str | None
    case_reference: str | None = None
    justification: str | None = None

    def access_request(self) -> AccessRequest:
        if not self.purpose:
            raise CallerError(
                "PURPOSE_REQUIRED",
                "say why you are viewing this data: set X-Purpose-Of-Use to one of " + _purposes(),
            )
        try:
            purpose = PurposeOfUse(self.purpose.strip().upper())
        except ValueError:
            raise CallerError(
                "UNKNOWN_PURPOSE",
                f"unknown purpose of use {self.purpose[:40]!r}; use one of {_purposes()}",
            ) from None
        if purpose is PurposeOfUse.EMERGENCY and not (self.justification or "").strip():
            raise CallerError(
                "JUSTIFICATION_REQUIRED",
                "EMERGENCY (break-glass) access needs a justification in X-Justification",
            )
        return AccessRequest(self.principal, purpose, self.case_reference, self.justification)
