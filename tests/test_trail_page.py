"""The trail page and its CSV as people read them: Japanese labels, readable values, Japan time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from mamori.ledger.models import DataAsset
from mamori.platform.trail import present, services
from mamori.platform.trail.models import TrailEntry
from mamori.vendors.models import Vendor

pytestmark = pytest.mark.django_db

# 20:03 UTC on the 24th is 05:03 on the 25th in Japan.
UTC_MOMENT = dt.datetime(2026, 11, 24, 20, 3, 5, tzinfo=dt.UTC)

DEVELOPER_TEXT = ["ledger.dataasset", "vendors.vendor", "['", "web:", "person_name", "True", "None"]


def post(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def owner(tenancy):
    tenancy.owner.name = "山田 花子"
    tenancy.owner.save()
    return tenancy.client(tenancy.owner)


def make_data_set(client):
    post(
        client,
        "/ledger/new/",
        {
            "name": "会員名簿",
            "items": ["person_name", "address", "birth_date"],
            "special_care": ["medical_history"],
            "individuals": "12000",
            "disclosure": "published",
            "storage_kind": "cloud",
            "highly_encrypted": "on",
            "last_reviewed": "2026-04-01",
        },
    )
    return DataAsset.objects.get(name="会員名簿")


def latest(tenancy, **filters) -> TrailEntry:
    return TrailEntry.objects.filter(organization=tenancy.org, **filters).latest("seq")


def test_the_page_answers_with_a_data_set_whose_changes_have_items(tenancy, owner):
    make_data_set(owner)
    assert "items" in latest(tenancy, object_type="ledger.dataasset").changes
    response = owner.get("/trail/")
    assert response.status_code == 200


def test_the_page_speaks_japanese_not_developer(tenancy, owner):
    asset = make_data_set(owner)
    post(
        owner,
        f"/ledger/{asset.uuid}/edit/",
        {
            "name": "会員名簿",
            "items": ["person_name", "email"],
            "individuals": "12000",
            "disclosure": "published",
            "storage_kind": "cloud",
        },
    )
    post(owner, "/vendors/new/", {"name": "株式会社発送代行", "status": "contracted"})
    page = owner.get("/trail/").content.decode()
    # Kinds and field labels in Japanese.
    assert "データセット" in page and "委託先" in page
    for label in [
        "項目",
        "要配慮個人情報の区分",
        "利用目的の通知・公表",
        "高度な暗号化",
        "最終見直し日",
        "名称",  # a thing is named 名称 (a person 名前)
    ]:
        assert f"<strong>{label}</strong>" in page, label
    # Values: item codes as their labels, choices as labels, booleans and dates readable.
    assert "氏名、住所、生年月日" in page
    assert "氏名、メールアドレス" in page
    assert "病歴" in page
    assert "公表済み" in page and "クラウドサービス" in page and "はい" in page
    assert "2026年4月1日" in page
    # The person and the door, not the stored label.
    assert "山田 花子" in page and "画面" in page
    for text in DEVELOPER_TEXT:
        assert text not in page, text


def test_times_are_japan_time(tenancy, owner):
    make_data_set(owner)
    entry = latest(tenancy)
    # Presentation only: the stored moment moved for the test (the page does not check hashes).
    TrailEntry.objects.filter(pk=entry.pk).update(at=UTC_MOMENT)
    page = owner.get("/trail/").content.decode()
    assert "2026年11月25日 05:03:05" in page
    assert "20:03" not in page


def test_recorded_datetimes_and_references_are_readable(tenancy, owner):
    post(owner, "/vendors/new/", {"name": "印刷工房", "status": "contracted"})
    vendor = Vendor.objects.get(name="印刷工房")
    services.record(
        org=tenancy.org,
        actor=services.Actor(user=tenancy.owner, via="api"),
        action="update",
        object_type="vendors.contract",
        object_repr="業務委託契約",
        changes={
            "vendor": [None, str(vendor.uuid)],
            "auto_renewal": [True, False],
            "created_at": [None, UTC_MOMENT.isoformat()],
        },
    )
    page = owner.get("/trail/").content.decode()
    assert "委託契約" in page and "印刷工房" in page and str(vendor.uuid) not in page
    assert "はい → いいえ" in page
    assert "（なし） → 2026年11月25日 05:03" in page
    assert "API" in page


def test_a_reference_to_a_deleted_object_says_so(tenancy, owner):
    post(owner, "/vendors/new/", {"name": "印刷工房", "status": "contracted"})
    vendor = Vendor.objects.get(name="印刷工房")
    entry = services.record(
        org=tenancy.org,
        actor=services.SYSTEM,
        action="update",
        object_type="vendors.contract",
        changes={"vendor": [str(vendor.uuid), None]},
    )
    Vendor.objects.filter(pk=vendor.pk).delete()
    (row,) = present.rows([entry], tenancy.org)
    assert row.changes[0].before == f"削除済み（{str(vendor.uuid)[:8]}）"
    assert row.changes[0].after == "（なし）"
    assert row.actor == "システム" and row.door == "自動処理"


def test_unknown_kinds_and_fields_do_not_break_the_page(tenancy, owner):
    services.record(
        org=tenancy.org,
        actor=services.Actor(user=None, via="web"),
        action="update",
        object_type="gone.model",
        object_repr="昔の記録",
        changes={"old_field": ["a", "b"], "items": {"nested": ["x"]}, "vendors": ["u1", "u2"]},
    )
    response = owner.get("/trail/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "昔の記録" in page and "Old field" in page and "a → b" in page


def test_the_actor_of_a_deleted_user_is_the_recorded_address(tenancy, owner):
    services.record(
        org=tenancy.org,
        actor=services.Actor(user=None, via="cli"),
        action="access",
        object_repr="x",
    )
    TrailEntry.objects.filter(pk=latest(tenancy).pk).update(actor_label="cli:gone@example.jp")
    (row,) = present.rows([latest(tenancy)], tenancy.org)
    assert row.actor == "gone@example.jp" and row.door == "CLI"


def test_the_csv_export_is_readable_and_keeps_the_raw_values(tenancy, owner):
    make_data_set(owner)
    TrailEntry.objects.filter(pk=latest(tenancy).pk).update(at=UTC_MOMENT)
    response = owner.get("/trail/export.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, data = rows[0], rows[1:]
    row = dict(zip(header, next(r for r in data if "会員名簿" in r), strict=True))
    assert row["種類"] == "データセット"
    assert row["日時（日本時間）"] == "2026年11月25日 05:03:05"
    assert row["実行者"] == "山田 花子" and row["経路"] == "画面"
    assert "項目: 氏名、住所、生年月日" in row["変更内容"]
    assert "['" not in row["変更内容"] and "person_name" not in row["変更内容"]
    # For machines: the stored values, as hashed.
    assert json.loads(row["changes_json"])["items"][1] == ["person_name", "address", "birth_date"]
    assert row["object_type"] == "ledger.dataasset" and row["actor_label"].startswith("web:")
    assert row["at_utc"].startswith("2026-11-24T20:03:05")


@pytest.mark.parametrize(
    ("label", "via", "who"),
    [
        ("web:a@b.jp", "web", "a@b.jp"),
        ("portal:x@vendor.jp:-", "portal", "x@vendor.jp"),
        ("system:-", "system", ""),
        ("something else", "", "something else"),
    ],
)
def test_the_door_is_read_from_the_stored_label(label, via, who):
    assert present.split_actor_label(label) == (via, who)


def test_doors_are_named_in_japanese():
    assert [present.door_label(v) for v in ["web", "api", "cli", "worker", "system", "portal"]] == [
        "画面",
        "API",
        "CLI",
        "自動処理",
        "自動処理",
        "委託先ポータル",
    ]
