from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth.models import User

from lsoplan.accounts.models import Membership, Organisation
from lsoplan.audit.models import AuditEntry
from lsoplan.cli import main
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db


@pytest.mark.argon2
def test_org_and_user_create(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["org", "create", "mitt", "--name", "Mitt förbund", "--municipality", "0484", "0486"]) == 0
    org = Organisation.objects.get(slug="mitt")
    assert sorted(org.municipalities.values_list("code", flat=True)) == ["0484", "0486"]
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("ett-långt-lösenord-42\n"))
    assert main(["user", "create", "anna", "--org", "mitt", "--role", "redaktor", "--password-stdin"]) == 0
    m = Membership.objects.get(user__username="anna")
    assert m.role == "redaktor" and m.user.check_password("ett-långt-lösenord-42")
    assert m.user.password.startswith("argon2")


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["org", "create", "x", "--name", "X", "--municipality", "9999"], "9999"),
        (["user", "create", "u", "--org", "finns-inte", "--role", "lasare"], "finns-inte"),
        (["user", "create", "u", "--org", "x", "--role", "kung"], "kung"),
        (["programme", "list", "--org", "finns-inte"], "finns-inte"),
        (["okänt-kommando"], "okänt"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_programme_list_json(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["programme", "list", "--org", world.org.slug, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {
            "id": world.programme.pk,
            "title": world.programme.title,
            "period": "2027–2030",
            "period_start": 2027,
            "period_end": 2030,
            "version": 1,
            "status": "utkast",
        }
    ]


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def _create(*extra: str) -> list[str]:
    return ["user", "create", "alfa-redaktor", "--org", "alfa", "--role", "lasare", *extra]


def test_user_create_on_an_existing_name_is_refused_and_changes_nothing(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, "ett-helt-nytt-lösenord-99\n")
    assert main([*_create("--password-stdin")]) == 2
    err = capsys.readouterr().err
    assert "finns redan" in err and "--update" in err and len(err.strip().splitlines()) == 1
    world.editor.refresh_from_db()
    assert world.editor.check_password(PASSWORD)
    assert Membership.objects.get(user=world.editor).role == "redaktor"


def test_user_create_on_a_look_alike_of_an_existing_name_is_refused(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["user", "create", "ＡＬＦＡ-redaktor", "--org", "alfa", "--role", "lasare"]) == 2
    assert "finns redan" in capsys.readouterr().err


def test_update_changes_the_role_and_audits_old_and_new(world: World) -> None:
    assert main([*_create("--update")]) == 0
    membership = Membership.objects.get(user=world.editor)
    assert membership.role == "lasare"
    entry = AuditEntry.objects.filter(model="accounts.membership", object_id=str(membership.pk)).first()
    assert entry is not None and entry.action == "update"
    assert entry.changes == {"role": ["redaktor", "lasare"]}


def test_update_audits_a_password_change_without_the_password(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, "ett-helt-nytt-lösenord-99\n")
    assert (
        main(
            [
                "user",
                "create",
                "alfa-redaktor",
                "--org",
                "alfa",
                "--role",
                "redaktor",
                "--update",
                "--password-stdin",
            ]
        )
        == 0
    )
    world.editor.refresh_from_db()
    assert world.editor.check_password("ett-helt-nytt-lösenord-99")
    entries = AuditEntry.objects.filter(model="accounts.membership", action="update")
    assert [e.changes for e in entries] == [{"password": [None, "ändrat"]}]
    assert "ett-helt-nytt" not in json.dumps(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_a_password_of_the_user_name_plus_a_digit_is_refused(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, "planeringschef1\n")
    argv = ["user", "create", "planeringschef", "--org", "alfa", "--role", "lasare", "--password-stdin"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not User.objects.filter(username="planeringschef").exists()
