from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from mamori import conf


def test_malformed_values_are_refused_with_the_variable_name(monkeypatch):
    monkeypatch.setenv("MAMORI_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="MAMORI_DEBUG"):
        conf.env_bool("MAMORI_DEBUG", False)
    monkeypatch.setenv("MAMORI_PORT", "eighty")
    with pytest.raises(ImproperlyConfigured, match="MAMORI_PORT"):
        conf.env_int("MAMORI_PORT", 8000)
    monkeypatch.setenv("MAMORI_PORT", "70000")
    with pytest.raises(ImproperlyConfigured, match="between"):
        conf.env_int("MAMORI_PORT", 8000, minimum=1, maximum=65535)


def test_file_secrets(monkeypatch, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("from-a-file\n")
    monkeypatch.delenv("MAMORI_SMTP_PASSWORD", raising=False)
    monkeypatch.setenv("MAMORI_SMTP_PASSWORD_FILE", str(secret))
    assert conf.env("MAMORI_SMTP_PASSWORD") == "from-a-file"


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("MAMORI_SECRET_KEY", raising=False)
    first = conf.secret_key(tmp_path)
    assert len(first) >= 50 and conf.secret_key(tmp_path) == first
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_sqlite_runs_with_wal_busy_timeout_and_foreign_keys(tmp_path):
    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='mamori.settings';django.setup();"
        "from django.db import connection;c=connection.cursor();"
        "print([c.execute(f'PRAGMA {p}').fetchone()[0] for p in ('journal_mode','foreign_keys','busy_timeout')])"
    )
    env = {**os.environ, "MAMORI_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['wal', 1, 20000]"


def test_security_headers_and_cookies(client, user):
    response = client.get("/login/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response.cookies["csrftoken"]["samesite"] == "Lax"


def test_cookies_are_secure_outside_debug(tmp_path):
    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='mamori.settings';django.setup();"
        "from django.conf import settings as s;print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG)"
    )
    env = {**os.environ, "MAMORI_DATA_DIR": str(tmp_path), "DATABASE_URL": "", "MAMORI_DEBUG": "false"}
    env.pop("MAMORI_SECURE_COOKIES", None)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "True", "False"]


def test_csrf_is_enforced_on_forms(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"email": "a@example.jp", "password": "x"})
    assert response.status_code == 403
