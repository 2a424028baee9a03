"""The one error a supergraph that cannot be served raises."""

from __future__ import annotations


class SupergraphError(Exception):
    """A supergraph SDL that is malformed, or uses a feature this engine does not support.

    ``element`` names the schema element at fault (``Product.price``, ``@link``) when there is
    one, so an operator reading the message knows where to look.
    """

    def __init__(self, message: str, *, element: str | None = None) -> None:
        super().__init__(f"{element}: {message}" if element else message)
        self.element = element
