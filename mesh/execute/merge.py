"""Place subgraph answers into the response tree and find the objects a fetch applies to."""

from __future__ import annotations

from typing import Any

Path = tuple[str | int, ...]


def deep_merge(target: dict[str, Any], source: dict[str, Any]) -> None:
    """Merge ``source`` into ``target`` in place: objects field by field, lists item by item."""
    for key, value in source.items():
        current = target.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            deep_merge(current, value)
        elif isinstance(current, list) and isinstance(value, list) and len(current) == len(value):
            for index, item in enumerate(value):
                if isinstance(current[index], dict) and isinstance(item, dict):
                    deep_merge(current[index], item)
                else:
                    current[index] = item
        else:
            target[key] = value


def objects_at(
    data: dict[str, Any], path: tuple[str, ...], type_filter: frozenset[str] | None
) -> list[tuple[dict[str, Any], Path]]:
    """Every object reached by ``path`` (lists flattened, nulls skipped), with its full path."""
    found: list[tuple[dict[str, Any], Path]] = []

    def walk(value: Any, depth: int, where: Path) -> None:
        if value is None:
            return
        if isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, depth, (*where, index))
            return
        if not isinstance(value, dict):
            return
        if depth == len(path):
            if type_filter is None or value.get("__typename") in type_filter:
                found.append((value, where))
            return
        key = path[depth]
        walk(value.get(key), depth + 1, (*where, key))

    walk(data, 0, ())
    return found
