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
from lsoplan.reports import capability_section, common, selectors

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
    def __init__(self, version: ProgrammeVersion, today: dt.date, as_of: dt.date | None = None):
        self.version = version
        self.today = today
        self.as_of = as_of  # statistics up to this day (an adopted version: its decision date)
        self.advisories: list[str] = []
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
            "rtj-olyckstyp": (
                "Förmåga per olyckstyp",
                capability_section.after(self._caps(_peacetime("olyckstyp")), self),
            ),
            "rtj-samtidiga": ("Samtidiga insatser", self._caps(_peacetime("samtidiga"))),
            "rtj-omfattande": ("Omfattande insatser", self._caps(_peacetime("omfattande"))),
            "rtj-ledning": ("Ledning", self._caps(_peacetime("ledning"))),
            "rtj-resurser": ("Resurser", self.resources),
            "rtj-hojd-beredskap": ("Höjd beredskap", self._caps(lambda c: c.readiness == "hojd_beredskap")),
            "uppfoljning": ("Plan för uppföljning och utvärdering", self.followup_plan),
        }

    def adoption(self, section: Section) -> None:
        """Consultation and decision, said from the version's own state and nothing else."""
        v = self.version
        s = section.section("Samråd och beslut")
        for text in self.state_texts():
            s.text(text)
        parties = common.consultation_parties(v)
        if v.consultation_from and parties:
            s.add(BulletList(tuple(parties)))
        if v.status == "antagen":
            s.text(
                "Det antagna programmet skickas till länsstyrelsen, Myndigheten för civilt försvar och "
                "samrådsparterna (3 kap. 4 § förordningen (2003:789) om skydd mot olyckor)."
            )

    def state_texts(self) -> list[str]:
        v = self.version
        period = v.programme.period_label
        out = []
        draft = common.draft_notice(v)
        if draft:
            out.append(draft)
        if v.consultation_from is not None:
            ongoing = v.status == "remiss" and (v.consultation_to is None or v.consultation_to >= self.today)
            verb = "är på samråd" if ongoing else "har varit på samråd"
            when = common.consultation_text(v)
            when = when[0].lower() + when[1:] if when.startswith("Från") else when
            parties = " med:" if common.consultation_parties(v) else "."
            out.append(f"Programmet {verb} {when}{parties}")
        elif v.status in ("antagen", "ersatt"):
            self.advisories.append("Samrådet är inte registrerat för den antagna versionen.")
        else:
            out.append("Programmet har ännu inte varit på samråd.")
            self.advisories.append(
                "Programmet ska ha varit på samråd innan det antas (3 kap. 3 och 8 §§ LSO)."
            )
        if v.adopted_on is not None:
            body = (common.DEFINITE_BODY.get(v.adopted_body) or v.get_adopted_body_display()).lower()
            paragraph = f" ({v.adopted_paragraph})" if v.adopted_paragraph else ""
            out.append(
                f"Programmet antogs av {body or 'beslutande organ'} den {sv_date(v.adopted_on)}{paragraph} "
                f"och gäller {period}."
            )
            if v.status == "ersatt":
                out.append("Programmet har ersatts av en senare version.")
        else:
            out.append(f"Programmet är avsett att gälla {period}.")
        return out

    def municipalities(self, section: Section) -> None:
        rows = selectors.municipalities(self.org, as_of=self.as_of)
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
            sg.text("Programmet har inga säkerhetsmål.")
            self.advisories.append("Programmet har inga säkerhetsmål (MSBFS 2021:1).")
        else:
            sg.text(
                "Säkerhetsmålen anger den säkerhetsnivå som ska nås, med koppling till de nationella "
                "målen i 1 kap. 1, 3 och 3 a §§ LSO och till riskbilden."
            )
            sg.add(self._goal_table("Säkerhetsmål", self.safety))
            self._gaps(sg, self.safety, {i.safety_goal_id for i in self.indicators})
            items = [i for i in self.indicators if i.safety_goal_id]
            if items:
                sg.add(common.indicator_table("Indikatorer för säkerhetsmålen", items))
        pg = section.section("Prestationsmål och åtgärder")
        if not self.performance:
            pg.text("Programmet har inga prestationsmål.")
            self.advisories.append("Programmet har inga prestationsmål.")
            return
        pg.text("Prestationsmålen anger vad organisationen ska göra för att nå säkerhetsmålen.")
        pg.add(self._goal_table("Prestationsmål", self.performance))
        self._gaps(pg, self.performance, {i.performance_goal_id for i in self.indicators})
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

    def _gaps(
        self, section: Section, goals: list[SafetyGoal] | list[PerformanceGoal], measured: set[int | None]
    ) -> None:
        """Say which goals lack an owner or an indicator: the council decides with that known."""
        no_owner = [selectors.goal_label(g) for g in goals if not g.owner.strip()]
        no_indicator = [selectors.goal_label(g) for g in goals if g.pk not in measured]
        if no_owner:
            who = _plural(no_owner, "Målet", "Målen")
            section.text(f"{who} {_join(no_owner)} har ingen angiven ansvarig.")
        if no_indicator:
            section.text(
                f"{_plural(no_indicator, 'Målet', 'Målen')} {_join(no_indicator)} har ingen indikator och "
                "följs inte upp med mätvärden."
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
            s.text("Programmet har inga bedömda risker.")
            self.advisories.append("Programmet har inga risker (MSBFS 2021:1, kapitel 4).")
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
            s.text(self._high_risk_sentence(m))
        stats = section.section("Händelsestatistik")
        self.advisories += common.incident_statistics(stats, self.org, as_of=self.as_of)
        if self.risks:
            per = section.section("Beskrivning per olyckstyp")
            for i, r in enumerate(self.risks, 1):
                one = per.section(f"R{i} {r.title}")
                # Already a Heading 3: the description's own headings print as bold lines.
                one.markup(r.description or "Ingen beskrivning.", headings=False)
                vulnerabilities = [v.description for v in r.vulnerabilities.all()]
                if vulnerabilities:
                    one.text("Sårbarheter:")
                    one.add(BulletList(tuple(vulnerabilities)))

    def _high_risk_sentence(self, m: selectors.Matrix) -> str:
        """Whether every high risk has a säkerhetsmål, said only as far as it is true."""
        numbered = enumerate(self.risks, 1)
        high = [(i, r) for i, r in numbered if _level(m, r.likelihood, r.consequence) == "hog"]
        if not high:
            return "Ingen risk är bedömd som hög."
        missing = [f"R{i} {r.title}" for i, r in high if not r.safety_goals.all()]
        if not missing:
            return "Varje risk som är bedömd som hög hanteras av minst ett säkerhetsmål."
        self.advisories.append(f"Höga risker utan säkerhetsmål: {_join(missing)}.")
        return (
            f"{len(high) - len(missing)} av {len(high)} risker som är bedömda som höga hanteras av "
            f"säkerhetsmål. Utan säkerhetsmål: {_join(missing)}."
        )

    def _caps(self, keep: Callable[[Capability], bool]) -> Filler:
        def fill(section: Section) -> None:
            chosen = [c for c in self.capabilities if keep(c)]
            if not chosen:
                self.advisories.append(f"Ingen förmåga är beskriven under '{section.heading}'.")
                return
            section.add(
                table(
                    f"Förmåga: {section.heading}",
                    # MSBFS 2021:1 3 §: actual and expected capability side by side.
                    ("Slag", "Beredskapsläge", "Risk", "Nuvarande förmåga", "Planerad förmåga", "Resurser"),
                    [
                        (
                            c.get_kind_display(),
                            c.get_readiness_display(),
                            c.risk.title if c.risk else "–",
                            c.description,
                            c.planned or "–",
                            c.resources or "–",
                        )
                        for c in chosen
                    ],
                    widths=(1.8, 1.8, 2, 3.4, 3.4, 2.6),
                )
            )

        return fill

    def resources(self, section: Section) -> None:
        chosen = [c for c in self.capabilities if c.resources.strip()]
        if not chosen:
            self.advisories.append(f"Inga resurser är beskrivna under '{section.heading}'.")
            return
        # One row per set of resources (the capability chapters already list each capability):
        # what the resources are and which risks and capabilities they uphold.
        grouped: dict[tuple[str, str], list[str]] = {}
        for c in chosen:
            serves = f"{c.risk.title}: {c.description}" if c.risk else c.description
            grouped.setdefault((c.get_readiness_display(), c.resources.strip()), []).append(serves)
        section.add(
            table(
                "Resurser bakom förmågan, i fredstid och under höjd beredskap",
                ("Beredskapsläge", "Resurser", "Upprätthåller (risk: förmåga)"),
                [(ready, resources, "\n".join(serves)) for (ready, resources), serves in grouped.items()],
                widths=(2, 6, 7),
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
                            common.source_name(i.source),
                            common.value_with_year(i.baseline_value, i.baseline_period),
                            common.value_with_year(i.target_value, i.target_year),
                        )
                        for i in self.indicators
                    ],
                    widths=(1, 5, 2.6, 2.4, 2.4),
                )
            )
        else:
            s.text("Programmet har inga indikatorer.")
            self.advisories.append("Programmet har inga indikatorer att följa upp.")
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
                section.markup(chapter.text)  # the planner's formatting (lib.markup)
            elif chapter.hint:
                # What an empty chapter should describe goes to the planner, not into the document.
                self.advisories.append(f"Kapitel {heading} saknar text. {chapter.hint}")
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
            s.text("Detta är programmets första version; det finns ingen tidigare version att jämföra med.")
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


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]


def _plural(items: list[str], one: str, many: str) -> str:
    return one if len(items) == 1 else many


def _cost(once: object, yearly: object) -> str:
    parts = []
    if once is not None:
        parts.append(f"{sv_number(float(once))} engång")  # type: ignore[arg-type]
    if yearly is not None:
        parts.append(f"{sv_number(float(yearly))}/år")  # type: ignore[arg-type]
    return ", ".join(parts) or "–"


def build_programme(
    version: ProgrammeVersion, today: dt.date | None = None, *, as_of: dt.date | None = None
) -> Document:
    """The programme document; ``as_of`` cuts the statistics at a day (an adoption's decision date)."""
    today = today or dt.date.today()
    b = _Builder(version, today, as_of)
    programme = version.programme
    doc = Document(
        title=programme.title,
        subtitle=f"{version.organisation.name} {programme.period_label}",
        organisation=version.organisation.name,
        facts=common.version_facts(version, today, as_of),
        notice=common.notice(version),
        marking=common.marking(version),
        subject=f"Handlingsprogram enligt LSO, version {version.number}",
    )
    b.chapters(doc)
    b.changelog(doc)
    doc.advisories = b.advisories
    return doc
