"""Walking and merging the response data the fetches build up (plain dicts and lists)."""

from __future__ import annotations

from typing import Any

from mesh.federation.plan.nodes import LIST, InputSelection, OutputRewrite, Path

ClientPath = tuple[str | int, ...]


def objects_at(data: dict[str, Any], path: Path) -> list[tuple[dict[str, Any], ClientPath]]:
    """The objects at ``path`` (lists flattened, type filters applied) with their paths."""
    current: list[tuple[Any, ClientPath]] = [(data, ())]
    for element in path:
        following: list[tuple[Any, ClientPath]] = []
        if element == LIST:
            for value, where in current:
                if isinstance(value, list):
                    following.extend((item, (*where, i)) for i, item in enumerate(value))
        elif isinstance(element, frozenset):
            following = [
                (value, where)
                for value, where in current
                if isinstance(value, dict) and value.get("__typename") in element
            ]
        else:
            for value, where in current:
                if isinstance(value, dict):
                    child = value.get(element)
                    if child is not None:
                        following.append((child, (*where, element)))
        current = following
        if not current:
            return []
    return [(value, where) for value, where in current if isinstance(value, dict)]


def deep_merge(target: dict[str, Any], source: dict[str, Any]) -> None:
    """Merge a fetch's answer into the data: objects key by key, lists element by element
    (several subgraphs answering parts of one shared list); a null never hides a value."""
    for key, value in source.items():
        known = target.get(key)
        if known is None:
            target[key] = value
        elif isinstance(value, dict):
            if isinstance(known, dict):
                deep_merge(known, value)
            else:
                target[key] = value
        elif isinstance(value, list):
            if isinstance(known, list):
                _merge_lists(known, value)
            else:
                target[key] = value
        elif value is not None:
            target[key] = value


def _merge_lists(target: list[Any], source: list[Any]) -> None:
    for index, value in enumerate(source):
        if index >= len(target):
            target.append(value)
            continue
        known = target[index]
        if isinstance(known, dict) and isinstance(value, dict):
            deep_merge(known, value)
        elif isinstance(known, list) and isinstance(value, list):
            _merge_lists(known, value)
        elif value is not None:
            target[index] = value


def representation_of(
    obj: dict[str, Any], selection: InputSelection, typename: str
) -> dict[str, Any] | None:
    """The representation of ``obj``, or None when a field it needs was never fetched (the
    fetch that would give it failed or was skipped): a guess must not stand in for it."""
    rep: dict[str, Any] = {"__typename": typename}
    return rep if _fill(rep, obj, selection) else None


def _fill(rep: dict[str, Any], obj: dict[str, Any], selection: InputSelection) -> bool:
    for field in selection.fields:
        if field.name == "__typename" and "__typename" in rep:
            continue
        if field.data_key not in obj:
            return False
        value = obj[field.data_key]
        if field.selection is not None and value is not None:
            value = _nested(value, field.selection)
            if value is _INCOMPLETE:
                return False
        rep[field.name] = value
    for types, inner in selection.fragments:
        if obj.get("__typename") in types and not _fill(rep, obj, inner):
            return False
    return True


_INCOMPLETE = object()


def _nested(value: Any, selection: InputSelection) -> Any:
    if isinstance(value, list):
        items = [_nested(item, selection) for item in value]
        return _INCOMPLETE if any(item is _INCOMPLETE for item in items) else items
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        return out if _fill(out, value, selection) else _INCOMPLETE
    return value


def apply_rewrites(
    value: Any, rewrites: tuple[OutputRewrite, ...], typename: str | None = None
) -> None:
    """Rename aliased response keys back, merged into what the client's key already holds
    (one object selected under two shapes is still one object). At the top of an entity
    answer that carries no ``__typename`` of its own, ``typename`` (its representation's)
    stands in for it; one that does is the concrete type (an interface's owner answering a
    representation of the interface)."""
    # Innermost first: a rewrite's path names its parents by the keys the subgraph answered
    # under, which are still there until the parents' own rewrites rename them.
    for rewrite in sorted(rewrites, key=lambda r: -len(r.path)):
        for obj in _walk(value, rewrite.path):
            actual = obj.get("__typename")
            if actual is None and not rewrite.path:
                actual = typename
            if rewrite.alias in obj and (rewrite.types is None or actual in rewrite.types):
                deep_merge(obj, {rewrite.key: obj.pop(rewrite.alias)})


def renamed_path(path: list[Any], rewrites: tuple[OutputRewrite, ...]) -> list[Any]:
    """A path in a fetch's own response (a subgraph error's) with every alias the plan gave
    a response key named by the client's key again."""
    if not rewrites:
        return list(path)
    renames = {(r.path, r.alias): r.key for r in rewrites}
    answered: tuple[str, ...] = ()
    renamed: list[Any] = []
    for segment in path:
        if isinstance(segment, str):
            renamed.append(renames.get((answered, segment), segment))
            answered = (*answered, segment)
        else:
            renamed.append(segment)
    return renamed


def _walk(value: Any, path: tuple[str, ...]) -> list[dict[str, Any]]:
    current = [value]
    for key in (*path, None):
        flat: list[Any] = []
        for item in current:
            stack = [item]
            while stack:
                node = stack.pop()
                if isinstance(node, list):
                    stack.extend(node)
                elif isinstance(node, dict):
                    flat.append(node)
        if key is None:
            return flat
        current = [obj.get(key) for obj in flat if obj.get(key) is not None]
    return []
