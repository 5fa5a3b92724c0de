"""`make bench-load` (part of `make bench`): a bounded load run against the real `mamori serve`.

On a fresh data folder (and a fresh PostgreSQL database when one answers) it seeds the demo
organization, creates an API token, starts `mamori serve` on a free loopback port, signs in once,
then runs the same mixed traffic with 1 client and with N clients (default 50 × 60 s):

* 50 % signed-in pages of the demo organization (dashboard, ledger, vendors, check sheets, …);
* 25 % API writes with the token (PATCH a vendor's notes, POST a note to an incident's timeline);
* 25 % vendor-portal autosaves (the htmx POST a vendor's answer sends on change).

Each client is a thread with its own keep-alive connection (http.client). It prints requests per
second, p50/p95/p99 latency and errors (any status other than the expected one, or a connection
failure), and writes build/bench/load.txt.

    python -m benchmarks.load [--clients 50] [--seconds 60] [--single-seconds 30] [--short]
                              [--sqlite-only]
    MAMORI_BENCH_CLIENTS / MAMORI_BENCH_SECONDS set the defaults too.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

OUT = Path(os.environ.get("MAMORI_BENCH_DIR", "build/bench"))
EMAIL = "bench@example.jp"
PASSWORD = "bench-password-for-load-42"  # noqa: S105 - a throw-away data folder
MAMORI = str(Path(sys.executable).with_name("mamori"))
PAGES = ["/", "/ledger/", "/vendors/", "/checksheets/", "/incidents/", "/audits/", "/trail/"]


# --- Inside Django: the portal links and question keys of the seeded organization -----------------


def print_links() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamori.settings")
    import django

    django.setup()
    from mamori.checksheets.actions import can_answer
    from mamori.checksheets.models import Recipient
    from mamori.core.checksheets.structure import question_map

    links = []
    for r in Recipient.objects.select_related("assessment__version"):
        if r.usable and can_answer(r.assessment):
            keys = [
                k for k, q in question_map(r.assessment.version.structure).items() if q.get("type") == "ynp"
            ]
            if keys:
                links.append({"token": r.token, "keys": keys})
    print(json.dumps(links))


# --- The traffic -------------------------------------------------------------------------------------


@dataclass
class Target:
    port: int
    session: str
    api_token: str
    pages: list[str]
    vendors: list[str]
    incidents: list[str]
    portal: list[dict]
    server_pid: int | None = None


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.by_kind.setdefault(kind, []).append(seconds)
            if error:
                self.errors.append(f"{kind}: {error}")


class Client:
    def __init__(self, target: Target, seed: int):
        self.target = target
        self.random = random.Random(seed)
        self.connection: http.client.HTTPConnection | None = None
        self.csrf = ""
        self.portal = target.portal[seed % len(target.portal)] if target.portal else None

    def send(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.target.port, timeout=60)
            try:
                self.connection.request(method, path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                data = response.read()
                if response.headers.get("Connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
                return response, data
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # a keep-alive connection the server had closed: reconnect once, as a browser does
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def prepare(self) -> None:
        """The portal page once (its CSRF cookie and token), outside the measured time."""
        if self.portal is None:
            return
        response, _ = self.send("GET", f"/p/{self.portal['token']}/")
        cookie = cookies(response)
        match = re.search(r"csrftoken=([^;]+)", cookie)
        self.csrf = match.group(1) if match else ""

    def one(self) -> tuple[str, str | None]:
        roll = self.random.random()
        t = self.target
        if (
            roll < 0.5
            or (roll < 0.75 and not (t.vendors or t.incidents))
            or (roll >= 0.75 and not self.portal)
        ):
            path = self.random.choice(t.pages)
            response, _ = self.send("GET", path, headers={"Cookie": f"sessionid={t.session}"})
            return "page", None if response.status == 200 else f"{path} {response.status}"
        if roll < 0.75:
            auth = {"Authorization": f"Bearer {t.api_token}", "Content-Type": "application/json"}
            if t.incidents and (not t.vendors or self.random.random() < 0.5):
                path = f"/api/v1/incidents/{self.random.choice(t.incidents)}/timeline"
                body = json.dumps({"text": f"負荷試験のメモ {self.random.randrange(10**6)}"}).encode()
                response, data = self.send("POST", path, body, auth)
            else:
                path = f"/api/v1/vendors/{self.random.choice(t.vendors)}"
                body = json.dumps({"notes": f"負荷試験 {self.random.randrange(10**6)}"}).encode()
                response, data = self.send("PATCH", path, body, auth)
            ok = response.status in (200, 201)
            return "api", None if ok else f"{path} {response.status} {data[:200]!r}"
        assert self.portal is not None
        key = self.random.choice(self.portal["keys"])
        path = f"/p/{self.portal['token']}/answer/{key}/"
        form = {
            "csrfmiddlewaretoken": self.csrf,
            "value": self.random.choice(["yes", "partial", "no"]),
            "remark": f"自動保存 {self.random.randrange(10**6)}",
        }
        response, data = self.send(
            "POST",
            path,
            urllib.parse.urlencode(form).encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={self.csrf}",
                "HX-Request": "true",
            },
        )
        return "portal", None if response.status == 200 else f"autosave {response.status} {data[:200]!r}"

    def run(self, deadline: float, results: Results) -> None:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                kind, error = self.one()
            except Exception as exc:
                kind, error = "error", f"{type(exc).__name__}: {exc}"
                if self.connection is not None:
                    self.connection.close()
                self.connection = None
            results.add(kind, time.perf_counter() - started, error)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def tree_cpu_seconds(root: int | None) -> float:
    """CPU seconds (user + system) used so far by a process and its descendants (the supervisor,
    the web processes and the worker); 0 where /proc is not there. Processes that already ended
    are not counted (gunicorn recycles a web process only after thousands of requests)."""
    if root is None:
        return 0.0
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        pid = int(stat.parent.name)  # after the name: state ppid … utime (11) stime (12)
        parents[pid], ticks[pid] = int(fields[1]), int(fields[11]) + int(fields[12])
    total = 0
    for pid, tick in ticks.items():
        ancestor = pid
        while ancestor not in (root, 0, 1) and ancestor in parents:
            ancestor = parents[ancestor]
        if ancestor == root:
            total += tick
    return total / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def load(target: Target, clients: int, seconds: float) -> dict:
    results = Results()
    workers = [Client(target, seed) for seed in range(clients)]
    for worker in workers:
        worker.prepare()
    server_cpu, client_cpu = tree_cpu_seconds(target.server_pid), own_cpu_seconds()
    started = time.monotonic()
    deadline = started + seconds
    threads = [threading.Thread(target=w.run, args=(deadline, results)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    server_cpu = tree_cpu_seconds(target.server_pid) - server_cpu
    client_cpu = own_cpu_seconds() - client_cpu
    ms = [x * 1000 for x in results.latencies]
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(ms),
        "rps": round(len(ms) / elapsed, 1) if elapsed else 0.0,
        "p50": round(percentile(ms, 50)),
        "p95": round(percentile(ms, 95)),
        "p99": round(percentile(ms, 99)),
        "errors": len(results.errors),
        "first_errors": results.errors[:5],
        "p95_by_kind": {k: round(percentile([x * 1000 for x in v], 95)) for k, v in results.by_kind.items()},
        "count_by_kind": {k: len(v) for k, v in results.by_kind.items()},
        # Where the two cores went: the server (web processes + worker) and this load generator,
        # in CPU milliseconds per request.
        "server_cpu_ms_per_request": round(server_cpu * 1000 / len(ms), 1) if ms else 0.0,
        "client_cpu_ms_per_request": round(client_cpu * 1000 / len(ms), 1) if ms else 0.0,
        "client_cpu_share": round(client_cpu / (client_cpu + server_cpu), 2)
        if client_cpu + server_cpu
        else 0.0,
    }


# --- Setting up and serving ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mamori(env: dict, *args: str) -> str:
    result = subprocess.run([MAMORI, *args], env=env, capture_output=True, text=True, timeout=600)
    if result.returncode:
        raise RuntimeError(f"mamori {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def cookies(response) -> str:
    return "\n".join(response.headers.get_all("Set-Cookie") or [])


def sign_in(port: int) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/login/")
    response = connection.getresponse()
    page = response.read().decode()
    csrf = re.search(r"csrftoken=([^;]+)", cookies(response)).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "email": EMAIL, "password": PASSWORD})
    connection.request(
        "POST",
        "/login/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"},
    )
    response = connection.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", cookies(response))
    if response.status != 302 or not session:
        raise RuntimeError(f"sign-in failed: {response.status}")
    return session.group(1)


def api_uuids(port: int, token: str, path: str) -> list[str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path + "?limit=50", headers={"Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    data = json.loads(response.read() or b"{}")
    items = data.get("items", data if isinstance(data, list) else [])
    return [item["uuid"] for item in items if "uuid" in item]


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("mamori serve stopped")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/login/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("mamori serve did not answer")


def run_database(label: str, database_url: str | None, args) -> list[dict]:
    data = OUT / f"load-data-{label}"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    port = free_port()
    env = {
        **os.environ,
        "MAMORI_DATA_DIR": str(data.resolve()),
        "DATABASE_URL": database_url or "",
        "MAMORI_PORT": str(port),
        "MAMORI_SECURE_COOKIES": "false",
        "MAMORI_LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    mamori(env, "demo", "--email", EMAIL, "--password", PASSWORD)
    api_token = mamori(env, "token", "create", "--email", EMAIL, "--name", "bench").strip().splitlines()[-1]
    links = json.loads(
        subprocess.run(
            [sys.executable, "-m", "benchmarks.load", "--links"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    server = subprocess.Popen([MAMORI, "serve"], env=env, stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_until_up(port, server)
        session = sign_in(port)
        pages = []
        for path in PAGES:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", path, headers={"Cookie": f"sessionid={session}"})
            if connection.getresponse().status == 200:
                pages.append(path)
        target = Target(
            port=port,
            session=session,
            api_token=api_token,
            pages=pages,
            vendors=api_uuids(port, api_token, "/api/v1/vendors"),
            incidents=api_uuids(port, api_token, "/api/v1/incidents"),
            portal=links,
            server_pid=server.pid,
        )
        load(target, 1, min(2.0, args.single_seconds))  # warm-up (imports, caches), not counted
        runs = []
        for clients, seconds in ((1, args.single_seconds), (args.clients, args.seconds)):
            result = {"database": label, **load(target, clients, seconds)}
            runs.append(result)
            print(line(result), flush=True)
        return runs
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()


def line(r: dict) -> str:
    return (
        f"{r['database']:<10} {r['clients']:>3} clients {r['seconds']:>5.0f} s  {r['requests']:>6} req  "
        f"{r['rps']:>7.1f} req/s  p50 {r['p50']:>4} ms  p95 {r['p95']:>5} ms  p99 {r['p99']:>5} ms  "
        f"errors {r['errors']}  CPU/req server {r['server_cpu_ms_per_request']} ms "
        f"load generator {r['client_cpu_ms_per_request']} ms"
        + (f"  e.g. {r['first_errors'][0]}" if r["first_errors"] else "")
    )


def postgres_url() -> str | None:
    url = os.environ.get("MAMORI_BENCH_LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mamori_load")
    try:
        import psycopg

        base, _, name = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        print(f"PostgreSQL load run skipped: {type(exc).__name__}: {exc}")
        return None
    return url


def verdict(runs: list[dict]) -> list[str]:
    lines = []
    for label in dict.fromkeys(r["database"] for r in runs):
        single, many = [r for r in runs if r["database"] == label]
        checks = [
            ("throughput N ≥ 1 client", many["rps"] >= single["rps"]),
            ("p95 ≤ 500 ms", many["p95"] <= 500),
            ("0 errors", many["errors"] == 0 and single["errors"] == 0),
        ]
        lines.append(f"{label}: " + ", ".join(f"{name} {'ok' if ok else 'MISSED'}" for name, ok in checks))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load")
    parser.add_argument("--clients", type=int, default=int(os.environ.get("MAMORI_BENCH_CLIENTS", "50")))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("MAMORI_BENCH_SECONDS", "60")))
    parser.add_argument("--single-seconds", type=float, default=None)
    parser.add_argument("--short", action="store_true", help="a smoke run: 4 clients × 3 s")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--links", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.links:
        print_links()
        return 0
    if args.short:
        args.clients, args.seconds = 4, 3.0
    if args.single_seconds is None:
        args.single_seconds = min(args.seconds, 30.0)
    OUT.mkdir(parents=True, exist_ok=True)
    print(
        f"== Load: 1 client, then {args.clients} clients × {args.seconds:g} s "
        f"(pages 50 %, API writes 25 %, portal autosaves 25 %) on {os.cpu_count()} cores =="
    )
    runs = run_database("sqlite", None, args)
    url = None if args.sqlite_only else postgres_url()
    if url:
        runs += run_database("postgresql", url, args)
    summary = [line(r) for r in runs] + verdict(runs)
    for text in verdict(runs):
        print(text)
    (OUT / "load.txt").write_text("\n".join(summary) + "\n", encoding="utf-8")
    (OUT / "load.json").write_text(json.dumps(runs, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if any(r["errors"] for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
