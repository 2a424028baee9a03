"""What a conformance case is: subgraphs (SDL + data + resolvers) and probes (query → answer).

A case is plain data so that every runner (Apollo's gateway, our engine from Apollo's
supergraph, our engine from our own composition, the differential test) reads the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Resolver = Callable[[Any, Mapping[str, Any]], Any]
"""A field resolver: ``(parent value, arguments) -> value``."""

ReferenceResolver = Callable[[Mapping[str, Any]], Any]
"""An entity reference resolver (``__resolveReference``): representation → object or None."""


@dataclass(frozen=True, kw_only=True)
class ScalarCodec:
    """How a subgraph reads and writes one custom scalar (invalid input raises ValueError)."""

    parse: Callable[[Any], Any]
    serialize: Callable[[Any], Any] = field(default=lambda value: value)


@dataclass(frozen=True, kw_only=True)
class HttpFault:
    """What a broken subgraph answers to every request, whatever it was asked: an HTTP
    status and a body (not necessarily JSON, not necessarily GraphQL)."""

    status: int
    body: str
    content_type: str = "application/json"


@dataclass(frozen=True, kw_only=True)
class Subgraph:
    """One federated subgraph of a case.

    ``sdl`` is what the subgraph answers to ``{ _service { sdl } }`` (Fed 1 or Fed 2 style).
    Objects are dicts; an abstract-typed value carries ``__typename``. ``down`` leaves the
    subgraph unserved: its URL refuses connections.
    """

    name: str
    sdl: str
    resolvers: Mapping[str, Mapping[str, Resolver]] = field(default_factory=dict)
    references: Mapping[str, ReferenceResolver] = field(default_factory=dict)
    scalars: Mapping[str, ScalarCodec] = field(default_factory=dict)
    down: bool = False
    fault: HttpFault | None = None


@dataclass(frozen=True, kw_only=True)
class ExpectedError:
    """An error the answer must contain: ``path`` exactly when given, ``message`` as a part."""

    path: tuple[str | int, ...] | None = None
    message: str | None = None
    code: str | None = None


ANY_ERROR: tuple[ExpectedError, ...] = (ExpectedError(),)
"""At least one error, whatever it says."""


@dataclass(frozen=True, kw_only=True)
class ApolloDifference:
    """@apollo/gateway answers this probe differently from what the spec requires.

    ``reason`` says why Apollo's answer is wrong; the probe's expectation stays the spec's.
    """

    reason: str


@dataclass(frozen=True, kw_only=True)
class Probe:
    """One operation sent to the gateway and the answer the spec requires.

    ``data`` is compared exactly (``None`` also matches an absent ``data``). ``errors`` empty
    means the answer must have no errors; otherwise each expected error must match one.
    ``requests`` pins how many requests each named subgraph receives, where that is the point
    (a skipped branch is not fetched; fetches to one subgraph are batched).
    """

    label: str
    query: str
    data: Any
    variables: Mapping[str, Any] | None = None
    operation_name: str | None = None
    headers: Mapping[str, str] | None = None  # e.g. a bearer token (see ``support.bearer``)
    errors: tuple[ExpectedError, ...] = ()
    requests: Mapping[str, int] | None = None
    apollo: ApolloDifference | None = None


@dataclass(frozen=True, kw_only=True)
class Case:
    """A federation behaviour: the subgraphs that exhibit it and the probes that check it.

    ``reset`` puts stateful subgraphs (mutations) back before every probe.
    """

    name: str
    behaviour: str
    subgraphs: tuple[Subgraph, ...]
    probes: tuple[Probe, ...]
    reset: Callable[[], None] | None = None

    def subgraph(self, name: str) -> Subgraph:
        for subgraph in self.subgraphs:
            if subgraph.name == name:
                return subgraph
        raise KeyError(f"case {self.name} has no subgraph {name!r}")

    def probe(self, label: str) -> Probe:
        for probe in self.probes:
            if probe.label == label:
                return probe
        raise KeyError(f"case {self.name} has no probe {label!r}")
