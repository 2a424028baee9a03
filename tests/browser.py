"""Headless Chromium for browser tests: Debian's ``chromium``, started by us with a fresh profile
and driven over the Chrome DevTools Protocol (Playwright's client, no browser download)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.processes import stop_processes
from tests.required_tools import unavailable

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)


def chromium_path() -> str:
    """Chromium's executable, or a failure that says how to get it: in CI a missing browser
    fails the run (.ci/run installs it), on a developer's machine the test is skipped, saying so."""
    found = os.environ.get("MESH_CHROMIUM") or shutil.which("chromium")
    if found:
        return found
    message = (
        "headless Chromium is needed for the GraphiQL browser test: "
        "`apt-get install -y chromium` (or set MESH_CHROMIUM to its path)"
    )
    unavailable(message)


def _devtools_port(profile: Path, process: subprocess.Popen[bytes], timeout: float) -> int:
    """Chromium writes the port it chose (``--remote-debugging-port=0``) into the profile."""
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chromium exited with {process.returncode}")
        if marker.exists():
            first = marker.read_text(encoding="utf-8").splitlines()
            if first and first[0].isdigit():
                return int(first[0])
        time.sleep(0.05)
    raise TimeoutError("chromium did not open its DevTools port")


@contextmanager
def chromium_cdp_url(executable: str, timeout: float = 30.0) -> Iterator[str]:
    """Start Chromium with a fresh profile; yield the DevTools HTTP endpoint; stop it."""
    # Chromium's helper processes may still write to the profile as it exits: cleaning it up
    # is not part of any test.
    with tempfile.TemporaryDirectory(
        prefix="civic-mesh-chromium-", ignore_cleanup_errors=True
    ) as profile:
        process = subprocess.Popen(
            [executable, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            port = _devtools_port(Path(profile), process, timeout)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop_processes(process)
