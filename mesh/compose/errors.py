"""Composition errors: each names the subgraph(s), the schema coordinate and the rule broken."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CompositionError:
    code: str
    coordinate: str
    subgraphs: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        where = ", ".join(self.subgraphs)
        return f"[{self.code}] {self.coordinate} ({where}): {self.message}"


class CompositionFailed(Exception):
    """Composition found errors; all of them are listed, not only the first."""

    def __init__(self, errors: list[CompositionError]) -> None:
        self.errors = errors
        super().__init__("composition failed:\n" + "\n".join(f"  {e}" for e in errors))
