"""Print how our composition agrees with @apollo/composition over the corpus.

.venv/bin/python -m tests.federation.composition.agreement [-v] [CASE...]
"""

from __future__ import annotations

import sys
import time

from mesh.federation.compose import compose
from tests.federation.composition.apollo import compose_with_apollo
from tests.federation.composition.corpus import load_cases
from tests.federation.composition.supergraph_diff import supergraph_differences


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    wanted = [a for a in argv if not a.startswith("-")]
    cases = [c for c in load_cases() if not wanted or c.name in wanted]
    theirs = compose_with_apollo(cases)
    same_decision = same_codes = same_supergraph = expected_ok = same_hints = 0
    accepted = 0
    problems: list[str] = []
    started = time.perf_counter()
    for case in cases:
        ours = compose(case.subgraphs)
        apollo = theirs[case.name]
        our_codes = sorted({e.code for e in ours.errors})
        their_codes = sorted({e["code"] for e in apollo["errors"]})
        expected = case.expect_ok == apollo["ok"] and (
            apollo["ok"] or set(their_codes) == set(case.expect_codes)
        )
        expected_ok += expected
        if not expected:
            expects = sorted(case.expect_codes) or "ok"
            problems.append(f"{case.name}: Apollo {their_codes or 'ok'} but case expects {expects}")
        if ours.ok == apollo["ok"]:
            same_decision += 1
            if our_codes == their_codes:
                same_codes += 1
            else:
                problems.append(f"{case.name}: codes ours {our_codes} vs Apollo {their_codes}")
        else:
            problems.append(
                f"{case.name}: ours {our_codes or 'ok'} vs Apollo {their_codes or 'ok'}"
            )
            if verbose:
                for e in [*ours.errors[:3]]:
                    problems.append(f"    ours: {e}")
                for e in apollo["errors"][:3]:
                    problems.append(f"    apollo: {e['code']}: {e['message'][:600]}")
        if ours.ok and apollo["ok"]:
            accepted += 1
            our_hints = sorted(h.code for h in ours.hints)
            their_hints = sorted(h["code"] for h in apollo["hints"])
            if our_hints == their_hints:
                same_hints += 1
            elif verbose:
                problems.append(f"{case.name}: hints ours {our_hints} vs Apollo {their_hints}")
            assert ours.supergraph_sdl is not None
            diff = supergraph_differences(ours.supergraph_sdl, apollo["supergraph"])
            if diff:
                problems.append(f"{case.name}: supergraph differs: " + "; ".join(diff[:6]))
            else:
                same_supergraph += 1
    elapsed = time.perf_counter() - started
    for line in problems:
        print(line)
    n = len(cases)
    print(f"cases {n}; Apollo matches the expectations written in the corpus: {expected_ok}/{n}")
    print(f"same accept/reject decision: {same_decision}/{n}")
    print(f"same error codes (and decision): {same_codes}/{n}")
    print(f"equivalent supergraphs where both accept: {same_supergraph}/{accepted}")
    print(f"same hint codes where both accept (informational): {same_hints}/{accepted}")
    print(f"our composition time over the corpus: {elapsed:.2f} s")
    return 0 if same_codes == n and same_supergraph == accepted else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
