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


class FakeSmtp:
    """A mail server on loopback that takes the first message's data and then never answers (the
    worker is killed while it waits); later messages are accepted."""

    def __init__(self):
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self.hanging = threading.Event()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        import threading

        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.session, args=(conn,), daemon=True).start()

    def session(self, conn):
        reader = conn.makefile("rb")
        conn.sendall(b"220 fake ESMTP\r\n")
        try:
            while line := reader.readline():
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    conn.sendall(b"250 fake\r\n")
                elif verb == b"DATA":
                    conn.sendall(b"354 go on\r\n")
                    data = b""
                    while (chunk := reader.readline()) not in (b".\r\n", b""):
                        data += chunk
                    self.received.append(data)
                    if len(self.received) == 1:
                        self.hanging.set()
                        time.sleep(600)  # never answers: the worker is killed meanwhile
                    conn.sendall(b"250 queued\r\n")
                elif verb == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"250 ok\r\n")
        except OSError:
            return


def test_drill_a_worker_killed_mid_send_is_replaced_and_the_mail_is_never_sent_twice(tmp_path):
    import sqlite3

    smtp = FakeSmtp()
    instance = Served(
        tmp_path / "data",
        env={
            "MAMORI_SMTP_HOST": "127.0.0.1",
            "MAMORI_SMTP_PORT": str(smtp.port),
            "MAMORI_SMTP_STARTTLS": "false",
            "MAMORI_WORKER_LEASE_SECONDS": "3",
            "MAMORI_WORKER_HEARTBEAT_SECONDS": "1",
        },
    ).start()
    send = "from django.core.mail import send_mail; send_mail('{0}', 'body', None, ['a@example.jp'])"
    try:
        instance.wait_for(lambda: instance.worker_pids(), what="the worker")
        instance.run("manage", "shell", "-c", send.format("drill-first"))
        instance.wait_for(smtp.hanging.is_set, timeout=60, what="the first message on the wire")
        first_worker = instance.worker_pids()[-1]
        os.kill(first_worker, signal.SIGKILL)

        def first_row_status():
            with sqlite3.connect(instance.data_dir / "mamori.sqlite3") as db:
                return db.execute(
                    "SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult"
                    " WHERE task_path = 'mamori.mail.deliver_email' ORDER BY enqueued_at LIMIT 1"
                ).fetchone()

        # Not stuck RUNNING forever: after the lease, the new worker closes it; with SMTP nobody can
        # tell whether it arrived, so it is failed (visible), never resent.
        instance.wait_for(lambda: first_row_status()[0] == "FAILED", timeout=60, what="the lease")
        assert first_row_status()[1] == "mamori.taskleases.DeliveryUncertain"
        assert instance.worker_pids()[-1] != first_worker

        instance.run("manage", "shell", "-c", send.format("drill-second"))
        instance.wait_for(lambda: len(smtp.received) >= 2, timeout=60, what="the second message")
        time.sleep(3)  # room for a wrongful resend of the first
        subjects = [m for m in smtp.received if b"drill-first" in m]
        assert len(subjects) == 1 and len(smtp.received) == 2
    finally:
        instance.stop()
        smtp.sock.close()


def test_the_forwarded_client_is_believed_only_from_a_trusted_proxy(settings):
    from django.test import RequestFactory

    from mamori.platform.actor import client_ip

    settings.MAMORI_BEHIND_TLS_PROXY = True
    settings.MAMORI_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    factory = RequestFactory()
    assert client_ip(factory.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="203.0.113.9")) == (
        "203.0.113.9"
    )
    # Someone reaching the port directly is the client, whatever it claims.
    direct = factory.get("/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(direct) == "198.51.100.4"


def test_the_public_address_is_an_allowed_host_and_a_trusted_origin(tmp_path):
    import json
    import subprocess
    import sys

    env = {
        **os.environ,
        "MAMORI_DATA_DIR": str(tmp_path),
        "MAMORI_BASE_URL": "https://mamori.example.jp",
        "MAMORI_CSRF_TRUSTED_ORIGINS": "https://other.example.jp",
        "DJANGO_SETTINGS_MODULE": "mamori.settings",
    }
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.ALLOWED_HOSTS, settings.CSRF_TRUSTED_ORIGINS]))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    hosts, origins = json.loads(out.stdout)
    assert "mamori.example.jp" in hosts
    assert origins == ["https://mamori.example.jp", "https://other.example.jp"]
