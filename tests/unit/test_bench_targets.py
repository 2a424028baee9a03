"""The bench's target lines read the household figures of the right gateways."""

from __future__ import annotations

from bench.measure import Summary
from bench.report import APOLLO, HIVE, HIVE_RUST, OURS, Results, targets


def _household(gateway: str, cpu_ms: float, rps: float) -> Summary:
    return Summary("household", gateway, 3, rps, 100.0, 200.0, cpu_ms, 100.0, 0.0, 10.0, 0)


def test_each_cpu_target_compares_ours_with_its_own_peer() -> None:
    summaries = [
        _household(OURS, 6.0, 40.0),
        _household(HIVE_RUST, 5.4, 45.0),
        _household(APOLLO, 8.0, 30.0),
        _household(HIVE, 15.0, 20.0),
    ]
    results = Results({}, {}, {}, [], summaries, [], [])
    lines = targets(results, None)
    rust = next(line for line in lines if "Rust planner" in line)
    apollo = next(line for line in lines if "@apollo/gateway" in line)
    assert "6.00 vs 5.40 (1.11x) — **missed**" in rust
    assert "6.00 vs 8.00 (0.75x) — **missed**" in apollo
    throughput = next(line for line in lines if "throughput" in line)
    assert "40.0 vs 20.0 req/s (2.00x) — met" in throughput


def test_a_cpu_target_within_its_bound_is_met() -> None:
    summaries = [_household(OURS, 3.0, 40.0), _household(APOLLO, 8.0, 30.0)]
    lines = targets(Results({}, {}, {}, [], summaries, [], []), None)
    assert any("3.00 vs 8.00 (0.38x) — met" in line for line in lines)
