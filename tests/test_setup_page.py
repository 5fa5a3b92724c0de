from __future__ import annotations

import pytest
from django.urls import reverse

from mamori.platform.accounts.models import User
from mamori.platform.tenancy.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_first_visit_leads_to_the_japanese_setup_page(client):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:setup")
    page = response.content.decode()
    assert "Mamori へようこそ" in page and 'lang="ja"' in page


def test_setup_creates_organization_and_owner_then_disappears(client):
    response = client.post(
        reverse("web:setup"),
        {
            "organization": "株式会社守り",
            "name": "山田 花子",
            "email": "hanako@example.jp",
            "password1": "long-enough-pass-99",
            "password2": "long-enough-pass-99",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="hanako@example.jp")
    assert Membership.objects.get(user=user).role == Role.OWNER
    assert "株式会社守り" in client.get("/").content.decode()
    assert client.get(reverse("web:setup")).status_code == 404


def test_setup_errors_are_in_japanese_and_nothing_is_created(client):
    response = client.post(
        reverse("web:setup"),
        {
            "organization": "",
            "name": "x",
            "email": "not-an-address",
            "password1": "short",
            "password2": "other",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "このフィールドは必須です" in page and "有効なメールアドレス" in page
    assert not User.objects.exists()


def test_english_is_selectable(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/setup/"})
    assert "Welcome to Mamori" in client.get(reverse("web:setup")).content.decode()


def test_japanese_even_for_an_english_browser(client):
    page = client.get("/setup/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Mamori へようこそ" in page
