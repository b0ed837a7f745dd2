"""The action programme as a document, in the MSBFS 2021:1 chapter order.

Each chapter's own text comes first; after it the data that belongs there is set out as tables and
charts (the municipalities under "Beskrivning av kommunen", the goal chain under "Styrning", the
risk picture under "Risker", capability under the räddningstjänst sub-chapters, the follow-up plan
under "Uppföljning och utvärdering"). Chapters that MSBFS 2021:1 closes to extra sub-chapters
(räddningstjänst) get tables only, no new headings. Data whose chapter is missing from a version
is still printed, in a section of its own after the chapters. A change log against the version
this one was copied from ends the document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from lsoplan.conditions.models import Capability
from lsoplan.goals.models import PerformanceGoal, SafetyGoal
from lsoplan.lib import versiondiff
from lsoplan.lib.report_model import BulletList, Cell, Document, Section, Table, sv_date, sv_number, table
from lsoplan.programmes.models import Chapter, ProgrammeVersion
from lsoplan.reports import common, selectors

Filler = Callable[[Section], None]
LEVEL_NAMES = {"lag": "låg", "medel": "medel", "hog": "hög"}
FIVE_QUESTIONS = (
    "Har skyddet eller säkerheten ökat, och i så fall varför – eller varför inte?",
    "Vilka sidoeffekter har arbetet fått?",
    "Hur ser invånarna på arbetet?",
    "Står kostnaderna i rimlig proportion till nyttan?",
    "Vad har vi lärt oss, och vilka förbättringsåtgärder behövs?",
)


class _Builder:
    def __init__(self, version: ProgrammeVersion, today: dt.date):
        self.version = version
        self.today = today
        self.org = version.organisation
        self.risks = selectors.risks(version)
        self.capabilities = selectors.capabilities(version)
        self.safety, self.performance = selectors.goals(version)
        self.indicators = selectors.indicators(version)

    # --- chapter fillers --------------------------------------------------------------------

    def fillers(self) -> dict[str, tuple[str, Filler]]:
        """Chapter key → (heading used when the chapter is missing, what to add)."""
        return {
            "inledning": ("Om programmet", self.adoption),
            "kommunen": ("Kommunen", self.municipalities),
            "styrning": ("Mål", self.goals),
            "risker": ("Riskbild", self.risk_picture),
            "forebyggande": ("Förebyggande förmåga", self._caps(lambda c: c.kind == "forebyggande")),
            "rtj-olyckstyp": ("Förmåga per olyckstyp", self._caps(_peacetime("olyckstyp"))),
            "rtj-samtidiga": ("Samtidiga insatser", self._caps(_peacetime("samtidiga"))),
            "rtj-omfattande": ("Omfattande insatser", self._caps(_peacetime("omfattande"))),
            "rtj-ledning": ("Ledning", self._caps(_peacetime("ledning"))),
            "rtj-resurser": ("Resurser", self.resources),
            "rtj-hojd-beredskap": ("Höjd beredskap", self._caps(lambda c: c.readiness == "hojd_beredskap")),
            "uppfoljning": ("Plan för uppföljning och utvärdering", self.followup_plan),
        }

    def adoption(self, section: Section) -> None:
        v = self.version
        s = section.section("Samråd och beslut")
        parties = common.consultation_parties(v)
        if v.consultation_from:
            s.text(f"Programmet har varit på samråd {common.consultation_text(v)} med:")
            if parties:
                s.add(BulletList(tuple(parties)))
        else:
            s.text("Programmet har ännu inte varit på samråd (3 kap. 3 och 8 §§ LSO kräver samråd).", "note")
        if v.adopted_on:
            body = (common.DEFINITE_BODY.get(v.adopted_body) or v.get_adopted_body_display()).lower()
            paragraph = f" ({v.adopted_paragraph})" if v.adopted_paragraph else ""
            s.text(
                f"Programmet antogs av {body or 'beslutande organ'} den {sv_date(v.adopted_on)}{paragraph} "
                f"och gäller {v.programme.period_label}."
            )
        else:
            s.text(f"{common.notice(v)}. Programmet är avsett att gälla {v.programme.period_label}.")
        s.text(
            "Ett antaget program skickas till länsstyrelsen, Myndigheten för civilt försvar och "
            "samrådsparterna (3 kap. 4 § förordningen (2003:789) om skydd mot olyckor).",
            "note",
        )

    def municipalities(self, section: Section) -> None:
        rows = selectors.municipalities(self.org)
        s = section.section("Kommunerna i siffror")
        total = sum(r.population or 0 for r in rows)
        body: list[tuple[Cell, ...]] = [
            (r.name, r.code, r.county, r.population, str(r.year or "–")) for r in rows
        ]
        if len(rows) > 1:
            body.append(("Totalt", "", "", total, ""))
        s.add(
            table(
                "Kommunerna och deras folkmängd",
                ("Kommun", "Kommunkod", "Län", "Invånare", "År"),
                body,
                row_header=True,
            )
        )
        sources = sorted({r.source for r in rows if r.source})
        estimated = any(r.estimated for r in rows)
        note = "Källa: " + ("; ".join(sources) if sources else "SCB") + "."
        if estimated:
            note += " Vissa värden är uppskattningar."
        s.text(note, "note")

    def goals(self, section: Section) -> None:
        sg = section.section("Säkerhetsmål")
        if not self.safety:
            sg.text("Programmet har inga säkerhetsmål ännu.", "note")
        else:
            sg.text(
                "Säkerhetsmålen anger den säkerhetsnivå som ska nås, med koppling till de nationella "
                "målen i 1 kap. 1, 3 och 3 a §§ LSO och till riskbilden."
            )
            sg.add(self._goal_table("Säkerhetsmål", self.safety))
            items = [i for i in self.indicators if i.safety_goal_id]
            if items:
                sg.add(common.indicator_table("Indikatorer för säkerhetsmålen", items))
        pg = section.section("Prestationsmål och åtgärder")
        if not self.performance:
            pg.text("Programmet har inga prestationsmål ännu.", "note")
            return
        pg.text("Prestationsmålen anger vad organisationen ska göra för att nå säkerhetsmålen.")
        pg.add(self._goal_table("Prestationsmål", self.performance))
        items = [i for i in self.indicators if i.performance_goal_id]
        if items:
            pg.add(common.indicator_table("Indikatorer för prestationsmålen", items))
        measures = selectors.measures(self.version)
        if measures:
            pg.add(
                table(
                    "Åtgärder",
                    ("Mål", "Åtgärd", "Ansvarig", "Status", "Klar år", "Kostnad (kr)"),
                    [
                        (
                            selectors.goal_label(m.performance_goal),
                            m.text,
                            m.owner or "–",
                            m.get_status_display(),
                            str(m.due_year or "–"),
                            _cost(m.cost_once, m.cost_yearly),
                        )
                        for m in measures
                    ],
                    widths=(1, 5, 2.4, 1.6, 1.2, 2.6),
                )
            )

    def _goal_table(self, caption: str, goals: list[SafetyGoal] | list[PerformanceGoal]) -> Table:
        rows: list[tuple[Cell, ...]] = []
        for g in goals:
            if isinstance(g, SafetyGoal):
                links = ", ".join(n.reference for n in g.national_goals.all()) or "–"
                risks = ", ".join(r.title for r in g.risks.all()) or "–"
                rows.append((g.code or "–", g.text, links, risks, g.owner or "–"))
            else:
                links = ", ".join(selectors.goal_label(s) for s in g.safety_goals.all()) or "–"
                rows.append((g.code or "–", g.text, links, g.owner or "–"))
        if caption == "Säkerhetsmål":
            header: tuple[str, ...] = ("Mål", "Måltext", "Nationellt mål", "Risker", "Ansvarig")
            widths: tuple[float, ...] = (1, 6, 2, 2.6, 2)
        else:
            header, widths = ("Mål", "Måltext", "Säkerhetsmål", "Ansvarig"), (1, 7, 2, 2.4)
        return table(caption, header, rows, widths=widths)

    def risk_picture(self, section: Section) -> None:
        m = selectors.matrix(self.version, self.risks)
        s = section.section("Riskmatris")
        if not self.risks:
            s.text("Programmet har inga risker ännu.", "note")
        else:
            s.text(
                "Riskerna är bedömda efter sannolikhet (rader, högst överst) och konsekvens "
                "(kolumner). Siffrorna i rutorna är riskernas nummer i risklistan; färgen anger låg, "
                "medel eller hög risk."
            )
            header = (
                "Sannolikhet \\ konsekvens",
                *[f"{i} {lab}" for i, lab in enumerate(m.consequence_labels, 1)],
            )
            body, shades = [], []
            for row in m.rows:
                lik = row[0].likelihood
                cells = [", ".join(f"R{n}" for n in c.numbers) for c in row]
                body.append((f"{lik} {m.likelihood_labels[lik - 1]}", *cells))
                shades.append((None, *[c.level for c in row]))
            s.add(
                Table(
                    "Riskmatris: riskernas nummer per sannolikhet och konsekvens",
                    header,
                    tuple(tuple(r) for r in body),
                    row_header=True,
                    widths=(2.4, *[1.0] * len(m.consequence_labels)),
                    shades=tuple(shades),  # type: ignore[arg-type]
                )
            )
            s.add(
                table(
                    "Risklista",
                    ("Nr", "Risk", "Olyckstyp", "Sannolikhet", "Konsekvens", "Nivå", "Säkerhetsmål"),
                    [
                        (
                            f"R{i}",
                            r.title,
                            r.accident_type or "–",
                            r.likelihood,
                            r.consequence,
                            LEVEL_NAMES[_level(m, r.likelihood, r.consequence)],
                            ", ".join(selectors.goal_label(g) for g in r.safety_goals.all()) or "–",
                        )
                        for i, r in enumerate(self.risks, 1)
                    ],
                    widths=(0.8, 4, 3, 1.6, 1.6, 1.2, 2),
                )
            )
        stats = section.section("Händelsestatistik")
        common.incident_statistics(stats, self.org)
        if self.risks:
            per = section.section("Beskrivning per olyckstyp")
            for i, r in enumerate(self.risks, 1):
                one = per.section(f"R{i} {r.title}")
                one.text(r.description or "Ingen beskrivning.")
                vulnerabilities = [v.description for v in r.vulnerabilities.all()]
                if vulnerabilities:
                    one.text("Sårbarheter:")
                    one.add(BulletList(tuple(vulnerabilities)))

    def _caps(self, keep: Callable[[Capability], bool]) -> Filler:
        def fill(section: Section) -> None:
            chosen = [c for c in self.capabilities if keep(c)]
            if not chosen:
                section.text("Ingen förmåga är beskriven för detta avsnitt i lsoplan.", "note")
                return
            section.add(
                table(
                    f"Förmåga: {section.heading}",
                    ("Slag", "Beredskapsläge", "Risk", "Förmåga", "Resurser"),
                    [
                        (
                            c.get_kind_display(),
                            c.get_readiness_display(),
                            c.risk.title if c.risk else "–",
                            c.description,
                            c.resources or "–",
                        )
                        for c in chosen
                    ],
                    widths=(2, 2, 2.4, 4.6, 4),
                )
            )

        return fill

    def resources(self, section: Section) -> None:
        chosen = [c for c in self.capabilities if c.resources.strip()]
        if not chosen:
            section.text("Inga resurser är beskrivna i lsoplan.", "note")
            return
        section.add(
            table(
                "Resurser bakom förmågan, i fredstid och under höjd beredskap",
                ("Slag", "Beredskapsläge", "Förmåga", "Resurser"),
                [
                    (c.get_kind_display(), c.get_readiness_display(), c.description, c.resources)
                    for c in chosen
                ],
                widths=(2, 2, 5, 6),
            )
        )

    def followup_plan(self, section: Section) -> None:
        s = section.section("Plan för uppföljning")
        if self.indicators:
            s.text(
                "Varje indikator följs upp årligen mot sitt utgångsvärde och målvärde. För antal "
                "händelser bedöms förändringen med metoder för Poissonfördelade tal, så att slumpens "
                "variation skiljs från verklig förändring."
            )
            s.add(
                table(
                    "Indikatorer och källor för uppföljningen",
                    ("Mål", "Indikator", "Källa", "Utgångsvärde (period)", "Målvärde (år)"),
                    [
                        (
                            selectors.goal_label(i.safety_goal or i.performance_goal),
                            i.name,
                            i.get_source_display(),
                            common.value_with_year(i.baseline_value, i.baseline_period),
                            common.value_with_year(i.target_value, i.target_year),
                        )
                        for i in self.indicators
                    ],
                    widths=(1, 5, 2.6, 2.4, 2.4),
                )
            )
        else:
            s.text("Programmet har inga indikatorer ännu.", "note")
        e = section.section("Plan för utvärdering")
        e.text(
            f"Programmet utvärderas per mål, årligen och inför nästa programperiod "
            f"({self.version.programme.period_end}), med frågorna:"
        )
        e.add(BulletList(FIVE_QUESTIONS))
        e.text("Lärdomarna blir förbättringsåtgärder med ansvarig, slutdatum och status.")

    # --- assembly -----------------------------------------------------------------------------

    def chapters(self, doc: Document) -> None:
        fillers = self.fillers()
        done: set[str] = set()
        stack: list[Section] = []
        for chapter in Chapter.objects.filter(version=self.version).order_by("order"):
            level = min(chapter.number.count(".") + 1, 3)
            heading = f"{chapter.number} {chapter.title}".strip()
            while stack and stack[-1].level >= level:
                stack.pop()
            section = stack[-1].section(heading) if stack else doc.section(heading)
            stack.append(section)
            if chapter.text.strip():
                section.text(chapter.text)
            if chapter.key in fillers:
                fillers[chapter.key][1](section)
                done.add(chapter.key)
        # Data whose chapter this version lacks still belongs in the programme.
        for key, (heading, fill) in fillers.items():
            if key not in done:
                fill(doc.section(heading))

    def changelog(self, doc: Document) -> None:
        base = self.version.based_on
        if base is None:
            s = doc.section("Ändringar mot tidigare version")
            s.text(
                "Detta är programmets första version i lsoplan; det finns ingen tidigare version "
                "att jämföra med."
            )
            return
        diff = versiondiff.diff_versions(
            selectors.version_records(base), selectors.version_records(self.version)
        )
        s = doc.section(f"Ändringar mot version {base.number}")
        counts = diff.counts()
        if not diff.has_changes:
            s.text(f"Innehållet är oförändrat jämfört med version {base.number}.")
            return
        s.text(
            f"Jämfört med version {base.number} ({common.adoption_text(base).lower()}): "
            f"tillagda delar {counts['added']}, ändrade {counts['changed']}, borttagna {counts['removed']}."
        )
        s.add(
            table(
                f"Ändringar mot version {base.number}",
                ("Del", "Ändring", "Vad som ändrats"),
                versiondiff.changelog_rows(diff),
                widths=(5, 1.6, 7),
            )
        )


def _peacetime(kind: str) -> Callable[[Capability], bool]:
    """Capability of one kind in peacetime; höjd beredskap has a sub-chapter of its own (6.6)."""
    return lambda c: c.kind == kind and c.readiness == "fred"


def _level(m: selectors.Matrix, likelihood: int, consequence: int) -> str:
    for row in m.rows:
        for cell in row:
            if cell.likelihood == likelihood and cell.consequence == consequence:
                return cell.level
    return "lag"


def _cost(once: object, yearly: object) -> str:
    parts = []
    if once is not None:
        parts.append(f"{sv_number(float(once))} engång")  # type: ignore[arg-type]
    if yearly is not None:
        parts.append(f"{sv_number(float(yearly))}/år")  # type: ignore[arg-type]
    return ", ".join(parts) or "–"


def build_programme(version: ProgrammeVersion, today: dt.date | None = None) -> Document:
    today = today or dt.date.today()
    b = _Builder(version, today)
    programme = version.programme
    doc = Document(
        title=programme.title,
        subtitle=f"{version.organisation.name} {programme.period_label}",
        organisation=version.organisation.name,
        facts=common.version_facts(version, today),
        notice=common.notice(version),
        subject=f"Handlingsprogram enligt LSO, version {version.number}",
    )
    b.chapters(doc)
    b.changelog(doc)
    return doc
