"""Opaque page cursors for cohorts: where the last page ended, bound to the query it paged."""

from __future__ import annotations

import base64
import hashlib

import orjson
from graphql import GraphQLError


def fingerprint(*parts: object) -> str:
    return hashlib.sha256(orjson.dumps(parts, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


def encode(query: str, after: str) -> str:
    return base64.urlsafe_b64encode(orjson.dumps({"q": query, "a": after})).decode().rstrip("=")


def decode(cursor: str, query: str) -> str:
    """The household id a page starts after; BAD_USER_INPUT for a cursor from elsewhere."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(payload, dict) or not isinstance(payload.get("a"), str):
            raise ValueError
    except (ValueError, orjson.JSONDecodeError):
        raise GraphQLError(
            "after is not a cursor this API gave out", extensions={"code": "BAD_USER_INPUT"}
        ) from None
    if payload.get("q") != query:
        raise GraphQLError(
            "after is a cursor of a different cohort query: page with the same arguments",
            extensions={"code": "BAD_USER_INPUT"},
        )
    return str(payload["a"])
