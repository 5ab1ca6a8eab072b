"""A real ``kpi-desktop hub serve`` process on 127.0.0.1, and raw HTTP against it."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Hub:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    context: ssl.SSLContext | None = None

    def rss_mb(self) -> float:
        """The hub process's resident memory (Linux /proc), in MB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS")

    def connection(self, source: str = "127.0.0.1") -> http.client.HTTPConnection:
        if self.context is not None:
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=60,
                                               context=self.context,
                                               source_address=(source, 0))
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60,
                                          source_address=(source, 0))

    def post_json(self, path: str, body: object, source: str = "127.0.0.1",
                  headers: dict[str, str] | None = None) -> tuple[int, dict]:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return self.request("POST", path, data, source=source,
                            headers={"Content-Type": "application/json", **(headers or {})})

    def request(self, method: str, path: str, data: bytes | None = None, *,
                source: str = "127.0.0.1",
                headers: dict[str, str] | None = None) -> tuple[int, dict]:
        """One request; a server that answers early and closes counts as its answer."""
        conn = self.connection(source)
        try:
            # Refused before the whole body was sent: read the answer all the same.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                conn.request(method, path, body=data, headers=headers or {})
            response = conn.getresponse()
            payload = response.read()
            try:
                return response.status, json.loads(payload) if payload else {}
            except ValueError:
                return response.status, {"raw": payload[:200]}
        finally:
            conn.close()


@contextmanager
def running_hub(folder: Path, *args: str, context: ssl.SSLContext | None = None,
                scheme: str = "http") -> Iterator[Hub]:
    """``kpi-desktop --data-dir folder hub serve`` on a free port until the block ends."""
    port = free_port()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-m", "kpi_desktop", "--data-dir", str(folder), "--lang", "en",
         "hub", "serve", "--host", "127.0.0.1", "--port", str(port), *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    url = f"{scheme}://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=1,
                                            context=context) as response:
                    assert json.loads(response.read()) == {"status": "ok"}
                    break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    output = process.stdout.read().decode() if process.stdout else ""
                    raise AssertionError(f"the hub did not start:\n{output}") from None
                time.sleep(0.1)
        yield Hub(url=url, port=port, process=process, context=context)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
