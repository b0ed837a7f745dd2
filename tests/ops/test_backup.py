"""Backup and restore: every row of every model comes back exactly, into an empty database."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import isolate_apps

from lsoplan.accounts.models import Organisation
from lsoplan.audit.services import Actor
from lsoplan.cli import main
from lsoplan.conditions import services as conditions
from lsoplan.goals.models import SafetyGoal
from lsoplan.ops import backup_key
from lsoplan.ops.archive import ClassificationError, archived_models, classify
from lsoplan.ops.backup import write_backup
from lsoplan.ops.restore import RestoreError, restore_archive
from tests.factories import World, build_world
from tests.ops.helpers import differences, enrich, every_row, rows_of


def _empty_database() -> None:
    """What a fresh `lsoplan migrate` leaves: no data, reference tables synced (post_migrate)."""
    call_command("flush", interactive=False, verbosity=0)
    assert not Organisation.objects.exists()


def test_every_model_is_classified() -> None:
    infos = {info.label: info.kind for info in archived_models()}
    assert infos["accounts.organisation"] == "organisation"
    assert infos["auth.user"] == "user"
    assert infos["goals.safetygoal"] == "owned"
    assert infos["accounts.municipality"] == "shared"
    assert "sessions.session" not in infos and "ops.loginfailure" not in infos
    order = list(infos)
    # Dependency order: what a row points at is restored before the row.
    assert order.index("programmes.programmeversion") < order.index("goals.safetygoal")
    assert order.index("auth.user") < order.index("accounts.membership")


# An isolated app registry: the model must not join the real one, where every later delete of a
# säkerhetsmål in the same test process would look for its (never created) table.
@isolate_apps("lsoplan.ops")
def test_a_model_pointing_at_organisation_data_needs_its_own_organisation_field() -> None:
    from django.db import models

    class Orphan(models.Model):  # noqa: DJ008
        goal = models.ForeignKey(SafetyGoal, on_delete=models.CASCADE)

        class Meta:
            app_label = "ops"

    with pytest.raises(ClassificationError, match="OrgOwned"):
        classify(Orphan)


@pytest.mark.django_db(transaction=True)
def test_whole_instance_round_trip(tmp_path: Path) -> None:
    alfa = build_world("alfa", ["0484", "0486"])
    build_world("beta", ["0180"])
    enrich(alfa)
    before = every_row()
    archive = tmp_path / "allt.zip"
    result = write_backup(archive)
    assert result.counts["goals.safetygoal"] == SafetyGoal.objects.count() == 3

    _empty_database()
    restored = restore_archive(archive)
    assert restored.inserted["accounts.organisation"] == 2
    assert differences(every_row(), before) == []
    # Sequences start after the restored ids (PostgreSQL), so new objects can be created.
    conditions.create_risk(
        Actor(None, "test"),
        alfa.version.programme.versions.get(number=2),
        title="Ny",
        custom_type="Fallolyckor",
        likelihood=1,
        consequence=1,
    )


@pytest.mark.django_db(transaction=True)
def test_organisation_archive_holds_that_organisation_only(tmp_path: Path) -> None:
    alfa = build_world("alfa", ["0484", "0486"])
    beta = build_world("beta", ["0180"])
    enrich(alfa)
    before = rows_of(every_row(), alfa.org.pk)
    archive = tmp_path / "alfa.zip"
    write_backup(archive, alfa.org)
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        everything = b"".join(zf.read(m["file"]) for m in manifest["models"])
    assert manifest["scope"] == "organisation" and manifest["organisation"] == "alfa"
    assert beta.org.name.encode() not in everything
    assert beta.editor.username.encode() not in everything

    _empty_database()
    restore_archive(archive)
    assert differences(rows_of(every_row(), alfa.org.pk), before) == []
    assert not Organisation.objects.filter(slug="beta").exists()


@pytest.mark.django_db(transaction=True)
def test_an_organisation_comes_back_after_it_was_deleted(tmp_path: Path) -> None:
    alfa = build_world("alfa", ["0484", "0486"])
    beta = build_world("beta", ["0180"])
    before = rows_of(every_row(), alfa.org.pk)
    archive = tmp_path / "alfa.zip"
    write_backup(archive, alfa.org)
    from lsoplan.audit.models import AuditEntry
    from lsoplan.goals.models import Indicator

    # Indicators protect their series; remove them first, as deleting an organisation would.
    Indicator.objects.filter(organisation=alfa.org).delete()
    Organisation.objects.filter(pk=alfa.org.pk).delete()
    with pytest.raises(RestoreError, match="--force"):
        restore_archive(archive)
    result = restore_archive(archive, force=True)
    assert result.inserted["accounts.membership"] == 2, result
    assert differences(rows_of(every_row(), alfa.org.pk), before) == []
    assert AuditEntry.objects.filter(organisation=beta.org).exists()


@pytest.mark.django_db
def test_force_never_overwrites_a_row(tmp_path: Path, world: World) -> None:
    archive = tmp_path / "alfa.zip"
    write_backup(archive, world.org)
    Organisation.objects.filter(pk=world.org.pk).update(name="Ändrad efter kopian")
    with pytest.raises(RestoreError, match="finns redan"):
        restore_archive(archive, force=True)
    assert Organisation.objects.get(pk=world.org.pk).name == "Ändrad efter kopian"


@pytest.mark.django_db
def test_a_damaged_archive_is_refused_before_anything_is_written(tmp_path: Path, world: World) -> None:
    archive = tmp_path / "alfa.zip"
    write_backup(archive, world.org)
    damaged = tmp_path / "skadad.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "data/goals.safetygoal.jsonl":
                data = data.replace(b"S1", b"S9")
            dst.writestr(item, data)
    with pytest.raises(RestoreError, match="kontrollsumman"):
        restore_archive(damaged, force=True)


@pytest.mark.django_db
def test_an_archive_from_a_newer_version_is_refused(tmp_path: Path, world: World) -> None:
    archive = tmp_path / "alfa.zip"
    write_backup(archive, world.org)
    newer = tmp_path / "nyare.zip"
    key = backup_key.load_key()
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(newer, "w") as dst:
        manifest = json.loads(src.read("manifest.json"))
        manifest["migrations"].setdefault("goals", []).append("9999_from_the_future")
        data = json.dumps(manifest).encode()
        # Signed with the right key: a genuine archive of a newer lsoplan.
        signature = {"key_id": backup_key.key_id(key), "mac": backup_key.sign(key, data)}
        for item in src.infolist():
            if item.filename not in {"manifest.json", "manifest.hmac"}:
                dst.writestr(item, src.read(item))
        dst.writestr("manifest.json", data)
        dst.writestr("manifest.hmac", json.dumps(signature))
    with pytest.raises(RestoreError, match="nyare"):
        restore_archive(newer, force=True)


@pytest.mark.django_db(transaction=True)
def test_uploaded_files_come_back(tmp_path: Path) -> None:
    uploads = tmp_path / "uploads"
    (uploads / "alfa").mkdir(parents=True)
    (uploads / "alfa" / "händelser.csv").write_bytes(b"id;typ\n1;brand\n")
    with override_settings(MEDIA_ROOT=uploads):
        build_world("alfa", ["0484"])
        archive = tmp_path / "allt.zip"
        assert write_backup(archive).files == 1
        (uploads / "alfa" / "händelser.csv").unlink()
        _empty_database()
        assert restore_archive(archive).files == 1
    assert (uploads / "alfa" / "händelser.csv").read_bytes() == b"id;typ\n1;brand\n"


@pytest.mark.django_db(transaction=True)
def test_cli_backup_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_world("alfa", ["0484"])
    archive = tmp_path / "alfa.zip"
    assert main(["backup", "--org", "alfa", "-o", str(archive)]) == 0
    assert "SHA-256" in capsys.readouterr().out
    assert main(["backup", "--org", "okand", "-o", str(archive)]) == 2
    assert main(["restore", str(archive)]) == 1  # not empty
    assert "ingenting har återställts" in capsys.readouterr().err
    _empty_database()
    assert main(["restore", str(archive)]) == 0
    assert Organisation.objects.filter(slug="alfa").exists()
    assert main(["restore", str(tmp_path / "saknas.zip")]) == 2
    (tmp_path / "inte.zip").write_text("inget arkiv")
    assert main(["restore", str(tmp_path / "inte.zip")]) == 1


@pytest.mark.django_db(transaction=True)
def test_backup_reads_one_snapshot(tmp_path: Path) -> None:
    """On PostgreSQL the transaction is REPEATABLE READ, set before its first query."""
    from django.test.utils import CaptureQueriesContext

    build_world("alfa", ["0484"])
    with CaptureQueriesContext(connection) as queries:
        write_backup(tmp_path / "alfa.zip")
    sql = [q["sql"] for q in queries.captured_queries]
    if connection.vendor != "postgresql":
        pytest.skip("SQLite: a read transaction keeps one snapshot by itself")
    first = next(i for i, q in enumerate(sql) if "SET TRANSACTION" in q)
    assert "REPEATABLE READ" in sql[first]
    assert not any('"goals_' in q for q in sql[:first])
