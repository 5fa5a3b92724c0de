"""Uploaded files are read in the worker, never in the web request.

The request saves the upload to an owner-only file in ``MAMORI_PENDING_DIR``, records a
:class:`~mamori.platform.web.models.FileJob` and enqueues :func:`read_uploaded_file`; its page says
「読み取り中…」 and asks again every two seconds (htmx) until the job is done, then goes to the
result, or back to the upload form with the error. The worker runs the app's registered function
(:func:`mamori.platform.registry.register_file_job`), which reads the file in a child process with
resource limits (:func:`scan_file`) and applies the result in a short transaction; the file is
deleted in every case.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from mamori.platform import registry
from mamori.platform.actor import Actor
from mamori.platform.isolation import ChildFailed, ProgressFile, run_isolated
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import get_scoped, org_view, scoped
from mamori.platform.web.files import save_pending
from mamori.platform.web.models import FileJob

log = logging.getLogger(__name__)


class JobFailed(Exception):
    """What the person who uploaded the file is told (in their language)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def start(request, kind: str, upload, params: dict | None = None) -> FileJob:
    """Keep the upload until the worker reads it, and queue the reading."""
    digest = hashlib.sha256()
    path = save_pending(upload, digest)
    job = FileJob.objects.create(
        organization=request.org,
        kind=kind,
        file_name=upload.name[:200],
        path=str(path),
        params={**(params or {}), "sha256": digest.hexdigest()},
        user=request.user if request.user.is_authenticated else None,
        request_id=getattr(request, "request_id", "")[:64],
        language=translation.get_language() or "",
    )
    read_uploaded_file.enqueue(job.pk)
    return job


def scan_file(path: Path, job: FileJob | None = None) -> dict:
    """The scanner's value-free result for one file, from a child process with resource limits
    (``MAMORI_CHILD_MEMORY_MB``, ``MAMORI_CHILD_SECONDS``); raises :class:`JobFailed`.

    With ``job``, the child writes how much of the file it has read to a small file beside it
    (every 1 %), and this process copies it to ``job.progress`` about once a second, for the
    page's progress bar."""
    from mamori.scan import scan_paths

    if job is None:
        try:
            return run_isolated(scan_paths, [str(path)])
        except ChildFailed as exc:
            raise JobFailed(exc.message) from None
    progress_path = f"{path}.progress"

    def copy_progress() -> None:
        fraction = ProgressFile.read(progress_path)
        if fraction is not None and fraction != job.progress:
            job.progress = fraction
            FileJob.objects.filter(pk=job.pk).update(progress=fraction)

    try:
        return run_isolated(
            scan_paths, [str(path)], on_progress=ProgressFile(progress_path), on_wait=copy_progress
        )
    except ChildFailed as exc:
        raise JobFailed(exc.message) from None
    finally:
        copy_progress()
        Path(progress_path).unlink(missing_ok=True)
        Path(f"{progress_path}.tmp").unlink(missing_ok=True)


@task()
def read_uploaded_file(job_id: int) -> None:
    job = FileJob.objects.select_related("organization", "user").filter(pk=job_id).first()
    if job is None or job.state != FileJob.State.PENDING:
        return
    path = Path(job.path) if job.path else None
    # Claimed once: a job whose worker died half-way (its task re-queued by the lease) is not read
    # again, because its result may already have been saved; the person is told to check and retry.
    claimed = FileJob.objects.filter(pk=job.pk, started_at__isnull=True).update(started_at=timezone.now())
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            if not claimed:
                job.message = _(
                    "Reading the file was interrupted. Check whether the result was saved; "
                    "if not, upload the file again."
                )
                return
            # The change is recorded as made by who uploaded the file, through the page they used.
            actor = Actor(user=job.user, via="web", request_id=job.request_id)
            try:
                if path is None or not path.exists():
                    raise JobFailed(_("The uploaded file is no longer there. Upload it again."))
                job.result_url, job.message = registry.file_jobs[job.kind].run(job, path, actor)
                job.state = FileJob.State.DONE
            except JobFailed as exc:
                job.state, job.message = FileJob.State.FAILED, exc.message
            except Exception:
                log.exception("reading the uploaded file of job %s failed", job.pk)
                job.state, job.message = FileJob.State.FAILED, _("The file could not be read.")
    finally:
        if path is not None:
            path.unlink(missing_ok=True)
        job.path = ""
        job.finished_at = timezone.now()
        if job.state == FileJob.State.PENDING:
            job.state = FileJob.State.FAILED
            job.message = job.message or _("The file could not be read.")
        job.save(update_fields=["state", "result_url", "message", "path", "finished_at"])


def failed_job(request) -> FileJob | None:
    """The failed job named by ``?job=`` on the page the upload came from (to show its error there)."""
    try:
        uuid = UUID(request.GET.get("job", ""))
    except ValueError:
        return None
    return scoped(request, FileJob).filter(uuid=uuid, state=FileJob.State.FAILED, user=request.user).first()


@org_view(Perm.EDIT)
def job_view(request, uuid):
    """「読み取り中…」 until the worker is done; then the result, or the upload form with the error.
    htmx asks again every two seconds (without JavaScript, the page reloads itself)."""
    job = get_scoped(request, FileJob, uuid=uuid, user=request.user)
    if job.state == FileJob.State.PENDING:
        if request.htmx:
            return HttpResponse(status=204)
        return render(request, "web/job.html", {"job": job})
    if job.state == FileJob.State.DONE:
        target = job.result_url
        messages.success(request, job.message)
    else:
        target = f"{registry.file_jobs[job.kind].back(job)}?job={job.uuid}"
    if request.htmx:
        return HttpResponse(headers={"HX-Redirect": target})
    return redirect(target)
