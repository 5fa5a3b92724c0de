"""Scanner accuracy on the generated corpus: precision and recall per type at column level, the
error of the individuals count, and whether decoy files stay clean."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import corpus
from mamori.scan import scan_paths
from mamori.scan.patterns import NON_PERSONAL_TYPES, PERSONAL_TYPES

TYPES = (*PERSONAL_TYPES, *NON_PERSONAL_TYPES)


@dataclass
class Score:
    tp: dict[str, int] = field(default_factory=dict)
    fp: dict[str, int] = field(default_factory=dict)
    fn: dict[str, int] = field(default_factory=dict)
    individuals: list[tuple[str, int, int | None]] = field(default_factory=list)
    decoys: list[tuple[str, bool]] = field(default_factory=list)
    mistakes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def precision(self, kind: str) -> float | None:
        tp, fp = self.tp.get(kind, 0), self.fp.get(kind, 0)
        return None if tp + fp == 0 else tp / (tp + fp)

    def recall(self, kind: str) -> float | None:
        tp, fn = self.tp.get(kind, 0), self.fn.get(kind, 0)
        return None if tp + fn == 0 else tp / (tp + fn)

    def individuals_error(self) -> float:
        errs = [abs((pred or 0) - truth) / truth for _, truth, pred in self.individuals if truth]
        return max(errs) if errs else 0.0


def predicted_columns(file_entry: dict) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    xlsx = file_entry["format"] == "xlsx"
    for table in file_entry["tables"]:
        for column in table["columns"]:
            key = f"{table['name']}:{column['name']}" if xlsx else column["name"]
            out[key] = {t["type"] for t in column["types"]}
    return out


def evaluate(folder: Path | None = None, variants: int = 3) -> Score:
    with tempfile.TemporaryDirectory(prefix="mamori-corpus-") as tmp:
        folder = folder or Path(tmp)
        truths = corpus.build(folder, variants=variants)
        result = scan_paths([folder / t.path for t in truths])
    score = Score()
    for truth, entry in zip(truths, result["files"], strict=True):
        if entry["error"]:
            score.errors.append(f"{truth.path}: {entry['error']}")
            continue
        predicted = predicted_columns(entry)
        for column, expected in truth.columns.items():
            got = predicted.get(column, set())
            if column not in predicted:
                score.mistakes.append(f"{truth.path}: column {column!r} not found")
            for kind in TYPES:
                e, g = kind in expected, kind in got
                if e and g:
                    score.tp[kind] = score.tp.get(kind, 0) + 1
                elif g:
                    score.fp[kind] = score.fp.get(kind, 0) + 1
                    score.mistakes.append(f"{truth.path}: {column}: false {kind}")
                elif e:
                    score.fn[kind] = score.fn.get(kind, 0) + 1
                    score.mistakes.append(f"{truth.path}: {column}: missed {kind}")
        if truth.individuals is not None and truth.personal:
            score.individuals.append((truth.path, truth.individuals, entry["summary"]["individuals"]))
        if not truth.personal:
            score.decoys.append((truth.path, entry["summary"]["personal_data"]))
    return score


def report(score: Score) -> str:
    lines = [f"{'type':26} {'precision':>9} {'recall':>7} {'columns':>8}"]
    for kind in TYPES:
        p, r = score.precision(kind), score.recall(kind)
        n = score.tp.get(kind, 0) + score.fn.get(kind, 0)
        if p is None and r is None:
            continue
        lines.append(
            f"{kind:26} {'-' if p is None else f'{p:.3f}':>9} {'-' if r is None else f'{r:.3f}':>7} {n:>8}"
        )
    lines.append("")
    lines.append(
        f"individuals: worst relative error {score.individuals_error():.4f} over {len(score.individuals)} files"
    )
    for path, truth, pred in score.individuals:
        lines.append(f"  {path:38} truth {truth:>6}  scanned {pred if pred is not None else '-':>6}")
    lines.append(
        "decoy files reporting personal data: " + (", ".join(p for p, bad in score.decoys if bad) or "none")
    )
    if score.errors:
        lines.append("errors: " + "; ".join(score.errors))
    if score.mistakes:
        lines.append("mistakes:")
        lines += [f"  {m}" for m in score.mistakes]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(evaluate()))


# --- The real-shapes corpus (tests/fixtures/realshapes, issue 15) -------------------------------


def real_predicted(entries: list[dict]) -> dict[str, set[str]]:
    """Every column the scanner reported, keyed like the truth files: ``column``, ``sheet:column``
    (Excel), ``member!column`` (ZIP). A special-care hit counts only when confirmed (要確認 hits
    are reported apart and are not a finding)."""
    out: dict[str, set[str]] = {}
    for entry in entries:
        if entry["format"] == "zip":
            continue
        member = entry["path"].split("!", 1)[1] + "!" if "!" in entry["path"] else ""
        for table in entry["tables"]:
            sheet = f"{table['name']}:" if entry["format"] == "xlsx" else ""
            for column in table["columns"]:
                types = {t["type"] for t in column["types"] if t.get("confirmed", True)}
                out[f"{member}{sheet}{column['name']}"] = types
    return out


def evaluate_real(folder: Path | None = None) -> Score:
    import json

    from benchmarks.realshapes import FOLDER

    folder = folder or FOLDER
    score = Score()
    for truth_path in sorted(folder.glob("*.truth.json")):
        data = json.loads(truth_path.read_text(encoding="utf-8"))
        path = folder / truth_path.name.removesuffix(".truth.json")
        result = scan_paths([path])
        entries = result["files"]
        errors = [f"{path.name}: {e['error']}" for e in entries if e["error"]]
        if errors:
            score.errors += errors
            continue
        predicted = real_predicted(entries)
        expected = {k: set(v) for k, v in data["columns"].items()}
        for column in expected:
            if column not in predicted:
                score.mistakes.append(f"{path.name}: column {column!r} not found")
        for column in sorted(set(predicted) | set(expected)):
            got, want = predicted.get(column, set()), expected.get(column, set())
            for kind in TYPES:
                e, g = kind in want, kind in got
                if e and g:
                    score.tp[kind] = score.tp.get(kind, 0) + 1
                elif g:
                    score.fp[kind] = score.fp.get(kind, 0) + 1
                    score.mistakes.append(f"{path.name}: {column}: false {kind}")
                elif e:
                    score.fn[kind] = score.fn.get(kind, 0) + 1
                    score.mistakes.append(f"{path.name}: {column}: missed {kind}")
        summary = result["summary"]
        if data["individuals"] is not None and data["personal"]:
            score.individuals.append((path.name, data["individuals"], summary["individuals"]))
        if not data["personal"]:
            score.decoys.append((path.name, summary["personal_data"]))
    return score


def overall(score: Score, kinds: tuple[str, ...] = PERSONAL_TYPES) -> tuple[float, float]:
    """Micro-averaged column-level precision and recall over the personal types."""
    tp = sum(score.tp.get(k, 0) for k in kinds)
    fp = sum(score.fp.get(k, 0) for k in kinds)
    fn = sum(score.fn.get(k, 0) for k in kinds)
    return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)


def summary_line(score: Score) -> str:
    p, r = overall(score)
    flagged = sum(1 for _, bad in score.decoys if bad)
    return (
        f"personal types, column level: precision {p:.3f}, recall {r:.3f}; "
        f"decoys flagged {flagged} of {len(score.decoys)}"
    )
