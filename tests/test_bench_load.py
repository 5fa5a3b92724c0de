"""The load run of `make bench` works (a smoke run: a few clients for a few seconds, SQLite)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="gunicorn runs on Unix only")


def test_the_short_load_run_serves_every_kind_of_request_without_errors(tmp_path):
    env = {**os.environ, "MAMORI_BENCH_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.load", "--short", "--sqlite-only"],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    runs = json.loads((tmp_path / "load.json").read_text())
    assert [r["clients"] for r in runs] == [1, 4]
    for run in runs:
        assert run["errors"] == 0 and run["requests"] > 0 and run["rps"] > 0
        assert {"page", "api", "portal"} <= set(run["count_by_kind"])
    assert "req/s" in (tmp_path / "load.txt").read_text()
