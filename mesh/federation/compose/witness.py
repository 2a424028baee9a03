"""The smallest operation that walks a given supergraph path: what a composition error shows."""

from __future__ import annotations

from mesh.federation.compose.positions import LEAF_KINDS, Step
from mesh.federation.compose.supergraph_view import SupergraphView


def witness(path: tuple[Step, ...], view: SupergraphView) -> str:
    """The smallest operation that follows ``path``, with placeholder argument values."""
    root = path[0].parent
    operation = next((op for op, name in view.roots.items() if name == root), "query")
    inner = ""
    for depth, step in reversed(list(enumerate(path, start=1))):
        indent = "  " * depth
        if step.kind == "cast":
            head = f"... on {step.name}"
        else:
            head = step.name + _witness_arguments(
                view, view.api[step.parent].fields[step.name].args
            )
        target = view.api.get(step.target)
        if inner:
            inner = f"{indent}{head} {{\n{inner}\n{indent}}}"
        elif target is not None and target.kind not in LEAF_KINDS:
            inner = f"{indent}{head} {{\n{indent}  ...\n{indent}}}"
        else:
            inner = f"{indent}{head}"
    prefix = "" if operation == "query" else f"{operation} "
    return f"{prefix}{{\n{inner}\n}}"


def _witness_arguments(view: SupergraphView, args: dict[str, str]) -> str:
    required = {name: t for name, t in args.items() if t.endswith("!")}
    if not required:
        return ""
    return "(" + ", ".join(f"{n}: {_witness_value(view, t)}" for n, t in required.items()) + ")"


def _witness_value(view: SupergraphView, type_ref: str) -> str:
    ref = type_ref.rstrip("!")
    if ref.startswith("["):
        return "[]"
    scalars = {
        "Int": "0",
        "Float": "3.14",
        "Boolean": "true",
        "String": '"A string value"',
        "ID": '"<any id>"',
    }
    if ref in scalars:
        return scalars[ref]
    t = view.api.get(ref)
    if t is not None and t.kind == "enum" and t.enum_values:
        return t.enum_values[0]
    if t is not None and t.kind == "input":
        fields = {n: ft for n, ft in t.input_fields.items() if ft.endswith("!")}
        return "{" + ", ".join(f"{n}: {_witness_value(view, ft)}" for n, ft in fields.items()) + "}"
    return '"<some value>"'
