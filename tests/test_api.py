from __future__ import annotations

import json
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from mamori.platform.api.api import api

pytestmark = pytest.mark.django_db

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_me_returns_user_and_organizations_with_roles(tenancy, client):
    token = tenancy.token(tenancy.owner, tenancy.org)
    data = client.get("/api/v1/me", **auth(token)).json()
    assert data["email"] == tenancy.owner.email
    assert data["organizations"] == [
        {
            "uuid": str(tenancy.org.uuid),
            "slug": tenancy.org.slug,
            "name": "株式会社アルファ",
            "role": "owner",
            "current": True,
        }
    ]


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Bearer mmr_abcdefabcdef_wrong", "Basic abc"])
def test_bad_credentials_get_a_json_401_that_says_what_to_do(client, header, db):
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/me", **headers)
    assert response.status_code == 401
    assert "mamori token create" in response.json()["detail"]


def test_token_of_a_removed_member_stops_working(tenancy, client):
    token = tenancy.token(tenancy.colleague, tenancy.org)
    assert client.get("/api/v1/me", **auth(token)).status_code == 200
    tenancy.colleague.memberships.all().delete()
    assert client.get("/api/v1/me", **auth(token)).status_code == 401


def test_token_guessing_is_rate_limited(client, db):
    statuses = [client.get("/api/v1/me", **auth(f"mmr_{i:012x}_x")).status_code for i in range(35)]
    assert statuses[0] == 401 and statuses[-1] == 429


def test_members_and_trail_follow_the_role(tenancy, client):
    viewer = tenancy.token(tenancy.colleague, tenancy.org)
    members = client.get("/api/v1/members", **auth(viewer)).json()
    assert {m["email"] for m in members} == {tenancy.owner.email, tenancy.colleague.email}
    response = client.get("/api/v1/trail", **auth(viewer))
    assert response.status_code == 403 and response.json()["detail"]
    owner = tenancy.token(tenancy.owner, tenancy.org)
    page = client.get("/api/v1/trail?limit=2", **auth(owner)).json()
    assert page["count"] >= 2 and len(page["items"]) == 2
    assert client.get("/api/v1/trail/verify", **auth(owner)).json() == {
        "intact": True,
        "broken_at": None,
        "reason": None,
    }


def test_validation_errors_are_json_with_a_message(tenancy, client):
    owner = tenancy.token(tenancy.owner, tenancy.org)
    response = client.get("/api/v1/trail?limit=abc", **auth(owner))
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] and body["errors"]


def test_openapi_document_is_valid_and_committed(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert "/api/v1/me" in schema["paths"]
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(api.get_openapi_schema())), (
        "docs/openapi.json is out of date: run `make openapi` and commit the result"
    )


def test_docs_page_is_served_without_external_assets(client, db):
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn." not in page
