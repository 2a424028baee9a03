"""authz's one coded error: a refusal whose ``code`` is stable for clients and whose message is
safe to show (it never carries a token, a key or an unbounded header value). The gateway maps
each to its HTTP status in one place (mesh/gateway/policy.py)."""

from __future__ import annotations


class CodedError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
