"""The client-facing contract in ``schema/``: written from composition, checked in CI.

An agency runs ``mesh schema check`` before publishing a subgraph change: it fails when the
committed contract differs from what the subgraphs compose to now. ``schema/supergraph.graphql``
is the contract (the API schema clients see); the standard supergraph SDL (``@link`` /
``join__*``) that any federation router can serve is written beside it.
"""

from __future__ import annotations

from pathlib import Path

from mesh.federation.compose import SubgraphSource, compose
from mesh.federation.supergraph import Supergraph, load_supergraph
from mesh.gateway.contract import HEADER, contract_sdl

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"
CONTRACT_PATH = SCHEMA_DIR / "supergraph.graphql"
SUPERGRAPH_PATH = SCHEMA_DIR / "supergraph.federated.graphql"

_UNSERVED = "http://unserved.invalid/graphql"  # the contract does not depend on where they run

__all__ = ["CONTRACT_PATH", "HEADER", "SUPERGRAPH_PATH", "composed_supergraph"]


class CompositionFailed(RuntimeError):
    """The subgraphs do not compose; the message lists every error (code, coordinate)."""


def subgraph_sources() -> list[SubgraphSource]:
    """The SDL each subgraph serves at ``_service { sdl }`` (built in-process), and the
    centre's own subgraph that the gateway serves itself."""
    from subgraphs.centre import CENTRE, centre_subgraph
    from subgraphs.kit.serve import load_definition
    from subgraphs.registry import known_subgraphs

    agencies = [
        SubgraphSource(name, _UNSERVED, load_definition(name).schema().as_str())
        for name in known_subgraphs()
    ]
    return [*agencies, SubgraphSource(CENTRE, "local://mesh", centre_subgraph().sdl())]


def composed_supergraph(sources: list[SubgraphSource] | None = None) -> tuple[str, Supergraph]:
    result = compose(sources if sources is not None else subgraph_sources())
    if result.supergraph_sdl is None:
        raise CompositionFailed("; ".join(map(str, result.errors)))
    return result.supergraph_sdl, load_supergraph(result.supergraph_sdl)


def composed_contract(sources: list[SubgraphSource] | None = None) -> str:
    return contract_sdl(composed_supergraph(sources)[1].api_schema)


def write_contract(path: Path = CONTRACT_PATH) -> str:
    supergraph_sdl, supergraph = composed_supergraph()
    text = contract_sdl(supergraph.api_schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    SUPERGRAPH_PATH.write_text(supergraph_sdl, encoding="utf-8")
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
