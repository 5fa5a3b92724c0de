"""Bounded resources for uploaded files (issue 13): every scan of an upload runs in the worker, in a
child process with memory and time limits; imports are capped in rows and bytes, read in the child,
checked outside the write transaction and saved all or nothing."""

from __future__ import annotations

import stat
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from mamori.incidents.models import Incident, IncidentState
from mamori.ledger.models import DataAsset
from mamori.platform.isolation import ChildFailed, run_isolated
from mamori.platform.table_reader import ReadError, read_table
from mamori.platform.trail.models import TrailEntry
from mamori.platform.web.jobs import read_uploaded_file
from mamori.platform.web.models import FileJob
from mamori.vendors.forms import VendorForm
from mamori.vendors.models import Vendor
from tests import isolation_helpers

MEMBERS = "氏名,メールアドレス,電話番号\n山田 太郎,taro@example.jp,090-1234-5678\n佐藤 花子,hanako@example.jp,080-1111-2222\n"


# --- The isolated child ---------------------------------------------------------------------------


def test_a_function_past_the_time_limit_is_killed_with_a_japanese_message():
    started = time.monotonic()
    with pytest.raises(ChildFailed) as failed:
        run_isolated(isolation_helpers.sleep, 60, seconds=1)
    assert time.monotonic() - started < 15
    assert failed.value.reason == "timeout"
    assert str(failed.value) == "ファイルの読み取りが時間の上限（1 秒）を超えたため、中止しました。"
    # This process is unharmed and the next child works.
    assert run_isolated(isolation_helpers.add, 2, 3) == 5


def test_a_function_past_the_memory_limit_fails_alone_with_a_japanese_message():
    with pytest.raises(ChildFailed) as failed:
        run_isolated(isolation_helpers.allocate, 2048, memory_mb=300)
    assert failed.value.reason == "memory"
    assert str(failed.value) == (
        "ファイルが大きすぎるか壊れているため、読み取れませんでした（メモリの上限 300 MB）。"
    )
    assert run_isolated(isolation_helpers.allocate, 10, memory_mb=300) == 10


def test_an_expected_error_comes_back_as_itself(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(ReadError) as failed:
        run_isolated(read_table, str(path), "x.pdf", 10, expected=(ReadError,))
    assert failed.value.code == "format" and failed.value.params == {}


# --- Scans of uploaded files in the worker -----------------------------------------------------------


@pytest.fixture
def queued(settings):
    """Tasks are queued, not run: the test plays the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_a_data_set_from_a_file_is_scanned_by_the_worker_while_the_page_waits(demo, queued, settings):
    owner = demo.client()
    response = owner.post(
        "/ledger/from-file/",
        {"name": "会員（スキャン）", "file": SimpleUploadedFile("members.csv", MEMBERS.encode())},
    )
    job = FileJob.objects.get(organization=demo.org)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.uuid}/"
    assert not DataAsset.objects.filter(name="会員（スキャン）").exists()  # nothing scanned in the request

    # The upload waits in an owner-only file; the page says it is being read and polls.
    [pending] = list(settings.MAMORI_PENDING_DIR.iterdir())
    assert stat.S_IMODE(pending.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.MAMORI_PENDING_DIR.stat().st_mode) == 0o700
    page = owner.get(f"/jobs/{job.uuid}/")
    html = page.content.decode()
    assert page.status_code == 200 and "読み取り中…" in html and 'hx-trigger="every 2s"' in html
    assert owner.get(f"/jobs/{job.uuid}/", HTTP_HX_REQUEST="true").status_code == 204
    # Only who uploaded it sees it.
    assert demo.client(demo.admin).get(f"/jobs/{job.uuid}/").status_code == 404

    read_uploaded_file.call(job.pk)  # the worker

    assert not pending.exists()
    asset = DataAsset.objects.get(name="会員（スキャン）")
    assert asset.items == ["email", "person_name", "phone"] and asset.individuals == 2
    assert "taro@example.jp" not in str(asset.scan_summary)
    entry = TrailEntry.objects.get(object_id=str(asset.uuid), action="create")
    assert entry.actor_label == f"web:{demo.owner.email}"
    done = owner.get(f"/jobs/{job.uuid}/", HTTP_HX_REQUEST="true")
    assert done["HX-Redirect"] == f"/ledger/{asset.uuid}/edit/"
    page = owner.get(f"/jobs/{job.uuid}/", follow=True)
    assert page.redirect_chain[-1][0] == f"/ledger/{asset.uuid}/edit/"
    assert "ファイルをスキャンして破棄しました" in page.content.decode()


def test_a_job_whose_worker_died_half_way_is_not_read_twice(demo, queued, settings):
    """The task lease re-queues a task whose worker died; the file is then not read again (its data
    set may already exist) and the person is told to check and upload again."""
    owner = demo.client()
    owner.post(
        "/ledger/from-file/",
        {"name": "会員（中断）", "file": SimpleUploadedFile("members.csv", MEMBERS.encode())},
    )
    job = FileJob.objects.get(organization=demo.org)
    FileJob.objects.filter(pk=job.pk).update(started_at=timezone.now())  # the first worker died here

    read_uploaded_file.call(job.pk)  # the re-queued task

    job.refresh_from_db()
    assert job.state == FileJob.State.FAILED and "中断" in job.message
    assert not DataAsset.objects.filter(name="会員（中断）").exists()
    assert not list(settings.MAMORI_PENDING_DIR.iterdir())  # the file is deleted all the same


def test_a_file_the_scanner_cannot_read_is_shown_next_to_the_upload_field(demo):
    owner = demo.client()
    page = owner.post(
        "/ledger/from-file/",
        {"name": "壊れた名簿", "file": SimpleUploadedFile("members.xlsx", b"not a workbook")},
        follow=True,
    )
    assert page.redirect_chain[-1][0].startswith("/ledger/from-file/?job=")
    assert page.context["form"].errors["file"] and page.context["form"]["name"].value() == "壊れた名簿"
    assert not DataAsset.objects.filter(name="壊れた名簿").exists()


def test_a_leaked_file_past_the_time_limit_fails_alone_and_the_incident_is_unchanged(demo, settings):
    settings.MAMORI_CHILD_SECONDS = 0.1
    incident = Incident.objects.filter(organization=demo.org, state=IncidentState.OPEN).first()
    before = (incident.items, incident.individuals, incident.scan_summary)
    rows = "".join(f"山田 太郎{i},user{i}@example.jp,090-{i % 10000:04d}-5678\n" for i in range(600_000))
    big = ("氏名,メールアドレス,電話番号\n" + rows).encode()
    assert len(big) > 30 * 2**20
    page = demo.client().post(
        f"/incidents/{incident.uuid}/scan/", {"file": SimpleUploadedFile("leak.csv", big)}, follow=True
    )
    assert page.status_code == 200
    error = page.content.decode().split('id="scan-error"', 1)[1][:300]
    assert "時間の上限（0.1 秒）を超えたため、中止しました" in error
    incident.refresh_from_db()
    assert (incident.items, incident.individuals, incident.scan_summary) == before
    assert not incident.timeline.filter(kind="scan", seq__gt=0, text__contains="leak.csv").exists()
    assert not any(settings.MAMORI_PENDING_DIR.iterdir())
    assert FileJob.objects.get().state == FileJob.State.FAILED


def test_a_leaked_file_is_scanned_by_the_worker_and_recorded(demo, settings):
    incident = Incident.objects.filter(organization=demo.org, state=IncidentState.OPEN).first()
    csv = "氏名,メールアドレス\n" + "".join(f"会員{n},m{n}@example.jp\n" for n in range(5000))
    page = demo.client().post(
        f"/incidents/{incident.uuid}/scan/",
        {"file": SimpleUploadedFile("leak.csv", csv.encode())},
        follow=True,
    )
    assert page.redirect_chain[-1][0] == f"/incidents/{incident.uuid}/"
    assert "5000" in page.content.decode().replace(",", "")
    incident.refresh_from_db()
    assert incident.scan_summary["individuals"] == 5000 and incident.scan_summary["file"] == "leak.csv"
    scan = incident.timeline.get(kind="scan", text__contains="leak.csv")
    assert scan.actor_label == f"web:{demo.owner.email}"
    # The child wrote how much it had read; the worker copied it to the job (and removed the file).
    assert FileJob.objects.get(kind="incidents.scan").progress == 1.0
    assert not any(settings.MAMORI_PENDING_DIR.iterdir())


def test_the_child_reports_progress_while_the_parent_waits(tmp_path):
    """The progress file is written in the child and read by the parent's on_wait, about every second."""
    from mamori.platform.isolation import ProgressFile

    target = tmp_path / "p"
    seen: list[float | None] = []
    run_isolated(
        isolation_helpers.report_progress,
        ProgressFile(str(target)),
        on_wait=lambda: seen.append(ProgressFile.read(str(target))),
    )
    assert seen and any(v is not None and 0 < v < 1 for v in seen)
    assert ProgressFile.read(str(target)) == 1.0


# --- Imports -------------------------------------------------------------------------------------------


def vendors_csv(n: int) -> SimpleUploadedFile:
    text = "名称,状態\n" + "".join(f"委託先{i},契約中\n" for i in range(n))
    return SimpleUploadedFile("vendors.csv", text.encode())


def test_an_import_over_the_row_cap_is_refused_and_nothing_is_written(tenancy, settings):
    settings.MAMORI_MAX_IMPORT_ROWS = 3
    owner = tenancy.client(tenancy.owner)
    page = owner.post("/import/vendors/", {"file": vendors_csv(4)})
    assert page.status_code == 200
    assert "3 行を超えています" in page.content.decode() and not Vendor.objects.exists()
    assert owner.post("/import/vendors/", {"file": vendors_csv(3)}).status_code == 302
    assert Vendor.objects.count() == 3


def test_an_import_over_the_byte_cap_is_refused_before_it_is_read(tenancy, settings):
    settings.MAMORI_MAX_IMPORT_BYTES = 2**20
    upload = SimpleUploadedFile("vendors.csv", b"\xe5\x90\x8d\xe7\xa7\xb0\n" + b"x" * 2**20)
    page = tenancy.client(tenancy.owner).post("/import/vendors/", {"file": upload})
    assert "1 MB" in page.content.decode() and "取り込み" in page.content.decode()
    assert not Vendor.objects.exists()


def test_a_hostile_import_file_fails_alone_with_the_memory_message(tenancy, settings):
    """Millions of distinct tiny cells: the reader would allocate far more than the file's size."""
    settings.MAMORI_CHILD_MEMORY_MB = 450  # the scanner's libraries (polars, numpy) load within it
    settings.MAMORI_MAX_IMPORT_BYTES = 40 * 1024 * 1024
    settings.MAMORI_MAX_IMPORT_ROWS = 50_000  # the memory limit is what this file must hit
    line = ",".join(f"{i:03d}" for i in range(150)) + "\n"
    upload = SimpleUploadedFile("vendors.csv", ("名称\n" + line * 50_000).encode())
    owner = tenancy.client(tenancy.owner)
    page = owner.post("/import/vendors/", {"file": upload})
    assert page.status_code == 200
    assert "メモリの上限 450 MB" in page.content.decode() and not Vendor.objects.exists()
    # The server goes on: the next import works.
    assert owner.post("/import/vendors/", {"file": vendors_csv(2)}).status_code == 302


def test_rows_are_checked_outside_the_write_transaction_and_saved_all_or_nothing(tenancy, monkeypatch):
    checked_in_transaction = []
    is_valid = VendorForm.is_valid

    def spy(self):
        checked_in_transaction.append(connection.in_atomic_block and not _in_test_transaction_only())
        return is_valid(self)

    monkeypatch.setattr(VendorForm, "is_valid", spy)
    owner = tenancy.client(tenancy.owner)
    assert owner.post("/import/vendors/", {"file": vendors_csv(5)}).status_code == 302
    assert Vendor.objects.count() == 5 and checked_in_transaction == [False] * 5

    text = "名称,状態\n新しい会社,契約中\n別の会社,不明\n"
    page = owner.post("/import/vendors/", {"file": SimpleUploadedFile("v.csv", text.encode())})
    assert "行3: 状態" in page.content.decode() and Vendor.objects.count() == 5


def _in_test_transaction_only() -> bool:
    """pytest-django wraps each test in a transaction: only a block opened by the code counts."""
    return len(connection.atomic_blocks) <= 1
