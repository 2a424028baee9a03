"""The agencies that take part in the mesh: adding one is one folder and one line here."""

from __future__ import annotations

from pathlib import Path

AGENCIES: tuple[str, ...] = (
    "health",
    "adult_social_care",
    "childrens_services",
    "housing",
    "police",
    "education",
    "welfare",
)

# The centre's pseudonymous linkage index is served as a subgraph too, but holds no personal data.
INDEX = "index"

SUBGRAPH_ROOT = Path(__file__).resolve().parent


def subgraph_dir(name: str) -> Path:
    """The folder that holds one subgraph's types, queries and migrations."""
    return SUBGRAPH_ROOT / name


def known_subgraphs() -> tuple[str, ...]:
    """Every subgraph that can be served: the agencies and the index."""
    return (*AGENCIES, INDEX)
