"""Strict helpers that read settings from the environment.

A malformed value is refused at start-up with a message that names the variable,
rather than silently replaced by a default. ``NAME_FILE`` is read when ``NAME``
is not set, so secrets can come from files (Docker / systemd credentials).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env(name: str, default: str | None = None) -> str | None:
    if name in os.environ:
        return os.environ[name]
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_path!r} cannot be read: {exc}") from exc
    return default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = env(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}, not {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def private_files() -> None:
    """Files and folders this process creates are readable by their owner only (umask 077)."""
    os.umask(0o077)


def data_dir() -> Path:
    """The data folder (database, keys, uploads, outbox), created or kept readable by its owner only."""
    path = Path(env("MAMORI_DATA_DIR", "data") or "data").expanduser().resolve()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077:
            path.chmod(0o700)  # an older data folder open to others
    except OSError:  # pragma: no cover - not ours to change; the files inside are still 0600
        pass
    return path


def _key_from_file(key_file: Path) -> str:
    """A random key generated once into the data folder (owner-only), or the one already there."""
    if not key_file.exists():
        key = secrets.token_urlsafe(50)
        # Write atomically with owner-only permissions; another process may race us.
        tmp = key_file.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key)
        try:
            os.link(tmp, key_file)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    return key_file.read_text(encoding="utf-8").strip()


def secret_key(data: Path) -> str:
    """The secret key: from MAMORI_SECRET_KEY, else generated once and kept in the data folder."""
    given = env("MAMORI_SECRET_KEY")
    if given:
        if len(given) < 32:
            raise ImproperlyConfigured("MAMORI_SECRET_KEY must be at least 32 characters long")
        return given
    return _key_from_file(data / "secret_key")


def trail_key(data: Path) -> str:
    """The key of the trail's HMAC chain: from MAMORI_TRAIL_KEY, else generated once and kept in
    the data folder's ``trail_key`` (apart from the secret key, so rotating that one does not
    break the chain; never in the database)."""
    given = env("MAMORI_TRAIL_KEY")
    if given:
        if len(given) < 32:
            raise ImproperlyConfigured("MAMORI_TRAIL_KEY must be at least 32 characters long")
        return given
    return _key_from_file(data / "trail_key")
