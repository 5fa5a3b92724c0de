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

from mamori.core.appi import FactsError, assess, playbooks
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
    occurred_at: dt.datetime | None = None,
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
            occurred_at=occurred_at,
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


def add_note(
    incident: Incident,
    actor: trail.Actor,
    kind: str,
    text: str,
    upload=None,
    occurred_at: dt.datetime | None = None,
) -> TimelineEntry:
    """A note, decision, action taken or correction written by a person (page or API); ``occurred_at``
    is when the event happened (the 事実経過), apart from when it is recorded."""
    rules.check_note(kind, text, occurred_at)
    return append(incident, actor, kind, text, upload=upload, occurred_at=occurred_at)


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


def _due(base: str, incident: Incident, result: dict) -> dt.date:
    aware = incident.aware_on
    p = result.get("preliminary_report") or (result.get("verdict") or {}).get("worst_case", {}) or {}
    if "preliminary_report" in p:
        p = p["preliminary_report"]
    f = result.get("final_report") or ((result.get("verdict") or {}).get("worst_case") or {}).get(
        "final_report"
    )
    act = result.get("my_number_act") or {}
    mn_p, mn_f = act.get("preliminary_report") or {}, act.get("final_report") or {}
    day = {
        "aware": aware,
        "prelim_from": dt.date.fromisoformat(p["from"]) if p else aware + dt.timedelta(days=3),
        "prelim_to": dt.date.fromisoformat(p["to"]) if p else aware + dt.timedelta(days=5),
        "final": dt.date.fromisoformat(f["due"]) if f else aware + dt.timedelta(days=29),
        "mn_prelim_to": dt.date.fromisoformat(mn_p["to"]) if mn_p else aware + dt.timedelta(days=5),
        "mn_final": dt.date.fromisoformat(mn_f["due"]) if mn_f else aware + dt.timedelta(days=29),
    }[base]
    return day


def reassess(incident: Incident, actor: trail.Actor) -> dict:
    """Run the rules engine on the facts; when the result changes, both versions stay in the timeline."""
    try:
        result = assess(incident.facts())
    except FactsError as exc:
        result = {"error": exc.errors}
    summary = {
        k: result.get(k)
        for k in (
            "verdict",
            "my_number_act",
            "vendor_route",
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
            verdict = (result.get("verdict") or {}).get("code")
            if verdict == "required" and (result.get("vendor_route") or {}).get("notified"):
                verdict = "vendor_notified"
            params = {
                "reportable": bool(result.get("reportable")),
                "reassessed": bool(previous),
                "verdict": verdict,
            }
            if act := result.get("my_number_act"):
                params["my_number"] = act["verdict"]["code"]
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
    """The checklist follows the verdict, the cause and the role (mamori.core.appi.playbooks): new
    tasks are created, due dates of open tasks move with the deadlines, and a task that no longer
    applies is marked 不要 with the reason — kept, never deleted; it comes back if it applies again."""
    from mamori.incidents.models import ReporterProfile

    profile = ReporterProfile.objects.filter(organization=incident.organization).first()
    wanted = playbooks.checklist(
        result,
        cause=incident.cause,
        caused_by=incident.caused_by or None,
        role=incident.role,
        regulator=profile.delegated_ministry if profile else "",
    )
    existing = {t.key: t for t in incident.tasks.exclude(key="")}
    by_title = {t.title: t for t in incident.tasks.filter(key="")}
    for spec in wanted:
        task = existing.get(spec.key) or by_title.get(spec.title)
        if spec.applies:
            due = _due(spec.due, incident, result)
            if task is None:
                Task.objects.create(
                    organization=incident.organization,
                    incident=incident,
                    key=spec.key,
                    step=spec.step,
                    title=spec.title,
                    due_on=due,
                    owner=owner,
                )
                continue
            changes: dict = {}
            if task.done_at is None and task.due_on != due:
                changes["due_on"] = due
            if task.not_needed_reason:
                changes["not_needed_reason"] = ""
            if task.title != spec.title and task.done_at is None:
                changes["title"] = spec.title
            if not task.key:
                changes["key"] = spec.key
            if changes:
                Task.objects.filter(pk=task.pk).update(**changes)
        elif task is not None and task.done_at is None and task.not_needed_reason != spec.reason:
            Task.objects.filter(pk=task.pk).update(not_needed_reason=spec.reason[:300], key=spec.key)


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
    summary = apply_scan_result(incident, job.file_name, job.params["sha256"], scan_file(path, job), actor)
    return (
        reverse("incidents:detail", args=[incident.uuid]),
        _("Scanned: %(rows)s rows, %(people)s people. The file was not kept.")
        % {"rows": summary["rows"], "people": summary["individuals"]},
    )
