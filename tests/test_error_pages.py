"""Error pages in the normal layout, in Japanese, each with a way back (DEBUG off, as in production)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from mamori.platform.web import errors

pytestmark = pytest.mark.django_db

HOME = 'href="/"'


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def assert_error_page(response, status: int, heading: str) -> str:
    assert response.status_code == status
    page = response.content.decode()
    assert heading in page
    assert "ダッシュボードに戻る" in page and HOME in page
    assert "pico" in page  # the normal layout (base.html) around it
    assert f"エラーコード：{status}" in page
    return page


def test_404_is_japanese_with_a_way_back(tenancy):
    client = tenancy.client(tenancy.owner)
    page = assert_error_page(client.get("/no-such-page/"), 404, "ページが見つかりません")
    assert "Not Found" not in page
    assert "株式会社アルファ" in page  # the menu of a signed-in user is still there


def test_the_back_link_is_the_previous_page_of_this_site_only(tenancy):
    client = tenancy.client(tenancy.owner)
    page = client.get("/no-such-page/", HTTP_REFERER="http://testserver/ledger/").content.decode()
    assert 'href="http://testserver/ledger/"' in page and "前のページに戻る" in page
    page = client.get("/no-such-page/", HTTP_REFERER="https://evil.example/").content.decode()
    assert "evil.example" not in page and "前のページに戻る" not in page
    assert "「戻る」ボタン" in page


def test_403_is_japanese_with_a_way_back(tenancy):
    client = tenancy.client(tenancy.colleague)  # a viewer may not read the trail
    page = assert_error_page(client.get("/trail/"), 403, "このページを開く権限がありません")
    assert "Forbidden" not in page


def test_400_is_japanese_with_a_way_back(tenancy):
    response = tenancy.client(tenancy.owner).get("/", HTTP_HOST="evil.example")
    page = assert_error_page(response, 400, "リクエストを処理できませんでした")
    assert "Bad Request" not in page


@pytest.mark.urls("tests.urls_errors")
def test_500_is_japanese_with_a_way_back(tenancy):
    client = tenancy.client(tenancy.owner)
    client.raise_request_exception = False
    page = assert_error_page(client.get("/test-boom/"), 500, "システムでエラーが発生しました")
    assert "Server Error" not in page and "a bug" not in page
    assert "/i18n/setlang/" not in page  # rendered without the request: no form that needs its token


def test_the_500_page_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    assert response.status_code == 500 and "システムでエラーが発生しました" in response.content.decode()


def test_the_csrf_failure_page_is_japanese(tenancy):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tenancy.owner)
    response = client.post("/trail/verify/", HTTP_REFERER="http://testserver/trail/")
    page = assert_error_page(response, 403, "フォームを送信できませんでした")
    assert "CSRF verification failed" not in page
    assert 'href="http://testserver/trail/"' in page


def test_pages_in_english_when_chosen(tenancy, settings):
    client = tenancy.client(tenancy.owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/no-such-page/").content.decode()
    assert "Page not found" in page and "Back to the dashboard" in page
