"""SDL text → ``Subgraph``: parse, resolve ``@link`` names, check plain GraphQL validity.

Federation machinery in the SDL (``_service``, ``_entities``, ``_Any``, ``_Entity``,
``_Service``, the federation and link directive definitions some libraries print) is dropped
here: it is the subgraph's plumbing, not part of its schema.
"""

from __future__ import annotations

from typing import Any

from graphql import DirectiveDefinitionNode, DocumentNode, GraphQLSyntaxError, parse

from mesh.federation.compose.errors import Reporter
from mesh.federation.compose.graphql_rules import federation_definitions, graphql_errors
from mesh.federation.compose.links import (
    FEDERATION_DIRECTIVES,
    FEDERATION_IDENTITY,
    FEDERATION_TYPES,
    KNOWN_FEDERATION_VERSIONS,
    Link,
    LinkError,
    federation_directive_names,
    federation_type_names,
    read_link,
)
from mesh.federation.compose.model import BUILT_IN_SCALARS, ROOT_DEFAULT_NAMES, Schema
from mesh.federation.compose.sdl_reader import directives_of, read_schema, schema_nodes
from mesh.federation.compose.subgraph import Subgraph, SubgraphSource

FEDERATION_OPERATION_TYPES = {"_Any", "_Service", "_Entity"}
FEDERATION_OPERATION_FIELDS = {"_service", "_entities"}
# A Fed 1 subgraph is upgraded as if it imported these; its own definitions of them are adopted.
FED1_ADOPTED = ("shareable", "inaccessible", "override", "composeDirective", "interfaceObject")


def read_subgraph(source: SubgraphSource, reporter: Reporter) -> Subgraph | None:
    """The subgraph, or ``None`` after reporting why it cannot be read."""
    name = source.name
    try:
        document = parse(source.sdl)
    except GraphQLSyntaxError as exc:
        reporter.error("INVALID_GRAPHQL", f"[{name}] {exc.message}", subgraphs=(name,))
        return None
    links = _links(name, document, reporter)
    if links is None:
        return None
    found = _federation_link(name, links, reporter)
    if found is False:
        return None
    federation = found if isinstance(found, Link) else None
    if name == "_":
        reporter.error(
            "INVALID_SUBGRAPH_NAME",
            "Invalid name _ for a subgraph: this name is reserved",
            subgraphs=(name,),
        )
        return None
    unknown_version = isinstance(federation, Link) and (
        federation.url.version not in KNOWN_FEDERATION_VERSIONS
    )
    imports_ok = (
        federation is None
        or unknown_version
        or _check_federation_imports(name, federation, reporter)
    )
    if not imports_ok:
        return None
    names = {} if unknown_version else federation_directive_names(federation)
    type_names = federation_type_names(federation)
    defined_directives = {
        node.name.value
        for node in document.definitions
        if isinstance(node, DirectiveDefinitionNode)
    }
    if federation is None:
        for adopted in FED1_ADOPTED:
            if adopted in defined_directives:
                names[adopted] = adopted
    skip_types = set(FEDERATION_OPERATION_TYPES) | set(type_names.values())
    skip_types |= {"link__Import", "link__Purpose"}
    skip_directives = set(names.values()) | {"link"}
    _, explicit_roots, _ = schema_nodes(document)
    query_type = explicit_roots.get("query", "Query")
    version = federation.url.version if isinstance(federation, Link) else (2, 0)
    for node in document.definitions:
        redefined = getattr(getattr(node, "name", None), "value", None)
        if redefined in BUILT_IN_SCALARS and type(node).__name__ not in (
            "ScalarTypeDefinitionNode",
            "ScalarTypeExtensionNode",
        ):
            reporter.error(
                "INVALID_GRAPHQL",
                f'[{name}] Built-in scalar "{redefined}" cannot be redefined as another kind '
                "of type",
                subgraphs=(name,),
                coordinate=redefined,
            )
            return None
    problems = graphql_errors(
        document,
        skip_types=skip_types,
        skip_directives=skip_directives,
        skip_query_fields=FEDERATION_OPERATION_FIELDS,
        query_type=query_type,
        federation_sdl=federation_definitions(names, type_names, version),
    )
    if problems:
        coordinates = _coordinates_of_nodes(document)
        for problem in problems:
            coordinate = next(
                (coordinates[id(n)] for n in problem.nodes or () if id(n) in coordinates), ""
            )
            reporter.error(
                "INVALID_GRAPHQL",
                f"[{name}] {problem.message}",
                subgraphs=(name,),
                coordinate=coordinate,
            )
        return None
    if unknown_version:
        assert isinstance(federation, Link)
        major, minor = federation.url.version
        reporter.error(
            "UNKNOWN_FEDERATION_LINK_VERSION",
            f"[{name}] Invalid version v{major}.{minor} for the federation feature in @link "
            "directive on schema",
            subgraphs=(name,),
            coordinate="@link",
        )
        return None
    schema = read_schema(
        document, skip_types=sorted(skip_types), skip_directives=sorted(skip_directives)
    )
    query = schema.types.get(schema.roots.get("query", ""))
    if query is not None:
        for operation_field in FEDERATION_OPERATION_FIELDS:
            query.fields.pop(operation_field, None)
    if not _rename_roots(name, schema, reporter):
        return None
    return Subgraph(
        name=name,
        url=source.url,
        schema=schema,
        federation=federation,
        links=links,
        names=names,
    )


def _links(name: str, document: DocumentNode, reporter: Reporter) -> list[Link] | None:
    directives, _, _ = schema_nodes(document)
    links: list[Link] = []
    ok = True
    for directive in directives_of(directives, None):
        if directive.name != "link":
            continue
        try:
            links.append(read_link(directive))
        except LinkError as exc:
            reporter.error(exc.code, f"[{name}] {exc.message}", subgraphs=(name,))
            ok = False
    return links if ok else None


def _federation_link(name: str, links: list[Link], reporter: Reporter) -> Link | bool | None:
    """The federation ``@link`` (``None``: a Fed 1 subgraph; ``False``: reported as invalid)."""
    found = [link for link in links if link.url.identity == FEDERATION_IDENTITY]
    if not found:
        return None
    if len(found) > 1:
        reporter.error(
            "INVALID_LINK_DIRECTIVE_USAGE",
            f"[{name}] Duplicate inclusion of feature {FEDERATION_IDENTITY}",
            subgraphs=(name,),
        )
        return False
    return found[0]


def _check_federation_imports(name: str, link: Link, reporter: Reporter) -> bool:
    version = link.url.version
    ok = True
    for imported in link.imports:
        known = (
            FEDERATION_DIRECTIVES.get(imported[1:])
            if imported.startswith("@")
            else FEDERATION_TYPES.get(imported)
        )
        if known is None or known > version:
            reporter.error(
                "INVALID_LINK_DIRECTIVE_USAGE",
                f'[{name}] Cannot import unknown element "{imported}".',
                subgraphs=(name,),
                coordinate="@link",
            )
            ok = False
    return ok


def _rename_roots(name: str, schema: Schema, reporter: Reporter) -> bool:
    """Root types take their default names (``Query``...), as federation requires."""
    for operation, current in list(schema.roots.items()):
        default = ROOT_DEFAULT_NAMES[operation]
        if current == default:
            continue
        if default in schema.types:
            reporter.error(
                f"ROOT_{operation.upper()}_USED",
                f'[{name}] The schema has a type named "{default}" but it is not set as the '
                f'{operation} root type ("{current}" is instead): this is not supported by '
                "federation. If a root type does not use its default name, there should be no "
                "other type with that default name.",
                subgraphs=(name,),
                coordinate=default,
            )
            return False
        rename_type(schema, current, default)
        schema.roots[operation] = default
    return True


def rename_type(schema: Schema, old: str, new: str) -> None:
    named = schema.types.pop(old)
    named.name = new
    schema.types[new] = named

    def renamed(ref: str) -> str:
        base = ref.strip("[]!")
        return ref.replace(base, new) if base == old else ref

    for t in schema.types.values():
        t.interfaces = [new if i == old else i for i in t.interfaces]
        t.members = [new if m == old else m for m in t.members]
        for f in t.fields.values():
            if f.parent == old:
                f.parent = new
            f.type = renamed(f.type)
            for a in f.args.values():
                a.type = renamed(a.type)
                a.parent = f.coordinate
        for v in t.input_fields.values():
            v.type = renamed(v.type)
            if v.parent == old:
                v.parent = new
        for e in t.values.values():
            if e.parent == old:
                e.parent = new


def _coordinates_of_nodes(document: DocumentNode) -> dict[int, str]:
    """Schema coordinate of every node inside a type, field, argument or value (to locate
    graphql-core's errors, which point at names, type references or directive arguments)."""
    found: dict[int, str] = {}

    def mark(node: Any, coordinate: str) -> None:
        for child in _descendants(node):
            found.setdefault(id(child), coordinate)

    for node in document.definitions:
        name = getattr(getattr(node, "name", None), "value", None)
        if name is None:
            continue
        owner = f"@{name}" if isinstance(node, DirectiveDefinitionNode) else name
        members = [*(getattr(node, "fields", None) or ()), *(getattr(node, "values", None) or ())]
        for child in members:
            for arg in getattr(child, "arguments", None) or ():
                mark(arg, f"{name}.{child.name.value}({arg.name.value}:)")
            mark(child, f"{name}.{child.name.value}")
        for arg in getattr(node, "arguments", None) or ():
            mark(arg, f"{owner}({arg.name.value}:)")
        mark(node, owner)
    return found


def _descendants(node: Any) -> list[Any]:
    """``node`` and every AST node below it."""
    found = [node]
    for key in getattr(node, "keys", ()):
        value = getattr(node, key, None)
        children = value if isinstance(value, (list, tuple)) else [value]
        for child in children:
            if hasattr(child, "keys") and hasattr(child, "kind"):
                found.extend(_descendants(child))
    return found
