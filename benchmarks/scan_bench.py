"""`make bench` for the scanner: speed on 1,000,000 rows against a plain polars read, Presidio on a
2,000-row slice side by side, and accuracy on both labelled corpora (generated; real export shapes).

``python -m benchmarks.scan_bench accuracy`` runs the accuracy part alone (seconds, no 1M-row file).
``python -m benchmarks.scan_bench cpu`` compares CPU time (all threads) of the scan with a plain read on
the 1M-row file: on a shared, loaded machine CPU time is steadier than wall-clock time."""

from __future__ import annotations

import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from benchmarks import accuracy, corpus
from mamori.scan import scan_paths

OUT = Path(os.environ.get("MAMORI_BENCH_DIR", "build/bench"))
ROWS = int(os.environ.get("MAMORI_BENCH_ROWS", "1000000"))


def median_time(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def speed(path: Path, truth_individuals: int) -> list[str]:
    size_mb = path.stat().st_size / 1e6
    read = median_time(lambda: pl.read_csv(path, infer_schema=False))
    result = {}

    def run():
        result["r"] = scan_paths([path])

    scan = median_time(run)
    summary = result["r"]["summary"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mamori.cli", "scan", str(path), "--format", "json", "--no-progress"],
        capture_output=True,
        check=False,
    )
    cli_wall = time.perf_counter() - start
    peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    error = abs(summary["individuals"] - truth_individuals) / truth_individuals
    return [
        f"file: {path} ({summary['rows']:,} rows, {size_mb:.0f} MB, 13 columns)",
        f"polars.read_csv (all strings), median of 3: {read:.2f} s",
        f"mamori scan (in process), median of 3:     {scan:.2f} s  = {scan / read:.2f} x the plain read"
        f"  ({summary['rows'] / scan:,.0f} rows/s, {size_mb / scan:.0f} MB/s)",
        f"mamori scan (command line, one run):       {cli_wall:.2f} s wall, peak memory {peak_mb:,.0f} MB, exit {proc.returncode}",
        f"individuals: {summary['individuals']:,} (truth {truth_individuals:,}, error {error:.4%}) by {summary['individuals_key']}",
        "types: " + ", ".join(f"{k} {v:,}" for k, v in summary["types"].items()),
    ]


def presidio_side_by_side(path: Path, rows: int = 2000) -> list[str]:
    try:
        import spacy
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import SpacyNlpEngine
    except ImportError:
        return ["Presidio: not installed (make bench installs the [bench] extra)"]
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    frame = pl.read_csv(path, infer_schema=False, n_rows=rows)
    with tempfile.TemporaryDirectory() as model:
        spacy.blank("en").to_disk(model)
        analyzer = AnalyzerEngine(
            nlp_engine=SpacyNlpEngine(models=[{"lang_code": "en", "model_name": model}]),
            supported_languages=["en"],
        )
        found: dict[str, dict[str, int]] = {c: {} for c in frame.columns}
        start = time.perf_counter()
        for row in frame.iter_rows(named=True):
            for column, value in row.items():
                if not value:
                    continue
                for hit in analyzer.analyze(text=value, language="en"):
                    if hit.score >= 0.3:
                        found[column][hit.entity_type] = found[column].get(hit.entity_type, 0) + 1
        presidio_time = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        sliced = Path(tmp) / "slice.csv"
        frame.write_csv(sliced)
        start = time.perf_counter()
        ours = scan_paths([sliced])
        ours_time = time.perf_counter() - start
    mamori_types = {
        c["name"]: ", ".join(f"{t['type']} {t['count']}" for t in c["types"]) or "—"
        for c in ours["files"][0]["tables"][0]["columns"]
    }
    lines = [
        f"Presidio (presidio-analyzer, blank spaCy 'en' pipeline, score >= 0.3) on {rows:,} rows:"
        f" {presidio_time:.1f} s ({rows / presidio_time:,.0f} rows/s); Mamori: {ours_time:.2f} s"
        f" ({rows / ours_time:,.0f} rows/s)",
        f"{'column':14} {'Mamori':34} Presidio",
    ]
    for column in frame.columns:
        theirs = ", ".join(f"{k} {v}" for k, v in sorted(found[column].items(), key=lambda kv: -kv[1])) or "—"
        lines.append(f"{column:14} {mamori_types.get(column, '—'):34} {theirs}")
    return lines


def accuracy_sections() -> list[str]:
    """Accuracy on both corpora: the generated one and the real export shapes (issue 15)."""
    generated = accuracy.evaluate()
    real = accuracy.evaluate_real()
    return [
        "== Accuracy on the generated corpus (benchmarks/corpus.py) ==",
        accuracy.summary_line(generated),
        accuracy.report(generated),
        "",
        "== Accuracy on the real-shapes corpus (tests/fixtures/realshapes, benchmarks/realshapes.py) ==",
        accuracy.summary_line(real),
        accuracy.report(real),
    ]


def big_file() -> tuple[Path, int]:
    """The 1M-row customer CSV (generated once) and its true number of people."""
    OUT.mkdir(parents=True, exist_ok=True)
    big = OUT / f"customers_{ROWS}.csv"
    truth_file = big.with_suffix(".truth.json")
    if not big.exists() or not truth_file.exists():
        print(f"generating {big} …", flush=True)
        truth_file.write_text(json.dumps({"individuals": corpus.big_customer_csv(big, ROWS)}))
    return big, json.loads(truth_file.read_text())["individuals"]


def cpu(runs: int = 5) -> list[str]:
    """CPU seconds (time.process_time: every thread of this process) of polars.read_csv and of the
    scan, alternating read and scan, median of ``runs``; one scan first to warm up."""
    path, _ = big_file()
    scan_paths([path])
    reads, scans = [], []
    for _ in range(runs):
        start = time.process_time()
        pl.read_csv(path, infer_schema=False)
        reads.append(time.process_time() - start)
        start = time.process_time()
        scan_paths([path])
        scans.append(time.process_time() - start)
    read, scan = statistics.median(reads), statistics.median(scans)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [
        f"CPU seconds, median of {runs}: polars.read_csv {read:.2f}, mamori scan {scan:.2f},"
        f" ratio {scan / read:.2f} (peak memory of this process {peak_mb:,.0f} MB)"
    ]


def main() -> None:
    big, truth = big_file()
    report = [
        "== Scanner speed ==",
        *speed(big, truth),
        "",
        "== Presidio side by side ==",
        *presidio_side_by_side(big),
        "",
        *accuracy_sections(),
    ]
    text = "\n".join(report)
    print(text)
    (OUT / "scan.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["accuracy"]:
        print("\n".join(accuracy_sections()))
    elif sys.argv[1:] == ["cpu"]:
        print("\n".join(cpu()))
    else:
        main()
