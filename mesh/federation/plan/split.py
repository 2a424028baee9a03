"""Splitting a selection no one subgraph answers over as few subgraphs as a greedy choice gives."""

from __future__ import annotations


def fewest_parts(able: list[list[str]]) -> list[str]:
    """For each item (the subgraphs able to resolve it, in preference order) the one to ask:
    subgraphs some item needs alone first, then whichever of those can take the rest, so a
    split selection costs as few requests as a greedy choice gives."""
    chosen: list[str] = []
    for options in able:
        if len(options) == 1 and options[0] not in chosen:
            chosen.append(options[0])
    picked = []
    for options in able:
        shared = next((s for s in options if s in chosen), None)
        if shared is None:
            shared = options[0]
            chosen.append(shared)
        picked.append(shared)
    return picked
