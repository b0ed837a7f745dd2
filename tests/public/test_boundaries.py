"""The public app's boundary (STYLE (e)), checked like a lint: its pages import no internal view,
no access control and no user, and write through ONE service, the citizens' view submission."""

from __future__ import annotations

import re
from pathlib import Path

import lsoplan.public

PUBLIC = Path(lsoplan.public.__file__).parent
READ_SIDE = ["views.py", "selectors.py", "urls.py", "forms.py"]


def _source(name: str) -> str:
    return (PUBLIC / name).read_text(encoding="utf-8")


def test_the_public_pages_import_no_internal_view() -> None:
    for name in READ_SIDE:
        internal = re.findall(r"lsoplan\.(\w+)\.views|from lsoplan\.(\w+) import views", _source(name))
        assert {app for pair in internal for app in pair if app} <= {"public"}, name


def test_the_public_pages_use_no_access_control_and_no_user() -> None:
    for name in READ_SIDE:
        text = _source(name)
        assert "accounts.access" not in text and "request.user" not in text, name


def test_the_public_pages_write_nothing_themselves() -> None:
    for name in READ_SIDE:
        text = _source(name)
        for write in (".save(", ".delete(", "objects.create", ".update("):
            assert write not in text, (name, write)


def test_the_views_call_only_the_submission_service() -> None:
    imported = re.findall(r"from lsoplan\.public\.services import ([^\n]+)", _source("views.py"))
    names = {n.strip() for line in imported for n in line.split(",")}
    assert names == {"Throttled", "client_address", "submit_citizen_view"}
    assert "import services" not in _source("views.py")
