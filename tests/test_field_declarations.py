"""A field declared once: the OpenAPI document lists the allowed values the forms check, and the
pages, the API and the import accept the same values."""

from __future__ import annotations

import json
from functools import cache

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mamori.ledger.forms import DataAssetForm
from mamori.ledger.imports import LEDGER
from mamori.platform.api.api import api
from mamori.platform.api.crud import registered
from mamori.platform.fields import field_choices, model_field
from mamori.vendors.models import Vendor, VendorStatus


@cache
def document() -> dict:
    """The OpenAPI document as served (tests/test_api.py checks docs/openapi.json is the same)."""
    return json.loads(json.dumps(api.get_openapi_schema()))


def listed_values(prop: dict) -> list[str] | None:
    """The enum of a property: of the value, of a list's items, through ``anyOf`` (``| None``)."""
    for candidate in [prop, *prop.get("anyOf", [])]:
        if "enum" in candidate:
            return candidate["enum"]
        if "enum" in candidate.get("items", {}):
            return candidate["items"]["enum"]
    return None


def test_the_api_resources_are_walked():
    labels = {r.label for r in registered}
    assert {"vendors", "entrustments", "contracts", "data_sets", "incidents", "audits"} <= labels
    assert {"findings", "corrective_actions"} <= labels


@pytest.mark.parametrize("reg", registered, ids=lambda r: r.label)
def test_openapi_lists_the_allowed_values_of_every_choices_field(reg):
    schemas = document()["components"]["schemas"]
    checked = 0  # every API resource has at least one field with allowed values
    for schema in (reg.create_in, reg.update_in):
        properties = schemas[schema.__name__]["properties"]
        for name in schema.model_fields:
            choices = field_choices(reg.model, reg.form_class, name)
            listed = listed_values(properties[name])
            if choices is None:
                assert listed is None, f"{schema.__name__}.{name} lists values nothing declares"
                continue
            assert listed == [str(code) for code, _label in choices], f"{schema.__name__}.{name}"
            checked += 1
    # Every choices field the page's form edits is in the API's input, so none is left unlisted.
    # (Fields of the page's form that are not the model's — the contact and certification added
    # with a new vendor — are other objects, saved through their own form.)
    stored = {f.name for f in reg.model._meta.get_fields()}
    for name in reg.form_class.base_fields:
        if name in stored and field_choices(reg.model, reg.form_class, name) is not None:
            assert name in reg.update_in.model_fields, f"{reg.label}: {name} is edited on the page only"
    # The output lists the values of the model's choices fields it shows.
    out = schemas[reg.out.__name__]["properties"]
    for name in reg.out.model_fields:
        field = model_field(reg.model, name)
        if field is not None and field.choices:
            assert listed_values(out[name]) == [str(c) for c, _l in field.flatchoices], f"{reg.out.__name__}"
    assert checked, f"{reg.label}: no input field with allowed values"


@pytest.mark.django_db
def test_pages_api_and_import_accept_the_same_vendor_statuses(tenancy):
    listed = listed_values(document()["components"]["schemas"]["VendorCreate"]["properties"]["status"])
    assert listed == list(VendorStatus.values)
    page = tenancy.client(tenancy.owner)
    token = tenancy.token(tenancy.owner, tenancy.org)
    accepted = {"page": set(), "api": set(), "import": set()}
    for value in [*listed, "nope", "ENDED"]:
        if page.post("/vendors/new/", {"name": f"page {value}", "status": value}).status_code == 302:
            accepted["page"].add(value)
        response = page.post(
            "/api/v1/vendors",
            {"name": f"api {value}", "status": value},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        if response.status_code == 201:
            accepted["api"].add(value)
        else:
            assert response.status_code == 422 and "status" in response.json()["errors"]
        upload = SimpleUploadedFile("v.csv", f"名称,状態\r\nimport {value},{value}\r\n".encode())
        if page.post("/import/vendors/", {"file": upload}).status_code == 302:
            accepted["import"].add(value)
    assert accepted == {"page": set(listed), "api": set(listed), "import": set(listed)}
    assert sorted(Vendor.objects.filter(name__startswith="api ").values_list("status", flat=True)) == sorted(
        listed
    )


def test_the_ledger_form_the_api_and_the_import_take_the_same_items():
    form_codes = [code for code, _label in DataAssetForm.base_fields["items"].choices]
    properties = document()["components"]["schemas"]["DataAssetCreate"]["properties"]
    assert listed_values(properties["items"]) == form_codes
    convert = next(c.convert for c in LEDGER.columns if c.field == "items")
    assert convert("、".join(form_codes)) == form_codes
    with pytest.raises(ValueError):
        convert("corporate_number")  # a code the scanner knows, not one a data set records
