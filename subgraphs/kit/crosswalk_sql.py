"""The one join every agency's section query makes: from a batch of mesh ids, through the
agency's own ``mesh_crosswalk``, to its records (one statement per request, a ``key`` column,
as :mod:`subgraphs.kit.rows` expects)."""

from __future__ import annotations


def by_mesh_id(
    table: str,
    local_id: str,
    columns: str,
    *,
    local_id_type: str | None = None,
    entity: str = "Person",
    order_by: str | None = None,
) -> str:
    """``SELECT <mesh id> AS key, <columns> FROM <table> p`` for the mesh ids in ``$1``.

    ``columns`` refer to the table as ``p``; ``local_id`` is the table's column the crosswalk's
    ``local_id`` (text) names, cast to ``local_id_type`` when it is not text.
    """
    crosswalk_id = f"c.local_id::{local_id_type}" if local_id_type else "c.local_id"
    return (
        f"SELECT c.mesh_id AS key, {columns}\n"
        f"FROM mesh_crosswalk c\n"
        f"JOIN {table} p ON p.{local_id} = {crosswalk_id}\n"
        f"WHERE c.entity = '{entity}' AND c.mesh_id = ANY($1::text[])\n"
        f"ORDER BY {order_by or 'p.' + local_id}\n"
    )
