"""Incident actions: assessment by the rules engine, tasks, the hash-chained timeline, scans."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from pathlib import Path

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.core.appi import FactsError, assess
from mamori.core.items import ITEM_LABELS
from mamori.incidents import rules
from mamori.incidents.events import incident_vendor_linked
from mamori.incidents.models import Incident, IncidentState, Task, TimelineEntry
from mamori.platform import messages
from mamori.platform.tenancy.objects import after_change
from mamori.platform.trail import services as trail
from mamori.platform.web.files import sha256_of
from mamori.platform.web.jobs import JobFailed, scan_file
from mamori.vendors.models import Vendor

GENESIS = "0" * 64


# --- Timeline ------------------------------------------------------------------------------------


def append(
    incident: Incident,
    actor: trail.Actor,
    kind: str,
    text: str = "",
    data: dict | None = None,
    upload=None,
    *,
    code: str = "",
    params: dict | None = None,
) -> TimelineEntry:
    """Add an entry: a note people wrote (``text``), or an event the system records as a ``code``
    and ``params`` (mamori.incidents.texts), worded in the reader's language when read; its text
    keeps the wording in the product's language for the record."""
    if code:
        params = json.loads(json.dumps(params or {}))  # plain JSON: hashed now as it will be read back
        text = messages.render_for_record(code, params)
    with transaction.atomic(), trail.acting_as(actor):
        seq, head = (
            Incident.objects.select_for_update()
            .values_list("timeline_seq", "timeline_head")
            .get(pk=incident.pk)
        )
        entry = TimelineEntry(
            organization=incident.organization,
            incident=incident,
            seq=seq + 1,
            actor_label=actor.label,
            kind=kind,
            text=text[:10000],
            code=code,
            params=params or {},
            data=data or {},
            prev_hash=head or GENESIS,
        )
        if upload is not None:
            entry.sha256 = sha256_of(upload)
            entry.file_name = upload.name[:255]
            entry.file.save(
                f"{incident.organization.uuid}/{incident.uuid}/{entry.seq}-{upload.name[-80:]}",
                upload,
                save=False,
            )
        entry.hash = entry.compute_hash()
        entry.save()
        Incident.objects.filter(pk=incident.pk).update(timeline_seq=entry.seq, timeline_head=entry.hash)
        incident.timeline_seq, incident.timeline_head = entry.seq, entry.hash
    return entry


def add_note(incident: Incident, actor: trail.Actor, kind: str, text: str, upload=None) -> TimelineEntry:
    """A note, decision, action taken or correction written by a person (page or API)."""
    rules.check_note(kind, text)
    return append(incident, actor, kind, text, upload=upload)


def record_document(incident: Incident, actor: trail.Actor, kind: str, fmt: str, text: str) -> TimelineEntry:
    """Making a report or notice is part of the response: its kind, format and fingerprint."""
    return append(
        incident,
        actor,
        "document",
        code="incidents.document_created",
        params={"document": kind, "format": fmt},
        data={"sha256": hashlib.sha256(text.encode()).hexdigest()},
    )


def verify_timeline(incident: Incident) -> str | None:
    """None when intact, else a description of the first broken link."""
    incident = Incident.objects.get(pk=incident.pk)
    prev, expected = GENESIS, 1
    for entry in incident.timeline.order_by("seq"):
        entry.incident = incident
        if entry.seq != expected:
            return f"記録 {expected} がありません"
        if entry.prev_hash != prev:
            return f"記録 {entry.seq} が前の記録とつながっていません"
        if entry.compute_hash() != entry.hash:
            return f"記録 {entry.seq} の内容がハッシュと一致しません（改ざん）"
        prev, expected = entry.hash, expected + 1
    if expected - 1 != incident.timeline_seq or (incident.timeline_seq and prev != incident.timeline_head):
        return f"記録 {expected - 1} 以降が削除されています"
    return None


# --- Assessment and tasks ----------------------------------------------------------------------

STEP_TASKS = [
    # (step, title, due: (base, offset days)) — the response steps of GL 3-5-2 and the report/notice duties
    (1, "社内の責任者へ報告し、被害の拡大を防止する（ガイドライン3-5-2(1)）", ("aware", 0)),
    (1, "証拠（ログ・メール・媒体）を保全する", ("aware", 1)),
    (2, "事実関係を調査し、原因を究明する（ガイドライン3-5-2(2)）", ("prelim_from", 0)),
    (3, "影響範囲（対象者・項目・件数）を特定する（ガイドライン3-5-2(3)）", ("prelim_from", 0)),
    (4, "再発防止策を検討し、実施する（ガイドライン3-5-2(4)）", ("final", 0)),
    (6, "問合せ窓口（コールセンター）を設置する", ("prelim_from", 0)),
    (9, "原因をつくった者（委託先等）への請求を検討する", ("final", 0)),
]
REPORTABLE_TASKS = [
    (5, "個人情報保護委員会へ速報する（規則8条1項）", ("prelim_to", 0)),
    (5, "個人情報保護委員会へ確報する（規則8条2項）", ("final", 0)),
    (7, "本人へ通知する、または代替措置をとる（法26条2項、規則10条）", ("prelim_to", 0)),
    (8, "事実関係と再発防止策を公表する（ガイドライン3-5-2）", ("prelim_to", 0)),
]


def _due(base: str, offset: int, incident: Incident, result: dict) -> dt.date:
    aware = incident.aware_on
    p = result.get("preliminary_report") or {}
    f = result.get("final_report") or {}
    day = {
        "aware": aware,
        "prelim_from": dt.date.fromisoformat(p["from"]) if p else aware + dt.timedelta(days=3),
        "prelim_to": dt.date.fromisoformat(p["to"]) if p else aware + dt.timedelta(days=5),
        "final": dt.date.fromisoformat(f["due"]) if f else aware + dt.timedelta(days=29),
    }[base]
    return day + dt.timedelta(days=offset)


def reassess(incident: Incident, actor: trail.Actor) -> dict:
    """Run the rules engine on the facts; when the result changes, both versions stay in the timeline."""
    try:
        result = assess(incident.facts())
    except FactsError as exc:
        result = {"error": exc.errors}
    summary = {
        k: result.get(k)
        for k in (
            "reportable",
            "grounds",
            "must_report",
            "must_notify",
            "exemptions",
            "preliminary_report",
            "final_report",
        )
    }
    previous = incident.assessment or {}
    previous_summary = {k: previous.get(k) for k in summary}
    changed = summary != previous_summary or not previous
    final = (result.get("final_report") or {}).get("due")
    prelim = (result.get("preliminary_report") or {}).get("to")
    with transaction.atomic(), trail.acting_as(actor):
        Incident.objects.filter(pk=incident.pk).update(
            assessment=result,
            final_due=dt.date.fromisoformat(final) if final else None,
            preliminary_due=dt.date.fromisoformat(prelim) if prelim else None,
        )
        incident.assessment, incident.final_due = result, dt.date.fromisoformat(final) if final else None
        incident.preliminary_due = dt.date.fromisoformat(prelim) if prelim else None
        if changed:
            params = {"reportable": bool(result.get("reportable")), "reassessed": bool(previous)}
            if result.get("final_report"):
                params["preliminary_from"] = result["preliminary_report"]["from"]
                params["preliminary_to"] = result["preliminary_report"]["to"]
                params["final_due"] = final
            append(
                incident,
                actor,
                "assessment",
                code="incidents.assessed",
                params=params,
                data={
                    "facts": incident.facts(),
                    "result": summary,
                    "rules_version": (result.get("rules_version") or {}).get("id"),
                },
            )
        sync_tasks(incident, result, owner=actor.user if getattr(actor.user, "pk", None) else None)
    return result


def sync_tasks(incident: Incident, result: dict, owner=None) -> None:
    """Create the checklist once; move the due dates of open generated tasks when deadlines move."""
    wanted = list(STEP_TASKS) + (REPORTABLE_TASKS if result.get("must_report") else [])
    existing = {t.title: t for t in incident.tasks.all()}
    for step, title, (base, offset) in wanted:
        due = _due(base, offset, incident, result)
        task = existing.get(title)
        if task is None:
            Task.objects.create(
                organization=incident.organization,
                incident=incident,
                step=step,
                title=title,
                due_on=due,
                owner=owner,
            )
        elif task.done_at is None and task.due_on != due:
            Task.objects.filter(pk=task.pk).update(due_on=due)


@after_change(Incident)
def _incident_changed(incident: Incident, deleted: bool) -> None:
    actor = trail.current_actor()
    if not deleted:
        reassess(incident, actor)
    if vendor_ids := incident.relinked_vendor_ids(deleted):  # its vendor, or date, changed
        vendors = (
            [incident.vendor]
            if vendor_ids == {incident.vendor_id}
            else list(Vendor.objects.filter(pk__in=vendor_ids).order_by("pk"))
        )
        incident_vendor_linked.send(
            Incident, organization=incident.organization, vendors=vendors, actor=actor, incident=incident
        )


def complete_task(task: Task, actor: trail.Actor, done: bool = True) -> None:
    with transaction.atomic(), trail.acting_as(actor):
        Task.objects.filter(pk=task.pk).update(done_at=timezone.now() if done else None)
        append(
            task.incident,
            actor,
            "task",
            code="incidents.task_done" if done else "incidents.task_reopened",
            params={"title": task.title},
        )


def add_task(incident: Incident, actor: trail.Actor, title: str, due_on, owner=None) -> Task:
    with transaction.atomic(), trail.acting_as(actor):
        task = Task.objects.create(
            organization=incident.organization,
            incident=incident,
            title=title[:300],
            due_on=due_on,
            owner=owner,
        )
        append(incident, actor, "task", code="incidents.task_added", params={"title": task.title})
    return task


def close(incident: Incident, actor: trail.Actor) -> None:
    with transaction.atomic(), trail.acting_as(actor):
        Incident.objects.filter(pk=incident.pk).update(state=IncidentState.CLOSED, closed_at=timezone.now())
        incident.state = IncidentState.CLOSED
        open_tasks = incident.tasks.filter(done_at__isnull=True).count()
        append(incident, actor, "state", code="incidents.closed", params={"open_tasks": open_tasks})


SCAN_JOB = "incidents.scan"


def apply_scan(incident: Incident, upload, actor: trail.Actor) -> dict:
    """Scan a file the program made itself (the sample organization's) in this process; uploaded
    files are scanned in the worker instead (:func:`run_scan_job`)."""
    from mamori.scan import scan_paths  # polars loads only when a file is scanned

    digest = hashlib.sha256()
    suffix = Path(upload.name).suffix.lower()[:10]
    with tempfile.TemporaryDirectory(prefix="mamori-incident-") as tmp:
        target = Path(tmp) / f"leaked{suffix}"
        with target.open("wb") as out:
            for chunk in upload.chunks():
                digest.update(chunk)
                out.write(chunk)
        result = scan_paths([target])
    return apply_scan_result(incident, upload.name, digest.hexdigest(), result, actor)


def scan_count(summary: dict, file_name: str) -> dict | None:
    """The scanner's number of people, as an estimate with its basis (never 'exact' unless the scanner
    says so): people sharing an e-mail address or one person on several rows make a count of rows
    or of distinct identifiers uncertain. Reads the newer keys with fallbacks for older results."""
    value = summary.get("individuals")
    if value is None:
        return None
    rows = summary.get("rows") or 0
    exact = summary.get("individuals_exact") is True
    low_high = summary.get("individuals_range")
    if (
        isinstance(low_high, list | tuple)
        and len(low_high) == 2
        and all(isinstance(x, int) for x in low_high)
    ):
        low, high = min(low_high), max(low_high)
    else:
        low, high = min(value, rows or value), max(value, rows)
    basis = summary.get("individuals_basis") or (
        f"ファイル「{file_name}」の走査による推計（{rows:,}行、識別できた本人{value:,}人。"
        "同じ連絡先を複数人で使う場合や同じ人が複数行にある場合があるため確定値ではありません）"
    )
    if exact:
        return {"kind": "exact", "value": value, "min": None, "max": value, "basis": basis}
    if low < high:
        return {"kind": "range", "value": value, "min": low, "max": high, "basis": basis}
    return {"kind": "estimate", "value": value, "min": None, "max": value, "basis": basis}


def scan_special_care(summary: dict) -> tuple[list[str], list[str]]:
    """(confirmed, to be confirmed). A scanner that does not separate keyword-only hits
    (no ``special_care_unconfirmed`` key) gets all its categories as to be confirmed: a keyword never
    makes an incident reportable without a person confirming it (規則7条1号)."""
    found = list(summary.get("special_care") or [])
    if "special_care_unconfirmed" not in summary:
        return [], found
    return found, list(summary.get("special_care_unconfirmed") or [])


def apply_scan_result(
    incident: Incident, file_name: str, sha256: str, result: dict, actor: trail.Actor
) -> dict:
    """The scan of the leaked file: items and the number of people go into the incident; the file
    does not. Raises JobFailed when the scanner could not read it."""
    summary = result["summary"]
    errors = [f["error"] for f in result["files"] if f["error"]]
    if errors and not summary["rows"]:
        raise JobFailed(errors[0])
    count = scan_count(summary, file_name)
    with transaction.atomic(), trail.acting_as(actor):
        incident.items = sorted(set(incident.items or []) | {k for k in summary["types"] if k in ITEM_LABELS})
        confirmed, unconfirmed = scan_special_care(summary)
        incident.special_care = sorted(set(incident.special_care or []) | set(confirmed))
        incident.special_care_unconfirmed = sorted(
            (set(incident.special_care_unconfirmed or []) | set(unconfirmed)) - set(incident.special_care)
        )
        current_max = (
            None
            if incident.individuals_kind == "unknown"
            else (incident.individuals_max if incident.individuals_max is not None else incident.individuals)
        )
        if count is not None and (current_max is None or current_max < count["max"]):
            incident.individuals = count["value"]
            incident.individuals_kind = count["kind"]
            incident.individuals_min = count["min"]
            incident.individuals_max = count["max"]
            incident.individuals_basis = count["basis"][:300]
        incident.scan_summary = {"file": file_name[:200], "sha256": sha256, **summary}
        incident.save(
            update_fields=[
                "items",
                "special_care",
                "special_care_unconfirmed",
                "individuals",
                "individuals_kind",
                "individuals_min",
                "individuals_max",
                "individuals_basis",
                "scan_summary",
            ]
        )
        append(
            incident,
            actor,
            "scan",
            code="incidents.scanned",
            params={
                "file": file_name,
                "rows": summary["rows"],
                "individuals": summary["individuals"],
                "items": [k for k in summary["types"] if k in ITEM_LABELS],
            },
            data={"sha256": sha256, "summary": summary},
        )
        reassess(incident, actor)
    return summary


def run_scan_job(job, path: Path, actor: trail.Actor) -> tuple[str, str]:
    """In the worker: scan the uploaded leaked file (in the isolated child) and apply the result."""
    incident = Incident.objects.filter(organization=job.organization, uuid=job.params["incident"]).first()
    if incident is None:
        raise JobFailed(_("The incident no longer exists."))
    summary = apply_scan_result(incident, job.file_name, job.params["sha256"], scan_file(path), actor)
    return (
        reverse("incidents:detail", args=[incident.uuid]),
        _("Scanned: %(rows)s rows, %(people)s people. The file was not kept.")
        % {"rows": summary["rows"], "people": summary["individuals"]},
    )
