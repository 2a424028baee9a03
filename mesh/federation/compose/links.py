"""``@link``: which specs a subgraph uses and under which names it imported their directives.

``@link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", {name: "@shareable",
as: "@share"}])`` makes ``@key`` and ``@share`` federation directives in that subgraph, and every
other federation directive available as ``@federation__name``. A subgraph without a federation
``@link`` is a Federation 1 subgraph: ``@key``, ``@requires``, ``@provides``, ``@external``,
``@extends`` and ``@tag`` are known by their plain names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graphql import ListValueNode, ObjectValueNode, StringValueNode

from mesh.federation.compose.model import Directive

FEDERATION_IDENTITY = "https://specs.apollo.dev/federation"
LINK_IDENTITY = "https://specs.apollo.dev/link"
JOIN_IDENTITY = "https://specs.apollo.dev/join"

# Federation directives and the federation version that introduced each.
FEDERATION_DIRECTIVES: dict[str, tuple[int, int]] = {
    "key": (2, 0),
    "requires": (2, 0),
    "provides": (2, 0),
    "external": (2, 0),
    "tag": (2, 0),
    "extends": (2, 0),
    "shareable": (2, 0),
    "inaccessible": (2, 0),
    "override": (2, 0),
    "composeDirective": (2, 1),
    "interfaceObject": (2, 3),
    "authenticated": (2, 5),
    "requiresScopes": (2, 5),
    "policy": (2, 6),
    "context": (2, 8),
    "fromContext": (2, 8),
    "cost": (2, 9),
    "listSize": (2, 9),
    "cacheTag": (2, 12),
}
FEDERATION_TYPES: dict[str, tuple[int, int]] = {
    "FieldSet": (2, 0),
    "Scope": (2, 5),
    "Policy": (2, 6),
    "ContextFieldValue": (2, 8),
}
FEDERATION1_DIRECTIVES = ("key", "requires", "provides", "external", "extends", "tag")
KNOWN_FEDERATION_VERSIONS = [(2, minor) for minor in range(15)]
# Fed 1 subgraphs are composed as if they linked this version (Apollo's "auto-expanded" one).
FED1_UPGRADE_VERSION = (2, 4)

_URL = re.compile(r"^(?P<identity>.+)/(?P<name>[^/]+)/v(?P<major>\d+)\.(?P<minor>\d+)/?$")


@dataclass(frozen=True)
class FeatureUrl:
    identity: str
    name: str
    version: tuple[int, int]

    @classmethod
    def parse(cls, url: str) -> FeatureUrl | None:
        match = _URL.match(url.strip())
        if match is None:
            return None
        identity = f"{match['identity']}/{match['name']}"
        return cls(identity, match["name"], (int(match["major"]), int(match["minor"])))

    def __str__(self) -> str:
        return f"{self.identity}/v{self.version[0]}.{self.version[1]}"


@dataclass
class Link:
    url: FeatureUrl
    alias: str | None
    imports: dict[str, str] = field(default_factory=dict)  # name in spec -> name in schema
    purpose: str | None = None
    directive: Directive | None = None

    @property
    def namespace(self) -> str:
        return self.alias or self.url.name

    def directive_name(self, name: str) -> str:
        """Name in this schema of the spec's directive ``name`` (given without ``@``)."""
        imported = self.imports.get("@" + name)
        if imported is not None:
            return imported.lstrip("@")
        if name == self.url.name:
            return self.namespace
        return f"{self.namespace}__{name}"

    def type_name(self, name: str) -> str:
        return self.imports.get(name) or f"{self.namespace}__{name}"

    def spec_name_of(self, schema_name: str) -> str | None:
        """The spec's name for a directive named ``schema_name`` here, if it belongs to it."""
        for spec, local in self.imports.items():
            if spec.startswith("@") and local.lstrip("@") == schema_name:
                return spec[1:]
        if schema_name == self.namespace:
            return self.url.name
        prefix = self.namespace + "__"
        if schema_name.startswith(prefix):
            return schema_name[len(prefix) :]
        return None


class LinkError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def read_link(directive: Directive) -> Link:
    """A ``@link`` application as a ``Link``; ``LinkError`` when it is malformed."""
    url_node = directive.args.get("url")
    if not isinstance(url_node, StringValueNode):
        raise LinkError("INVALID_LINK_DIRECTIVE_USAGE", "@link requires a string url")
    url = FeatureUrl.parse(url_node.value)
    if url is None:
        raise LinkError(
            "INVALID_LINK_IDENTIFIER",
            f'Invalid url "{url_node.value}" in @link: it should be of the form '
            "<identity>/<name>/v<major>.<minor>",
        )
    alias_node = directive.args.get("as")
    alias = alias_node.value if isinstance(alias_node, StringValueNode) else None
    imports: dict[str, str] = {}
    import_node = directive.args.get("import")
    for item in import_node.values if isinstance(import_node, ListValueNode) else ():
        if isinstance(item, StringValueNode):
            imports[item.value] = item.value
        elif isinstance(item, ObjectValueNode):
            values = {f.name.value: f.value for f in item.fields}
            name, as_ = values.get("name"), values.get("as")
            if not isinstance(name, StringValueNode):
                raise LinkError(
                    "INVALID_LINK_DIRECTIVE_USAGE",
                    f'Invalid import {item} in @link(url: "{url}"): "name" must be a string',
                )
            local = as_.value if isinstance(as_, StringValueNode) else name.value
            if name.value.startswith("@") != local.startswith("@"):
                raise LinkError(
                    "INVALID_LINK_DIRECTIVE_USAGE",
                    f'Invalid @link import renaming: directive "{name.value}" imported name '
                    f'should start with a "@" character, but got "{local}".',
                )
            imports[name.value] = local
        else:
            raise LinkError(
                "INVALID_LINK_DIRECTIVE_USAGE",
                f'Invalid sub-value in @link(url: "{url}") import: values should be strings '
                "or objects with name and as",
            )
    purpose = directive.arg("for")
    return Link(url, alias, imports, purpose if isinstance(purpose, str) else None, directive)


def federation_directive_names(link: Link | None) -> dict[str, str]:
    """Federation directive (spec name) -> name used in the schema."""
    if link is None:
        return {name: name for name in FEDERATION1_DIRECTIVES}
    version = link.url.version
    return {
        name: link.directive_name(name)
        for name, since in FEDERATION_DIRECTIVES.items()
        if version >= since
    }


def federation_type_names(link: Link | None) -> dict[str, str]:
    if link is None:
        return {"FieldSet": "_FieldSet"}
    version = link.url.version
    return {
        name: link.type_name(name) for name, since in FEDERATION_TYPES.items() if version >= since
    }


def join_version(federation_version: tuple[int, int]) -> tuple[int, int]:
    """The join spec @apollo/composition writes for the latest federation version in use."""
    if federation_version >= (2, 8):
        return (0, 5)
    if federation_version >= (2, 7):
        return (0, 4)
    return (0, 3)
