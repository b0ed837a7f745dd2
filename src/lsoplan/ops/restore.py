"""Bringing a backup archive back: all of it in one transaction, or nothing.

Before anything is written the archive is checked: the manifest's signature under the backup key
(``lsoplan.ops.backup_key``: an archive edited without the key is refused, whatever checksums it
carries), its format, that it holds only what a backup holds (the known models, each with its
kind and file, no member the manifest does not list, no unsafe file path), every member against
the SHA-256 in the manifest, and that this database knows every migration the archive's database
had (an archive from a newer lsoplan is refused; migrate after an upgrade first). A target that
already holds organisations or users is refused unless ``force``; even then a row whose id is taken by another
row is refused rather than overwritten. Shared rows (reference data) are inserted only where
missing, because the target's own reference files are at least as new.

Rows are inserted as stored (``raw``), so timestamps such as ``created_at`` keep their values and
no signal handler runs. PostgreSQL sequences are moved past the restored ids afterwards. Every
row is checked to be of the model its file is for, so a signed-but-wrong archive cannot slip, say,
a session row in among the goals.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.constants import OnConflict

from lsoplan.accounts.models import Organisation
from lsoplan.audit import dataversion
from lsoplan.ops import backup_key
from lsoplan.ops.archive import FORMAT, FORMAT_VERSION, MANIFEST, SIGNATURE, UPLOADS_DIR, archived_models

BATCH = 500


class RestoreError(Exception):
    """The archive cannot be restored here; nothing has been written."""


@dataclass
class RestoreResult:
    organisation: str | None
    inserted: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)  # shared rows that were already there
    files: int = 0


def _member(zf: zipfile.ZipFile, name: str, missing: str) -> bytes:
    try:
        return zf.read(name)
    except KeyError as exc:
        raise RestoreError(missing) from exc
    except (OSError, zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise RestoreError(f"{name} går inte att läsa: arkivet är skadat") from exc


def _check_signature(zf: zipfile.ZipFile, manifest_bytes: bytes, key: bytes) -> None:
    raw = _member(
        zf,
        SIGNATURE,
        "arkivet saknar signatur (manifest.hmac): det är skrivet av en äldre lsoplan eller har ändrats",
    )
    try:
        signature = json.loads(raw)
        mac, signed_by = str(signature["mac"]), str(signature.get("key_id", ""))
    except (ValueError, TypeError, KeyError) as exc:
        raise RestoreError("manifest.hmac går inte att läsa") from exc
    if backup_key.verify(key, manifest_bytes, mac):
        return
    if signed_by and signed_by != backup_key.key_id(key):
        raise RestoreError(
            f"arkivet är signerat med en annan nyckel (nyckel-id {signed_by[:16]}, här "
            f"{backup_key.key_id(key)}): ange rätt nyckel i LSOPLAN_BACKUP_KEY eller nyckelfilen"
        )
    raise RestoreError("arkivets signatur stämmer inte: arkivet har ändrats efter att det skrevs")


def read_manifest(zf: zipfile.ZipFile, key: bytes | None = None) -> dict[str, Any]:
    """The manifest, after its signature has been verified (``key``: the backup key)."""
    manifest_bytes = _member(
        zf, MANIFEST, "arkivet saknar manifest.json; det är ingen säkerhetskopia från lsoplan"
    )
    try:
        key = backup_key.load_key() if key is None else key
    except backup_key.BackupKeyError as exc:
        raise RestoreError(str(exc)) from exc
    _check_signature(zf, manifest_bytes, key)
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise RestoreError("manifest.json går inte att läsa") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreError("arkivet är ingen säkerhetskopia från lsoplan")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise RestoreError(f"okänd arkivversion {manifest.get('format_version')} (kan läsa {FORMAT_VERSION})")
    check_schema(zf, manifest)
    return manifest


def _safe_path(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or "\\" in value or "\0" in value:
        raise RestoreError(f"otillåten filsökväg i arkivet: {value!r}")
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts or str(path) in {"", "."}:
        raise RestoreError(f"otillåten filsökväg i arkivet: {value}")
    return value


def check_schema(zf: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """The archive holds what a backup holds, and nothing else."""
    models_ = manifest.get("models")
    files = manifest.get("files")
    if not isinstance(models_, list) or not isinstance(files, list):
        raise RestoreError("manifest.json saknar listorna models och files")
    migrations = manifest.get("migrations")
    if not isinstance(migrations, dict) or not all(
        isinstance(names, list) and all(isinstance(n, str) for n in names) for names in migrations.values()
    ):
        raise RestoreError("manifest.json saknar migrations eller har dem i fel form")
    known = {info.label: info for info in archived_models()}
    listed = {MANIFEST, SIGNATURE}
    for entry in models_:
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(k), str) for k in ("model", "kind", "file", "sha256")
        ):
            raise RestoreError("manifest.json: en modellpost har fel form")
        label = entry["model"]
        info = known.get(label)
        if info is None:
            raise RestoreError(f"arkivet innehåller {label}, som inte hör till en säkerhetskopia")
        if entry["kind"] != info.kind or entry["file"] != info.member:
            raise RestoreError(f"manifest.json: posten för {label} stämmer inte med säkerhetskopians format")
        count = entry.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise RestoreError(f"manifest.json: ogiltigt antal rader för {label}")
        if entry["file"] in listed:
            raise RestoreError(f"manifest.json: {label} förekommer två gånger")
        listed.add(entry["file"])
    for f in files:
        if not isinstance(f, dict) or not isinstance(f.get("sha256"), str):
            raise RestoreError("manifest.json: en filpost har fel form")
        name = UPLOADS_DIR + _safe_path(f.get("path"))
        if name in listed:
            raise RestoreError(f"manifest.json: filen {f['path']} förekommer två gånger")
        listed.add(name)
    names = zf.namelist()
    extra = sorted(set(names) - listed)
    if extra:
        raise RestoreError(f"arkivet innehåller {extra[0]}, som manifestet inte tar upp")
    if len(names) != len(set(names)):
        raise RestoreError("arkivet innehåller samma fil två gånger")


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(1 << 20):
        digest.update(chunk)
    return digest.hexdigest()


def verify(zf: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every member the manifest lists is there and has its checksum."""
    members = [(m["file"], m["sha256"]) for m in manifest["models"]]
    members += [(UPLOADS_DIR + f["path"], f["sha256"]) for f in manifest["files"]]
    names = set(zf.namelist())
    for name, expected in members:
        if name not in names:
            raise RestoreError(f"arkivet saknar {name}")
        try:
            with zf.open(name) as stream:
                actual = _sha256(stream)
        except (OSError, zipfile.BadZipFile, EOFError, ValueError) as exc:
            raise RestoreError(f"{name} går inte att läsa: arkivet är skadat") from exc
        if actual != expected:
            raise RestoreError(f"{name} stämmer inte med kontrollsumman: arkivet är skadat")


def _installed(label: str) -> bool:
    return any(config.label == label for config in apps.get_app_configs())


def _check_migrations(manifest: dict[str, Any]) -> None:
    applied = MigrationRecorder(connection).applied_migrations()
    missing = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in applied and _installed(app)
    ]
    unknown_apps = [app for app in manifest["migrations"] if not _installed(app)]
    if missing or unknown_apps:
        first = (missing + unknown_apps)[0]
        raise RestoreError(
            f"arkivet kommer från en nyare eller annan version av lsoplan ({first} saknas här): "
            "uppgradera och kör lsoplan migrate först"
        )


def target_is_empty() -> bool:
    return not Organisation.objects.exists() and not get_user_model().objects.exists()


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Lines:
    """The member's non-empty lines as text, remembering which line is being read (for errors)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.number = 0

    def __iter__(self) -> Iterator[str]:
        for raw in self.stream:
            self.number += 1
            if raw.strip():
                yield raw.decode("utf-8")


def _objects(entry: dict[str, Any], model: type[models.Model], lines: _Lines) -> Iterator[Any]:
    """Deserialised rows, each of the entry's own model; anything else is one Swedish line."""
    objects = serializers.deserialize("jsonl", lines, handle_forward_references=True)
    while True:
        try:
            d = next(objects)
        except StopIteration:
            return
        except (DeserializationError, ValueError, TypeError, LookupError, UnicodeDecodeError) as exc:
            raise RestoreError(f"{entry['file']} rad {lines.number} går inte att läsa") from exc
        if type(d.object) is not model:
            raise RestoreError(
                f"{entry['file']} rad {lines.number} är en rad av {type(d.object)._meta.label_lower}, "
                f"inte av {entry['model']}"
            )
        yield d


def _insert(
    model: type[models.Model], objects: list[models.Model], *, ignore_conflicts: bool = False
) -> None:
    """Insert rows exactly as stored: ``raw`` keeps auto_now_add values and sends no signals."""
    if not objects:
        return
    fields = list(model._meta.local_concrete_fields)
    size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
    conflict = OnConflict.IGNORE if ignore_conflicts else None
    manager: Any = model._base_manager
    for start in range(0, len(objects), size):
        manager._insert(objects[start : start + size], fields=fields, raw=True, on_conflict=conflict)


def _insert_m2m(model: type[models.Model], pairs: dict[str, list[tuple[Any, Any]]]) -> None:
    for name, rows in pairs.items():
        if not rows:
            continue
        m2m = model._meta.get_field(name)
        through = m2m.remote_field.through  # type: ignore[union-attr]
        source = through._meta.get_field(m2m.m2m_field_name()).attname  # type: ignore[union-attr]
        target = through._meta.get_field(m2m.m2m_reverse_field_name()).attname  # type: ignore[union-attr]
        through._default_manager.bulk_create(
            [through(**{source: a, target: b}) for a, b in rows], batch_size=BATCH
        )


def _fresh(model: type[models.Model], kind: str, batch: list[Any]) -> list[Any]:
    """The rows of a batch to insert; an id or user name already taken by another row is refused."""
    user_model = get_user_model()
    is_user = model is user_model
    existing = dict(
        model._base_manager.filter(pk__in=[d.object.pk for d in batch]).values_list(
            "pk", "username" if is_user else "pk"
        )
    )
    fresh = []
    for d in batch:
        pk = d.object.pk
        if pk not in existing:
            fresh.append(d)
        elif not (is_user and existing[pk] == d.object.get_username()):  # the same account is kept
            raise RestoreError(
                f"{model._meta.verbose_name} med id {pk} finns redan i databasen; "
                "arkivet kan inte läggas in utan att skriva över den"
            )
    if is_user:
        names = [d.object.get_username() for d in fresh]
        taken = list(user_model._default_manager.filter(username__in=names)[:1])
        if taken:
            raise RestoreError(f"användaren {taken[0].get_username()} finns redan med ett annat id")
    return fresh


def _restore_model(zf: zipfile.ZipFile, entry: dict[str, Any], result: RestoreResult) -> None:
    model = apps.get_model(entry["model"])
    kind = entry["kind"]
    inserted = kept = 0
    with zf.open(entry["file"]) as stream:
        for batch in _batches(_objects(entry, model, _Lines(stream)), BATCH):
            if kind == "shared":
                # Reference data: the target's rows win, whether they match by id or by a unique
                # field (ids of rows synced from the reference files differ between databases).
                # Their many-to-many links are not restored: no shared model of lsoplan has any.
                before = model._base_manager.count()
                _insert(model, [d.object for d in batch], ignore_conflicts=True)
                added = model._base_manager.count() - before
                inserted += added
                kept += len(batch) - added
                continue
            fresh = _fresh(model, kind, batch)
            kept += len(batch) - len(fresh)
            _insert(model, [d.object for d in fresh])
            pairs: dict[str, list[tuple[Any, Any]]] = {}
            for d in fresh:
                for name, values in (d.m2m_data or {}).items():
                    pairs.setdefault(name, []).extend((d.object.pk, v) for v in values)
            _insert_m2m(model, pairs)
            inserted += len(fresh)
    if inserted + kept != entry["count"]:
        raise RestoreError(f"{entry['file']}: {inserted + kept} rader i stället för {entry['count']}")
    result.inserted[entry["model"]] = inserted
    result.kept[entry["model"]] = kept


def _reset_sequences(labels: Iterable[str]) -> None:
    models_ = [apps.get_model(label) for label in labels]
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _stage_files(zf: zipfile.ZipFile, manifest: dict[str, Any], staging: Path, force: bool) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    staged = []
    for f in manifest["files"]:
        target = root / f["path"]
        if target.is_dir():
            raise RestoreError(f"filen {f['path']} är en katalog här")
        if target.exists() and not force:
            with target.open("rb") as current:
                if _sha256(current) != f["sha256"]:
                    raise RestoreError(f"filen {f['path']} finns redan med annat innehåll")
        destination = staging / f["path"]
        destination.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(UPLOADS_DIR + f["path"]) as src, destination.open("wb") as out:
            shutil.copyfileobj(src, out)
        staged.append(f["path"])
    return staged


def _in_dependency_order(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The manifest's entries in this lsoplan's own order (what a row points at comes first)."""
    position = {info.label: n for n, info in enumerate(archived_models())}
    return sorted(entries, key=lambda e: position[e["model"]])


def restore_archive(path: Path, *, force: bool = False, key: bytes | None = None) -> RestoreResult:
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise RestoreError(f"{Path(path).name} är inget läsbart ZIP-arkiv") from exc
    with zf:
        manifest = read_manifest(zf, key)
        verify(zf, manifest)
        _check_migrations(manifest)
        if not force and not target_is_empty():
            raise RestoreError(
                "databasen innehåller redan organisationer eller användare; återställ till en tom "
                "databas, eller ange --force för att lägga till arkivets innehåll"
            )
        result = RestoreResult(manifest.get("organisation"))
        root = Path(settings.MEDIA_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=root, prefix=".restore-") as staging:
            staged = _stage_files(zf, manifest, Path(staging), force)
            entries = _in_dependency_order(manifest["models"])
            try:
                with transaction.atomic():
                    for entry in entries:
                        _restore_model(zf, entry, result)
                    _reset_sequences(e["model"] for e in entries)
                    # A shared cache may hold results of another database with the same ids.
                    dataversion.bump(None)
            except DatabaseError as exc:
                # A signed archive that the database still refuses (a row pointing at nothing).
                reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
                raise RestoreError(f"databasen tog inte emot arkivets rader ({reason})") from exc
            # The database is committed; now the files, each an atomic rename on the same disk.
            for relative in staged:
                target = root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                (Path(staging) / relative).replace(target)
        result.files = len(staged)
    return result
