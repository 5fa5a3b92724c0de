"""Backups and the data folder: owner-only files, the keys in or out of a backup, exact PostgreSQL
round trips."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from mamori.mail import OutboxEmailBackend

PASSWORD = "long-enough-pass-99"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _mamori(data_dir: Path, *args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "MAMORI_SECRET_KEY", "MAMORI_TRAIL_KEY"}
    }
    env.update(
        {"MAMORI_DATA_DIR": str(data_dir), "MAMORI_ADMIN_PASSWORD": PASSWORD, "MAMORI_DB_CONN_MAX_AGE": "0"}
    )
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "mamori.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        preexec_fn=lambda: os.umask(0o022),  # a usual shell: the program itself must restrict
    )


def _python(data_dir: Path, code: str, env_extra: dict | None = None) -> str:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "MAMORI_SECRET_KEY", "MAMORI_TRAIL_KEY"}
    }
    env.update({"MAMORI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "mamori.settings"})
    env.update(env_extra or {})
    prelude = "import django; django.setup()\n"
    result = subprocess.run(
        [sys.executable, "-c", prelude + code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_data_folder_database_keys_and_backups_are_the_owners_only(tmp_path):
    data = tmp_path / "data"
    assert _mamori(data, "migrate").returncode == 0
    assert _mode(data) == 0o700
    for name in ("mamori.sqlite3", "secret_key", "trail_key"):
        assert _mode(data / name) == 0o600, name
    assert _mamori(data, "init", "--org", "権限", "--email", "o@example.jp").returncode == 0
    archive = tmp_path / "backup.tar.gz"
    result = _mamori(data, "backup", str(archive))
    assert result.returncode == 0, result.stderr
    assert _mode(archive) == 0o600
    assert "holds the secret key" in result.stdout and "--without-secret-key" in result.stdout
    # An older data folder open to others is closed.
    old = tmp_path / "old"
    old.mkdir(mode=0o755)
    old.chmod(0o755)
    assert _mamori(old, "migrate").returncode == 0
    assert _mode(old) == 0o700


def test_uploads_and_the_outbox_are_the_owners_only(settings, tmp_path):
    old = os.umask(0o022)
    try:
        storage = FileSystemStorage(location=tmp_path / "files")
        name = storage.save("evidence/2026/log.txt", ContentFile(b"x"))
        assert _mode(tmp_path / "files" / name) == 0o600
        assert _mode(tmp_path / "files" / "evidence" / "2026") == 0o700
        settings.MAMORI_OUTBOX_DIR = tmp_path / "outbox"
        OutboxEmailBackend().send_messages(
            [mail.EmailMessage("件名", "本文", "a@example.jp", ["b@example.jp"])]
        )
        [eml] = (tmp_path / "outbox").glob("*.eml")
        assert _mode(tmp_path / "outbox") == 0o700 and _mode(eml) == 0o600
    finally:
        os.umask(old)


ENABLE_TOTP = """
from mamori.platform.accounts.models import User
u = User.objects.get(email="o@example.jp"); u.set_totp_key("JBSWY3DPEHPK3PXP"); u.totp_enabled = True; u.save()
"""
TOTP_STATE = """
from mamori.platform.accounts.models import User
u = User.objects.get(email="o@example.jp"); print(u.totp_enabled, u.totp_key if u.totp_enabled else "")
"""


def test_a_backup_without_the_keys_needs_them_to_restore(tmp_path):
    source = tmp_path / "source"
    assert _mamori(source, "init", "--org", "鍵なし", "--email", "o@example.jp").returncode == 0
    _python(source, ENABLE_TOTP)
    archive = tmp_path / "nokeys.tar.gz"
    result = _mamori(source, "backup", "--without-secret-key", str(archive))
    assert result.returncode == 0, result.stderr
    assert "holds neither the secret key nor the trail key" in result.stdout
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        assert "secret_key" not in names and "trail_key" not in names
        secret = (source / "secret_key").read_text().encode()
        assert all(secret not in (tar.extractfile(m).read() if m.isfile() else b"") for m in tar.getmembers())

    # A fresh folder has other keys: refused, saying what would stop working.
    refused = _mamori(tmp_path / "fresh", "restore", str(archive))
    assert refused.returncode == 1 and "--new-secret-key" in refused.stderr and "two-factor" in refused.stderr

    # With the keys from the environment: everything works.
    keys = {
        "MAMORI_SECRET_KEY": (source / "secret_key").read_text(),
        "MAMORI_TRAIL_KEY": (source / "trail_key").read_text(),
    }
    result = _mamori(tmp_path / "with-keys", "restore", str(archive), env_extra=keys)
    assert result.returncode == 0, result.stderr
    assert _mamori(tmp_path / "with-keys", "trail", "verify", env_extra=keys).returncode == 0
    assert _python(tmp_path / "with-keys", TOTP_STATE, keys) == "True JBSWY3DPEHPK3PXP"

    # Knowingly with other keys: restored, two-factor turned off (its secret cannot be opened).
    other = tmp_path / "other-keys"
    result = _mamori(other, "restore", "--new-secret-key", str(archive))
    assert result.returncode == 0, result.stderr
    assert "two-factor sign-in turned off" in result.stdout and "o@example.jp" in result.stdout
    assert _python(other, TOTP_STATE) == "False"
    assert _mamori(other, "trail", "verify").returncode == 2


def _postgres_url(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


TRAIL_TIMES = """
from mamori.platform.trail.models import TrailEntry
print(sorted(e.at.isoformat() for e in TrailEntry.objects.all()))
"""


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="PostgreSQL round trip: runs in the PostgreSQL test run",
)
def test_postgresql_backup_round_trip_is_exact(tmp_path):
    import psycopg

    name = f"mamori_backup_{uuid.uuid4().hex[:8]}"
    admin_url = _postgres_url("postgres")

    def admin(sql: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql)

    admin(f'CREATE DATABASE "{name}"')
    try:
        env = {"DATABASE_URL": _postgres_url(name)}
        data = tmp_path / "data"
        assert (
            _mamori(data, "init", "--org", "往復", "--email", "o@example.jp", env_extra=env).returncode == 0
        )
        before = _python(data, TRAIL_TIMES, env)
        assert re.search(r"T\d\d:\d\d:\d\d\.\d{6}", before)  # microseconds to keep
        archive = tmp_path / "pg.tar.gz"
        result = _mamori(data, "backup", str(archive), env_extra=env)
        assert result.returncode == 0, result.stderr
        assert "db.pgdump" in result.stdout
        # Wipe: a new, empty database.
        admin(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin(f'CREATE DATABASE "{name}"')
        result = _mamori(data, "restore", str(archive), env_extra=env)
        assert result.returncode == 0, result.stderr
        assert _python(data, TRAIL_TIMES, env) == before  # to the microsecond
        verify = _mamori(data, "trail", "verify", env_extra=env)
        assert verify.returncode == 0 and "OK" in verify.stdout, verify.stdout + verify.stderr
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
