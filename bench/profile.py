"""Profile our gateway under load with py-spy, and say where its time goes.

Two recordings while a load round runs: a flame graph (``profile.svg``) and collapsed stacks
(``--format raw``), which are summarised here by pipeline stage, by package and by function.
py-spy leaves out idle samples (the event loop waiting on sockets), so the percentages are
shares of the gateway's busy time.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Pipeline stages, by a function on the stack while the gateway is in them (py-spy names
# functions by qualified name). The first entry found on a sample's stack names its stage, so
# the list runs from the most specific stage to the most general.
STAGES: tuple[tuple[str, str], ...] = (
    ("audit: hash chain + insert", "AuditLog.append (authz/audit.py)"),
    ("audit: group commit (batched inserts)", "AuditWriter._write (authz/audit_writer.py)"),
    ("audit: group commit (batched inserts)", "AuditLog.append_many (authz/audit.py)"),
    ("audit: entry (subjects, response hash)", "AuditEntry.for_request (authz/audit.py)"),
    ("audit: entry (subjects, response hash)", "AuditEntry.for_decision (authz/audit.py)"),
    ("governance: decisions", "decide_operation (authz/decision.py)"),
    ("governance: signed context", "ContextSigner.sign (authz/context_token.py)"),
    ("governance: signed context", "ContextBatch._sign_pending (authz/context_batch.py)"),
    ("governance: signed context", "ContextBatch.headers (authz/context_batch.py)"),
    ("governance: signed context", "GovernedRequest.fetch_headers (mesh/gateway/policy.py)"),
    ("shape response (+ field guard)", "shape_response (mesh/federation/execute/response.py)"),
    ("audit: pool reset on release", "PoolConnectionHolder.release (asyncpg/pool.py)"),
    ("subgraph HTTP client", "HttpTransport.post (mesh/federation/execute/http.py)"),
    ("subgraph HTTP client", "ClientRequest.write_bytes (aiohttp/client_reqrep.py)"),
    ("subgraph HTTP client", "ResponseHandler.data_received (aiohttp/client_proto.py)"),
    ("subgraph HTTP client", "ClientSession._request (aiohttp/client.py)"),
    ("execute plan (representations, merge)", "_Run.run (mesh/federation/execute/executor.py)"),
    ("execute plan (representations, merge)", "execute_plan (mesh/federation/execute/executor.py)"),
    ("plan", "plan_operation (mesh/federation/plan/planner.py)"),
    ("parse + validate", "DocumentStage.parse (mesh/federation/pipeline/document.py)"),
    ("parse + validate", "DocumentStage.validate (mesh/federation/pipeline/document.py)"),
    ("token verification", "TokenVerifier.verify (authz/identity.py)"),
    ("gateway pipeline (other)", "Pipeline._answer (mesh/federation/pipeline/pipeline.py)"),
    ("HTTP handler (body, JSON)", "create_app.<locals>.graphql (mesh/federation/http/app.py)"),
    (
        "HTTP server (uvicorn, starlette)",
        "RequestResponseCycle.run_asgi (uvicorn/protocols/http/h11_impl.py)",
    ),
    (
        "HTTP server (uvicorn, starlette)",
        "RequestResponseCycle.run_asgi (uvicorn/protocols/http/httptools_impl.py)",
    ),
    (
        "HTTP server (uvicorn, starlette)",
        "H11Protocol.data_received (uvicorn/protocols/http/h11_impl.py)",
    ),
    (
        "HTTP server (uvicorn, starlette)",
        "HttpToolsProtocol.data_received (uvicorn/protocols/http/httptools_impl.py)",
    ),
)
PACKAGES: tuple[tuple[str, str], ...] = (
    ("graphql-core", "(graphql/"),
    ("mesh", "(mesh/"),
    ("authz", "(authz/"),
    ("aiohttp / yarl / multidict", "(aiohttp/"),
    ("aiohttp / yarl / multidict", "(yarl/"),
    ("aiohttp / yarl / multidict", "(multidict/"),
    ("httpx / httpcore / h11 / anyio", "(httpx/"),
    ("httpx / httpcore / h11 / anyio", "(httpcore/"),
    ("httpx / httpcore / h11 / anyio", "(h11/"),
    ("httpx / httpcore / h11 / anyio", "(anyio/"),
    ("uvicorn / starlette", "(uvicorn/"),
    ("uvicorn / starlette", "(starlette/"),
    ("asyncpg", "(asyncpg/"),
    ("jwt / cryptography", "(jwt/"),
    ("jwt / cryptography", "(cryptography/"),
    ("asyncio (incl. socket writes)", "(asyncio/"),
    ("cachetools", "(cachetools/"),
)


@dataclass(frozen=True)
class Profile:
    samples: int
    stages: list[tuple[str, int]]
    packages: list[tuple[str, int]]
    self_time: list[tuple[str, int]]
    inclusive: list[tuple[str, int]]


# Leaf frames that are the event loop waiting, not working: py-spy does not always see the
# thread as idle there (e.g. when epoll returns at once under load), so they are left out.
IDLE_LEAVES = frozenset({"EpollSelector.select (selectors.py)", "select (selectors.py)"})


def _frames(line: str) -> tuple[list[str], int]:
    stack, _, count = line.rpartition(" ")
    frames = [f for f in stack.split(";") if f and not f.startswith("process ")]
    return frames, int(count)


def analyse(raw: str, top: int = 25) -> Profile:
    stages: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        if not line.strip():
            continue
        frames, count = _frames(line)
        if not frames or frames[-1] in IDLE_LEAVES:
            continue
        total += count
        leaf = frames[-1]
        own[leaf] += count
        for frame in set(frames):
            inclusive[frame] += count
        stage = next(
            (name for name, marker in STAGES for f in reversed(frames) if f == marker), None
        )
        stages[stage or "event loop callbacks outside a stage"] += count
        package = next((name for name, marker in PACKAGES if marker in leaf), "other")
        packages[package] += count
    return Profile(
        total,
        stages.most_common(),
        packages.most_common(),
        own.most_common(top),
        inclusive.most_common(top),
    )


def _table(title: str, rows: list[tuple[str, int]], total: int) -> list[str]:
    lines = [f"| {title} | samples | share |", "|---|---:|---:|"]
    for name, count in rows:
        lines.append(f"| `{name}` | {count} | {100 * count / max(total, 1):.1f} % |")
    return lines


def profile_markdown(profile: Profile, context: str) -> str:
    return "\n".join(
        [
            "# Where our gateway's time goes",
            "",
            context,
            "",
            f"{profile.samples} busy samples at 100 Hz (samples of the event loop waiting in "
            "epoll are left out, so shares are of the gateway's busy time).",
            "",
            "## By pipeline stage (innermost stage on the stack)",
            "",
            *_table("stage", profile.stages, profile.samples),
            "",
            "## By package (where the CPU was when sampled)",
            "",
            *_table("package", profile.packages, profile.samples),
            "",
            "## Top functions, own time",
            "",
            *_table("function", profile.self_time, profile.samples),
            "",
            "## Top functions, inclusive (on the stack)",
            "",
            *_table("function", profile.inclusive, profile.samples),
            "",
        ]
    )


def py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def record_under_load(
    pid: int, seconds: int, out: Path, fmt: str, load: Callable[[], object]
) -> None:
    """Record ``pid`` for ``seconds`` while ``load()`` runs (it should last longer)."""
    binary = py_spy()
    if binary is None:
        raise RuntimeError("py-spy is not installed: .venv/bin/pip install py-spy")
    argv = [binary, "record", "--pid", str(pid), "--duration", str(seconds)]
    argv += ["--format", fmt, "--output", str(out), "--nonblocking", "--nolineno"]
    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    worker.join()
    if done.returncode != 0:
        raise RuntimeError(f"py-spy failed: {done.stderr[-1000:]}")
