"""Every database the mesh keeps, and where each one's migrations live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import authz
from subgraphs.registry import AGENCIES, INDEX, subgraph_dir

_AUTHZ_DIR = Path(authz.__file__).resolve().parent
# The ground truth's schema is the synthetic generator's; found by path, not imported, so the
# store layer does not depend on development tooling.
_TRUTH_MIGRATIONS = Path(__file__).resolve().parent.parent / "devtools" / "synth" / "migrations"
_KIT_MIGRATIONS = subgraph_dir("kit") / "migrations"
# Tables every store a subgraph serves from keeps (agencies and the index): its access log.
_GATE_MIGRATIONS = subgraph_dir("kit") / "gate_migrations"


@dataclass(frozen=True)
class Store:
    """One database: an agency's own store, the linkage index, governance or the ground truth."""

    name: str
    kind: str  # "agency" | "index" | "governance" | "truth"
    migrations: Path | None

    def migration_files(self) -> list[Path]:
        """The store's SQL migrations in the order they apply (NNN_name.sql)."""
        if self.migrations is None or not self.migrations.is_dir():
            return []
        return sorted(self.migrations.glob("[0-9][0-9][0-9]_*.sql"))

    def migration_sources(self) -> list[tuple[str, str]]:
        """(version, SQL) pairs in apply order."""
        own = [(path.stem, path.read_text(encoding="utf-8")) for path in self.migration_files()]
        if self.kind == "agency":
            # Every agency also gets the kit's shared tables (its mesh crosswalk).
            own += [
                ("kit_" + path.stem, path.read_text(encoding="utf-8"))
                for path in sorted(_KIT_MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql"))
            ]
        if self.kind in ("agency", "index"):
            own += [
                ("gate_" + path.stem, path.read_text(encoding="utf-8"))
                for path in sorted(_GATE_MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql"))
            ]
        return own


STORES: tuple[Store, ...] = (
    *(Store(agency, "agency", subgraph_dir(agency) / "migrations") for agency in AGENCIES),
    Store(INDEX, "index", subgraph_dir(INDEX) / "migrations"),
    Store("governance", "governance", _AUTHZ_DIR / "migrations"),
    # Only the synthetic generator writes here, to measure linkage; nothing serves it.
    Store("truth", "truth", _TRUTH_MIGRATIONS),
)


def store_named(name: str) -> Store:
    for store in STORES:
        if store.name == name:
            return store
    known = ", ".join(s.name for s in STORES)
    raise KeyError(f"unknown store {name!r}; known stores: {known}")
