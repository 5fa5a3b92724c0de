from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mamori import cli
from mamori.platform.accounts.models import User
from mamori.platform.tenancy.models import Membership, Role
from mamori.platform.trail.models import TrailEntry


@pytest.mark.django_db
def test_init_then_token_create_gives_a_token_the_api_accepts(monkeypatch, capsys, client):
    monkeypatch.setenv("MAMORI_ADMIN_PASSWORD", "long-enough-pass-99")
    assert cli.main(["init", "--org", "ACME Japan", "--email", "Boss@Example.jp"]) == 0
    user = User.objects.get(email="boss@example.jp")
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER and membership.organization.slug == "acme-japan"
    # The CLI is the actor in the trail.
    assert TrailEntry.objects.filter(
        organization=membership.organization, actor_label="cli:boss@example.jp"
    ).exists()
    capsys.readouterr()
    assert cli.main(["token", "create", "--email", "boss@example.jp", "--org", "acme-japan"]) == 0
    token = capsys.readouterr().out.strip()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json()["organizations"][0]["slug"] == "acme-japan"


@pytest.mark.django_db
def test_init_refuses_an_existing_user_and_a_weak_password(monkeypatch, capsys):
    monkeypatch.setenv("MAMORI_ADMIN_PASSWORD", "long-enough-pass-99")
    assert cli.main(["init", "--org", "A", "--email", "a@example.jp"]) == 0
    assert cli.main(["init", "--org", "B", "--email", "a@example.jp"]) == 1
    assert "exists already" in capsys.readouterr().err
    monkeypatch.setenv("MAMORI_ADMIN_PASSWORD", "123")
    assert cli.main(["init", "--org", "C", "--email", "c@example.jp"]) == 1
    assert not User.objects.filter(email="c@example.jp").exists()


@pytest.mark.django_db
def test_token_create_for_unknown_user_fails(capsys):
    assert cli.main(["token", "create", "--email", "ghost@example.jp"]) == 1
    assert "no active user" in capsys.readouterr().err


def _mamori(data_dir: Path, *args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MAMORI_SECRET_KEY"}}
    env.update({"MAMORI_DATA_DIR": str(data_dir), "MAMORI_ADMIN_PASSWORD": "long-enough-pass-99"})
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "mamori.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


SNAPSHOT = """
import json, django, os
os.environ['DJANGO_SETTINGS_MODULE'] = 'mamori.settings'
django.setup()
from django.core import serializers
from mamori.platform.accounts.models import User, ApiToken
from mamori.platform.tenancy.models import Organization, Membership
from mamori.platform.trail.models import TrailEntry
rows = []
for model in (User, ApiToken, Organization, Membership, TrailEntry):
    rows += json.loads(serializers.serialize('json', model.objects.order_by('pk')))
print(json.dumps(rows, sort_keys=True))
"""


def test_backup_then_restore_into_an_empty_folder_gives_back_the_same_data(tmp_path):
    source, target = tmp_path / "source", tmp_path / "target"
    assert _mamori(source, "migrate").returncode == 0
    assert _mamori(source, "init", "--org", "Round Trip", "--email", "rt@example.jp").returncode == 0
    token = _mamori(source, "token", "create", "--email", "rt@example.jp").stdout.strip()
    (source / "files" / "evidence").mkdir(parents=True)
    (source / "files" / "evidence" / "log.txt").write_text("証跡", encoding="utf-8")
    archive = tmp_path / "backup.tar.gz"
    result = _mamori(source, "backup", str(archive))
    assert result.returncode == 0, result.stderr

    result = _mamori(target, "restore", str(archive))
    assert result.returncode == 0, result.stderr

    def snapshot(folder):
        out = subprocess.run(
            [sys.executable, "-c", SNAPSHOT],
            env={**os.environ, "MAMORI_DATA_DIR": str(folder), "DATABASE_URL": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return json.loads(out)

    assert snapshot(target) == snapshot(source)
    assert (target / "files" / "evidence" / "log.txt").read_text(encoding="utf-8") == "証跡"
    assert (target / "secret_key").read_text() == (source / "secret_key").read_text()
    verify = _mamori(target, "trail", "verify")
    assert verify.returncode == 0 and "OK" in verify.stdout
    # The API token still authenticates against the restored data (keyed with the restored key).
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='mamori.settings';django.setup();"
            "from mamori.platform.accounts.models import ApiToken;import sys;"
            f"sys.exit(0 if ApiToken.authenticate({token!r}) else 3)",
        ],
        env={**os.environ, "MAMORI_DATA_DIR": str(target), "DATABASE_URL": ""},
        check=False,
    )
    assert check.returncode == 0
    # Restoring over data is refused.
    again = _mamori(target, "restore", str(archive))
    assert again.returncode == 1 and "has data already" in again.stderr


def test_init_works_on_a_fresh_data_folder(tmp_path):
    result = _mamori(tmp_path / "fresh", "init", "--org", "新規", "--email", "new@example.jp")
    assert result.returncode == 0, result.stderr
    assert "Created organization" in result.stdout
