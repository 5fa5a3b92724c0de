"""`make bench`: the scanner benchmark, the registry benchmark on SQLite and PostgreSQL, the import
benchmark (SQLite), the portfolio benchmark (PostgreSQL), then the queries and package hops of the
edit flows (SQLite)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

OUT = Path(os.environ.get("MAMORI_BENCH_DIR", "build/bench"))


def postgres_url() -> str | None:
    url = os.environ.get("MAMORI_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mamori_bench")
    try:
        import psycopg

        base, _, name = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        print(f"PostgreSQL benchmark skipped: {type(exc).__name__}: {exc}")
        return None
    return url


def registry(database_url: str | None, module: str = "benchmarks.registry_bench") -> str:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if database_url:
        env["DATABASE_URL"] = database_url
    result = subprocess.run(
        [sys.executable, "-m", module],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout + (result.stderr[-2000:] if result.returncode else "")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    from benchmarks import scan_bench

    scan_bench.main()
    lines = ["", "== Registry pages ==", registry(None)]
    url = postgres_url()
    if url:
        lines.append(registry(url))
    text = "\n".join(lines)
    print(text)
    (OUT / "registry.txt").write_text(text + "\n", encoding="utf-8")
    imports = "\n".join(
        ["", "== Imports (5,000 and 50,000 vendors) ==", registry(None, "benchmarks.import_bench")]
    )
    print(imports)
    (OUT / "imports.txt").write_text(imports + "\n", encoding="utf-8")
    if url:
        portfolio = "\n".join(["", "== Portfolio ==", registry(url, "benchmarks.portfolio_bench")])
        print(portfolio)
        (OUT / "portfolio.txt").write_text(portfolio + "\n", encoding="utf-8")
    flows = "\n".join(["", "== Edit flows ==", registry(None, "benchmarks.flow_bench")])
    print(flows)
    (OUT / "flow.txt").write_text(flows + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
