"""From a verified principal and what the request's headers say, the access being asked for:
purpose of use, case reference and justification, checked before anything else happens."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from authz.errors import CodedError
from authz.model import AccessRequest, Principal, PurposeOfUse

# Both go into the audit record verbatim: short, printable, one line.
MAX_CASE_REFERENCE = 64
MAX_JUSTIFICATION = 500
ECHO_LIMIT = 40  # at most this much of a header value is ever repeated in an error


class CallerError(CodedError):
    """The request cannot proceed as asked (no purpose, unknown purpose, no justification)."""


def _purposes() -> str:
    return ", ".join(p.value for p in PurposeOfUse)


def echoed(value: str) -> str:
    """A header value as an error message may repeat it: bounded, control characters out."""
    shown = "".join(c if c.isprintable() else "?" for c in value[:ECHO_LIMIT])
    return repr(shown + ("…" if len(value) > ECHO_LIMIT else ""))


def _checked_text(value: str | None, limit: int, code: str, what: str) -> str | None:
    """None for absent or blank; a clear error for text too long or not one printable line."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > limit:
        raise CallerError(code, f"{what} is {len(value)} characters long; the limit is {limit}")
    if any(unicodedata.category(c).startswith("C") for c in value):
        raise CallerError(code, f"{what} must be printable text on one line")
    return value


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
                f"unknown purpose of use {echoed(self.purpose)}; use one of {_purposes()}",
            ) from None
        case_reference = _checked_text(
            self.case_reference, MAX_CASE_REFERENCE, "INVALID_CASE_REFERENCE", "X-Case-Reference"
        )
        justification = _checked_text(
            self.justification, MAX_JUSTIFICATION, "INVALID_JUSTIFICATION", "X-Justification"
        )
        if purpose is PurposeOfUse.EMERGENCY and justification is None:
            raise CallerError(
                "JUSTIFICATION_REQUIRED",
                "EMERGENCY (break-glass) access needs a justification in X-Justification",
            )
        return AccessRequest(self.principal, purpose, case_reference, justification)
