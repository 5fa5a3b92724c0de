"""``mamori serve`` for real: gunicorn processes, the upload limit before the body is read, the
worker restarted when it dies, a clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import time

import pytest

from mamori import server
from tests.serving import Served

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="gunicorn runs on Unix only")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    instance = Served(
        tmp_path_factory.mktemp("served"),
        env={"MAMORI_MAX_UPLOAD_MB": "1", "MAMORI_SECURE_COOKIES": "false"},
    ).start()
    yield instance
    instance.stop()


def raw_request(port: int, head: bytes, body: bytes = b"", timeout: float = 20) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head + body)
        chunks = []
        while True:
            try:
                data = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not data:
                break
            chunks.append(data)
        return b"".join(chunks)


def processes_with(*words: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    cmdline = handle.read().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if all(word in cmdline for word in words):
                found.append(int(entry))
    return found


def test_the_web_server_is_gunicorn_with_several_processes(served):
    assert "2 web processes × 4 threads" in served.output()
    # gunicorn's arbiter and its two web processes
    assert len(processes_with("mamori.server", str(served.port))) == 3


def test_one_web_process_per_core_by_default(monkeypatch):
    monkeypatch.delenv("MAMORI_WEB_PROCESSES", raising=False)
    assert server.web_processes() == server.cores() >= 1
    monkeypatch.setenv("MAMORI_WEB_PROCESSES", "3")
    assert server.web_processes() == 3


def test_a_body_above_the_limit_is_refused_from_its_length_before_it_is_read(served):
    """The limit is 1 MB: a request announcing 500 MB and sending a few bytes gets its 413 at once
    (nothing waits for, or reads, the 500 MB)."""
    head = (
        b"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Length: 524288000\r\n\r\n"
    )
    started = time.monotonic()
    answer = raw_request(served.port, head, b"x" * 1000)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"1 MB" in answer
    assert time.monotonic() - started < 15


def test_a_chunked_body_without_a_length_is_refused(served):
    head = (
        b"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n\r\n"
    )
    answer = raw_request(served.port, head, b"5\r\nemail\r\n0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 411"), answer[:200]


def test_static_files_are_served(served):
    import urllib.request

    with urllib.request.urlopen(served.base + "/static/mamori.css", timeout=10) as response:  # noqa: S310
        assert response.status == 200


def test_a_killed_worker_is_started_again(served):
    served.wait_for(lambda: served.worker_pids(), what="the worker")
    first = served.worker_pids()[-1]
    os.kill(first, signal.SIGKILL)
    served.wait_for(lambda: served.worker_pids()[-1] != first, timeout=30, what="a new worker")
    second = served.worker_pids()[-1]
    assert second != first
    os.kill(second, 0)  # alive
    assert "restarting it in 1 s" in served.output()


def test_backoff_doubles_and_resets_after_a_healthy_run():
    backoff = server.Backoff(first=1, longest=8, healthy_after=60)
    assert [backoff.after_exit(0.5) for _ in range(5)] == [1, 2, 4, 8, 8]
    assert backoff.after_exit(120) == 1


def test_forwarded_headers_are_trusted_only_behind_the_proxy(settings):
    settings.MAMORI_BEHIND_TLS_PROXY = False
    plain = server.gunicorn_options("127.0.0.1", 8000)
    assert plain["forwarded_allow_ips"] == "" and plain["secure_scheme_headers"] == {}
    settings.MAMORI_BEHIND_TLS_PROXY = True
    settings.MAMORI_TRUSTED_PROXIES = ["10.0.0.2"]
    proxied = server.gunicorn_options("::1", 8000)
    assert proxied["bind"] == ["[::1]:8000"]
    assert proxied["forwarded_allow_ips"] == "10.0.0.2"
    assert proxied["secure_scheme_headers"] == {"X-FORWARDED-PROTO": "https"}
    assert proxied["worker_class"] == "gthread"


def test_sigterm_stops_the_server_and_the_worker(tmp_path):
    instance = Served(tmp_path / "data").start()
    instance.wait_for(lambda: instance.worker_pids(), what="the worker")
    worker = instance.worker_pids()[-1]
    assert instance.stop(timeout=60) == 0
    with pytest.raises(ProcessLookupError):
        os.kill(worker, 0)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", instance.port), timeout=2)
