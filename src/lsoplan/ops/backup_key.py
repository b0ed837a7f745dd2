"""The key that authenticates backup archives (HMAC-SHA256), kept outside every archive.

A SHA-256 in the manifest only detects damage: whoever edits a member can recompute it. The
manifest is therefore signed with HMAC-SHA256 under a key the archive does not contain, and restore
refuses an archive whose signature does not verify — so a role changed in an archive, or a table
added to it, is refused unless the editor also holds the key.

Where the key comes from, first match wins:

1. ``LSOPLAN_BACKUP_KEY`` in the environment (at least 32 characters), e.g. from a secret store;
2. the key file ``LSOPLAN_BACKUP_KEY_FILE`` (default ``$LSOPLAN_HOME/backup_key``), which the first
   backup creates with 256 random bits, readable by its owner only (0600). A key file that group
   or others may read is refused, as ssh refuses such a private key.

Without the key no archive can be restored: the operator guide says how to keep a copy apart from
the archives.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from django.conf import settings

ENV_KEY = "LSOPLAN_BACKUP_KEY"
ENV_FILE = "LSOPLAN_BACKUP_KEY_FILE"
MIN_LENGTH = 32


class BackupKeyError(Exception):
    """No usable key: one Swedish line saying where it was looked for and what to do."""


def key_file() -> Path:
    configured = os.environ.get(ENV_FILE) or getattr(settings, "LSOPLAN_BACKUP_KEY_FILE", None)
    return Path(configured) if configured else Path(settings.HOME) / "backup_key"


def _from_environment() -> bytes | None:
    value = os.environ.get(ENV_KEY)
    if value is None:
        return None
    if len(value.strip()) < MIN_LENGTH:
        raise BackupKeyError(f"{ENV_KEY} är för kort: minst {MIN_LENGTH} tecken")
    return value.strip().encode("utf-8")


def _read_file(path: Path) -> bytes:
    try:
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise BackupKeyError(f"nyckelfilen {path} får läsas av fler än ägaren: kör chmod 600 {path}")
        value = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise BackupKeyError(f"kan inte läsa nyckelfilen {path}") from exc
    if len(value) < MIN_LENGTH:
        raise BackupKeyError(f"nyckelfilen {path} är för kort: minst {MIN_LENGTH} tecken")
    return value.encode("utf-8")


def load_key() -> bytes:
    """The key for restoring; a missing key is an error, never a new key."""
    from_env = _from_environment()
    if from_env is not None:
        return from_env
    path = key_file()
    if not path.exists():
        raise BackupKeyError(
            f"ingen nyckel för säkerhetskopior: varken {ENV_KEY} eller nyckelfilen {path} finns "
            "(nyckeln från installationen som skrev arkivet behövs)"
        )
    return _read_file(path)


def load_or_create_key() -> tuple[bytes, bool]:
    """The key for writing a backup, created (0600) on first use; True when it was just created."""
    from_env = _from_environment()
    if from_env is not None:
        return from_env, False
    path = key_file()
    if path.exists():
        return _read_file(path), False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two backups starting at once must not each write a different key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_file(path), False
    except OSError as exc:
        raise BackupKeyError(f"kan inte skapa nyckelfilen {path}: {exc.strerror}") from exc
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secrets.token_hex(32) + "\n")
    return _read_file(path), True


def key_id(key: bytes) -> str:
    """A short public name for the key, so a refusal can say that another key signed the archive."""
    return hashlib.sha256(b"lsoplan-backup-key-id\0" + key).hexdigest()[:16]


def sign(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def verify(key: bytes, data: bytes, mac: str) -> bool:
    return hmac.compare_digest(sign(key, data), mac)
