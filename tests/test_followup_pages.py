"""The follow-up page's tables, and the overview's summary of the same verdicts."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from scipy.stats import chi2

from lsoplan.demo import load_demo
from lsoplan.goals.models import Indicator
from lsoplan.programmes.models import ProgrammeVersion
from tests.factories import World

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


def _rows(html: str, caption: str) -> list[list[str]]:
    table = html.split(f'<caption class="sr-only">{caption}</caption>', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_the_table_beside_each_chart_gives_every_year_with_its_interval_and_limits(
    world: World, client: Client
) -> None:
    client.force_login(world.editor)
    html = client.get(reverse("version_followup", kwargs={"pk": world.version.pk})).content.decode()
    rows = _rows(html, "Bränder i bostad per år")
    assert [r[0] for r in rows] == ["2016", "2017", "2018", "2019", "2020"]
    assert rows[0][1] == "26,00"
    # Exact Poisson interval for 26 events, from the chi-squared quantiles (Garwood 1936).
    low, high = chi2.ppf(0.025, 52) / 2, chi2.ppf(0.975, 54) / 2
    assert rows[0][2] == f"{low:.2f}–{high:.2f}".replace(".", ",")
    # c-chart limits from the baseline 2016–2019 (mean 25): 25 ± 3·√25.
    assert {r[3] for r in rows} == {"10,00–40,00"}
    assert all(r[4] == "" for r in rows)  # no run or point outside the limits in so short a series
