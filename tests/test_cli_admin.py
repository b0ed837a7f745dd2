from __future__ import annotations

import json

import pytest

from lsoplan.accounts.models import Membership, Organisation
from lsoplan.cli import main
from tests.factories import World

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
