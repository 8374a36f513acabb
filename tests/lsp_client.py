"""A small synchronous LSP client over stdio, for end-to-end tests of ``factlang lsp``.

It starts the server as a subprocess, frames JSON-RPC messages with
``Content-Length`` headers, answers the server's own requests with null, and
keeps every notification so a test can wait for the one it expects.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, BinaryIO

Json = dict[str, Any]


class LspError(Exception):
    """The server answered a request with an error."""


class LspClient:
    """One running ``factlang lsp`` and the messages it sent."""

    def __init__(self, cwd: Path, env: Mapping[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "factlang", "lsp"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
        )
        self.next_id = 0
        self.lock = threading.Condition()
        self.responses: dict[int, Json] = {}
        self.notifications: list[Json] = []
        self.stderr: list[bytes] = []
        assert self.proc.stdout is not None
        assert self.proc.stderr is not None
        threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True).start()
        threading.Thread(target=self._drain, args=(self.proc.stderr,), daemon=True).start()

    # -- wire ----------------------------------------------------------------------

    def _send(self, message: Json) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _read(self, stream: BinaryIO) -> None:
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    with self.lock:
                        self.lock.notify_all()
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            if length is None:
                continue
            message = json.loads(stream.read(length))
            if "method" in message and "id" in message:
                self._send({"id": message["id"], "result": None})  # e.g. workDoneProgress/create
                continue
            with self.lock:
                if "id" in message:
                    self.responses[message["id"]] = message
                else:
                    self.notifications.append(message)
                self.lock.notify_all()

    def _drain(self, stream: BinaryIO) -> None:
        for line in stream:
            self.stderr.append(line)

    # -- requests --------------------------------------------------------------------

    def request(self, method: str, params: Any, timeout: float = 20) -> Any:
        """Send a request and wait for its result."""
        with self.lock:
            self.next_id += 1
            rid = self.next_id
        self._send({"id": rid, "method": method, "params": params})
        with self.lock:
            if not self.lock.wait_for(lambda: rid in self.responses or self.proc.poll() is not None, timeout):
                raise TimeoutError(f"no answer to {method} in {timeout}s; stderr: {self.errors()}")
            if rid not in self.responses:
                raise LspError(f"the server exited; stderr: {self.errors()}")
            answer = self.responses.pop(rid)
        if "error" in answer:
            raise LspError(f"{method}: {answer['error']}")
        return answer.get("result")

    def notify(self, method: str, params: Any) -> None:
        """Send a notification."""
        self._send({"method": method, "params": params})

    def wait_for(self, match: Callable[[Json], bool], timeout: float = 20) -> Json:
        """The first notification (old or new) that ``match`` accepts; it is consumed."""
        with self.lock:

            def found() -> bool:
                return any(match(n) for n in self.notifications)

            if not self.lock.wait_for(found, timeout):
                seen = [n.get("method") for n in self.notifications]
                raise TimeoutError(
                    f"no such notification in {timeout}s (saw {seen}); stderr: {self.errors()}"
                )
            note = next(n for n in self.notifications if match(n))
            self.notifications.remove(note)
            return note

    def forget(self, uri: str) -> None:
        """Drop the notifications kept so far about ``uri`` (before a change a test waits on)."""
        with self.lock:
            self.notifications = [n for n in self.notifications if n.get("params", {}).get("uri") != uri]

    def errors(self) -> str:
        """What the server wrote on stderr so far."""
        return b"".join(self.stderr).decode(errors="replace")[-2000:]

    # -- the protocol's usual steps ------------------------------------------------------

    def initialize(self, root: Path) -> Json:
        """``initialize`` then ``initialized``; returns the server's capabilities."""
        result = self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "capabilities": {"textDocument": {"publishDiagnostics": {"relatedInformation": True}}},
            },
        )
        self.notify("initialized", {})
        capabilities: Json = result["capabilities"]
        return capabilities

    def open(self, path: Path, text: str | None = None, version: int = 1) -> str:
        """Open a document (its text from disk unless given); returns its URI."""
        uri = path.as_uri()
        body = path.read_text(encoding="utf-8") if text is None else text
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "factlang", "version": version, "text": body}},
        )
        return uri

    def change(self, uri: str, text: str, version: int) -> None:
        """Replace a document's whole text."""
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )

    def close(self, uri: str) -> None:
        """Close a document."""
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def diagnostics(
        self,
        uri: str,
        until: Callable[[list[Json]], bool] = lambda _: True,
        timeout: float = 20,
        version: int | None = None,
    ) -> list[Json]:
        """The first diagnostics published for ``uri`` (at ``version``, if given) that satisfy ``until``."""

        def match(n: Json) -> bool:
            return (
                n.get("method") == "textDocument/publishDiagnostics"
                and n["params"]["uri"] == uri
                and (version is None or n["params"].get("version") == version)
                and until(n["params"]["diagnostics"])
            )

        found: list[Json] = self.wait_for(match, timeout)["params"]["diagnostics"]
        return found

    def shutdown(self) -> None:
        """``shutdown`` and ``exit``, then wait for the process."""
        try:
            if self.proc.poll() is None:
                self.request("shutdown", None, timeout=10)
                self.notify("exit", None)
            self.proc.wait(timeout=10)
        except (TimeoutError, LspError, OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                if stream is not None:
                    stream.close()
