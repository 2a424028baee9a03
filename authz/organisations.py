"""Which organisation provides which agency's data to the mesh (``organisations.yaml``).

An information-governance lead oversees the accesses their own organisation's staff make and
every access to data their organisation provides (the X-Road model: each end answers for its
side of an exchange).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

ORGANISATIONS_FILE = Path(__file__).resolve().parent / "organisations.yaml"


class OrganisationsError(ValueError):
    """The organisations file is not what it should be; says where."""


@dataclass(frozen=True)
class Organisation:
    code: str  # as tokens carry it in ``org``
    name: str
    provides: tuple[str, ...]  # agencies (subgraphs) whose data it provides


def load_organisations(path: Path = ORGANISATIONS_FILE) -> dict[str, Organisation]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise OrganisationsError(f"{path}: {error}") from None
    if not isinstance(document, Mapping):
        raise OrganisationsError(f"{path}: expected a mapping of organisation codes")
    found = {}
    for code, entry in document.items():
        provides = entry.get("provides") if isinstance(entry, Mapping) else None
        name = entry.get("name") if isinstance(entry, Mapping) else None
        if not isinstance(name, str) or not isinstance(provides, list):
            raise OrganisationsError(f"{path}: {code}: needs a name and a list 'provides'")
        found[str(code)] = Organisation(str(code), name, tuple(str(a) for a in provides))
    return found


def provided_by(organisations: Mapping[str, Organisation], code: str) -> frozenset[str]:
    """The agencies whose data an organisation provides (none for one it does not list)."""
    known = organisations.get(code)
    return frozenset(known.provides) if known else frozenset()
