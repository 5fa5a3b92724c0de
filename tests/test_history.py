"""A vendor, data set or contract with history is ended (終了), never deleted; deleting one
without history is trailed object by object."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from mamori.checksheets import actions
from mamori.checksheets.models import Answer, Assessment, Template
from mamori.ledger.models import DataAsset
from mamori.platform.trail.models import TrailEntry
from mamori.platform.trail.services import Actor
from mamori.vendors.models import Certification, Contract, Entrustment, Vendor, VendorContact

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervised(tenancy):
    """A vendor with a check sheet answered: its supervision record."""
    org = tenancy.org
    vendor = Vendor.objects.create(organization=org, name="株式会社発送代行", status="contracted")
    VendorContact.objects.create(organization=org, vendor=vendor, name="担当", email="t@vendor.example")
    actions.ensure_builtin(org)
    version = Template.objects.get(organization=org, builtin_key="short").current
    [a] = actions.send(
        org=org,
        version=version,
        vendors=[vendor],
        due_on=timezone.localdate() + dt.timedelta(days=20),
        actor=Actor(user=tenancy.owner),
    )
    actions.save_answer(a.recipients.get(), "p1", value="yes")
    return vendor, a


def test_a_vendor_with_history_is_not_deleted_but_can_be_ended(tenancy, supervised):
    vendor, a = supervised
    client = tenancy.client(tenancy.owner)
    page = client.get(f"/vendors/{vendor.uuid}/delete/").content.decode()
    assert "削除できません" in page and "終了にする" in page and 'id="confirm-delete"' not in page
    response = client.post(f"/vendors/{vendor.uuid}/delete/")
    assert response.status_code == 409 and "チェックシート: 1" in response.content.decode()
    assert Vendor.objects.filter(pk=vendor.pk).exists() and Answer.objects.filter(assessment=a).exists()
    assert not TrailEntry.objects.filter(action="delete").exists()

    client.post(f"/vendors/{vendor.uuid}/end/")
    vendor.refresh_from_db()
    assert vendor.status == "ended"
    entry = TrailEntry.objects.filter(object_id=str(vendor.uuid), action="update").latest("seq")
    assert entry.changes["status"] == ["contracted", "ended"] and entry.actor_label.startswith("web:")


def test_the_api_refuses_to_delete_a_vendor_with_history(tenancy, supervised, client):
    vendor, _a = supervised
    token = tenancy.token(tenancy.owner, tenancy.org)
    response = client.delete(f"/api/v1/vendors/{vendor.uuid}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 409 and "終了にする" in response.json()["detail"]
    assert Vendor.objects.filter(pk=vendor.pk).exists()


def test_the_database_protects_the_history_too(supervised):
    vendor, a = supervised
    with pytest.raises(ProtectedError):
        Vendor.objects.filter(pk=vendor.pk).delete()
    assert Assessment.objects.filter(pk=a.pk).exists()


def test_a_data_set_handed_to_a_vendor_and_a_signed_contract_are_ended_not_deleted(tenancy):
    org = tenancy.org
    client = tenancy.client(tenancy.owner)
    vendor = Vendor.objects.create(organization=org, name="委託先")
    asset = DataAsset.objects.create(organization=org, name="顧客名簿")
    Entrustment.objects.create(organization=org, vendor=vendor, data_asset=asset)
    contract = Contract.objects.create(
        organization=org,
        vendor=vendor,
        title="基本契約",
        starts_on=timezone.localdate() - dt.timedelta(days=1),
    )
    assert client.post(f"/ledger/{asset.uuid}/delete/").status_code == 409
    assert client.post(f"/contracts/{contract.uuid}/delete/").status_code == 409
    client.post(f"/ledger/{asset.uuid}/end/")
    client.post(f"/contracts/{contract.uuid}/end/")
    asset.refresh_from_db()
    contract.refresh_from_db()
    assert asset.status == "ended" and contract.status == "ended"


def test_deleting_a_vendor_without_history_trails_everything_it_takes_along(tenancy):
    org = tenancy.org
    vendor = Vendor.objects.create(organization=org, name="候補の会社")
    contact = VendorContact.objects.create(organization=org, vendor=vendor, name="担当")
    cert = Certification.objects.create(organization=org, vendor=vendor, kind="pmark")
    client = tenancy.client(tenancy.owner)
    assert 'id="confirm-delete"' in client.get(f"/vendors/{vendor.uuid}/delete/").content.decode()
    assert client.post(f"/vendors/{vendor.uuid}/delete/").status_code == 302
    assert not Vendor.objects.filter(pk=vendor.pk).exists()
    for obj in (vendor, contact, cert):
        [entry] = TrailEntry.objects.filter(object_id=str(obj.uuid), action="delete")
        assert entry.actor_label == f"web:{tenancy.owner.email}" and entry.changes


def test_the_api_ends_a_data_set(tenancy, client):
    asset = DataAsset.objects.create(organization=tenancy.org, name="顧客名簿")
    Entrustment.objects.create(
        organization=tenancy.org,
        vendor=Vendor.objects.create(organization=tenancy.org, name="委託先"),
        data_asset=asset,
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {tenancy.token(tenancy.owner, tenancy.org)}"}
    assert client.delete(f"/api/v1/data-sets/{asset.uuid}", **auth).status_code == 409
    response = client.patch(
        f"/api/v1/data-sets/{asset.uuid}", {"status": "ended"}, content_type="application/json", **auth
    )
    assert response.status_code == 200 and response.json()["status"] == "ended"
