"""Training records for all staff (issue 17, "Staff, not only users"): the employee roster imported
through the import framework, who has not attended this fiscal year, a certificate to print.
(個人情報保護法ガイドライン（通則編）10-4 人的安全管理措置: 従業者に定期的な研修等を行う。)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mamori.audits.models import Employee, TrainingSession
from mamori.audits.training import fiscal_year
from mamori.platform.trail.models import TrailEntry

pytestmark = pytest.mark.django_db

ROSTER = (
    "社員番号,氏名,部署,メール,在籍状況\r\n"
    "A001,山田 花子,総務部,yamada@example.jp,在籍\r\n"
    "A002,鈴木 一郎,営業部,,在籍\r\n"
    "A003,高橋 次郎,物流センター,,在籍\r\n"
    "A004,田中 三郎,営業部,,退職\r\n"
)


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("roster.csv", text.encode("cp932"))


def test_fiscal_year_starts_in_april():
    assert fiscal_year(dt.date(2026, 11, 25)) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert fiscal_year(dt.date(2027, 2, 1)) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))


def test_roster_import_attendance_missing_list_and_certificate(demo):
    client = demo.client()
    seeded = Employee.objects.filter(organization=demo.org).count()  # the sample's own roster
    trailed = TrailEntry.objects.filter(organization=demo.org, object_type="audits.employee").count()
    assert client.post("/import/employees/", {"file": upload(ROSTER)}).status_code == 302
    assert Employee.objects.filter(organization=demo.org).count() == seeded + 4
    assert (
        TrailEntry.objects.filter(organization=demo.org, object_type="audits.employee").count() == trailed + 4
    )
    # re-importing the roster updates (by employee number) instead of duplicating
    changed = ROSTER.replace("A002,鈴木 一郎,営業部", "A002,鈴木 一郎,経理部")
    page = client.post("/import/employees/", {"file": upload(changed)}).content.decode()
    assert "経理部" in page and 'id="import-confirm"' in page
    assert client.post("/import/employees/", {"confirm": "1"}).status_code == 302
    assert Employee.objects.filter(organization=demo.org).count() == seeded + 4
    assert Employee.objects.get(organization=demo.org, number="A002").department == "経理部"

    today = timezone.localdate()
    hanako = Employee.objects.get(organization=demo.org, number="A001")
    response = client.post(
        "/audits/training/new/",
        {"held_on": today.isoformat(), "topic": "個人情報の取扱い研修", "staff": [str(hanako.uuid)]},
    )
    assert response.status_code == 302
    session = TrainingSession.objects.get(organization=demo.org, topic="個人情報の取扱い研修")
    assert list(session.staff.all()) == [hanako]

    missing = client.get("/audits/training/missing/").content.decode()
    assert "鈴木 一郎" in missing and "高橋 次郎" in missing
    assert "山田 花子" not in missing and "田中 三郎" not in missing  # trained; left

    detail = client.get(f"/audits/training/{session.uuid}/").content.decode()
    assert f"/audits/staff/{hanako.uuid}/certificate/?session={session.uuid}" in detail
    certificate = client.get(f"/audits/staff/{hanako.uuid}/certificate/?session={session.uuid}")
    text = certificate.content.decode()
    assert certificate.status_code == 200 and "受講証明書" in text and "山田 花子" in text
    assert demo.org.name in text and "個人情報の取扱い研修" in text
    ichiro = Employee.objects.get(organization=demo.org, number="A002")
    assert client.get(f"/audits/staff/{ichiro.uuid}/certificate/?session={session.uuid}").status_code == 404
    assert client.get(f"/audits/staff/{hanako.uuid}/certificate/?session=x").status_code == 404
