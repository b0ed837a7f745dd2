"""Tampered backup archives are refused before anything is written, each in one Swedish line.

Every archive is generated here from a real backup and then edited the way the security probe
did (a role changed and the checksum recomputed, a table added, a session row injected …). An
editor without the key cannot produce a valid signature; the edits "signed" below stand for an
archive that is authentic yet wrong (a bug, or whoever holds the key), which the schema checks
must still refuse.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from lsoplan.accounts.models import Membership, Organisation
from lsoplan.cli import main
from lsoplan.goals.models import Indicator
from lsoplan.ops import backup_key
from lsoplan.ops.archive import MANIFEST, SIGNATURE, archived_models
from lsoplan.ops.backup import write_backup
from lsoplan.ops.restore import RestoreError, restore_archive
from tests.factories import World

pytestmark = pytest.mark.django_db

Members = dict[str, bytes]
MEMBERSHIP = "data/accounts.membership.jsonl"
SESSION_ROW = (
    b'{"model": "sessions.session", "pk": "x", "fields": {"session_data": "e30", '
    b'"expire_date": "2099-01-01T00:00:00Z"}}\n'
)


def _read(archive: Path) -> Members:
    with zipfile.ZipFile(archive) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _write(members: Members, path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _manifest(members: Members) -> dict:
    return json.loads(members[MANIFEST])


def _set_manifest(members: Members, manifest: dict, *, sign: bool) -> None:
    members[MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode()
    if sign:
        key = backup_key.load_key()
        members[SIGNATURE] = json.dumps(
            {"key_id": backup_key.key_id(key), "mac": backup_key.sign(key, members[MANIFEST])}
        ).encode()


def _replace_member(members: Members, name: str, data: bytes, *, sign: bool) -> None:
    """Change a member and recompute its SHA-256 in the manifest, as an editor would."""
    members[name] = data
    manifest = _manifest(members)
    for entry in manifest["models"]:
        if entry["file"] == name:
            entry["sha256"] = hashlib.sha256(data).hexdigest()
            entry["count"] = sum(1 for line in data.splitlines() if line.strip())
    _set_manifest(members, manifest, sign=sign)


def _first_file(members: Members) -> str:
    present = {e["file"] for e in _manifest(members)["models"]}
    return next(i.member for i in archived_models() if i.member in present)


def role_changed_checksum_recomputed(m: Members) -> None:
    _replace_member(m, MEMBERSHIP, m[MEMBERSHIP].replace(b'"lasare"', b'"administrator"'), sign=False)


def member_changed_checksum_kept(m: Members) -> None:
    m[MEMBERSHIP] = m[MEMBERSHIP].replace(b'"lasare"', b'"administrator"')


def table_added(m: Members) -> None:
    manifest = _manifest(m)
    m["data/sessions.session.jsonl"] = SESSION_ROW
    digest = hashlib.sha256(SESSION_ROW).hexdigest()
    entry = {"model": "sessions.session", "kind": "shared", "file": "data/sessions.session.jsonl"}
    manifest["models"].append({**entry, "count": 1, "sha256": digest})
    _set_manifest(m, manifest, sign=False)


def table_added_signed(m: Members) -> None:
    table_added(m)
    _set_manifest(m, _manifest(m), sign=True)


def session_row_injected_signed(m: Members) -> None:
    name = _first_file(m)
    _replace_member(m, name, m[name] + SESSION_ROW, sign=True)


def bad_line_signed(m: Members) -> None:
    name = _first_file(m)
    _replace_member(m, name, m[name] + b'{"model": "accounts.municipality", "pk": \n', sign=True)


def unknown_model_signed(m: Members) -> None:
    manifest = _manifest(m)
    manifest["models"].append(
        {"model": "okand.modell", "kind": "owned", "file": "data/okand.modell.jsonl", "count": 0}
        | {"sha256": ""}
    )
    m["data/okand.modell.jsonl"] = b""
    _set_manifest(m, manifest, sign=True)


def kind_changed_signed(m: Members) -> None:
    manifest = _manifest(m)
    for entry in manifest["models"]:
        if entry["model"] == "accounts.membership":
            entry["kind"] = "shared"
    _set_manifest(m, manifest, sign=True)


def _file_entry(m: Members, path: str) -> None:
    manifest = _manifest(m)
    manifest["files"].append({"path": path, "size": 1, "sha256": hashlib.sha256(b"x").hexdigest()})
    m["uploads/" + path] = b"x"
    _set_manifest(m, manifest, sign=True)


def path_traversal_signed(m: Members) -> None:
    _file_entry(m, "../../etc/cron.d/lsoplan")


def empty_path_signed(m: Members) -> None:
    _file_entry(m, "")


def extra_member(m: Members) -> None:
    m["uploads/inte-i-manifestet.sh"] = b"#!/bin/sh\n"


def member_removed(m: Members) -> None:
    del m[MEMBERSHIP]


def signature_removed(m: Members) -> None:
    del m[SIGNATURE]


def signature_under_another_key(m: Members) -> None:
    forged = backup_key.sign(b"angriparens-nyckel-" * 3, m[MANIFEST])
    m[SIGNATURE] = json.dumps({"key_id": json.loads(m[SIGNATURE])["key_id"], "mac": forged}).encode()


TAMPERING: list[tuple[Callable[[Members], None], str]] = [
    (role_changed_checksum_recomputed, "signatur"),
    (member_changed_checksum_kept, "kontrollsumman"),
    (table_added, "signatur"),
    (table_added_signed, "sessions.session, som inte hör till"),
    (session_row_injected_signed, "är en rad av sessions.session"),
    (bad_line_signed, "går inte att läsa"),
    (unknown_model_signed, "okand.modell, som inte hör till"),
    (kind_changed_signed, "stämmer inte med säkerhetskopians format"),
    (path_traversal_signed, "otillåten filsökväg"),
    (empty_path_signed, "otillåten filsökväg"),
    (extra_member, "manifestet inte tar upp"),
    (member_removed, "saknar data/accounts.membership.jsonl"),
    (signature_removed, "saknar signatur"),
    (signature_under_another_key, "signatur stämmer inte"),
]


@pytest.fixture
def archive(tmp_path: Path, world: World) -> Path:
    path = tmp_path / "alfa.zip"
    write_backup(path, world.org)
    # Restoring must be possible: the organisation and its accounts are gone again (indicators
    # protect their series, so they go first).
    Indicator.objects.all().delete()
    Organisation.objects.all().delete()
    get_user_model().objects.all().delete()
    return path


def test_the_untampered_archive_restores(archive: Path) -> None:
    restore_archive(archive)
    assert Membership.objects.count() == 2


@pytest.mark.parametrize(("tamper", "message"), TAMPERING, ids=[t.__name__ for t, _ in TAMPERING])
def test_a_tampered_archive_is_refused_and_nothing_is_written(
    archive: Path, tmp_path: Path, tamper: Callable[[Members], None], message: str
) -> None:
    members = _read(archive)
    tamper(members)
    edited = _write(members, tmp_path / "andrad.zip")
    with pytest.raises(RestoreError, match=message) as refused:
        restore_archive(edited)
    assert "\n" not in str(refused.value)
    assert not Organisation.objects.exists() and not Membership.objects.exists()


def test_a_truncated_archive_is_refused(archive: Path, tmp_path: Path) -> None:
    data = archive.read_bytes()
    cut = tmp_path / "avkortad.zip"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(RestoreError, match=r"ZIP-arkiv|skadat"):
        restore_archive(cut)


def test_an_archive_is_refused_under_another_key(archive: Path) -> None:
    with pytest.raises(RestoreError, match="annan nyckel"):
        restore_archive(archive, key=b"en-helt-annan-nyckel-med-minst-32-tecken")


def test_restore_without_any_key_is_refused(archive: Path, backup_key_file: Path) -> None:
    backup_key_file.unlink()
    with pytest.raises(RestoreError, match="ingen nyckel"):
        restore_archive(archive)


def test_the_archive_and_the_key_file_are_readable_by_their_owner_only(
    tmp_path: Path, world: World, backup_key_file: Path
) -> None:
    assert not backup_key_file.exists()
    result = write_backup(tmp_path / "alfa.zip", world.org)
    assert result.key_created
    assert (tmp_path / "alfa.zip").stat().st_mode & 0o777 == 0o600
    assert backup_key_file.stat().st_mode & 0o777 == 0o600
    assert not write_backup(tmp_path / "igen.zip", world.org).key_created


def test_a_key_file_others_may_read_is_refused(tmp_path: Path, world: World, backup_key_file: Path) -> None:
    backup_key_file.write_text("k" * 64)
    backup_key_file.chmod(0o644)
    from lsoplan.ops.backup import BackupError

    with pytest.raises(BackupError, match="chmod 600"):
        write_backup(tmp_path / "alfa.zip", world.org)


def test_the_key_may_come_from_the_environment(
    archive: Path, monkeypatch: pytest.MonkeyPatch, backup_key_file: Path
) -> None:
    monkeypatch.setenv("LSOPLAN_BACKUP_KEY", backup_key_file.read_text().strip())
    backup_key_file.unlink()
    restore_archive(archive)
    assert Organisation.objects.filter(slug="alfa").exists()


def test_cli_restore_of_a_tampered_archive_is_one_swedish_line_and_exit_1(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    members = _read(archive)
    role_changed_checksum_recomputed(members)
    edited = _write(members, tmp_path / "andrad.zip")
    assert main(["restore", str(edited)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "signatur" in err and "ingenting har återställts" in err


@pytest.mark.parametrize("tamper", [unknown_model_signed, bad_line_signed, empty_path_signed])
def test_cli_restore_of_a_broken_archive_is_one_line_and_exit_1(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], tamper: Callable[[Members], None]
) -> None:
    members = _read(archive)
    tamper(members)
    edited = _write(members, tmp_path / "trasig.zip")
    assert main(["restore", str(edited)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_restore_of_an_empty_path_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["restore", ""]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
