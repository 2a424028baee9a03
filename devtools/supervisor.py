"""Run a set of named services as child processes, and take them all down together.

Each service is one command. Its output (stdout and stderr merged) is printed line by line
behind its name, padded and coloured; readiness is an HTTP URL polled until it answers 200; a
service that exits on its own is restarted with a doubling backoff, and one that keeps failing
is given up on, which stops the whole set (a set of services is only useful whole). Stopping
sends SIGTERM to every service's process group, then SIGKILL to whatever is left after a grace
period (at once on a second Ctrl-C).

Children never outlive the supervisor: each runs in its own process group (so a grandchild is
signalled with it), and on Linux is also told by the kernel to exit when the supervisor dies,
even by SIGKILL.

The supervisor knows nothing of what the services are: argv, environment and a URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType

import httpx
from rich.console import Console
from rich.text import Text

__all__ = [
    "ReadinessTimeout",
    "RestartPolicy",
    "Service",
    "ServiceFailed",
    "StopRequested",
    "Supervisor",
    "describe_exit",
]

_COLOURS = (
    "cyan",
    "magenta",
    "green",
    "yellow",
    "blue",
    "bright_red",
    "bright_cyan",
    "bright_magenta",
    "bright_green",
    "bright_yellow",
    "bright_blue",
)
_LINE_LIMIT = 1024 * 1024  # longest output line kept, in bytes
_DRAIN_AFTER_EXIT = 2.0  # how long output is still read once a service has exited (s)
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_PR_SET_PDEATHSIG = 1


class ServiceFailed(RuntimeError):
    """A service kept exiting and the supervisor gave up restarting it."""


class ReadinessTimeout(TimeoutError):
    """A service did not answer its readiness URL with 200 before the deadline."""


class StopRequested(RuntimeError):
    """The supervisor was asked to stop (a signal, or a service gave up) while waiting."""


@dataclass(frozen=True)
class Service:
    """One long-running command. ``env`` is added to the supervisor's own environment."""

    name: str
    argv: Sequence[str]
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: str | None = None


@dataclass(frozen=True)
class RestartPolicy:
    """How a service that exits on its own is restarted.

    The n-th consecutive restart waits ``first_delay * 2**(n-1)`` seconds (at most
    ``max_delay``); after ``max_restarts`` of them the service is given up on. A run that
    lasted ``stable_after`` seconds or more starts the count afresh.
    """

    max_restarts: int = 5
    first_delay: float = 0.5
    max_delay: float = 8.0
    stable_after: float = 30.0

    def delay(self, attempt: int) -> float:
        return float(min(self.max_delay, self.first_delay * 2 ** max(attempt - 1, 0)))


@dataclass
class _Supervised:
    service: Service
    colour: str
    process: asyncio.subprocess.Process | None = None
    output: asyncio.Task[None] | None = None
    watcher: asyncio.Task[None] | None = None
    started_at: float = 0.0
    restarts: int = 0


def describe_exit(code: int) -> str:
    """'exited with code 3', or 'was killed by SIGKILL' for a negative return code."""
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


def _exit_with_parent() -> Callable[[], None] | None:
    """A pre-exec hook asking Linux to SIGTERM the child when this process dies."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()
    sigterm = int(signal.SIGTERM)

    def hook() -> None:
        prctl(_PR_SET_PDEATHSIG, sigterm)
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)

    return hook


def _signal_group(pid: int, sig: signal.Signals) -> None:
    """Signal a service's whole process group (its pid leads the group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


class Supervisor:
    """Starts services, prints their output, restarts them, and stops them all.

    Use as ``async with Supervisor(console) as supervisor:``; leaving the block stops every
    service. ``stop_on_signals()`` turns SIGINT, SIGTERM and SIGHUP into a stop request.
    """

    def __init__(
        self,
        console: Console | None = None,
        *,
        grace: float = 5.0,
        restart: RestartPolicy | None = None,
    ) -> None:
        self._console = console or Console()
        self._grace = grace
        self._restart = restart or RestartPolicy()
        self._services: dict[str, _Supervised] = {}
        self._stop = asyncio.Event()
        self._hurry = asyncio.Event()
        self._failed: list[str] = []
        self._width = 0
        self._pre_exec = _exit_with_parent()

    async def __aenter__(self) -> Supervisor:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def services(self) -> tuple[str, ...]:
        """Every service started, in start order."""
        return tuple(self._services)

    @property
    def failed(self) -> tuple[str, ...]:
        """Services given up on, in the order they failed."""
        return tuple(self._failed)

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def pids(self) -> dict[str, int]:
        """The pid of each service's current process, while it runs."""
        return {
            name: s.process.pid
            for name, s in self._services.items()
            if s.process is not None and s.process.returncode is None
        }

    async def start(self, service: Service) -> None:
        """Start a service and begin supervising it; fails if the command cannot be run."""
        if self._stop.is_set():
            raise StopRequested(f"not starting {service.name}: the supervisor is stopping")
        if service.name in self._services:
            raise ValueError(f"a service named {service.name!r} is already supervised")
        supervised = _Supervised(service, _COLOURS[len(self._services) % len(_COLOURS)])
        self._width = max(self._width, len(service.name))
        process = await self._spawn(supervised)
        self._services[service.name] = supervised
        supervised.watcher = asyncio.create_task(
            self._watch(supervised, process), name=f"supervise {service.name}"
        )

    async def wait_ready(
        self, name: str, url: str, timeout: float = 30.0, interval: float = 0.2
    ) -> None:
        """Poll ``url`` (GET) until it answers 200; restarts along the way are waited out.

        Raises :class:`ReadinessTimeout` at the deadline, :class:`ServiceFailed` if the
        service is given up on, and :class:`StopRequested` if a stop is requested meanwhile.
        """
        if name not in self._services:
            raise KeyError(f"no service named {name!r}")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        last = "no answer"
        # Local readiness probes must not go through a proxy taken from the environment.
        async with httpx.AsyncClient(trust_env=False) as client:
            while True:
                if name in self._failed:
                    raise ServiceFailed(f"service {name} failed before it was ready")
                if self._stop.is_set():
                    raise StopRequested(f"stopped while waiting for {name} to be ready")
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise ReadinessTimeout(
                        f"service {name} was not ready within {timeout:g} s: GET {url} gave {last}"
                    )
                try:
                    response = await client.get(url, timeout=min(2.0, remaining))
                    if response.status_code == 200:
                        return
                    last = f"HTTP {response.status_code}"
                except httpx.HTTPError as exc:
                    last = type(exc).__name__
                with contextlib.suppress(TimeoutError):
                    pause = min(interval, max(deadline - loop.time(), 0.0))
                    await asyncio.wait_for(self._stop.wait(), pause)

    async def wait_all_ready(self, urls: Mapping[str, str], timeout: float = 30.0) -> None:
        """Wait for several services (name -> readiness URL) under one shared deadline."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        for name, url in urls.items():
            await self.wait_ready(name, url, timeout=max(deadline - loop.time(), 0.001))

    def request_stop(self) -> None:
        """Ask for everything to stop; asked again, skip the grace period and SIGKILL."""
        if self._stop.is_set():
            self._hurry.set()
        self._stop.set()

    @contextlib.contextmanager
    def stop_on_signals(self) -> Iterator[None]:
        """While inside, SIGINT, SIGTERM and SIGHUP request a stop instead of interrupting."""
        loop = asyncio.get_running_loop()
        for sig in _STOP_SIGNALS:
            loop.add_signal_handler(sig, self.request_stop)
        try:
            yield
        finally:
            for sig in _STOP_SIGNALS:
                loop.remove_signal_handler(sig)

    async def run(self) -> int:
        """Supervise until a stop is requested, then stop everything.

        Returns 0 after a requested stop, 1 if a service was given up on.
        """
        await self._stop.wait()
        await self.stop()
        return 1 if self._failed else 0

    async def stop(self) -> None:
        """Stop every service (SIGTERM, then SIGKILL after the grace period). Idempotent."""
        self._stop.set()
        await asyncio.gather(*(self._terminate(s) for s in self._services.values()))
        watchers = [s.watcher for s in self._services.values() if s.watcher is not None]
        await asyncio.gather(*watchers, return_exceptions=True)

    async def _spawn(self, supervised: _Supervised) -> asyncio.subprocess.Process:
        service = supervised.service
        process = await asyncio.create_subprocess_exec(
            *service.argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env={**os.environ, **service.env},
            cwd=service.cwd,
            start_new_session=True,
            preexec_fn=self._pre_exec,
            limit=_LINE_LIMIT,
        )
        supervised.process = process
        supervised.started_at = time.monotonic()
        assert process.stdout is not None
        supervised.output = asyncio.create_task(self._print_output(supervised, process.stdout))
        return process

    async def _print_output(self, supervised: _Supervised, reader: asyncio.StreamReader) -> None:
        while True:
            try:
                line = await reader.readline()
            except ValueError:  # over the line limit: the reader has dropped it
                self._line(supervised, f"[a line over {_LINE_LIMIT} bytes was dropped]")
                continue
            if not line:
                return
            self._line(supervised, line.decode(errors="replace").rstrip("\r\n"))

    def _line(self, supervised: _Supervised, line: str) -> None:
        prefix = Text(f"{supervised.service.name:<{self._width}} | ", style=supervised.colour)
        self._console.print(prefix + Text.from_ansi(line), soft_wrap=True, highlight=False)

    def _report(self, message: str, style: str) -> None:
        self._console.print(Text(message, style=style), soft_wrap=True, highlight=False)

    async def _watch(self, supervised: _Supervised, process: asyncio.subprocess.Process) -> None:
        name = supervised.service.name
        policy = self._restart
        while True:
            code = await process.wait()
            await self._drain(supervised)
            if self._stop.is_set():
                return
            if time.monotonic() - supervised.started_at >= policy.stable_after:
                supervised.restarts = 0
            if supervised.restarts >= policy.max_restarts:
                self._report(
                    f"service {name} {describe_exit(code)}; giving up after "
                    f"{supervised.restarts} restarts",
                    "bold red",
                )
                self._failed.append(name)
                self._stop.set()
                return
            supervised.restarts += 1
            self._report(
                f"service {name} {describe_exit(code)}, restarting (attempt {supervised.restarts})",
                "bold yellow",
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), policy.delay(supervised.restarts))
            if self._stop.is_set():
                return
            try:
                process = await self._spawn(supervised)
            except OSError as exc:
                self._report(f"service {name} could not be restarted: {exc}", "bold red")
                self._failed.append(name)
                self._stop.set()
                return
            if self._stop.is_set():  # stop() began while this process was being started
                await self._terminate(supervised)
                return

    async def _drain(self, supervised: _Supervised) -> None:
        """Let the output of an exited process finish printing (bounded: a grandchild may
        still hold the pipe open)."""
        if supervised.output is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(supervised.output), _DRAIN_AFTER_EXIT)
        except TimeoutError:
            supervised.output.cancel()

    async def _terminate(self, supervised: _Supervised) -> None:
        process = supervised.process
        if process is None:
            return
        if process.returncode is None:
            _signal_group(process.pid, signal.SIGTERM)
            exited = asyncio.ensure_future(process.wait())
            hurry = asyncio.ensure_future(self._hurry.wait())
            try:
                await asyncio.wait(
                    {exited, hurry}, timeout=self._grace, return_when=asyncio.FIRST_COMPLETED
                )
            finally:
                hurry.cancel()
            if not exited.done():
                self._report(
                    f"service {supervised.service.name} did not stop after SIGTERM; "
                    "sending SIGKILL",
                    "bold red",
                )
                _signal_group(process.pid, signal.SIGKILL)
            await exited
        # Anything the service left behind in its process group goes with it.
        _signal_group(process.pid, signal.SIGKILL)
        await self._drain(supervised)
