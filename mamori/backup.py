"""``mamori backup FILE`` / ``mamori restore FILE``: a consistent snapshot of database and files.

The archive (tar.gz) holds ``manifest.json``, the database (``db.sqlite3`` made with SQLite's
online backup API, or ``db.json`` from ``dumpdata`` inside one repeatable-read transaction on
PostgreSQL), the uploaded files, the secret key (API tokens and links are keyed with it) and the
trail key (the trail's chain is keyed with it: without it, ``mamori trail verify`` fails).
Keep backups as safely as the database itself, and apart from the database: a database copy
together with the trail key could re-forge the trail.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

FORMAT = 1


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


def backup(path: str) -> str:
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
            db_file = Path(tmp) / "db.json"
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                with db_file.open("w", encoding="utf-8") as out:
                    call_command(
                        "dumpdata",
                        "--natural-foreign",
                        exclude=["contenttypes", "auth.permission", "sessions"],
                        stdout=out,
                    )
            db_name = "db.json"
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "database": db_name,
        }
        tmp_target = target.with_name(f".{target.name}.partial")
        with tarfile.open(tmp_target, "w:gz") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
            tar.add(db_file, arcname=db_name)
            _add_bytes(tar, "secret_key", settings.SECRET_KEY.encode())
            _add_bytes(tar, "trail_key", settings.MAMORI_TRAIL_KEY.encode())
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


def restore(path: str, force: bool = False) -> str:
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
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unsupported backup format {manifest.get('format')}")
        # The keys first: the migrations below may re-chain an older trail, with the restored key.
        for name in ("secret_key", "trail_key"):
            key = Path(tmp) / name
            if key.exists():
                key_file = Path(settings.DATA_DIR) / name
                key_file.write_text(key.read_text(encoding="utf-8"), encoding="utf-8")
                key_file.chmod(0o600)
                if name == "trail_key" and not os.environ.get("MAMORI_TRAIL_KEY"):
                    settings.MAMORI_TRAIL_KEY = key_file.read_text(encoding="utf-8").strip()
        db_name = manifest["database"]
        if db_name == "db.sqlite3":
            if not _is_sqlite():
                raise BackupError("this backup is of a SQLite database; restore it with DATABASE_URL unset")
            db_path = Path(settings.DATABASES["default"]["NAME"])
            connections.close_all()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(Path(tmp) / db_name, db_path)
            call_command("migrate", interactive=False, verbosity=0)
        else:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("loaddata", str(Path(tmp) / db_name), verbosity=0)
        files = Path(tmp) / "files"
        if files.exists():
            shutil.copytree(files, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return f"{db_name} from {manifest['created_at']}"
