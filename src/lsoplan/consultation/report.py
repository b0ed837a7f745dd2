"""The samrådsredogörelse: who was consulted, what they said, what was decided and why.

Built as a ``report_model.Document`` and rendered by the reports app's DOCX and PDF renderers, so
it looks like the programme it belongs to. A version that is not adopted is marked as a draft on
every page (``reports.common.marking``), as the programme document is.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lsoplan.consultation import selectors
from lsoplan.consultation.models import Consultation, Response
from lsoplan.lib.report_model import Document, Fact, Section, paragraphs, table
from lsoplan.lib.swedish import long_date
from lsoplan.programmes.models import ProgrammeVersion
from lsoplan.reports import cache, common
from lsoplan.reports.render_docx import render_docx
from lsoplan.reports.render_pdf import render_pdf

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
UNDECIDED = "Inget ställningstagande ännu"


def _changes(r: Response) -> str:
    names = [f"{c.number} {c.title}" for c in r.changed_chapters.all()]
    names += [f"Säkerhetsmål {g.code}".strip() for g in r.changed_safety_goals.all()]
    names += [f"Prestationsmål {g.code}".strip() for g in r.changed_performance_goals.all()]
    return ", ".join(names) or "–"


def _consulted(section: Section, version: ProgrammeVersion, responses: list[Response]) -> None:
    s = section.section("Samrådet")
    s.text(
        f"Utkastet till {version.programme.title} {version.programme.period_label} har varit på samråd "
        f"({common.consultation_text(version)}) med de myndigheter och organisationer som har ett "
        "väsentligt intresse av programmet (3 kap. 3 och 8 §§ lagen om skydd mot olyckor)."
    )
    consultation = Consultation.objects.filter(version=version).first()
    if consultation is not None and consultation.public:
        s.text("Utkastet har också funnits tillgängligt för allmänheten, som kunnat lämna synpunkter.")
    parties = list(selectors.parties(version))
    answered = {r.party_id for r in responses if r.party_id is not None}
    if parties:
        s.add(
            table(
                "Remissinstanser",
                ["Remissinstans", "Har svarat"],
                [[p.name, "Ja" if p.pk in answered else "Nej"] for p in parties],
                widths=[3, 1],
            )
        )


def _responses(doc: Document, version: ProgrammeVersion) -> None:
    groups = selectors.grouped(version)
    top = doc.section("Synpunkter och ställningstaganden")
    if not groups:
        top.text("Inga synpunkter har kommit in.")
        return
    top.text(
        "Synpunkterna redovisas efter den del av programmet de gäller. Ställningstagandet är "
        "tillgodosett, delvis tillgodosett eller inte tillgodosett, med motivering."
    )
    for group in groups:
        s = top.section(group.heading)
        rows = []
        for r in group.items:
            text = "\n\n".join(paragraphs(r.text))
            if r.attachment_name:
                text += f"\n\n(Bilaga: {r.attachment_name})"
            rows.append(
                [
                    r.sender,
                    text,
                    r.get_decision_display() if r.decision else UNDECIDED,
                    r.motivation or "–",
                    _changes(r),
                ]
            )
        s.add(
            table(
                f"Synpunkter om {group.heading[:1].lower()}{group.heading[1:]}",
                ["Från", "Synpunkt", "Ställningstagande", "Motivering", "Ändring i programmet"],
                rows,
                widths=[2, 4, 2, 4, 2],
            )
        )


def build(version: ProgrammeVersion, today: dt.date | None = None) -> Document:
    today = today or timezone.localdate()
    responses = list(selectors.responses(version))
    decided = sum(1 for r in responses if r.decision)
    doc = Document(
        title="Samrådsredogörelse",
        subtitle=f"{version.programme.title} {version.programme.period_label}, version {version.number}",
        organisation=version.organisation.name,
        facts=[
            Fact("Organisation", version.organisation.name),
            Fact("Program", f"{version.programme.title} {version.programme.period_label}"),
            Fact("Version", f"{version.number} ({version.get_status_display().lower()})"),
            Fact("Samråd", common.consultation_text(version)),
            Fact("Synpunkter", f"{len(responses)}, varav {decided} med ställningstagande"),
            Fact("Utskrivet", long_date(today)),
        ],
        notice=common.notice(version),
        marking=common.marking(version),
        subject=f"Samrådsredogörelse för handlingsprogram enligt LSO, version {version.number}",
    )
    intro = doc.section("Inledning")
    draft = common.draft_notice(version)
    if draft:
        intro.text(draft)
    _consulted(intro, version, responses)
    _responses(doc, version)
    if decided < len(responses):
        doc.advisories.append(f"{len(responses) - decided} synpunkter saknar ställningstagande.")
    return doc


def filename(version: ProgrammeVersion, fmt: str) -> str:
    return f"samradsredogorelse-{version.organisation.slug}-v{version.number}.{fmt}"


def produce(version: ProgrammeVersion, fmt: str) -> bytes:
    document = build(version)
    render = render_docx if fmt == "docx" else render_pdf
    return cache.stored("documents", cache.key_of(fmt, document), fmt, lambda: render(document))
