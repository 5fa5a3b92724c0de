"""Start the real ``mamori serve`` (gunicorn and the worker) on a free loopback port, for the tests
that need a real server: tests/test_serve.py, tests/test_proxy.py."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

MAMORI = str(Path(sys.executable).with_name("mamori"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    def __init__(self, data_dir: Path, env: dict[str, str] | None = None, port: int | None = None):
        self.data_dir = data_dir
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.lines: list[str] = []
        self.env = {
            **os.environ,
            "MAMORI_DATA_DIR": str(data_dir),
            "MAMORI_PORT": str(self.port),
            "MAMORI_HOST": "127.0.0.1",
            "DATABASE_URL": "",  # the served copy always has its own SQLite database
            "MAMORI_WEB_PROCESSES": "2",
            "MAMORI_WEB_THREADS": "4",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.process: subprocess.Popen | None = None

    def run(self, *args: str) -> subprocess.CompletedProcess:
        """Another ``mamori`` command on the same data folder."""
        return subprocess.run(
            [MAMORI, *args], env=self.env, capture_output=True, text=True, timeout=180, check=True
        )

    def start(self, timeout: float = 120) -> Served:
        self.process = subprocess.Popen(
            [MAMORI, "serve"],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "mamori serve stopped:\n" + self.output()
            try:
                urllib.request.urlopen(self.base + "/login/", timeout=5)  # noqa: S310
                return self
            except urllib.error.HTTPError:
                return self
            except OSError:
                time.sleep(0.3)
        raise AssertionError("mamori serve did not answer:\n" + self.output())

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def output(self) -> str:
        return "\n".join(self.lines)

    def worker_pids(self) -> list[int]:
        return [
            int(m.group(1)) for line in self.lines if (m := re.search(r"worker started \(pid (\d+)\)", line))
        ]

    def wait_for(self, predicate, timeout: float = 60, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}:\n{self.output()}")

    def stop(self, timeout: float = 60) -> int:
        if self.process is None:
            return 0
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
