"""The incident screens in English (the page walker's English mode on the demo organization found
them): the verdict, the items, the edit form's groups and answers, and the wording page's
placeholder descriptions follow the reader's language; Japanese stays the same."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from mamori.incidents.models import Incident
from tests.routes import visible_text

pytestmark = pytest.mark.django_db


def client(demo, settings, language):
    c = Client()
    c.force_login(demo.owner)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return c


def test_incident_pages_in_english(demo, settings):
    english, japanese = client(demo, settings, "en"), client(demo, settings, "ja")
    incident = next(i for i in Incident.objects.filter(organization=demo.org) if "email" in (i.items or []))
    page = visible_text(english.get(f"/incidents/{incident.uuid}/").content.decode())
    verdict = re.search(r"(Report required|No report required|Verdict on hold)", page)
    assert verdict, page[:500]
    assert "報告は不要" not in page and "報告が必要" not in page and "判定保留" not in page
    assert "Email address" in page and "メールアドレス" not in page.split("Items", 1)[1][:80]
    assert "Who caused it" in page
    ja = visible_text(japanese.get(f"/incidents/{incident.uuid}/").content.decode())
    assert re.search(r"報告は不要|報告が必要|判定保留", ja) and "メールアドレス" in ja

    form = visible_text(english.get(f"/incidents/{incident.uuid}/edit/").content.decode())
    for legend in (
        "Basic information",
        "Notice to the principal (when we are the vendor)",
        "Report items 6–9",
    ):
        assert legend in form
    assert "Signs found" in form and "あり" not in form.replace("あり）", "")

    wording = visible_text(english.get("/incidents/wording/notice/").content.decode())
    assert "The name of the company (organization) writing it" in wording
    assert "作成する会社（組織）の名称" not in wording
    ja_wording = visible_text(japanese.get("/incidents/wording/notice/").content.decode())
    assert "作成する会社（組織）の名称" in ja_wording
