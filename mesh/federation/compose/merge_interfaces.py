"""Interfaces across subgraphs: entity interfaces (``@key`` on an interface) and
``@interfaceObject`` types standing for an interface in subgraphs that do not know its
implementations."""

from __future__ import annotations

from mesh.federation.compose.errors import human_list
from mesh.federation.compose.merge_state import Sources
from mesh.federation.compose.merge_types import TypeMerging
from mesh.federation.compose.model import Field, NamedType


class InterfaceMerging(TypeMerging):
    def interface_object_fields(self, dest: Field, index: int) -> list[Field]:
        """Fields of @interfaceObject types standing, in subgraph ``index``, for ``dest``."""
        parent = self.merged.types.get(dest.parent)
        subgraph = self.subgraphs[index]
        if parent is None or parent.kind != "object" or dest.parent in subgraph.schema.types:
            return []
        found: list[Field] = []
        for interface in parent.interfaces:
            interface_type = self.merged.types.get(interface)
            if interface_type is None or dest.name not in interface_type.fields:
                continue
            local = subgraph.schema.types.get(interface)
            if local is not None and local.kind == "object" and dest.name in local.fields:
                found.append(local.fields[dest.name])
        return found

    def provided_by_interface_object(self, field_name: str, interface: str) -> bool:
        for subgraph in self.subgraphs:
            local = subgraph.schema.types.get(interface)
            if local is None or not subgraph.is_interface_object(interface):
                continue
            f = local.fields.get(field_name)
            if f is not None and not subgraph.is_external(f):
                return True
        return False

    def validate_interface_keys(self, sources: Sources[NamedType], dest: NamedType) -> bool:
        implementations = self.merged.possible_runtime_types(dest.name)
        has_key = False
        for index, source in sources.items():
            if source is None or source.kind != "interface":
                continue
            subgraph = self.subgraphs[index]
            keys = subgraph.applied(source, "key")
            has_key = has_key or bool(keys)
            resolvable = next((k for k in keys if k.arg("resolvable") is not False), None)
            if resolvable is None:
                continue
            local = set(subgraph.schema.possible_runtime_types(source.name))
            missing = [t for t in implementations if t not in local]
            if missing:
                name = self.names[index]
                quoted = human_list([f'"{t}"' for t in missing])
                self.error(
                    "INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE",
                    f'[{name}] Interface type "{dest.name}" has a resolvable key '
                    f'({resolvable.printed()}) in subgraph "{name}" but that subgraph is missing '
                    f'some of the supergraph implementation types of "{dest.name}". Subgraph '
                    f'"{name}" should define {"type" if len(missing) == 1 else "types"} {quoted} '
                    f"(and have {'it' if len(missing) == 1 else 'them'} implement "
                    f'"{dest.name}").',
                    subgraphs=(name,),
                    coordinate=dest.name,
                )
        return has_key

    def validate_interface_objects(self, sources: Sources[NamedType], dest: NamedType) -> None:
        implementations = self.merged.possible_runtime_types(dest.name)
        for index, source in sources.items():
            if source is None or not self.subgraphs[index].is_interface_object(source.name):
                continue
            schema = self.subgraphs[index].schema
            defined = [t for t in implementations if t in schema.types]
            if defined:
                name = self.names[index]
                quoted = human_list([f'"{t}"' for t in defined])
                self.error(
                    "INTERFACE_OBJECT_USAGE_ERROR",
                    f'[{name}] Interface type "{dest.name}" is defined as an @interfaceObject in '
                    f'subgraph "{name}" so that subgraph should not define any of the '
                    f'implementation types of "{dest.name}", but it defines '
                    f"{'type' if len(defined) == 1 else 'types'} {quoted}",
                    subgraphs=(name,),
                    coordinate=dest.name,
                )
