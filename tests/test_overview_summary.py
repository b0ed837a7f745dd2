"""The overview's follow-up summary counts the same verdicts as the follow-up page itself."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from lsoplan.demo import load_demo
from lsoplan.goals.models import Indicator
from lsoplan.programmes.models import ProgrammeVersion

pytestmark = pytest.mark.django_db
BADGE = re.compile(r'<span class="status-badge st-[a-z0-9-]+">([^<]+)</span>\s*(\d+)')


def test_overview_summary_matches_the_followup_page() -> None:
    load_demo()
    adopted = ProgrammeVersion.objects.get(organisation__slug="demo", status="antagen")
    client = Client()
    client.force_login(User.objects.get(username="planerare"))
    overview = client.get(reverse("version_overview", kwargs={"pk": adopted.pk})).content.decode()
    followup = client.get(reverse("version_followup", kwargs={"pk": adopted.pk})).content.decode()
    summary_section = followup.split('id="sum-h"', 1)[1].split("</section>", 1)[0]

    on_overview = [(label, int(n)) for label, n in BADGE.findall(overview)]
    on_followup = [(label, int(n)) for label, n in BADGE.findall(summary_section)]
    assert on_overview == on_followup
    # Every indicator is counted once, and the demo has more than one kind of verdict.
    assert sum(n for _, n in on_overview) == Indicator.objects.filter(version=adopted).count()
    assert len(on_overview) >= 2
