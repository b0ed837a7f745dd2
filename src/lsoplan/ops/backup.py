"""Writing a backup archive (format in ``lsoplan.ops.archive``) of the instance or one organisation.

All rows are read in one transaction, so the archive is one consistent moment even while people
work: on PostgreSQL the transaction is REPEATABLE READ (one snapshot for every query), on SQLite a
read transaction holds its snapshot until it ends. Rows are streamed model by model in chunks, so a
national instance with millions of incidents does not have to fit in memory. The archive is
written under a temporary name and renamed when complete, so a backup that is interrupted never
leaves a file that looks finished. The archive holds every password hash, so it is created
readable by its owner only (0600), and its manifest is signed with the backup key
(``lsoplan.ops.backup_key``) so that an edited archive is refused on restore.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from lsoplan import __version__
from lsoplan.accounts.models import Organisation
from lsoplan.ops import backup_key
from lsoplan.ops.archive import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    SIGNATURE,
    UPLOADS_DIR,
    ModelInfo,
    archived_models,
    file_fields,
)

CHUNK = 2000


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds (ECMA-262); a backup keeps the microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


# Accounts and groups refer to permissions, whose ids differ between databases: natural keys.
NATURAL_KEY_MODELS = frozenset({"auth.user", "auth.group"})


@dataclass
class BackupResult:
    path: Path
    organisation: str | None
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    sha256: str = ""
    key_created: bool = False  # the first backup created the key file: keep a copy of it


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _queryset(info: ModelInfo, org: Organisation | None, user_ids: set[int]) -> models.QuerySet[Any]:
    qs = info.model._default_manager.all()
    if org is not None:
        if info.kind == "organisation":
            qs = qs.filter(pk=org.pk)
        elif info.kind == "owned":
            qs = qs.filter(organisation=org)
        elif info.kind == "user":
            qs = qs.filter(pk__in=sorted(user_ids))
    m2m = [f.name for f in info.model._meta.many_to_many]
    return qs.order_by("pk").prefetch_related(*m2m)


def _users_of(org: Organisation, infos: list[ModelInfo]) -> set[int]:
    """Members of the organisation and every user its rows point at (e.g. who entered a value)."""
    user_model = get_user_model()
    ids: set[int] = set()
    for info in infos:
        if info.kind != "owned":
            continue
        for f in info.model._meta.concrete_fields:
            if f.is_relation and f.related_model is user_model:
                rows = info.model._default_manager.filter(organisation=org).exclude(**{f.attname: None})
                ids.update(rows.values_list(f.attname, flat=True).distinct())
    return ids


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _write_model(zf: zipfile.ZipFile, info: ModelInfo, qs: models.QuerySet[Any]) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    natural = info.label in NATURAL_KEY_MODELS
    with zf.open(info.member, "w", force_zip64=True) as out:
        for batch in _chunks(qs.iterator(chunk_size=CHUNK), CHUNK):
            buffer = io.StringIO()
            serializers.serialize(
                "jsonl", batch, stream=buffer, use_natural_foreign_keys=natural, cls=ExactJSONEncoder
            )
            data = buffer.getvalue().encode("utf-8")
            digest.update(data)
            out.write(data)
            count += len(batch)
    return count, digest.hexdigest()


def _upload_paths(infos: list[ModelInfo], org: Organisation | None) -> list[str]:
    """Uploaded files to keep: all of them, or those an organisation's rows refer to."""
    root = Path(settings.MEDIA_ROOT)
    if org is None:
        if not root.is_dir():
            return []
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    names: set[str] = set()
    for info in infos:
        for name in file_fields(info.model) if info.kind == "owned" else []:
            values = info.model._default_manager.filter(organisation=org).values_list(name, flat=True)
            names.update(v for v in values if v)
    return sorted(n for n in names if (root / n).is_file())


def _write_file(zf: zipfile.ZipFile, relative: str) -> dict[str, Any]:
    source = Path(settings.MEDIA_ROOT) / relative
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as src, zf.open(UPLOADS_DIR + relative, "w", force_zip64=True) as out:
        while chunk := src.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return {"path": relative, "size": size, "sha256": digest.hexdigest()}


def _snapshot_transaction() -> None:
    """Make the current transaction one snapshot; must run before its first query."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


class BackupError(Exception):
    """The backup cannot be written (the database is not migrated)."""


def _require_migrated() -> None:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    tables = set(connection.introspection.table_names())
    missing = [i.model._meta.db_table for i in archived_models() if i.model._meta.db_table not in tables]
    if executor.migration_plan(executor.loader.graph.leaf_nodes()) or missing:
        raise BackupError("databasen är inte migrerad till den här versionen av lsoplan: kör lsoplan migrate")


def write_backup(path: Path, organisation: Organisation | None = None) -> BackupResult:
    _require_migrated()
    try:
        key, created = backup_key.load_or_create_key()
    except backup_key.BackupKeyError as exc:
        raise BackupError(str(exc)) from exc
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    infos = archived_models()
    result = BackupResult(path, organisation.slug if organisation else None, key_created=created)
    connection.ensure_connection()
    # Inside an outer transaction (tests) the snapshot is already that transaction's.
    outer = connection.in_atomic_block
    try:
        # Owner-only from the first byte: the archive holds every member's password hash.
        temporary.unlink(missing_ok=True)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with (
            os.fdopen(fd, "wb") as raw,
            transaction.atomic(),
            zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf,
        ):
            if not outer:
                _snapshot_transaction()
            user_ids = _users_of(organisation, infos) if organisation else set()
            if organisation is not None:
                members = organisation.memberships.values_list("user_id", flat=True)
                user_ids.update(members)
            entries = []
            for info in infos:
                count, digest = _write_model(zf, info, _queryset(info, organisation, user_ids))
                result.counts[info.label] = count
                entries.append(
                    {
                        "model": info.label,
                        "kind": info.kind,
                        "file": info.member,
                        "count": count,
                        "sha256": digest,
                    }
                )
            files = [_write_file(zf, relative) for relative in _upload_paths(infos, organisation)]
            result.files = len(files)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "lsoplan_version": __version__,
                "django_version": django.get_version(),
                "database": connection.vendor,
                "scope": "organisation" if organisation else "instance",
                "organisation": organisation.slug if organisation else None,
                "migrations": _applied_migrations(),
                "models": entries,
                "files": files,
            }
            manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            zf.writestr(MANIFEST, manifest_bytes)
            signature = {
                "algorithm": "HMAC-SHA256",
                "key_id": backup_key.key_id(key),
                "mac": backup_key.sign(key, manifest_bytes),
            }
            zf.writestr(SIGNATURE, json.dumps(signature))
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    result.sha256 = sha256_of(path)
    return result


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
