"""``mamori serve``: the web server and the worker, under one supervisor.

The supervisor (this process, after the migrations) starts two children in their own sessions:

* the web server: gunicorn with threaded workers (``gthread``), ``MAMORI_WEB_PROCESSES`` processes
  (default: one per core) × ``MAMORI_WEB_THREADS`` threads; gunicorn's arbiter restarts a web process
  that dies;
* the background worker (``mamori worker``), restarted when it dies, after a back-off (1 s, doubling
  up to a minute; back to 1 s once it has run for a minute).

SIGTERM or Ctrl-C stops both cleanly (gunicorn finishes the requests in flight, the worker its task).
If the supervisor itself is killed, the kernel sends the children SIGTERM (Linux: PR_SET_PDEATHSIG).

Behind a TLS-terminating reverse proxy (``MAMORI_BEHIND_TLS_PROXY=true``) gunicorn takes
``X-Forwarded-Proto`` only from the addresses in ``MAMORI_TRUSTED_PROXIES`` (default 127.0.0.1, ::1):
requests from the proxy are then ``https`` for Django (HSTS, secure links, CSRF origins), while the
same header sent by anyone else is ignored. The client address for rate limits is read the same way
(mamori.platform.actor.client_ip).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from mamori.conf import env_bool, env_int

STOP_SECONDS = 30
SHM = "/dev/shm"  # noqa: S108 - gunicorn creates its files there with mkstemp (owner only)


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def web_processes() -> int:
    return env_int("MAMORI_WEB_PROCESSES", cores(), minimum=1, maximum=256)


def web_threads() -> int:
    return env_int("MAMORI_WEB_THREADS", 4, minimum=1, maximum=256)


def gunicorn_options(host: str, port: int) -> dict:
    from django.conf import settings  # the one reading of MAMORI_BEHIND_TLS_PROXY / _TRUSTED_PROXIES

    behind_proxy = settings.MAMORI_BEHIND_TLS_PROXY
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {
        "bind": [bind],
        "workers": web_processes(),
        "worker_class": "gthread",
        "threads": web_threads(),
        # A slow request in one thread does not stop the process's heartbeat (gthread), so this
        # only ends a process that hangs as a whole.
        "timeout": 120,
        "graceful_timeout": STOP_SECONDS - 5,
        "keepalive": 5,
        # A process is replaced after about this many requests (memory returned after big uploads).
        "max_requests": 5000,
        "max_requests_jitter": 500,
        # gunicorn's liveness files: in memory when there is /dev/shm (a slow /tmp stalls workers).
        "worker_tmp_dir": SHM if os.path.isdir(SHM) else None,
        "backlog": 2048,
        # Forwarded headers only from the trusted proxy, and only X-Forwarded-Proto for the scheme;
        # no proxy at all: nobody is trusted (gunicorn's own default trusts 127.0.0.1).
        "forwarded_allow_ips": ",".join(settings.MAMORI_TRUSTED_PROXIES) if behind_proxy else "",
        "secure_scheme_headers": {"X-FORWARDED-PROTO": "https"} if behind_proxy else {},
        "proc_name": "mamori-web",
        # gunicorn 25+'s control socket is one path per user (~/.gunicorn/gunicorn.ctl), shared by
        # every instance: not used here.
        "control_socket_disable": True,
        "errorlog": "-",
        "loglevel": os.environ.get("MAMORI_SERVER_LOG_LEVEL", "warning"),
        "accesslog": "-" if env_bool("MAMORI_ACCESS_LOG", False) else None,
    }


def application():
    """The Django application behind one more guard: a body without a Content-Length (chunked) is
    refused with 411, since Django would silently ignore it; bodies with a length above the upload
    limit are refused from the length by UploadLimitMiddleware, before anything is read."""
    from mamori.wsgi import application as django_app

    def app(environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH"):
            body = b"Content-Length required\n"
            start_response(
                "411 Length Required",
                [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("Connection", "close"),
                ],
            )
            return [body]
        return django_app(environ, start_response)

    return app


def run_web(host: str, port: int) -> None:
    """Run gunicorn in this process (the web child of :func:`supervise`); returns when it stops."""
    from gunicorn.app.base import BaseApplication

    options = gunicorn_options(host, port)

    class MamoriWeb(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self):
            return application()

    MamoriWeb().run()


# --- The supervisor -------------------------------------------------------------------------------


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _start(argv: list[str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, *argv],
        start_new_session=True,  # Ctrl-C reaches the supervisor only, which stops each child once
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )


def _stop(*children: subprocess.Popen | None) -> None:
    """SIGTERM to each (once), then wait; SIGKILL what is still there after STOP_SECONDS."""
    running = [child for child in children if child is not None and child.poll() is None]
    for child in running:
        child.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for child in running:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


class Backoff:
    def __init__(self, first: float = 1.0, longest: float = 60.0, healthy_after: float = 60.0):
        self.first, self.longest, self.healthy_after = first, longest, healthy_after
        self.delay = first

    def after_exit(self, ran_for: float) -> float:
        """Seconds to wait before the next start, given how long the last run lasted."""
        if ran_for >= self.healthy_after:
            self.delay = self.first
        delay = self.delay
        self.delay = min(self.delay * 2, self.longest)
        return delay


def supervise(host: str, port: int, *, with_worker: bool = True) -> int:
    from django.conf import settings

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    processes, threads = web_processes(), web_threads()
    web = _start(["-m", "mamori.server", host, str(port)])
    print(
        f"Mamori: http://{host}:{port}/  (data: {settings.DATA_DIR}; "
        f"{processes} web processes × {threads} threads)",
        flush=True,
    )
    worker: subprocess.Popen | None = None
    worker_started = 0.0
    restart_at: float | None = time.monotonic() if with_worker else None
    backoff = Backoff()
    code = 0
    try:
        while not stopping:
            now = time.monotonic()
            if web.poll() is not None:
                print(f"mamori: the web server stopped (exit {web.returncode})", file=sys.stderr, flush=True)
                code = web.returncode or 1
                break
            if worker is not None and worker.poll() is not None:
                delay = backoff.after_exit(now - worker_started)
                print(
                    f"mamori: the worker (pid {worker.pid}) stopped (exit {worker.returncode}); "
                    f"restarting it in {delay:g} s",
                    file=sys.stderr,
                    flush=True,
                )
                worker, restart_at = None, now + delay
            if worker is None and restart_at is not None and now >= restart_at:
                worker = _start(["-m", "mamori.cli", "worker"])
                worker_started, restart_at = now, None
                print(f"Mamori: worker started (pid {worker.pid})", flush=True)
            time.sleep(0.2)
    finally:
        _stop(worker, web)
    return code


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamori.settings")
    host, port = argv[0], int(argv[1])
    run_web(host, port)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
