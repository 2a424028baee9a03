"""Which directive applications reach the supergraph, and under which ``@link``.

Three kinds do: the federation directives composition always carries (``@tag``,
``@inaccessible``, ``@authenticated``, ``@requiresScopes``, ``@policy``), the built-ins
(``@deprecated``, ``@specifiedBy``, ``@oneOf``), and custom directives a subgraph asks for with
``@composeDirective(name: "@x")`` — those must come from a ``@link``ed spec, under the same name
everywhere, and the supergraph ``@link``s that spec (the latest version any subgraph uses).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mesh.federation.compose.errors import Reporter, subgraph_names
from mesh.federation.compose.links import Link
from mesh.federation.compose.model import DirectiveDefinition
from mesh.federation.compose.subgraph import Subgraph

# Federation directives composed by default, with the spec each belongs to in the supergraph.
DEFAULT_COMPOSED = {
    "tag": ("https://specs.apollo.dev/tag", "tag"),
    "inaccessible": ("https://specs.apollo.dev/inaccessible", "inaccessible"),
    "authenticated": ("https://specs.apollo.dev/authenticated", "authenticated"),
    "requiresScopes": ("https://specs.apollo.dev/requiresScopes", "requiresScopes"),
    "policy": ("https://specs.apollo.dev/policy", "policy"),
    "cost": ("https://specs.apollo.dev/cost", "cost"),
    "listSize": ("https://specs.apollo.dev/cost", "listSize"),
}
BUILT_IN_DIRECTIVES = {"deprecated", "specifiedBy", "oneOf", "include", "skip", "defer", "stream"}
_DISALLOWED_IDENTITIES = {
    "https://specs.apollo.dev/core",
    "https://specs.apollo.dev/join",
    "https://specs.apollo.dev/link",
    "https://specs.apollo.dev/tag",
    "https://specs.apollo.dev/inaccessible",
    "https://specs.apollo.dev/federation",
    "https://specs.apollo.dev/authenticated",
    "https://specs.apollo.dev/requiresScopes",
    "https://specs.apollo.dev/source",
    "https://specs.apollo.dev/context",
    "https://specs.apollo.dev/cost",
}
_BY_DEFAULT = ("tag", "inaccessible", "authenticated", "requiresScopes", "policy", "context")


@dataclass
class _Request:
    subgraph: str
    link: Link
    spec_name: str  # the directive's name in its spec
    local_name: str  # its name in the subgraph


@dataclass
class ComposedDirectives:
    """The outcome: names to carry per subgraph, and the specs to ``@link`` in the supergraph."""

    # federation spec name -> name in the supergraph (only those applied somewhere)
    federation: dict[str, str] = field(default_factory=dict)
    # subgraph -> custom directive names (local) composed from it
    custom_by_subgraph: dict[str, set[str]] = field(default_factory=dict)
    # supergraph name -> definition to use
    custom_definitions: dict[str, DirectiveDefinition] = field(default_factory=dict)
    # links to add to the supergraph: (url, [(spec name, supergraph name)])
    custom_links: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)

    def is_merged(self, subgraph: Subgraph, directive_name: str) -> bool:
        if directive_name in self.custom_by_subgraph.get(subgraph.name, set()):
            return True
        if directive_name in self.federation.values():
            spec = subgraph.spec_name(directive_name)
            return spec is not None and self.federation.get(spec) == directive_name
        return directive_name in BUILT_IN_DIRECTIVES


def collect_composed(subgraphs: list[Subgraph], reporter: Reporter) -> ComposedDirectives:
    result = ComposedDirectives()
    _default_composed(subgraphs, reporter, result)
    _custom_composed(subgraphs, reporter, result)
    return result


def _applied_names(subgraph: Subgraph) -> set[str]:
    names: set[str] = set()
    schema = subgraph.schema
    names.update(d.name for d in schema.schema_directives)
    for t in schema.types.values():
        names.update(d.name for d in t.directives)
        for f in t.fields.values():
            names.update(d.name for d in f.directives)
            for a in f.args.values():
                names.update(d.name for d in a.directives)
        for v in t.input_fields.values():
            names.update(d.name for d in v.directives)
        for e in t.values.values():
            names.update(d.name for d in e.directives)
    for definition in schema.directive_definitions.values():
        for a in definition.args.values():
            names.update(d.name for d in a.directives)
    return names


def _default_composed(
    subgraphs: list[Subgraph], reporter: Reporter, result: ComposedDirectives
) -> None:
    for spec_name in DEFAULT_COMPOSED:
        local_names: dict[str, str] = {}
        for subgraph in subgraphs:
            local = subgraph.name_of(spec_name)
            if local is not None and local in _applied_names(subgraph):
                local_names[subgraph.name] = local
        if not local_names:
            continue
        distinct = sorted(set(local_names.values()))
        if len(distinct) > 1:
            described = " and ".join(
                f'"@{name}" in {subgraph_names([s for s, n in local_names.items() if n == name])}'
                for name in distinct
            )
            reporter.error(
                "LINK_IMPORT_NAME_MISMATCH",
                f'The "@{spec_name}" directive (from {DEFAULT_COMPOSED[spec_name][0]}) is '
                f"imported with mismatched name between subgraphs: it is imported as {described}",
                subgraphs=list(local_names),
                coordinate=f"@{spec_name}",
            )
            continue
        result.federation[spec_name] = distinct[0]


def _custom_composed(
    subgraphs: list[Subgraph], reporter: Reporter, result: ComposedDirectives
) -> None:
    requests: list[_Request] = []
    for subgraph in subgraphs:
        compose_name = subgraph.name_of("composeDirective")
        if compose_name is None:
            continue
        for application in subgraph.schema.schema_directives:
            if application.name != compose_name:
                continue
            request = _read_request(subgraph, application.arg("name"), reporter)
            if request is not None:
                requests.append(request)
    rejected: set[str] = set()
    by_name: dict[str, list[_Request]] = {}
    by_spec_name: dict[tuple[str, str], list[_Request]] = {}
    for request in requests:
        by_name.setdefault(request.local_name, []).append(request)
        by_spec_name.setdefault((request.link.url.identity, request.spec_name), []).append(request)
    for name, group in by_name.items():
        if len({r.spec_name for r in group}) > 1:
            rejected.add(name)
            _composition_error(
                reporter,
                f'Composed directive "@{name}" does not refer to the same directive in every '
                "subgraph",
                group,
            )
        if len({r.link.url.identity for r in group}) > 1:
            rejected.add(name)
            _composition_error(
                reporter,
                f'Composed directive "@{name}" is not linked by the same core feature in every '
                "subgraph",
                group,
            )
    for group in by_spec_name.values():
        if len({r.local_name for r in group}) > 1:
            rejected.update(r.local_name for r in group)
            _composition_error(
                reporter, "Composed directive is not named consistently in all subgraphs", group
            )
    latest = _latest_links(subgraphs, requests, reporter)
    links: dict[str, list[tuple[str, str]]] = {}
    for request in requests:
        identity = request.link.url.identity
        if request.local_name in rejected or identity not in latest:
            continue
        result.custom_by_subgraph.setdefault(request.subgraph, set()).add(request.local_name)
        entry = links.setdefault(str(latest[identity][0].url), [])
        if (request.spec_name, request.local_name) not in entry:
            entry.append((request.spec_name, request.local_name))
        if request.local_name not in result.custom_definitions:
            definition = _definition_from_latest(subgraphs, latest[identity], request, reporter)
            if definition is not None:
                result.custom_definitions[request.local_name] = definition
    result.custom_links = list(links.items())


def _read_request(subgraph: Subgraph, argument: object, reporter: Reporter) -> _Request | None:
    name = subgraph.name
    if not isinstance(argument, str) or argument == "":
        reporter.error(
            "DIRECTIVE_COMPOSITION_ERROR",
            f'Argument to @composeDirective in subgraph "{name}" cannot be NULL or an empty String',
            subgraphs=(name,),
            coordinate="@composeDirective",
        )
        return None
    if not argument.startswith("@"):
        reporter.error(
            "DIRECTIVE_COMPOSITION_ERROR",
            f'Argument to @composeDirective "{argument}" in subgraph "{name}" must have a '
            'leading "@"',
            subgraphs=(name,),
            coordinate="@composeDirective",
        )
        return None
    local = argument[1:]
    if subgraph.spec_name(local) is not None:
        if subgraph.spec_name(local) in _BY_DEFAULT:
            reporter.hint(
                "DIRECTIVE_COMPOSITION_INFO",
                f'Directive "@{local}" should not be explicitly manually composed since it is a '
                "federation directive composed by default",
                subgraphs=(name,),
            )
        else:
            reporter.error(
                "DIRECTIVE_COMPOSITION_ERROR",
                f'Composing federation directive "@{local}" in subgraph "{name}" is not supported',
                subgraphs=(name,),
                coordinate=f"@{local}",
            )
        return None
    if local not in subgraph.schema.directive_definitions:
        reporter.error(
            "DIRECTIVE_COMPOSITION_ERROR",
            f"Could not find matching directive definition for argument to @composeDirective "
            f'"@{local}" in subgraph "{name}".',
            subgraphs=(name,),
            coordinate=f"@{local}",
        )
        return None
    found = subgraph.link_for(local)
    if found is None:
        reporter.error(
            "DIRECTIVE_COMPOSITION_ERROR",
            f'Directive "@{local}" in subgraph "{name}" cannot be composed because it is not a '
            "member of a core feature",
            subgraphs=(name,),
            coordinate=f"@{local}",
        )
        return None
    link, spec_name = found
    if link.url.identity in _DISALLOWED_IDENTITIES:
        reporter.error(
            "DIRECTIVE_COMPOSITION_ERROR",
            f'Composing federation directive "@{local}" in subgraph "{name}" is not supported',
            subgraphs=(name,),
        )
        return None
    return _Request(name, link, spec_name, local)


def _composition_error(reporter: Reporter, message: str, group: list[_Request]) -> None:
    reporter.error(
        "DIRECTIVE_COMPOSITION_ERROR",
        message,
        subgraphs=sorted({r.subgraph for r in group}),
        coordinate=f"@{group[0].local_name}",
    )


def _latest_links(
    subgraphs: list[Subgraph], requests: list[_Request], reporter: Reporter
) -> dict[str, tuple[Link, list[str]]]:
    """Per composed spec identity: the latest version linked, and the subgraphs linking it."""
    composed_by: dict[str, set[str]] = {}
    for request in requests:
        composed_by.setdefault(request.link.url.identity, set()).add(request.subgraph)
    latest: dict[str, tuple[Link, list[str]]] = {}
    for identity, users in composed_by.items():
        linked = [
            (link, s.name) for s in subgraphs for link in s.links if link.url.identity == identity
        ]
        composed = [(link, name) for link, name in linked if name in users]
        majors = {link.url.version[0] for link, _ in composed}
        if len(majors) > 1:
            reporter.error(
                "DIRECTIVE_COMPOSITION_ERROR",
                f'Core feature "{identity}" requested to be merged has major version mismatch '
                "across subgraphs",
                subgraphs=sorted(users),
            )
            continue
        best = max(composed, key=lambda pair: pair[0].url.version)[0]
        with_best = [name for link, name in linked if link.url.version == best.url.version]
        latest[identity] = (best, list(reversed(with_best)))
    return latest


def _definition_from_latest(
    subgraphs: list[Subgraph],
    latest: tuple[Link, list[str]],
    request: _Request,
    reporter: Reporter,
) -> DirectiveDefinition | None:
    link, subgraph_names_with_latest = latest
    by_name = {s.name: s for s in subgraphs}
    for name in subgraph_names_with_latest:
        subgraph = by_name[name]
        local = next(
            (
                candidate.directive_name(request.spec_name)
                for candidate in subgraph.links
                if candidate.url.identity == link.url.identity
            ),
            None,
        )
        if local is not None and local in subgraph.schema.directive_definitions:
            return subgraph.schema.directive_definitions[local]
    reporter.error(
        "DIRECTIVE_COMPOSITION_ERROR",
        f'Core feature "{link.url}" in {subgraph_names(subgraph_names_with_latest)} '
        f"{'do' if len(subgraph_names_with_latest) != 1 else 'does'} not have a directive "
        f'definition for "@{request.local_name}"',
        subgraphs=subgraph_names_with_latest,
    )
    return None
