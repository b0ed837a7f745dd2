"""The check functions for the legal rules: LSO, FSO, MSBFS 2021:1 and adoption (named by ``check``
in the rules file). The goal-chain, SMART and data-freshness checks are in ``compliance_quality``.

Each function reads ``ProgrammeFacts`` and returns outcomes: one per object that falls short, so that
every finding can link to the one place where it is fixed, or a single outcome when all is well.
Messages are Swedish and say what to do, not only what is wrong.
"""

from __future__ import annotations

import re

from lsoplan.lib.compliance import (
    ChapterFact,
    Check,
    Outcome,
    ProgrammeFacts,
    RiskFact,
    Target,
    join_sv,
    one,
    short,
    some,
    version_target,
)
from lsoplan.lib.compliance_quality import (
    goal_chain,
    goal_measures,
    incident_freshness,
    indicator_freshness,
    indicator_plausibility,
    smart_goals,
)
from lsoplan.lib.swedish import long_date as sv_date

# National goals (reference/data/national_goals.yaml) that tell which programme a goal serves.
OVERALL_GOAL = "lso-1-1"
RESCUE_GOAL = "lso-1-3"
PREVENTION_GOAL = "lso-1-3a"
RESCUE_KINDS = ("olyckstyp", "samtidiga", "omfattande", "ledning")
KIND_PHRASES = {
    "olyckstyp": "räddningsinsatser per olyckstyp",
    "samtidiga": "flera samtidiga räddningsinsatser",
    "omfattande": "omfattande räddningsinsatser",
    "ledning": "ledning i räddningstjänsten",
    "forebyggande": "förebyggande verksamhet",
}
READINESS_PHRASES = {"fred": "fredstid", "hojd_beredskap": "höjd beredskap"}
BODY_PHRASES = {"kommunfullmaktige": "kommunfullmäktige", "forbundsdirektion": "förbundsdirektionen"}
# Word stems that show a chapter describes cooperation (FSO 3 kap. 3 §) or ports.
COOPERATION_WORDS = re.compile(r"\b(samverk|samarbet|avtal)", re.IGNORECASE)
PORT_WORDS = re.compile(r"hamn", re.IGNORECASE)


def _chapter(facts: ProgrammeFacts, key: str) -> ChapterFact | None:
    return next((c for c in facts.chapters if c.key == key), None)


def _chapter_target(chapter: ChapterFact) -> Target:
    return Target("chapter", chapter.id, f"Kapitel {chapter.number} {chapter.title}")


def _chapters_mentioning(facts: ProgrammeFacts, pattern: re.Pattern[str]) -> list[ChapterFact]:
    return [c for c in facts.chapters if pattern.search(c.text) or pattern.search(c.title)]


# --- LSO 3 kap. 3 och 8 §§: goals -----------------------------------------------------------


def _goals_for(facts: ProgrammeFacts, key: str, what: str, reference: str) -> list[Outcome]:
    goals_target = version_target(facts, "goals", "Målkedjan")
    if not facts.safety_goals:
        return one(
            "brist",
            f"Programmet har inga säkerhetsmål. Formulera mål för {what} och koppla dem till "
            f"det nationella målet i {reference}.",
            goals_target,
        )
    linked = [g.label for g in facts.safety_goals if key in g.national_goals]
    if linked:
        return one("ok", f"Mål för {what}: {some(linked)} (kopplade till {reference}).")
    overall = [g.label for g in facts.safety_goals if OVERALL_GOAL in g.national_goals]
    if overall:
        return one(
            "okant",
            f"Inget säkerhetsmål är kopplat till {reference}; {some(overall)} är kopplade bara till "
            f"det övergripande målet i LSO 1 kap. 1 §. Koppla de mål som gäller {what} till {reference}.",
            goals_target,
        )
    return one(
        "brist",
        f"Inget säkerhetsmål är kopplat till det nationella målet för {what} ({reference}). "
        "Formulera ett sådant mål eller koppla ett befintligt.",
        goals_target,
    )


def prevention_goals(facts: ProgrammeFacts) -> list[Outcome]:
    return _goals_for(facts, PREVENTION_GOAL, "förebyggande verksamhet", "LSO 1 kap. 3 a §")


def rescue_goals(facts: ProgrammeFacts) -> list[Outcome]:
    return _goals_for(facts, RESCUE_GOAL, "räddningstjänst", "LSO 1 kap. 3 §")


def prevention_organisation(facts: ProgrammeFacts) -> list[Outcome]:
    chapter = _chapter(facts, "forebyggande")
    if chapter is None:
        return one(
            "brist",
            "Kapitlet om förebyggande verksamhet saknas, så programmet beskriver inte hur "
            "verksamheten är ordnad och planeras.",
            version_target(facts, "chapters", "Programmets kapitel"),
        )
    if not chapter.text.strip():
        return one(
            "brist",
            f"Kapitel {chapter.number} {chapter.title} saknar text. Beskriv hur den förebyggande "
            "verksamheten är ordnad och hur den planeras.",
            _chapter_target(chapter),
        )
    return one("ok", f"Kapitel {chapter.number} {chapter.title} beskriver verksamheten.")


def risks_stated(facts: ProgrammeFacts) -> list[Outcome]:
    if not facts.risks:
        return one(
            "brist",
            "Inga risker är registrerade. Ange de risker för olyckor som finns i kommunen och som kan "
            "leda till räddningsinsatser.",
            version_target(facts, "conditions", "Förutsättningar"),
        )
    types = {r.accident_type for r in facts.risks}
    return one("ok", f"{len(facts.risks)} risker inom {len(types)} olyckstyper är registrerade.")


# --- LSO 3 kap. 8 §: capability and resources -----------------------------------------------


def capability_per_type(facts: ProgrammeFacts) -> list[Outcome]:
    if not facts.risks:
        return one(
            "okant",
            "Inga risker är registrerade, så det går inte att se vilka olyckstyper förmågan ska täcka.",
            version_target(facts, "conditions", "Förutsättningar"),
        )
    by_type: dict[str, list[RiskFact]] = {}
    for risk in facts.risks:
        by_type.setdefault(risk.accident_type, []).append(risk)
    risk_type = {r.id: r.accident_type for r in facts.risks}
    # Any readiness counts: a type such as an armed attack only exists under höjd beredskap, and
    # peacetime as a whole is checked by the rules on simultaneous, extensive and command capability.
    covered = {
        risk_type[c.risk_id] for c in facts.capabilities if c.kind == "olyckstyp" and c.risk_id in risk_type
    }
    outcomes = [
        Outcome(
            "brist",
            f"Ingen förmåga är registrerad för olyckstypen {kind} "
            f"(risk: {some([r.title for r in risks])}). Lägg till en förmåga per olyckstyp och koppla "
            "den till risken.",
            version_target(facts, "capability_create", "Ny förmåga"),
        )
        for kind, risks in by_type.items()
        if kind not in covered
    ]
    return outcomes or [
        Outcome("ok", f"Alla {len(by_type)} olyckstyper bland riskerna har en registrerad förmåga.")
    ]


def _has_kind(facts: ProgrammeFacts, kind: str) -> list[Outcome]:
    found = [c for c in facts.capabilities if c.kind == kind and c.readiness == "fred"]
    if found:
        return one("ok", f"Förmåga till {KIND_PHRASES[kind]}: {short(found[0].description)}")
    return one(
        "brist",
        f"Ingen förmåga till {KIND_PHRASES[kind]} i fredstid är registrerad.",
        version_target(facts, "capability_create", "Ny förmåga"),
    )


def capability_simultaneous(facts: ProgrammeFacts) -> list[Outcome]:
    return _has_kind(facts, "samtidiga")


def capability_extensive(facts: ProgrammeFacts) -> list[Outcome]:
    return _has_kind(facts, "omfattande")


def capability_command(facts: ProgrammeFacts) -> list[Outcome]:
    return _has_kind(facts, "ledning")


def capability_resources(facts: ProgrammeFacts) -> list[Outcome]:
    rescue = [c for c in facts.capabilities if c.kind in RESCUE_KINDS]
    if not rescue:
        return one(
            "brist",
            "Ingen förmåga för räddningstjänst är registrerad, och därmed inga resurser.",
            version_target(facts, "capability_create", "Ny förmåga"),
        )
    outcomes = []
    for c in rescue:
        if c.resources.strip():
            continue
        target = (
            Target("risk", c.risk_id, "Risken förmågan hör till")
            if c.risk_id is not None
            else version_target(facts, "capabilities", "Förmåga och resurser")
        )
        what = f"{KIND_PHRASES[c.kind]}, {READINESS_PHRASES[c.readiness]}"
        message = f"Förmågan ”{short(c.description, 80)}” ({what}) saknar uppgift om resurser."
        outcomes.append(Outcome("brist", message, target))
    return outcomes or [Outcome("ok", f"Alla {len(rescue)} förmågor anger sina resurser.")]


def capability_heightened(facts: ProgrammeFacts) -> list[Outcome]:
    found = [c for c in facts.capabilities if c.kind in RESCUE_KINDS and c.readiness == "hojd_beredskap"]
    if found:
        kinds = [KIND_PHRASES[k] for k in RESCUE_KINDS if any(c.kind == k for c in found)]
        return one("ok", f"Förmåga under höjd beredskap är registrerad för {join_sv(kinds)}.")
    return one(
        "brist",
        "Ingen förmåga under höjd beredskap är registrerad. Förmågan ska redovisas både i fred och "
        "under höjd beredskap.",
        version_target(facts, "capability_create", "Ny förmåga"),
    )


def capability_heightened_parts(facts: ProgrammeFacts) -> list[Outcome]:
    kinds = {c.kind for c in facts.capabilities if c.readiness == "hojd_beredskap"}
    if not kinds & set(RESCUE_KINDS):
        return one(
            "ej_tillämplig",
            "Ingen förmåga under höjd beredskap är registrerad; se regeln om förmåga under höjd beredskap.",
        )
    missing = [KIND_PHRASES[k] for k in RESCUE_KINDS if k not in kinds]
    if missing:
        return one(
            "brist",
            f"Under höjd beredskap saknas förmåga till {join_sv(missing)}.",
            version_target(facts, "capability_create", "Ny förmåga"),
        )
    return one("ok", "Alla fyra delar av förmågan är redovisade även under höjd beredskap.")


# --- FSO 3 kap. 3 §: cooperation and ports --------------------------------------------------


def cooperation(facts: ProgrammeFacts) -> list[Outcome]:
    found = _chapters_mentioning(facts, COOPERATION_WORDS)
    if found:
        numbers = [c.number for c in found]
        return one("ok", f"Samverkan beskrivs i kapitel {some(numbers, 8)}.")
    return one(
        "brist",
        "Ingen kapiteltext nämner samverkan, samarbete eller avtal. Beskriv samverkan med andra "
        "kommuner, statliga myndigheter och enskilda.",
        version_target(facts, "chapters", "Programmets kapitel"),
    )


def ports(facts: ProgrammeFacts) -> list[Outcome]:
    if facts.ports_relevant is None:
        return one(
            "okant",
            "Det är inte angivet om det finns hamnar som programmet ska redovisa. Svara på frågan om hamnar.",
            version_target(facts, "ports", "Frågan om hamnar"),
        )
    if not facts.ports_relevant:
        return one("ej_tillämplig", "Enligt organisationens svar finns inga hamnar att redovisa.")
    found = _chapters_mentioning(facts, PORT_WORDS)
    if found:
        return one("ok", f"Hamnar nämns i kapitel {some([c.number for c in found], 8)}.")
    chapter = _chapter(facts, "raddningstjanst")
    return one(
        "brist",
        "Det finns hamnar, men ingen kapiteltext nämner dem. Ange hamnarna och deras gränser i vatten.",
        _chapter_target(chapter) if chapter else version_target(facts, "chapters", "Programmets kapitel"),
    )


# --- consultation, adoption, distribution ---------------------------------------------------


def consultation(facts: ProgrammeFacts) -> list[Outcome]:
    v = facts.version
    if v.consultation_parties and v.consultation_from is not None:
        until = f"–{sv_date(v.consultation_to)}" if v.consultation_to else ""
        return one(
            "ok",
            f"Samråd med {len(v.consultation_parties)} parter, "
            f"remisstid {sv_date(v.consultation_from)}{until}.",
        )
    where = (
        version_target(facts, "consultation", "Skicka på remiss")
        if v.status == "utkast"
        else version_target(facts, "version", "Versionens översikt")
    )
    if v.based_on is not None:
        return one(
            "okant",
            f"Version {v.number} ändrar version {v.based_on} och inget samråd är registrerat. Samråd "
            "krävs om förändringarna är betydande; registrera samrådet i så fall.",
            where,
        )
    if v.is_adopted:
        return one("brist", "Versionen är antagen utan registrerat samråd.", where)
    return one(
        "brist",
        "Inget samråd är registrerat. Programmet ska ut på samråd med berörda myndigheter innan det antas.",
        where,
    )


def adoption_validity(facts: ProgrammeFacts) -> list[Outcome]:
    v, year = facts.version, facts.today.year
    period = f"{v.period_start}–{v.period_end}"
    here = version_target(facts, "version", "Versionens översikt")
    if v.status == "ersatt":
        return one("ej_tillämplig", "Versionen är ersatt av en senare antagen version.")
    if v.status == "antagen" and v.adopted_on is None:
        return one("brist", "Versionen är markerad som antagen men saknar beslutsdatum.", here)
    if year > v.period_end:
        return one(
            "brist",
            f"Programperioden {period} har löpt ut. Ett nytt handlingsprogram behöver antas.",
            here,
        )
    if v.status == "antagen":
        assert v.adopted_on is not None
        body = BODY_PHRASES.get(v.adopted_body, v.adopted_body or "beslutande organ")
        decision = f"Antagen {sv_date(v.adopted_on)} av {body} {v.adopted_paragraph}".rstrip()
        if year < v.period_start:
            return one("ok", f"{decision}; programperioden börjar {v.period_start}.")
        return one("ok", f"{decision}; gäller {period}.")
    if year < v.period_start:
        return one(
            "ej_tillämplig",
            f"Versionen är inte antagen, och programperioden börjar först {v.period_start}.",
        )
    if v.other_adopted is not None:
        return one(
            "ok",
            f"Version {v.other_adopted} är antagen och gäller {period}; den här versionen ersätter den "
            "när den antas.",
        )
    return one(
        "brist",
        f"Programperioden {period} har börjat, men ingen version av programmet är antagen.",
        here,
    )


def distribution(facts: ProgrammeFacts) -> list[Outcome]:
    v = facts.version
    if not v.is_adopted:
        return one(
            "ej_tillämplig",
            f"Versionen är inte antagen. När den är antagen ska den skickas till länsstyrelsen, "
            f"{facts.authority_name} och samrådsparterna.",
        )
    sent = {d.recipient: d for d in facts.distributions}
    missing = []
    if "lansstyrelsen" not in sent:
        missing.append("länsstyrelsen")
    if "mcf" not in sent:
        missing.append(facts.authority_name)
    if v.consultation_parties and "samradsparter" not in sent:
        missing.append(f"samrådsparterna ({len(v.consultation_parties)})")
    if missing:
        return one(
            "brist",
            f"Inget utskick är registrerat till {join_sv(missing)}. Registrera utskicket när det är gjort.",
            version_target(facts, "distribution", "Utskick"),
        )
    dates = sorted({d.sent_on for d in facts.distributions})
    return one("ok", f"Skickat till länsstyrelsen, {facts.authority_name} m.fl. ({sv_date(dates[0])}).")


# --- MSBFS 2021:1: structure ----------------------------------------------------------------


def chapter_structure(facts: ProgrammeFacts) -> list[Outcome]:
    expected = [r.key for r in facts.skeleton]
    refs = {r.key: r for r in facts.skeleton}
    present = {c.key: c for c in facts.chapters}
    chapters_target = version_target(facts, "chapters", "Programmets kapitel")
    outcomes = [
        Outcome("brist", f"Kapitel {r.number} {r.title} saknas.", chapters_target)
        for r in facts.skeleton
        if r.key not in present
    ]
    order = [c.key for c in facts.chapters if c.key in refs]
    if order != [k for k in expected if k in present]:
        outcomes.append(
            Outcome("brist", "Kapitlen står inte i den ordning som bilaga 1 anger.", chapters_target)
        )
    for c in facts.chapters:
        ref = refs.get(c.key)
        if ref is not None and c.title.strip() != ref.title:
            outcomes.append(
                Outcome(
                    "brist",
                    f"Kapitel {c.number} heter ”{c.title}” men ska enligt bilaga 1 heta ”{ref.title}”.",
                    _chapter_target(c),
                )
            )
    return outcomes or [Outcome("ok", f"Alla {len(expected)} föreskrivna kapitel finns, i rätt ordning.")]


def _parent_number(number: str) -> str:
    return number.rsplit(".", 1)[0] if "." in number else ""


def closed_subchapters(facts: ProgrammeFacts) -> list[Outcome]:
    refs = {r.key: r for r in facts.skeleton}
    with_children = {r.parent for r in facts.skeleton if r.parent}
    key_by_number = {c.number: c.key for c in facts.chapters if c.key in refs}
    extra = [c for c in facts.chapters if not c.prescribed or c.key not in refs]
    outcomes = []
    for c in extra:
        parent = refs.get(key_by_number.get(_parent_number(c.number), ""))
        if parent is not None and parent.closed and parent.key in with_children:
            outcomes.append(
                Outcome(
                    "brist",
                    f"Kapitel {c.number} {c.title} är ett eget underkapitel i "
                    f"{parent.number} {parent.title}, där bara de föreskrivna "
                    "underkapitlen får finnas. Flytta texten till ett av dem.",
                    _chapter_target(c),
                )
            )
    if outcomes:
        return outcomes
    if not extra:
        return one("ok", "Programmet har inga egna kapitel utöver bilaga 1.")
    numbers = some([c.number for c in extra])
    return one("ok", f"De egna kapitlen ({numbers}) ligger där egna kapitel är tillåtna.")


def chapter_texts(facts: ProgrammeFacts) -> list[Outcome]:
    prescribed = [c for c in facts.chapters if c.prescribed]
    if not prescribed:
        return one("ej_tillämplig", "Programmet har inga föreskrivna kapitel; se regeln om kapitlen.")
    empty = [c for c in prescribed if not c.text.strip()]
    outcomes = [
        Outcome("brist", f"Kapitel {c.number} {c.title} saknar text.", _chapter_target(c)) for c in empty
    ]
    return outcomes or [Outcome("ok", f"Alla {len(prescribed)} föreskrivna kapitel har text.")]


# Every function a rule in the rules file may name in ``check``.
CHECKS: dict[str, Check] = {
    f.__name__: f
    for f in (
        prevention_goals,
        prevention_organisation,
        rescue_goals,
        risks_stated,
        capability_per_type,
        capability_simultaneous,
        capability_extensive,
        capability_command,
        capability_resources,
        capability_heightened,
        capability_heightened_parts,
        cooperation,
        ports,
        consultation,
        adoption_validity,
        distribution,
        chapter_structure,
        closed_subchapters,
        chapter_texts,
        goal_chain,
        goal_measures,
        smart_goals,
        indicator_freshness,
        indicator_plausibility,
        incident_freshness,
    )
}
