"""The linkage methods ``mesh link --method`` offers, built from the deployment's settings."""

from __future__ import annotations

from enum import StrEnum

from linkage.index_side.clustering import Clusterer, DeterministicClusterer
from linkage.index_side.probabilistic import SplinkClusterer
from linkage.key import key_check
from store.settings import MeshSettings


class Method(StrEnum):
    SPLINK = "splink"  # Fellegi-Sunter with Splink (the default)
    RULES = "rules"  # the deterministic rule table of linkage v1, for comparison


def clusterer_for(
    method: Method, settings: MeshSettings, key: bytes, *, retrain: bool = False
) -> Clusterer:
    if method is Method.RULES:
        return DeterministicClusterer()
    return SplinkClusterer(
        model_path=settings.linkage_model_path, key_check=key_check(key), retrain=retrain
    )
