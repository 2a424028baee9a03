"""What composition reports: errors that stop it and hints that do not.

Codes are Apollo Federation's (``INVALID_FIELD_SHARING``, ``SATISFIABILITY_ERROR``...), so a
message from us reads like one from ``rover`` and the federation docs explain it. Every report
names the subgraph(s) involved, the schema coordinate (``Type.field``, ``Type.field(arg:)``,
``@directive``) and the rule in words.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CompositionError:
    code: str
    message: str
    subgraphs: tuple[str, ...] = ()
    coordinate: str = ""

    def __str__(self) -> str:
        where = f" [{', '.join(self.subgraphs)}]" if self.subgraphs else ""
        at = f" {self.coordinate}" if self.coordinate else ""
        return f"{self.code}{at}{where}: {self.message}"


@dataclass(frozen=True)
class CompositionHint:
    code: str
    message: str
    subgraphs: tuple[str, ...] = ()
    coordinate: str = ""

    def __str__(self) -> str:
        at = f" {self.coordinate}" if self.coordinate else ""
        return f"{self.code}{at}: {self.message}"


class Reporter:
    """Collects errors and hints while composition runs; nothing in composition raises."""

    def __init__(self) -> None:
        self.errors: list[CompositionError] = []
        self.hints: list[CompositionHint] = []

    def error(
        self,
        code: str,
        message: str,
        *,
        subgraphs: tuple[str, ...] | list[str] = (),
        coordinate: str = "",
    ) -> None:
        self.errors.append(CompositionError(code, message, tuple(subgraphs), coordinate))

    def hint(
        self,
        code: str,
        message: str,
        *,
        subgraphs: tuple[str, ...] | list[str] = (),
        coordinate: str = "",
    ) -> None:
        self.hints.append(CompositionHint(code, message, tuple(subgraphs), coordinate))


def subgraph_names(names: list[str] | tuple[str, ...]) -> str:
    """``subgraph "a"`` / ``subgraphs "a" and "b"``, as Apollo words it."""
    quoted = [f'"{n}"' for n in names]
    if len(quoted) == 1:
        return f"subgraph {quoted[0]}"
    return "subgraphs " + human_list(quoted)


def human_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
