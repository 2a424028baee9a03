"""The features a supergraph links (``@link``, or ``@core`` in Fed-1-era supergraphs).

A feature's directives and types are named in the schema through its namespace: the feature's
own name unless ``as:`` renames it, ``namespace__element`` for its other elements, and any
name ``import:`` brings in unprefixed (optionally renamed). Reading a supergraph starts here so
that every later lookup uses the names this particular schema gives the federation directives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from graphql import (
    DirectiveNode,
    DocumentNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    value_from_ast_untyped,
)

from mesh.federation.supergraph.errors import SupergraphError

LINK_SPEC = "https://specs.apollo.dev/link"
CORE_SPEC = "https://specs.apollo.dev/core"
JOIN_SPEC = "https://specs.apollo.dev/join"
INACCESSIBLE_SPEC = "https://specs.apollo.dev/inaccessible"
TAG_SPEC = "https://specs.apollo.dev/tag"
AUTHENTICATED_SPEC = "https://specs.apollo.dev/authenticated"
REQUIRES_SCOPES_SPEC = "https://specs.apollo.dev/requiresScopes"
POLICY_SPEC = "https://specs.apollo.dev/policy"

SUPPORTED_JOIN_VERSIONS = ("v0.1", "v0.2", "v0.3", "v0.4", "v0.5")

# Features whose directives we read (or carry) and the versions we know; a feature linked
# ``for: SECURITY`` or ``for: EXECUTION`` must be refused unless listed here (link spec §Purpose).
_UNDERSTOOD: dict[str, tuple[str, ...]] = {
    LINK_SPEC: ("v1.0",),
    CORE_SPEC: ("v0.1", "v0.2"),
    JOIN_SPEC: SUPPORTED_JOIN_VERSIONS,
    INACCESSIBLE_SPEC: ("v0.1", "v0.2"),
    TAG_SPEC: ("v0.1", "v0.2", "v0.3"),
    AUTHENTICATED_SPEC: ("v0.1",),
    REQUIRES_SCOPES_SPEC: ("v0.1",),
    POLICY_SPEC: ("v0.1",),
}

_URL = re.compile(r"^(?P<identity>.+)/(?P<name>[A-Za-z_][A-Za-z0-9_-]*)/(?P<version>v\d+\.\d+)/?$")


@dataclass(frozen=True, slots=True)
class Feature:
    """One linked feature: where it is specified and the names it has in this schema."""

    url: str
    identity: str  # the URL without its version: what a feature *is*
    name: str
    version: str
    namespace: str
    purpose: str | None
    imports: dict[str, str] = field(default_factory=dict)  # "@key" -> "@key" or its alias

    def directive(self, element: str) -> str:
        """The local name (without ``@``) of this feature's directive ``element``."""
        imported = self.imports.get("@" + element)
        if imported is not None:
            return imported[1:]
        if element == self.name:
            return self.namespace
        return f"{self.namespace}__{element}"

    def type_name(self, element: str) -> str:
        return self.imports.get(element) or f"{self.namespace}__{element}"

    def owns_directive(self, local: str) -> bool:
        """Whether the directive named ``local`` in this schema belongs to this feature."""
        return (
            local == self.namespace
            or local.startswith(self.namespace + "__")
            or ("@" + local) in self.imports.values()
        )

    def owns_type(self, local: str) -> bool:
        return local.startswith(self.namespace + "__") or (
            local in self.imports.values() and not local.startswith("@")
        )

    @property
    def version_number(self) -> tuple[int, int]:
        major, minor = self.version[1:].split(".")
        return int(major), int(minor)


@dataclass(frozen=True, slots=True)
class LinkedFeatures:
    """Every feature the schema links, by identity."""

    features: tuple[Feature, ...]

    def get(self, identity: str) -> Feature | None:
        for feature in self.features:
            if feature.identity == identity:
                return feature
        return None

    def machinery_directive(self, local: str) -> Feature | None:
        """The Apollo spec feature owning directive ``local``, if it is one (not custom)."""
        for feature in self.features:
            if feature.identity.startswith("https://specs.apollo.dev/") and (
                feature.owns_directive(local)
            ):
                return feature
        return None

    def machinery_type(self, local: str) -> bool:
        return any(
            f.identity.startswith("https://specs.apollo.dev/") and f.owns_type(local)
            for f in self.features
        )


def _arguments(directive: DirectiveNode) -> dict[str, object]:
    return {arg.name.value: value_from_ast_untyped(arg.value) for arg in directive.arguments or ()}


def _schema_directives(document: DocumentNode) -> list[DirectiveNode]:
    found: list[DirectiveNode] = []
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            found.extend(definition.directives or ())
    return found


def _parse_url(url: object, element: str) -> tuple[str, str, str]:
    if not isinstance(url, str):
        raise SupergraphError("a linked feature needs a URL string", element=element)
    match = _URL.match(url)
    if match is None:
        raise SupergraphError(
            f"cannot read the feature URL {url!r} (expected …/name/vX.Y)", element=element
        )
    return match["identity"] + "/" + match["name"], match["name"], match["version"]


def _imports(raw: object, element: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise SupergraphError("import: must be a list", element=element)
    imports: dict[str, str] = {}
    for item in raw:
        if isinstance(item, str):
            imports[item] = item
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            name = item["name"]
            alias = item.get("as", name)
            if not isinstance(alias, str) or alias.startswith("@") != name.startswith("@"):
                raise SupergraphError(f"cannot import {name!r} as {alias!r}", element=element)
            imports[name] = alias
        else:
            raise SupergraphError(f"cannot read the import {item!r}", element=element)
    return imports


def _bootstrap(directives: Iterable[DirectiveNode]) -> tuple[str, str] | None:
    """The name of the link (or core) directive in this schema and which spec it is."""
    for directive in directives:
        args = _arguments(directive)
        for spec, url_arg in ((LINK_SPEC, "url"), (CORE_SPEC, "feature")):
            url = args.get(url_arg)
            if isinstance(url, str) and url.startswith(spec + "/"):
                expected = args.get("as") or spec.rsplit("/", 1)[1]
                if directive.name.value == expected:
                    return directive.name.value, spec
    return None


def read_links(document: DocumentNode) -> LinkedFeatures:
    """Every feature the schema links; refuses what the link spec says a reader must refuse."""
    directives = _schema_directives(document)
    bootstrap = _bootstrap(directives)
    if bootstrap is None:
        raise SupergraphError(
            "the schema links no features: a supergraph starts with "
            '@link(url: "https://specs.apollo.dev/link/v1.0") (or @core in Fed 1 supergraphs)',
            element="schema",
        )
    link_name, spec = bootstrap
    url_arg = "url" if spec == LINK_SPEC else "feature"
    features: list[Feature] = []
    for directive in directives:
        if directive.name.value != link_name:
            continue
        element = f"@{link_name}"
        args = _arguments(directive)
        url = args.get(url_arg)
        identity, name, version = _parse_url(url, element)
        namespace = args.get("as") or name
        if not isinstance(namespace, str):
            raise SupergraphError("as: must be a string", element=element)
        purpose = args.get("for")
        if purpose is not None and not isinstance(purpose, str):
            raise SupergraphError("for: must be an enum value", element=element)
        features.append(
            Feature(
                url=str(url),
                identity=identity,
                name=name,
                version=version,
                namespace=namespace,
                purpose=purpose,
                imports=_imports(args.get("import"), element),
            )
        )
    linked = LinkedFeatures(tuple(features))
    _refuse_unsupported(linked)
    return linked


def _refuse_unsupported(linked: LinkedFeatures) -> None:
    identities = [f.identity for f in linked.features]
    for identity in set(identities):
        if identities.count(identity) > 1:
            raise SupergraphError(f"the feature {identity} is linked twice", element="@link")
    for feature in linked.features:
        known = _UNDERSTOOD.get(feature.identity)
        if (
            known is not None
            and feature.version not in known
            and (
                feature.purpose in ("SECURITY", "EXECUTION")
                or feature.identity in (JOIN_SPEC, LINK_SPEC, CORE_SPEC)
            )
        ):
            raise SupergraphError(
                f"{feature.url} is not supported (supported versions of "
                f"{feature.identity}: {', '.join(known)})",
                element="@link",
            )
        if known is None and feature.purpose in ("SECURITY", "EXECUTION"):
            raise SupergraphError(
                f"{feature.url} is linked for {feature.purpose} and this gateway does not "
                "implement it, so it cannot serve this supergraph safely",
                element="@link",
            )
    if linked.get(JOIN_SPEC) is None:
        raise SupergraphError(
            "the schema does not link the join spec (https://specs.apollo.dev/join): it is "
            "not a supergraph",
            element="schema",
        )
