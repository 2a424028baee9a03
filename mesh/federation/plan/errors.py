"""Why an operation could not be planned."""

from __future__ import annotations

from collections.abc import Sequence


class PlanningError(Exception):
    """No plan answers the operation over these subgraphs; ``path`` is where it fails.

    The gateway turns this into a GraphQL error with ``extensions.code`` QUERY_PLANNING_FAILED.
    """

    code = "QUERY_PLANNING_FAILED"

    def __init__(self, message: str, *, path: Sequence[str] = ()) -> None:
        self.path = tuple(path)
        where = ".".join(self.path)
        super().__init__(f"{message} (at {where})" if where else message)
        self.message = message
