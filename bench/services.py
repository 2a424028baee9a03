"""The processes a bench run starts: the eight subgraphs once, then each gateway.

Each runs in its own process group with its output in a log file under the run's work
directory, dies with the harness (``PR_SET_PDEATHSIG``), and is stopped by its own id:
SIGTERM to its group, then SIGKILL after a grace period.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

_PR_SET_PDEATHSIG = 1
_STOP_GRACE = 5.0


class ServiceError(RuntimeError):
    """A service exited or never became ready; the message ends with its log's tail."""


def _die_with_parent() -> None:  # runs in the child between fork and exec
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Service:
    name: str
    argv: Sequence[str]
    log_path: Path
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.name} is not running"
        return self.process.pid

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("wb")  # one run per log
        self.process = subprocess.Popen(
            list(self.argv),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **self.env},
            cwd=self.cwd,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def check_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            raise ServiceError(
                f"{self.name} exited with {self.process.returncode}; its log "
                f"({self.log_path}) ends:\n{self.log_tail()}"
            )

    def stop(self) -> None:
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(_STOP_GRACE)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(_STOP_GRACE)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # whatever it left in its group
        if self._log is not None:
            self._log.close()
            self._log = None
        self.process = None


def wait_ready(
    services: Sequence[Service],
    probe: Mapping[str, httpx.Request],
    timeout: float,
) -> None:
    """Poll each service's probe request until it answers 200 (one deadline for all)."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2.0) as client:
        for service in services:
            request = probe[service.name]
            last = "no answer"
            while True:
                service.check_alive()
                try:
                    response = client.send(request)
                    if response.status_code == 200:
                        break
                    last = f"HTTP {response.status_code}: {response.text[:200]}"
                except httpx.HTTPError as exc:
                    last = type(exc).__name__
                if time.monotonic() > deadline:
                    raise ServiceError(
                        f"{service.name} not ready after {timeout:.0f} s ({last}); its log "
                        f"ends:\n{service.log_tail()}"
                    )
                time.sleep(0.25)


def stop_all(services: Sequence[Service]) -> None:
    for service in reversed(services):
        service.stop()
