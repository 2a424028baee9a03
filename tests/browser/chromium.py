"""Drive Debian's headless Chromium over the DevTools protocol (aiohttp's WebSocket client).

``find_chromium`` finds the browser or installs Debian's package when it can, and otherwise
fails the test with what to do: a browser test that silently skips tests nothing.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
_LISTENING = re.compile(r"DevTools listening on (ws://\S+)")


def find_chromium() -> str:
    """The browser's path; installs Debian's ``chromium`` when missing and apt can; else fails."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        subprocess.run([apt, "install", "-y", "--no-install-recommends", "chromium"],
                       capture_output=True, check=False, timeout=600)  # fmt: skip
        found = shutil.which("chromium")
        if found:
            return found
    pytest.fail(
        "headless Chromium is needed for the browser tests and was not found "
        f"(looked for {', '.join(CANDIDATES)}) and could not be installed: run "
        "`apt-get install chromium` (Debian) and run the tests again"
    )


class Page:
    """One tab: commands in, events collected (console messages, exceptions, requests)."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse, session: str) -> None:
        self._socket = socket
        self._session = session
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.console: list[str] = []
        self.requests: list[str] = []
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self._socket:
            data = message.json()
            if "id" in data and data["id"] in self._waiting:
                self._waiting.pop(data["id"]).set_result(data)
                continue
            method, params = data.get("method"), data.get("params", {})
            if method == "Runtime.consoleAPICalled":
                self.console.append(" ".join(str(a.get("value", "")) for a in params["args"]))
            elif method == "Runtime.exceptionThrown":
                self.console.append("exception: " + str(params["exceptionDetails"]))
            elif method == "Log.entryAdded":
                self.console.append(f"{params['entry']['level']}: {params['entry']['text']}")
            elif method == "Network.requestWillBeSent":
                self.requests.append(params["request"]["url"])

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        ident = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[ident] = future
        await self._socket.send_json(
            {"id": ident, "method": method, "params": params, "sessionId": self._session}
        )
        answer = await asyncio.wait_for(future, 30)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout: float = 60) -> Any:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            value = await self.evaluate(expression)
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{expression} stayed false for {timeout} s; console: "
                                   f"{self.console}")  # fmt: skip
            await asyncio.sleep(0.2)


@asynccontextmanager
async def chromium_page() -> AsyncIterator[Page]:
    """A fresh headless Chromium (own profile) with one page attached."""
    binary = find_chromium()
    with tempfile.TemporaryDirectory(prefix="civic-mesh-chromium-") as profile:
        process = await asyncio.create_subprocess_exec(
            binary, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
            "about:blank", stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            assert process.stderr is not None
            endpoint = None
            while endpoint is None:
                line = await asyncio.wait_for(process.stderr.readline(), 60)
                if not line:
                    pytest.fail(f"{binary} exited before opening its DevTools endpoint")
                match = _LISTENING.search(line.decode(errors="replace"))
                endpoint = match.group(1) if match else None
            async with (
                aiohttp.ClientSession() as http,
                http.ws_connect(endpoint, max_msg_size=0) as socket,
            ):
                await socket.send_json(
                    {"id": 1, "method": "Target.createTarget", "params": {"url": "about:blank"}}
                )
                target = (await socket.receive_json())["result"]["targetId"]
                attach = {"targetId": target, "flatten": True}
                await socket.send_json(
                    {"id": 2, "method": "Target.attachToTarget", "params": attach}
                )
                session = None
                while session is None:
                    data = await socket.receive_json()
                    if data.get("id") == 2:
                        session = data["result"]["sessionId"]
                page = Page(socket, session)
                for domain in ("Runtime", "Log", "Network", "Page"):
                    await page.send(f"{domain}.enable")
                yield page
        finally:
            process.kill()
            await process.wait()
