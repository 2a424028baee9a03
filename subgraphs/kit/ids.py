"""Mesh ids: opaque, pseudonymous, minted by the index and never derived from identity."""

import re
import secrets

from graphql import GraphQLError

PERSON_PREFIX = "mp_"
HOUSEHOLD_PREFIX = "mh_"
_PATTERN = re.compile(r"^(mp|mh)_[0-9a-f]{20}$")


class MalformedId(GraphQLError):
    """A representation or argument carried something that is not a mesh id."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "BAD_USER_INPUT"})


def new_person_id() -> str:
    return PERSON_PREFIX + secrets.token_hex(10)


def new_household_id() -> str:
    return HOUSEHOLD_PREFIX + secrets.token_hex(10)


def checked_id(value: object, prefix: str) -> str:
    """The id itself when it is a well-formed mesh id of the expected kind."""
    if not isinstance(value, str) or not _PATTERN.match(value) or not value.startswith(prefix):
        kind = "person" if prefix == PERSON_PREFIX else "household"
        raise MalformedId(
            f"malformed {kind} id {value!r}: expected {prefix} followed by 20 hex digits"
        )
    return value
