"""A process's own resource accounting, read from ``/proc`` (Linux only).

CPU is ``utime + stime`` of the process and every live descendant (a gateway that forks
workers is charged for them), so the load tool and the subgraphs never blur a gateway's
figure. Peak memory is ``VmHWM``, which ``reset_peak`` sets back to the current RSS (writing
``5`` to ``clear_refs``), so that each round reports its own peak.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_PROC = Path("/proc")
_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuSample:
    seconds: float  # user + system CPU of the tree
    pids: tuple[int, ...]


def _children(pid: int) -> list[int]:
    found: list[int] = []
    task_dir = _PROC / str(pid) / "task"
    try:
        tasks = list(task_dir.iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            text = (task / "children").read_text()
        except OSError:
            continue
        found.extend(int(p) for p in text.split())
    return found


def process_tree(pid: int) -> list[int]:
    """``pid`` and its live descendants."""
    tree, queue = [], [pid]
    while queue:
        current = queue.pop()
        tree.append(current)
        queue.extend(_children(current))
    return tree


def _cpu_ticks(pid: int) -> int:
    try:
        text = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0
    # The command name may hold spaces; the fields after its closing parenthesis do not.
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def cpu(pid: int) -> CpuSample:
    pids = tuple(process_tree(pid))
    return CpuSample(sum(_cpu_ticks(p) for p in pids) / _TICKS, pids)


def _status_kib(pid: int, key: str) -> int:
    try:
        lines = (_PROC / str(pid) / "status").read_text().splitlines()
    except OSError:
        return 0
    for line in lines:
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def peak_rss_mib(pid: int) -> float:
    """Sum of ``VmHWM`` over the tree (an upper bound when several processes peak apart)."""
    return sum(_status_kib(p, "VmHWM") for p in process_tree(pid)) / 1024


def rss_mib(pid: int) -> float:
    return sum(_status_kib(p, "VmRSS") for p in process_tree(pid)) / 1024


def reset_peak(pid: int) -> bool:
    """Reset ``VmHWM`` to the current RSS for the tree; False when the kernel refuses."""
    ok = True
    for p in process_tree(pid):
        try:
            (_PROC / str(p) / "clear_refs").write_text("5")
        except OSError:
            ok = False
    return ok
