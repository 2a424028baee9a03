"""The demo's printed commands copy whole whatever the terminal width, piped or not."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from rich.console import Console

from devtools.demo import curl_command, print_running

HOUSEHOLD = "mh_045bdef44d99c4a26508"


def test_commands_are_never_wrapped_and_the_script_is_written(tmp_path: Path) -> None:
    token = tmp_path / "demo-token.txt"
    token.write_text("eyJ" + "x" * 400 + "\n")
    out = io.StringIO()
    narrow = Console(file=out, width=40, force_terminal=False, color_system=None)
    print_running(narrow, 4123, HOUSEHOLD, token, tmp_path)
    printed = out.getvalue()
    command = curl_command(4123, HOUSEHOLD, token)
    assert command in printed  # not a single line broken by the 40-column console
    assert '"Authorization": "Bearer eyJ' + "x" * 400 + '"' in printed
    script = tmp_path / "demo-query.sh"
    assert command in script.read_text() and script.stat().st_mode & 0o111
    checked = subprocess.run(["sh", "-n", str(script)], capture_output=True, check=False)
    assert checked.returncode == 0, checked.stderr
