"""Outside tools some tests drive (Node, Chromium, Spark's JRE and pyspark): missing in CI, the
run fails; missing on a developer's machine, the test is skipped and says what to install.
`.ci/run` sets CI."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

from devtools.node_tools import node_available


def unavailable(message: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def module_unavailable(message: str) -> NoReturn:
    """The same, for a whole test module (called while it is collected)."""
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)


def require_node() -> None:
    if not node_available():
        unavailable("node and npm are needed here: install Node.js >= 20 with npm")
