"""The process supervisor, with real child processes: no mocks."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from rich.console import Console

from devtools.supervisor import (
    ReadinessTimeout,
    RestartPolicy,
    Service,
    Supervisor,
    describe_exit,
)

PY = sys.executable
FAST_RESTARTS = RestartPolicy(max_restarts=2, first_delay=0.05, max_delay=0.1)


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=200, color_system=None), out


def _python(name: str, code: str, **env: str) -> Service:
    return Service(name, [PY, "-u", "-c", textwrap.dedent(code)], env=env)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _alive(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting for a reaper."""
    if not Path("/proc/self/stat").exists():  # no procfs: signal 0 (counts zombies as alive)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


async def _until(predicate: object, timeout: float = 5.0) -> None:
    assert callable(predicate)
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def test_each_output_line_is_prefixed_with_the_padded_service_name() -> None:
    console, out = _console()
    async with Supervisor(console, grace=1) as supervisor:
        await supervisor.start(
            _python(
                "alpha",
                """
                import sys, time
                print("hello")
                print("[bold]not markup[/]", file=sys.stderr)
                time.sleep(30)
                """,
            )
        )
        await supervisor.start(_python("b", "import time; print('hi'); time.sleep(30)"))
        await _until(lambda: "not markup" in out.getvalue() and "hi" in out.getvalue())
    lines = out.getvalue().splitlines()
    assert "alpha | hello" in lines
    assert "alpha | [bold]not markup[/]" in lines
    assert "b     | hi" in lines


async def test_readiness_waits_for_the_url_to_answer(tmp_path: Path) -> None:
    port = _free_port()
    console, _ = _console()
    server = Service(
        "web", [PY, "-m", "http.server", str(port), "--bind", "127.0.0.1"], cwd=str(tmp_path)
    )
    async with Supervisor(console, grace=1) as supervisor:
        await supervisor.start(server)
        started = time.monotonic()
        await supervisor.wait_ready("web", f"http://127.0.0.1:{port}/", timeout=5)
        assert time.monotonic() - started < 5


async def test_readiness_times_out_with_a_clear_error() -> None:
    url = f"http://127.0.0.1:{_free_port()}/readyz"
    console, _ = _console()
    async with Supervisor(console, grace=1) as supervisor:
        await supervisor.start(_python("sleepy", "import time; time.sleep(30)"))
        started = time.monotonic()
        with pytest.raises(ReadinessTimeout) as raised:
            await supervisor.wait_ready("sleepy", url, timeout=0.5)
        assert 0.5 <= time.monotonic() - started < 2.5
    message = str(raised.value)
    assert "sleepy" in message and url in message and "0.5 s" in message
    assert "ConnectError" in message


async def test_a_crashed_service_is_restarted_and_reported(tmp_path: Path) -> None:
    marker = tmp_path / "crashed-once"
    code = f"""
    import pathlib, sys, time
    marker = pathlib.Path({str(marker)!r})
    if not marker.exists():
        marker.touch()
        sys.exit(3)
    print("second life")
    time.sleep(30)
    """
    console, out = _console()
    async with Supervisor(console, grace=1, restart=FAST_RESTARTS) as supervisor:
        await supervisor.start(_python("flaky", code))
        await _until(lambda: "second life" in out.getvalue())
        assert "flaky" in supervisor.pids()
        assert supervisor.failed == ()
    assert "service flaky exited with code 3, restarting (attempt 1)" in out.getvalue()


async def test_a_service_that_keeps_crashing_is_given_up_and_stops_the_rest() -> None:
    console, out = _console()
    supervisor = Supervisor(console, grace=1, restart=FAST_RESTARTS)
    await supervisor.start(_python("steady", "import time; time.sleep(30)"))
    steady = supervisor.pids()["steady"]
    await supervisor.start(_python("crashy", "import sys; sys.exit(3)"))
    assert await asyncio.wait_for(supervisor.run(), 5) == 1
    text = out.getvalue()
    assert "service crashy exited with code 3, restarting (attempt 1)" in text
    assert "service crashy exited with code 3, restarting (attempt 2)" in text
    assert "service crashy exited with code 3; giving up after 2 restarts" in text
    assert supervisor.failed == ("crashy",)
    assert not _alive(steady)


async def test_stop_terminates_services_and_their_children() -> None:
    code = """
    import subprocess, sys, time
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    print("grandchild", child.pid)
    time.sleep(60)
    """
    console, out = _console()
    supervisor = Supervisor(console, grace=2)
    await supervisor.start(_python("parent", code))
    await supervisor.start(_python("other", "import time; time.sleep(60)"))
    await _until(lambda: "grandchild" in out.getvalue())
    grandchild = int(out.getvalue().split("grandchild")[1].split()[0])
    pids = [*supervisor.pids().values(), grandchild]
    assert len(pids) == 3 and all(_alive(pid) for pid in pids)
    started = time.monotonic()
    await supervisor.stop()
    assert time.monotonic() - started < 2
    await _until(lambda: not any(_alive(pid) for pid in pids), timeout=2)
    assert supervisor.pids() == {}


async def test_a_service_ignoring_sigterm_is_killed_after_the_grace_period() -> None:
    code = """
    import signal, time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    print("ignoring SIGTERM")
    time.sleep(60)
    """
    console, out = _console()
    supervisor = Supervisor(console, grace=0.5)
    await supervisor.start(_python("stubborn", code))
    await _until(lambda: "ignoring SIGTERM" in out.getvalue())
    pid = supervisor.pids()["stubborn"]
    started = time.monotonic()
    await supervisor.stop()
    elapsed = time.monotonic() - started
    assert 0.5 <= elapsed < 2
    assert not _alive(pid)
    assert "service stubborn did not stop after SIGTERM; sending SIGKILL" in out.getvalue()


# A supervisor in its own process, to signal and kill it without touching the test runner.
_DRIVER = """
import asyncio, sys
from rich.console import Console
from devtools.supervisor import Service, Supervisor

async def main() -> int:
    supervisor = Supervisor(Console(), grace=1)
    with supervisor.stop_on_signals():
        await supervisor.start(Service("sleeper", [sys.executable, "-c",
                                                    "import time; time.sleep(60)"]))
        print("child", supervisor.pids()["sleeper"], flush=True)
        return await supervisor.run()

sys.exit(asyncio.run(main()))
"""


def _driver() -> tuple[subprocess.Popen[str], int]:
    driver = subprocess.Popen(
        [PY, "-c", _DRIVER], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    assert driver.stdout is not None
    line = driver.stdout.readline()
    assert line.startswith("child "), line
    return driver, int(line.split()[1])


def _wait_gone(pid: int, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while _alive(pid):
        assert time.monotonic() < deadline, f"pid {pid} still alive"
        time.sleep(0.02)


def test_ctrl_c_stops_the_supervisor_and_its_services() -> None:
    driver, child = _driver()
    driver.send_signal(signal.SIGINT)
    assert driver.wait(timeout=5) == 0
    _wait_gone(child)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux")
def test_services_exit_when_the_supervisor_is_killed_outright() -> None:
    driver, child = _driver()
    driver.kill()
    driver.wait(timeout=5)
    _wait_gone(child)


def test_exit_descriptions() -> None:
    assert describe_exit(3) == "exited with code 3"
    assert describe_exit(-9) == "was killed by SIGKILL"
