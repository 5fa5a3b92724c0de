"""Run a pure function over an uploaded file in a child process with bounded resources.

A hostile file (an .xlsx declaring a billion rows, a line without end, a zip bomb) must fail alone:
the function runs in a fresh interpreter (nothing of a threaded server is forked) whose
address space is capped (``RLIMIT_AS``, ``MAMORI_CHILD_MEMORY_MB``) and whose CPU time is capped
(``RLIMIT_CPU``); the parent waits at most a wall-clock limit (``MAMORI_CHILD_SECONDS``) and kills it.
Running out of memory, being killed by a signal and running out of time all become
:class:`ChildFailed`, with a Japanese message saying which limit was reached. The child imports only
pure modules (the scanner, the table reader), never Django; the result comes back pickled, and a
traceback is logged, never shown.
"""

from __future__ import annotations

import logging
import math
import os
import pickle
import resource
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_MEMORY_MB = 1024
DEFAULT_SECONDS = 300


class ChildFailed(Exception):
    """The child ran out of memory (``reason="memory"``), out of time (``"timeout"``) or failed in
    another way (``"failed"``); ``message`` says so in the reader's language."""

    def __init__(self, reason: str, memory_mb: int, seconds: float):
        self.reason, self.memory_mb, self.seconds = reason, memory_mb, seconds
        super().__init__(reason)

    @property
    def message(self) -> str:
        from django.utils.translation import gettext as _

        if self.reason == "timeout":
            return _("Reading the file took longer than the limit (%(seconds)s seconds) and was stopped.") % {
                "seconds": f"{self.seconds:g}"
            }
        if self.reason == "memory":
            return _("The file could not be read: it is too large or damaged (memory limit %(mb)s MB).") % {
                "mb": self.memory_mb
            }
        return _("The file could not be read.")

    def __str__(self) -> str:
        return self.message


def _setting(name: str, default: float) -> float:
    """From Django's settings when they are loaded (validated at start-up), else the environment."""
    try:
        from django.conf import settings

        if settings.configured:
            return float(getattr(settings, name, default))
    except ImportError:  # pragma: no cover - Django is always installed
        pass
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def memory_limit_mb() -> int:
    return int(_setting("MAMORI_CHILD_MEMORY_MB", DEFAULT_MEMORY_MB))


def time_limit_seconds() -> float:
    return _setting("MAMORI_CHILD_SECONDS", DEFAULT_SECONDS)


class ProgressFile:
    """A progress callback that pickles into the child: it writes the fraction done (0–1) to a
    small file, only when it has grown by at least ``step`` (at most ~100 tiny writes per file),
    replacing the file atomically so the parent never reads half a number."""

    def __init__(self, path: str, step: float = 0.01):
        self.path, self.step, self.last = path, step, -1.0

    def __call__(self, fraction: float) -> None:
        fraction = max(0.0, min(1.0, float(fraction)))
        if (fraction < self.last + self.step and fraction < 1.0) or fraction <= self.last:
            return
        self.last = fraction
        tmp = f"{self.path}.tmp"
        try:
            with open(tmp, "w", encoding="ascii") as handle:
                handle.write(f"{fraction:.4f}")
            os.replace(tmp, self.path)
        except OSError:  # progress is a courtesy: never fail the reading for it
            pass

    @staticmethod
    def read(path: str) -> float | None:
        try:
            with open(path, encoding="ascii") as handle:
                return max(0.0, min(1.0, float(handle.read(16))))
        except (OSError, ValueError):
            return None


def _child_main(argv: list[str]) -> int:
    """In the child (``python -m mamori.platform.isolation MEMORY_BYTES CPU_SECONDS``): read the
    parent's ``sys.path``, then the call, from stdin; set the limits; write ``(kind, value)`` to
    stdout. Anything the function prints goes to stderr."""
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    memory_bytes, cpu_seconds = int(argv[1]), int(argv[2])
    stdin = sys.stdin.buffer
    try:
        # From the parent, which started this process (never from the file being read).
        sys.path[:] = pickle.load(stdin)  # noqa: S301
        func, args, kwargs, expected = pickle.load(stdin)  # noqa: S301
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
        reply: tuple = ("ok", func(*args, **kwargs))
    except MemoryError:
        reply = ("memory", None)
    except BaseException as exc:
        expected = locals().get("expected") or ()
        reply = ("expected", exc) if isinstance(exc, expected) else ("failed", traceback.format_exc(limit=20))
    try:
        data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("memory", None))
    except Exception:
        data = pickle.dumps(("failed", traceback.format_exc(limit=20)))
    answer.write(data)
    answer.close()
    return 0


def run_isolated(
    func: Callable,
    *args: Any,
    memory_mb: int | None = None,
    seconds: float | None = None,
    expected: tuple[type[BaseException], ...] = (),
    on_wait: Callable[[], None] | None = None,
    **kwargs: Any,
) -> Any:
    """``func(*args, **kwargs)`` in a child process with the limits; its return value, or the
    exception it raised if it is one of ``expected`` (re-raised here, without its traceback).
    Raises :class:`ChildFailed` otherwise. ``func`` must be a module-level function of a module
    that does not need Django, and its arguments and result must pickle. ``on_wait`` is called
    about once a second while the child runs (e.g. to copy its progress file to the database).

    The child is a new interpreter (``python -m mamori.platform.isolation``), started without
    ``preexec_fn`` (safe from a threaded server) and without re-importing the parent's main module
    (which ``multiprocessing``'s spawn would do)."""
    memory_mb = memory_mb or memory_limit_mb()
    seconds = seconds or time_limit_seconds()
    payload = pickle.dumps(list(sys.path)) + pickle.dumps(
        (func, args, kwargs, tuple(expected)), protocol=pickle.HIGHEST_PROTOCOL
    )
    command = [
        sys.executable,
        "-m",
        "mamori.platform.isolation",
        str(memory_mb * 2**20),
        # The CPU limit is the backstop should this process die first (the child is not waited
        # for then); the scanner's threads may use two cores, hence twice the wall-clock limit.
        str(2 * math.ceil(seconds)),
    ]
    # glibc reserves 64 MB of address space per thread arena: a few arenas keep RLIMIT_AS meaningful.
    # OpenBLAS (loaded with numpy) reserves buffers per thread: one thread keeps it within the limit.
    env = {**os.environ, "MALLOC_ARENA_MAX": "2", "OPENBLAS_NUM_THREADS": "1", "POLARS_MAX_THREADS": "2"}
    process = subprocess.Popen(  # noqa: S603 - this interpreter, this module, two numbers
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    kind: str = "failed"
    value: Any = None
    try:
        out, err = _communicate(process, payload, seconds, on_wait)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        kind = "timeout"
    else:
        if err:
            log.info("isolated %s said: %s", _name(func), err[-2000:].decode(errors="replace"))
        try:
            # Written by our own child code; the file it read gives data, never pickled objects.
            kind, value = pickle.loads(out)  # noqa: S301
        except Exception:  # no answer: the child died (the allocator aborted, the OOM killer, a limit)
            code = process.returncode
            log.warning("isolated %s ended with %s", _name(func), code)
            if code == -signal.SIGXCPU:
                kind = "timeout"
            elif code != 0:
                kind = "memory"
    if kind == "ok":
        return value
    if kind == "expected":
        raise value
    if kind == "failed" and value:
        log.error("isolated %s failed:\n%s", _name(func), value)
    raise ChildFailed(kind, memory_mb, seconds)


def _communicate(process: subprocess.Popen, payload: bytes, seconds: float, on_wait) -> tuple[bytes, bytes]:
    """``process.communicate`` within ``seconds``, calling ``on_wait`` about every second (retrying
    ``communicate`` after its timeout loses no output)."""
    if on_wait is None:
        return process.communicate(payload, timeout=seconds)
    deadline = time.monotonic() + seconds
    data: bytes | None = payload
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise subprocess.TimeoutExpired(process.args, seconds)
        try:
            return process.communicate(data, timeout=min(1.0, left))
        except subprocess.TimeoutExpired:
            data = None  # the input was given once; later calls only wait
            try:
                on_wait()
            except Exception:  # a courtesy: never stop the reading for it
                log.exception("progress update failed")


def _name(func: Callable) -> str:
    return f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', func)}"


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv))
