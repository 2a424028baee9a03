"""One signature for the subgraph requests a client request makes together.

The executor starts the fetches of one plan level (a parallel node) in the same turn of the
event loop, and each asks for its headers before it sends anything. :class:`ContextBatch`
collects those asks and signs them all once, at the end of the turn
(:meth:`authz.context_token.ContextSigner.sign_together`): each request still gets its own
commitment and nonce, so what binds a context to one subgraph, one body and one use is
unchanged; only the ECDSA signature, the gateway's dearest step per request, is shared.
A request made alone (the next level, after its inputs arrived) is signed alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from authz.context_token import ContextSigner, RequestContext


class ContextBatch:
    """Headers for one client request's subgraph requests; those asked in the same turn of the
    event loop are signed together."""

    __slots__ = ("_claims", "_context", "_pending", "_signer")

    def __init__(
        self, signer: ContextSigner, context: RequestContext, claims: Mapping[str, Any]
    ) -> None:
        self._signer = signer
        self._context = context
        self._claims = claims
        self._pending: list[tuple[str, bytes, asyncio.Future[dict[str, str]]]] = []

    async def headers(self, audience: str, body: bytes) -> dict[str, str]:
        """The context headers of one request to ``audience`` with exactly this ``body``."""
        loop = asyncio.get_running_loop()
        if not self._pending:
            loop.call_soon(self._sign_pending)  # after every ask already scheduled this turn
        made: asyncio.Future[dict[str, str]] = loop.create_future()
        self._pending.append((audience, body, made))
        return await made

    def _sign_pending(self) -> None:
        pending, self._pending = self._pending, []
        waiting = [(audience, body, made) for audience, body, made in pending if not made.done()]
        if not waiting:
            return  # every asker was cancelled: nothing to sign
        try:
            signed = self._signer.sign_together(
                self._context,
                [(audience, body) for audience, body, _ in waiting],
                claims=self._claims,
            )
        except Exception as exc:  # each asker fails as it would have alone
            for *_, made in waiting:
                made.set_exception(exc)
            return
        for (*_, made), headers in zip(waiting, signed, strict=True):
            made.set_result(headers)
