from __future__ import annotations

import pytest

from mamori.platform.trail.models import TrailEntry
from mamori.vendors.models import Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(tenancy, client):
    token = tenancy.token(tenancy.owner, tenancy.org)

    def call(method, path, data=None):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if data is not None:
            kwargs.update(data=data, content_type="application/json")
        return getattr(client, method)(f"/api/v1{path}", **kwargs)

    return call


def test_full_registry_through_the_api(api, tenancy):
    asset = api(
        "post", "/data-sets", {"name": "顧客DB", "items": ["person_name", "my_number"], "individuals": 5000}
    )
    assert asset.status_code == 201, asset.json()
    asset = asset.json()
    assert asset["has_my_number"] is True
    vendor = api("post", "/vendors", {"name": "給与計算代行", "corporate_number": "7000012050002"}).json()
    sub = api("post", "/vendors", {"name": "再委託先", "status": "contracted"}).json()
    e = api(
        "post",
        "/entrustments",
        {"vendor": vendor["uuid"], "data_asset": asset["uuid"], "items": ["my_number"], "individuals": 5000},
    )
    assert e.status_code == 201, e.json()
    child = api(
        "post",
        "/entrustments",
        {"vendor": sub["uuid"], "data_asset": asset["uuid"], "parent": e.json()["uuid"], "individuals": 5000},
    )
    assert child.status_code == 201 and child.json()["parent"] == e.json()["uuid"]
    contract = api(
        "post",
        "/contracts",
        {
            "vendor": vendor["uuid"],
            "title": "委託契約",
            "clauses": {"security_measures": True, "confidentiality": True},
        },
    )
    assert contract.status_code == 201
    assert "damages" in contract.json()["missing_clauses"]
    assert contract.json()["clauses"]["security_measures"] is True
    assert "security_measures" not in contract.json()["missing_clauses"]
    detail = api("get", f"/vendors/{vendor['uuid']}").json()
    assert detail["inherent_tier"] == "high" and "承認の記録がない再委託先" in detail["tier_explanation"]
    # PATCH changes only what is sent.
    patched = api("patch", f"/vendors/{vendor['uuid']}", {"status": "ended"}).json()
    assert patched["status"] == "ended" and patched["corporate_number"] == "7000012050002"
    # (earlier updates of the vendor are its inherent risk, recomputed as entrustments were added)
    update = TrailEntry.objects.filter(
        actor_label__startswith="api:", action="update", object_type="vendors.vendor"
    ).latest("seq")
    assert update.changes == {"status": ["considering", "ended"]}
    assert api("delete", f"/contracts/{contract.json()['uuid']}").status_code == 204


def test_list_filters_and_pagination(api, tenancy):
    for i in range(12):
        Vendor.objects.create(
            organization=tenancy.org, name=f"委託先{i:02d}", status="contracted" if i % 2 else "selected"
        )
    page = api("get", "/vendors?status=contracted&limit=5&offset=0").json()
    assert page["count"] == 6 and len(page["items"]) == 5
    assert api("get", "/vendors?q=委託先03").json()["count"] == 1


def test_validation_errors_are_japanese_and_nothing_is_saved(api):
    response = api("post", "/vendors", {"name": "x", "corporate_number": "123"})
    assert response.status_code == 422
    assert "法人番号" in response.json()["errors"]["corporate_number"][0]
    assert not Vendor.objects.exists()


def test_foreign_identifiers_are_invalid_choices(api, tenancy):
    foreign = Vendor.objects.create(organization=tenancy.other_org, name="他社")
    asset = api("post", "/data-sets", {"name": "台帳"}).json()
    response = api("post", "/entrustments", {"vendor": str(foreign.uuid), "data_asset": asset["uuid"]})
    assert response.status_code == 422 and "vendor" in response.json()["errors"]
    assert api("get", f"/vendors/{foreign.uuid}").status_code == 404


def test_viewer_cannot_write_through_the_api(tenancy, client):
    token = tenancy.token(tenancy.colleague, tenancy.org)
    response = client.post(
        "/api/v1/vendors",
        {"name": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 403 and not Vendor.objects.exists()
