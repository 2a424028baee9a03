"""Stopping the processes a test started: politely first, then for good."""

from __future__ import annotations

import subprocess
from typing import Any


def stop_processes(*processes: subprocess.Popen[Any], timeout: float = 10) -> None:
    """SIGTERM to every one, then wait; one still running after ``timeout`` is killed."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
