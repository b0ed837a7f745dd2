"""The public pages of a published organisation: what they show, and what they never show."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lsoplan.accounts.services import set_publication
from lsoplan.programmes.models import ProgrammeVersion
from tests.factories import SYSTEM, World
from tests.public.helpers import ADOPTED_TEXT, ARCHIVED_PDF, DRAFT_MARKER, NOTE_MARKER

pytestmark = pytest.mark.django_db

HTML_PAGES = [
    "public_home",
    "public_programme",
    "public_goals",
    "public_statistics",
    "public_comment",
    "public_privacy",
]


def _get(name: str, world: World) -> str:
    response = Client().get(reverse(name, kwargs={"slug": world.org.slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_home_shows_the_adopted_programme_and_a_verdict_in_plain_swedish(
    published: ProgrammeVersion, world: World
) -> None:
    html = _get("public_home", world)
    assert "Handlingsprogram för skydd mot olyckor 2027–2030" in html
    assert "antaget av kommunfullmäktige 10 november 2026" in html
    assert "Bränder i bostad" in html
    assert any(
        sentence in html for sentence in ("på väg mot målet", "inte nått", "för lite uppgifter", "slump")
    )


def test_programme_page_shows_the_adopted_chapter_text(published: ProgrammeVersion, world: World) -> None:
    assert ADOPTED_TEXT in _get("public_programme", world)


@pytest.mark.parametrize("name", HTML_PAGES)
def test_no_page_shows_a_draft(name: str, published: ProgrammeVersion, world: World) -> None:
    assert DRAFT_MARKER not in _get(name, world)


@pytest.mark.parametrize("name", HTML_PAGES)
def test_no_page_shows_an_internal_note(name: str, published: ProgrammeVersion, world: World) -> None:
    assert NOTE_MARKER not in _get(name, world)


@pytest.mark.parametrize("name", HTML_PAGES)
def test_no_page_shows_a_user_name(name: str, published: ProgrammeVersion, world: World) -> None:
    html = _get(name, world)
    assert world.editor.username not in html and world.reader.username not in html


@pytest.mark.parametrize("name", HTML_PAGES)
def test_no_page_links_to_an_internal_page(name: str, published: ProgrammeVersion, world: World) -> None:
    links = re.findall(r'(?:href|action)="([^"]*)"', _get(name, world))
    assert links
    outside = [u for u in links if not u.startswith((f"/allmanhet/{world.org.slug}/", "/static/", "#"))]
    assert outside == []


def test_the_pdf_is_the_archived_bytes(published: ProgrammeVersion, world: World) -> None:
    response = Client().get(reverse("public_programme_pdf", kwargs={"slug": world.org.slug}))
    assert response.status_code == 200
    assert response.content == ARCHIVED_PDF


def test_without_an_archive_there_is_no_pdf_and_nothing_is_rendered(world: World) -> None:
    from tests.public.helpers import adopt_and_publish

    adopt_and_publish(world, archive=False)
    response = Client().get(reverse("public_programme_pdf", kwargs={"slug": world.org.slug}))
    assert response.status_code == 404
    assert "arkiverad PDF" in response.content.decode()


def test_an_unpublished_organisation_answers_404_in_swedish(world: World) -> None:
    response = Client().get(reverse("public_home", kwargs={"slug": world.org.slug}))
    assert response.status_code == 404
    assert "finns inte" in response.content.decode()


def test_an_unknown_organisation_answers_404(db: None) -> None:
    assert Client().get(reverse("public_home", kwargs={"slug": "finns-inte"})).status_code == 404


def test_unpublishing_takes_the_page_down(published: ProgrammeVersion, world: World) -> None:
    _get("public_home", world)  # cached now
    set_publication(SYSTEM, world.org, published=False)
    assert Client().get(reverse("public_home", kwargs={"slug": world.org.slug})).status_code == 404


def test_the_open_programme_file_has_no_user_names_or_notes(
    published: ProgrammeVersion, world: World
) -> None:
    response = Client().get(reverse("public_open_programme", kwargs={"slug": world.org.slug}))
    text = response.content.decode()
    data = json.loads(text)
    assert data["version"]["status"] == "antagen"
    assert NOTE_MARKER not in text and world.editor.username not in text and DRAFT_MARKER not in text


def test_the_goals_csv_has_one_row_per_indicator_with_its_verdict(
    published: ProgrammeVersion, world: World
) -> None:
    response = Client().get(reverse("public_open_goals", kwargs={"slug": world.org.slug}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    indicator_rows = [r for r in rows[1:] if r[3] == "Bränder i bostad"]
    assert len(indicator_rows) == 1 and indicator_rows[0][7]


def test_a_goal_text_that_looks_like_a_formula_is_neutralised_in_the_csv(
    published: ProgrammeVersion, world: World
) -> None:
    from lsoplan.goals.models import SafetyGoal

    SafetyGoal.objects.filter(pk=world.safety_goal.pk).update(text='=HYPERLINK("http://x")')
    response = Client().get(reverse("public_open_goals", kwargs={"slug": world.org.slug}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert all(not r[2].startswith("=") for r in rows[1:])


def test_a_second_visit_is_served_from_the_cache(
    published: ProgrammeVersion, world: World, django_assert_max_num_queries: object
) -> None:
    _get("public_goals", world)
    with django_assert_max_num_queries(2):  # type: ignore[operator]
        _get("public_goals", world)  # only the published-slug lookup and the data version


def test_public_pages_set_no_cookie(published: ProgrammeVersion, world: World) -> None:
    response = Client().get(reverse("public_home", kwargs={"slug": world.org.slug}))
    assert not response.cookies
    assert "public" in response["Cache-Control"]


def test_the_remiss_link_is_absent_while_no_public_remiss_is_open(
    published: ProgrammeVersion, world: World
) -> None:
    assert "Lämna synpunkter på förslaget" not in _get("public_home", world)


def test_the_remiss_link_shows_while_a_public_remiss_is_open(
    published: ProgrammeVersion, world: World
) -> None:
    import datetime as dt

    from django.core.cache import cache
    from django.utils import timezone

    from lsoplan.consultation import services as consultation
    from lsoplan.programmes import services as programmes
    from lsoplan.programmes.models import ProgrammeVersion as Version

    draft = Version.objects.filter(programme=published.programme).order_by("-number").first()
    assert draft is not None and draft.pk != published.pk
    today = timezone.localdate()
    programmes.send_to_consultation(
        SYSTEM, draft, parties="Länsstyrelsen", date_from=today, date_to=today + dt.timedelta(days=30)
    )
    draft.refresh_from_db()
    consultation.set_public(SYSTEM, draft, public=True)
    cache.clear()
    url = f"/allmanhet/{world.org.slug}/remiss/"
    html = _get("public_home", world)
    assert "Lämna synpunkter på förslaget" in html and f'href="{url}"' in html


def test_a_data_change_reaches_the_cached_page_at_once(published: ProgrammeVersion, world: World) -> None:
    from lsoplan.goals import services as goals
    from lsoplan.goals.models import Indicator

    assert "(2025)" not in _get("public_goals", world)
    adopted = Indicator.objects.get(version=published, lineage=world.indicator.lineage)
    goals.record_measurement(SYSTEM, adopted.series, year=2025, value=19.0)
    assert "(2025)" in _get("public_goals", world)


def test_the_followup_report_is_never_rendered_for_a_visitor(
    published: ProgrammeVersion, world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lsoplan.reports import jobs

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(jobs, "render_pdf_with_pages", lambda *a, **k: pytest.fail("rendered for a visitor"))
    response = Client().get(reverse("public_followup_pdf", kwargs={"slug": world.org.slug}))
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "tas fram just nu" in response.content.decode()
    assert jobs.DocumentJob.objects.filter(version=published, kind=jobs.JobKind.FOLLOWUP).exists()


def test_the_followup_report_made_by_the_job_is_served(published: ProgrammeVersion, world: World) -> None:
    response = Client().get(reverse("public_followup_pdf", kwargs={"slug": world.org.slug}))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"].startswith("attachment;")
