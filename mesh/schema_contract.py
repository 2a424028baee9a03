"""The client-facing contract in ``schema/``: written from composition, checked in CI.

An agency runs ``mesh schema check`` before publishing a subgraph change: it fails when the
committed contract differs from what the subgraphs compose to now.
"""

from __future__ import annotations

from pathlib import Path

from mesh.compose import SubgraphSDL, compose

CONTRACT_PATH = Path(__file__).resolve().parents[1] / "schema" / "supergraph.graphql"
HEADER = (
    "# The Civic Mesh client contract, composed from every subgraph by `mesh schema write`.\n"
    "# Do not edit by hand: change a subgraph, re-run the command and review the diff.\n\n"
)


def subgraph_sdls() -> list[SubgraphSDL]:
    """The SDL each subgraph serves at ``_service { sdl }`` (built in-process), and the
    centre's own subgraph that the gateway serves itself."""
    from subgraphs.centre import CENTRE, centre_subgraph
    from subgraphs.kit.serve import load_definition
    from subgraphs.registry import known_subgraphs

    agencies = [
        SubgraphSDL(name, load_definition(name).schema().as_str()) for name in known_subgraphs()
    ]
    return [*agencies, SubgraphSDL(CENTRE, centre_subgraph().sdl())]


def composed_contract(sdls: list[SubgraphSDL] | None = None) -> str:
    return HEADER + compose(sdls if sdls is not None else subgraph_sdls()).client_sdl


def write_contract(path: Path = CONTRACT_PATH) -> str:
    text = composed_contract()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text


def contract_drift(path: Path = CONTRACT_PATH) -> list[str]:
    """Unified diff lines between the committed contract and the composed one (empty: none)."""
    import difflib

    committed = path.read_text(encoding="utf-8") if path.exists() else ""
    return list(
        difflib.unified_diff(
            committed.splitlines(),
            composed_contract().splitlines(),
            "committed",
            "composed",
            lineterm="",
        )
    )
