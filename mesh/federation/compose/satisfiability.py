"""Satisfiability: every field a client can query must be resolvable by some chain of subgraph
fetches, or composition fails with ``SATISFIABILITY_ERROR`` and the query that cannot be served.

The check walks the API schema from its roots like a client would. Beside each step it keeps
every way the subgraphs can reach the same place: a position is (subgraph, type) and moves by
collecting a field there (if that subgraph resolves it and its ``@requires`` can be met), by a
type condition, or by jumping to another subgraph through a ``@key`` whose fields can be
collected where we are (or, below the root, from one root type to another). ``@provides``
makes external fields reachable under the providing field; ``@interfaceObject`` types stand
for every implementation once some subgraph can tell the ``__typename``. This is the algorithm
of Apollo's composition validation, simplified where it only prunes equivalent paths.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mesh.federation.compose.errors import Reporter
from mesh.federation.compose.model import base_type
from mesh.federation.compose.positions import (
    LEAF_KINDS,
    Position,
    Reason,
    Step,
    unique_positions,
)
from mesh.federation.compose.subgraph_moves import SubgraphMoves
from mesh.federation.compose.supergraph_view import ApiType, SupergraphView, read_supergraph
from mesh.federation.compose.witness import witness


@dataclass
class _State:
    type: str
    path: tuple[Step, ...]
    positions: list[Position]
    overrides: tuple[tuple[str, bool], ...] = ()
    # Below a top-level mutation field several subgraphs could run: (field, the one running it).
    mutation: tuple[str, str] | None = None


def check_supergraph(sdl: str, reporter: Reporter) -> None:
    """Report ``SATISFIABILITY_ERROR`` for every supergraph query no subgraphs can serve."""
    Satisfiability(read_supergraph(sdl), reporter).run()


class Satisfiability:
    def __init__(self, view: SupergraphView, reporter: Reporter) -> None:
        self.view = view
        self.api = view.api
        self.reporter = reporter
        self.labels = self._override_labels()
        self.moves = SubgraphMoves(view)
        self._visits: dict[str, list[tuple[frozenset[str], tuple[tuple[str, bool], ...]]]] = {}
        self._mutation_errors: dict[str, dict[str, list[str]]] = {}

    def _override_labels(self) -> dict[tuple[str, str], str]:
        labels: dict[tuple[str, str], str] = {}
        for sub in self.view.subgraphs.values():
            for t in sub.types.values():
                for f in t.fields.values():
                    if f.override_condition is not None:
                        labels[(t.name, f.name)] = f.override_condition[0]
        return labels

    # -- traversal of the API schema ------------------------------------------------------

    def run(self) -> None:
        stack: list[_State] = []
        for operation in ("query", "mutation", "subscription"):
            root = self.view.roots.get(operation)
            if root is None or root not in self.api:
                continue
            positions = [
                Position(sub.name, root, runtime=frozenset({root}))
                for sub in self.view.subgraphs.values()
                if sub.roots.get(operation) == root and sub.types[root].fields
            ]
            stack.append(_State(root, (), positions))
        while stack:
            state = stack.pop()
            if self._seen(state):
                continue
            for step in self._steps(self.api[state.type]):
                for overrides in self._override_choices(step, state.overrides):
                    for new_state in self._advance_state(state, step, overrides):
                        if self.api[new_state.type].kind not in LEAF_KINDS:
                            stack.append(new_state)
        self._report_mutations()

    def _report_mutations(self) -> None:
        """A mutation runs in one subgraph: fail only if no subgraph's call serves it all."""
        for coordinate, by_subgraph in self._mutation_errors.items():
            if any(not errors for errors in by_subgraph.values()):
                continue
            parts = [
                f'Supergraph API queries using the mutation field "{coordinate}" at top-level must '
                "be satisfiable without needing to call that field from multiple subgraphs, but "
                "every subgraph with that field encounters satisfiability errors. Please fix these "
                "satisfiability errors for (at least) one of the following subgraphs with the "
                "mutation field:"
            ]
            for subgraph, errors in by_subgraph.items():
                parts.append(
                    f'- When calling "{coordinate}" at top-level from subgraph "{subgraph}":'
                )
                parts.extend("  " + line for error in errors for line in error.splitlines())
            self.reporter.error(
                "SATISFIABILITY_ERROR",
                "\n".join(parts),
                subgraphs=list(by_subgraph),
                coordinate=coordinate,
            )

    def _seen(self, state: _State) -> bool:
        keys = frozenset(f"{p.graph}.{p.type}" for p in state.positions)
        previous = self._visits.setdefault(state.type, [])
        for seen_keys, seen_overrides in previous:
            if seen_keys <= keys and set(seen_overrides) <= set(state.overrides):
                return True
        previous.append((keys, state.overrides))
        return False

    def _steps(self, t: ApiType) -> Iterator[Step]:
        # As in Apollo's API query graph, fields of an interface are not steps of their own:
        # they are checked on every implementation, after the type condition.
        if t.kind == "object":
            for f in t.fields.values():
                target = base_type(f.type)
                if target in self.api:
                    yield Step("field", f.name, t.name, target)
        if t.kind in ("interface", "union"):
            for runtime in self.view.api_runtime_types(t.name):
                yield Step("cast", runtime, t.name, runtime)

    def _override_choices(
        self, step: Step, selected: tuple[tuple[str, bool], ...]
    ) -> Iterator[tuple[tuple[str, bool], ...]]:
        label = self.labels.get((step.parent, step.name)) if step.kind == "field" else None
        if label is None or label in dict(selected):
            yield selected
            return
        yield (*selected, (label, True))
        yield (*selected, (label, False))

    def _advance_state(
        self, state: _State, step: Step, overrides: tuple[tuple[str, bool], ...]
    ) -> list[_State]:
        path = (*state.path, step)
        positions: list[Position] = []
        reasons: list[Reason] = []
        for position in state.positions:
            outcome = self.moves.advance(position, step, dict(overrides))
            if outcome.impossible:
                return []
            positions.extend(outcome.positions)
            reasons.extend(outcome.reasons)
        if not positions:
            message = self._message(path, reasons)
            if state.mutation is not None:
                field, subgraph = state.mutation
                self._mutation_errors[field][subgraph].append(message)
            else:
                self._report(path, reasons, message)
            return []
        positions = unique_positions(positions)
        if step.kind == "field" and not self._shared_runtime_types_intersect(path, positions):
            return []
        is_top_mutation = (
            not state.path
            and step.kind == "field"
            and self.view.roots.get("mutation") == state.type
        )
        callers = sorted({p.graph for p in positions})
        if is_top_mutation and len(callers) > 1:
            coordinate = f"{step.parent}.{step.name}"
            self._mutation_errors[coordinate] = {graph: [] for graph in callers}
            return [
                _State(
                    step.target,
                    path,
                    [p for p in positions if p.graph == graph],
                    overrides,
                    (coordinate, graph),
                )
                for graph in callers
            ]
        return [_State(step.target, path, positions, overrides, state.mutation)]

    def _shared_runtime_types_intersect(
        self, path: tuple[Step, ...], positions: list[Position]
    ) -> bool:
        """A shared field of abstract type must have common runtime types in its subgraphs."""
        step = path[-1]
        target = self.api[step.target]
        if len(positions) < 2 or target.kind not in ("interface", "union"):
            return True
        if not self._is_shared(step.parent, step.name):
            return True
        abstract = [
            p
            for p in positions
            if (t := self.view.subgraphs[p.graph].types.get(p.type)) is not None
            and t.kind in ("interface", "union")
        ]
        if len(abstract) < 2:
            return True
        everything = sorted(self.view.api_runtime_types(step.target))
        intersection = set(everything)
        per_subgraph: dict[str, list[str]] = {}
        for position in positions:
            names = sorted(position.runtime)
            if len(names) == 1 and names[0] not in everything:
                continue
            per_subgraph.setdefault(position.graph, names)
            intersection &= set(names)
        if not any(per_subgraph.values()) or intersection:
            if len({tuple(v) for v in per_subgraph.values()}) > 1:
                self.reporter.hint(
                    "INCONSISTENT_RUNTIME_TYPES_FOR_SHAREABLE_RETURN",
                    f'Shared field "{step.parent}.{step.name}" return type has different sets of '
                    "possible runtime types across subgraphs.",
                    subgraphs=list(per_subgraph),
                    coordinate=f"{step.parent}.{step.name}",
                )
            return True
        described = ";\n".join(
            f' - in subgraph "{graph}", '
            + (
                ("types " if len(names) > 1 else "type ") + ", ".join(f'"{n}"' for n in names)
                if names
                else "no runtime type is defined"
            )
            for graph, names in per_subgraph.items()
        )
        self.reporter.error(
            "SHAREABLE_HAS_MISMATCHED_RUNTIME_TYPES",
            f"For the following supergraph API query:\n{witness(path, self.view)}\nShared field "
            f'"{step.parent}.{step.name}" return type has a non-intersecting set of possible '
            f"runtime types across subgraphs. Runtime types in subgraphs are:\n{described}.\n"
            "This is not allowed as shared fields must resolve the same way in all subgraphs, "
            "and that implies at least some common runtime types between the subgraphs.",
            subgraphs=list(per_subgraph),
            coordinate=f"{step.parent}.{step.name}",
        )
        return False

    def _is_shared(self, type_name: str, field_name: str) -> bool:
        if self.api[type_name].kind != "object":
            return False
        resolving = 0
        for sub in self.view.subgraphs.values():
            t = sub.types.get(type_name)
            f = t.fields.get(field_name) if t else None
            if f is not None and not f.external:
                resolving += 1
        return resolving > 1

    # -- one subgraph position, one step ----------------------------------------------------------

    def _message(self, path: tuple[Step, ...], reasons: list[Reason]) -> str:
        """The query that cannot be served and, per subgraph, why (Apollo's wording)."""
        operation = witness(path, self.view)
        by_source: dict[str, list[str]] = {}
        for reason in reasons:
            details = by_source.setdefault(reason.source, [])
            if reason.details not in details:
                details.append(reason.details)
        lines = []
        for source, details in by_source.items():
            if len(details) == 1:
                lines.append(f'- from subgraph "{source}": {details[0]}.')
            else:
                lines.append(
                    f'- from subgraph "{source}":\n' + "\n".join(f"  - {d}." for d in details)
                )
        return (
            f"The following supergraph API query:\n{operation}\ncannot be satisfied by the "
            "subgraphs because:\n" + "\n".join(lines)
        )

    def _report(self, path: tuple[Step, ...], reasons: list[Reason], message: str) -> None:
        last = path[-1]
        coordinate = f"{last.parent}.{last.name}" if last.kind == "field" else last.name
        self.reporter.error(
            "SATISFIABILITY_ERROR",
            message,
            subgraphs=list(dict.fromkeys(r.source for r in reasons)),
            coordinate=coordinate,
        )
