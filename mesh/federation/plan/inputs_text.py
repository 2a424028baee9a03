"""Representations an entity fetch sends, printed as a selection (for ``describe_plan``)."""

from __future__ import annotations

from mesh.federation.plan.nodes import EntityTarget, InputSelection


def _selection(selection: InputSelection, indent: int) -> list[str]:
    pad = "  " * indent
    lines: list[str] = []
    for field in selection.fields:
        name = field.name if field.data_key == field.name else f"{field.name} <- {field.data_key}"
        if field.selection is None:
            lines.append(pad + name)
        else:
            lines.append(pad + name + " {")
            lines.extend(_selection(field.selection, indent + 1))
            lines.append(pad + "}")
    for types, inner in selection.fragments:
        lines.append(f"{pad}... on {'|'.join(sorted(types))} {{")
        lines.extend(_selection(inner, indent + 1))
        lines.append(pad + "}")
    return lines


def inputs_text(targets: tuple[EntityTarget, ...]) -> str:
    """``... on T { __typename key }`` per input, types sharing one input printed together."""
    seen: dict[tuple[str, ...], list[str]] = {}
    for target in targets:
        for type_name, entity in sorted(target.inputs.items()):
            lines = ["__typename" + (f' = "{entity.typename}"' if entity.typename else "")]
            lines.extend(_selection(entity.selection, 0))
            key = tuple(lines)
            names = seen.setdefault(key, [])
            if type_name not in names:
                names.append(type_name)
    out: list[str] = []
    for body, names in seen.items():
        out.append(f"... on {'|'.join(names)} {{")
        out.extend("  " + line for line in body)
        out.append("}")
    return "\n".join(out)
