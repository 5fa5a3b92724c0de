"""``mamori backup FILE`` / ``mamori restore FILE``: a consistent snapshot of database and files.

The archive (tar.gz, readable by its owner only) holds ``manifest.json``, the database
(``db.sqlite3`` made with SQLite's online backup API, or ``db.pgdump`` from ``pg_dump -Fc`` on
PostgreSQL, restored exactly with ``pg_restore``; older backups hold ``db.json`` from
``dumpdata``), the uploaded files, the trail's anchors (``trail-anchors.log``) and — unless
``--without-secret-key`` — the secret key (API tokens, links, two-factor secrets, sessions and
queued mail are keyed or sealed with it) and the trail key (the trail's chain is keyed with it:
without it, ``mamori trail verify`` fails).

A backup with its keys opens everything a stolen database copy alone cannot: keep it as safely as
the keys, apart from the database. A backup without the keys needs them at restore time, from the
environment (``MAMORI_SECRET_KEY``, ``MAMORI_TRAIL_KEY``) or the data folder; the manifest holds
their fingerprints, so a restore with other keys is refused unless asked for (``--new-secret-key``).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from mamori.conf import env
from mamori.sealing import key_fingerprint

FORMAT = 2
READABLE_FORMATS = {1, 2}
ANCHORS = "trail-anchors.log"
# The keys kept in the data folder: archive and file name -> (environment variable, setting).
KEYS = {
    "secret_key": ("MAMORI_SECRET_KEY", "SECRET_KEY"),
    "trail_key": ("MAMORI_TRAIL_KEY", "MAMORI_TRAIL_KEY"),
}

KEYS_INCLUDED = (
    "This backup holds the secret key and the trail key: with it, API tokens, open invitation and "
    "check-sheet links, two-factor secrets and queued mail can be used, and the trail re-forged. "
    "Keep it as safely as the keys themselves (or back up with --without-secret-key)."
)
KEYS_LEFT_OUT = (
    "This backup holds neither the secret key nor the trail key: keep them apart "
    "(MAMORI_SECRET_KEY / MAMORI_TRAIL_KEY, or the data folder's secret_key and trail_key). "
    "Restoring it without them signs everyone out, stops API tokens, open invitation, check-sheet "
    "and password-reset links, queued mail and two-factor sign-in (turned off for those users), "
    "and `mamori trail verify` reports every chain as broken."
)


class BackupError(RuntimeError):
    pass


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    """The PostgreSQL client program with the connection of the default database."""
    db = settings.DATABASES["default"]
    args = [program, "--dbname", str(db["NAME"]), "--no-password"]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    environ = dict(os.environ)
    if db.get("PASSWORD"):
        environ["PGPASSWORD"] = str(db["PASSWORD"])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        environ["PGSSLMODE"] = str(sslmode)
    return args, environ


def _run(args: list[str], environ: dict[str, str]) -> None:
    if shutil.which(args[0]) is None:
        raise BackupError(
            f"{args[0]} is not installed: install the PostgreSQL client tools (postgresql-client)"
        )
    result = subprocess.run(args, env=environ, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()[-2000:]}")


def backup(path: str, *, include_keys: bool = True) -> str:
    target = Path(path)
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file name")
    with tempfile.TemporaryDirectory() as tmp:
        if _is_sqlite():
            db_file = Path(tmp) / "db.sqlite3"
            source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
            dest = sqlite3.connect(str(db_file))
            with dest:
                source.backup(dest)
            source.close()
            dest.close()
            db_name = "db.sqlite3"
        else:
            # pg_dump reads one consistent snapshot and keeps every value exactly (timestamps to
            # the microsecond: the trail's hashes cover them). Sessions stay behind.
            db_name = "db.pgdump"
            db_file = Path(tmp) / db_name
            args, environ = _pg_command("pg_dump")
            _run(
                [
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--exclude-table-data=django_session",
                    "--file",
                    str(db_file),
                ],
                environ,
            )
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "database": db_name,
            "keys_included": include_keys,
            "key_fingerprints": {
                name: key_fingerprint(getattr(settings, setting)) for name, (_e, setting) in KEYS.items()
            },
        }
        tmp_target = target.with_name(f".{target.name}.partial")
        fd = os.open(tmp_target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
            tar.add(db_file, arcname=db_name)
            if include_keys:
                for name, (_env, setting) in KEYS.items():
                    _add_bytes(tar, name, getattr(settings, setting).encode())
            anchors = Path(settings.MAMORI_TRAIL_ANCHORS_FILE)
            if anchors.exists():
                tar.add(anchors, arcname=ANCHORS)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                tar.add(media, arcname="files")
        tmp_target.replace(target)
    return f"{db_name}, {target.stat().st_size:,} bytes"


def _database_has_data() -> bool:
    from mamori.platform.accounts.models import User

    try:
        return User.objects.exists()
    except Exception:  # no tables yet
        return False


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"the archive contains an unsafe entry: {member.name}")
        members.append(member)
    return members


def _restore_keys(tmp: Path, manifest: dict, *, new_secret_key: bool) -> list[str]:
    """Put the archived keys in place (unless the environment gives them), or check that the keys
    in place are the ones the backup was made with. Returns the notes for the operator."""
    notes = []
    fingerprints = manifest.get("key_fingerprints") or {}
    for name, (env_name, setting) in KEYS.items():
        archived = tmp / name
        given = env(env_name)
        if archived.exists():
            value = archived.read_text(encoding="utf-8").strip()
            key_file = Path(settings.DATA_DIR) / name
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(value)
            key_file.chmod(0o600)
            if not given:
                # This process goes on with the restored key (migrations may seal or re-chain).
                setattr(settings, setting, value)
                continue
        expected = fingerprints.get(name)
        if expected and key_fingerprint(getattr(settings, setting)) != expected:
            where = f"{env_name} or the data folder's {name}"
            if not new_secret_key:
                raise BackupError(
                    f"the {name.replace('_', ' ')} in use ({where}) is not the one this backup was made with. "
                    "Put the original key in place and restore again, or pass --new-secret-key to restore "
                    f"with this one: {KEYS_LEFT_OUT.split(': ', 1)[1]}"
                )
            notes.append(f"restored with another {name.replace('_', ' ')} than the backup's")
    return notes


def _without_old_secrets() -> list[str]:
    """After a restore with another secret key: end sessions, drop mail nobody can open, and turn
    off two-factor sign-in whose secret nobody can open (listed, so those users set it up again)."""
    from django.contrib.sessions.models import Session

    from mamori.platform.accounts.models import User
    from mamori.sealing import SealError

    Session.objects.all().delete()
    notes = []
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover
        pass
    else:
        dropped, _ = DBTaskResult.objects.filter(
            task_path="mamori.mail.deliver_email", status="READY"
        ).delete()
        if dropped:
            notes.append(f"{dropped} queued mails sealed with the old key dropped")
    turned_off = []
    for user in User.objects.filter(totp_enabled=True):
        try:
            _ = user.totp_key
        except SealError:
            User.objects.filter(pk=user.pk).update(totp_enabled=False, totp_secret="", totp_last_counter=0)
            turned_off.append(user.email)
    if turned_off:
        notes.append("two-factor sign-in turned off (set it up again): " + ", ".join(turned_off))
    return notes


def _wipe_postgresql() -> None:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if tables:
            quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")
    connections.close_all()


def restore(path: str, force: bool = False, *, new_secret_key: bool = False) -> str:
    source = Path(path)
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    if _database_has_data() and not force:
        raise BackupError(
            "the database has data already; restore into an empty data folder (or pass --force)"
        )
    try:
        tar = tarfile.open(source, "r:gz")  # noqa: SIM115 - closed by the with-block below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{source} is not a Mamori backup: {exc}") from exc
    with tar, tempfile.TemporaryDirectory() as tmp:
        tar.extractall(tmp, members=_safe_members(tar), filter="data")
        try:
            manifest = json.loads((Path(tmp) / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BackupError(f"{source} has no valid manifest.json") from exc
        if manifest.get("format") not in READABLE_FORMATS:
            raise BackupError(f"unsupported backup format {manifest.get('format')}")
        # The keys first: the migrations below may seal secrets or re-chain an older trail.
        notes = _restore_keys(Path(tmp), manifest, new_secret_key=new_secret_key)
        db_name = manifest["database"]
        if db_name == "db.sqlite3":
            if not _is_sqlite():
                raise BackupError("this backup is of a SQLite database; restore it with DATABASE_URL unset")
            db_path = Path(settings.DATABASES["default"]["NAME"])
            connections.close_all()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(Path(tmp) / db_name, db_path)
            db_path.chmod(0o600)
            call_command("migrate", interactive=False, verbosity=0)
        elif db_name == "db.pgdump":
            if _is_sqlite():
                raise BackupError("this backup is of a PostgreSQL database; restore it with DATABASE_URL set")
            _wipe_postgresql()
            args, environ = _pg_command("pg_restore")
            _run(
                [
                    *args,
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    str(Path(tmp) / db_name),
                ],
                environ,
            )
            call_command("migrate", interactive=False, verbosity=0)
        else:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("loaddata", str(Path(tmp) / db_name), verbosity=0)
        if notes:
            notes += _without_old_secrets()
        anchors, kept = Path(tmp) / ANCHORS, Path(settings.MAMORI_TRAIL_ANCHORS_FILE)
        if anchors.exists() and not kept.exists():
            shutil.copyfile(anchors, kept)
            kept.chmod(0o600)
        files = Path(tmp) / "files"
        if files.exists():
            shutil.copytree(files, settings.MEDIA_ROOT, dirs_exist_ok=True)
    info = f"{db_name} from {manifest['created_at']}"
    return "; ".join([info, *notes])
