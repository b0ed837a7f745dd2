"""The demo programme's content: Swedish texts, risks, capabilities and the goal chain.

Kept apart from ``lsoplan.demo`` (which only loads it) so that the texts can be proofread without
reading code. The organisation is invented; municipality names, codes and population are real.
Goal texts may hold ``{base}`` and ``{target}``: the loader fills them with the baseline and target
computed from the generated measurements, so that text and indicator always agree. Chapter texts may
hold ``{pop_<kommunkod>}`` and ``{pop_total}`` (SCB, 1 november 2024).

Some goals are weak on purpose (marked ``# SVAGT:``), so that the SMART check and the goal-chain
view have something to show. Do not "fix" them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ORG_SLUG = "demo"
ORG_NAME = "Räddningstjänsten Mälardalen (demo)"
ORG_CODES = ("0484", "0486", "0482")  # Eskilstuna, Strängnäs, Flen
NEIGHBOUR_SLUG = "grannkommun"
NEIGHBOUR_NAME = "Katrineholms kommun (demo)"
NEIGHBOUR_CODES = ("0483",)  # Katrineholm borders Flen
PROGRAMME_TITLE = "Handlingsprogram för skydd mot olyckor"
PERIOD = (2023, 2026)

CONSULTATION_PARTIES = """Länsstyrelsen i Södermanlands län
Polismyndigheten, region Öst
SOS Alarm Sverige AB
Region Sörmland (ambulanssjukvård och krisberedskap)
Trafikverket, region Öst
Räddningstjänsten i Katrineholms kommun
Sörmlandskustens räddningstjänst
Södertörns brandförsvarsförbund
Mälardalens brand- och räddningsförbund
Medlemskommunernas kommunstyrelser: Eskilstuna, Strängnäs och Flen"""


@dataclass(frozen=True)
class RiskDef:
    key: str
    title: str
    event_type: int | None  # MCF konvHandelsetypId, or None with a custom type
    custom_type: str
    likelihood: int
    consequence: int
    description: str
    vulnerabilities: tuple[str, ...] = ()


@dataclass(frozen=True)
class CapabilityDef:
    risk: str | None
    kind: str
    readiness: str
    description: str
    resources: str


@dataclass(frozen=True)
class IndicatorDef:
    series: str  # key into lsoplan.demo.RATES
    name: str
    unit: str
    direction: str
    normalisation: str = "none"
    is_count: bool = False
    baseline: tuple[int, int] | None = None  # the period whose mean is the baseline value
    target: float | None = None  # absolute target …
    target_change: float | None = None  # … or relative to the baseline (-0.2 = 20 % lower)
    target_year: int | None = None
    decimals: int = 1


@dataclass(frozen=True)
class MeasureDef:
    text: str
    owner: str
    status: str
    due_year: int | None
    cost_once: int | None = None
    cost_yearly: int | None = None


@dataclass(frozen=True)
class GoalDef:
    code: str
    text: str
    owner: str
    national_goals: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    safety_goals: tuple[str, ...] = ()  # for prestationsmål
    indicators: tuple[IndicatorDef, ...] = ()
    measures: tuple[MeasureDef, ...] = field(default_factory=tuple)


CHAPTERS: dict[str, str] = {
    "inledning": """\
Räddningstjänsten Mälardalen är ett kommunalförbund som sköter räddningstjänst och förebyggande \
verksamhet enligt lagen (2003:778) om skydd mot olyckor (LSO) för Eskilstuna, Strängnäs och Flens \
kommuner. Detta dokument är både programmet för förebyggande verksamhet (3 kap. 3 § LSO) och \
programmet för räddningstjänst (3 kap. 8 § LSO). Det följer strukturen i MSBFS 2021:1 och gäller \
2023–2026.

Observera: detta är ett demonstrationsprogram. Förbundet, riskbedömningarna, resurserna \
och alla mätvärden är påhittade men rimliga. Kommunernas namn, koder och folkmängd är verkliga.""",
    "kommunen": """\
Förbundet omfattar tre kommuner i Södermanlands län med sammanlagt {pop_total} invånare: \
Eskilstuna ({pop_0484}), Strängnäs ({pop_0486}) och Flen ({pop_0482}) enligt SCB den 1 november \
2024. Eskilstuna är länets största kommun, med en tät centralort, industri och logistik. Strängnäs \
ligger vid Mälaren med tätorterna Strängnäs, Mariefred och Åkers styckebruk och har en växande \
befolkning. Flen är en landsbygdskommun med tätorterna Flen, Malmköping och Hälleforsnäs, många \
sjöar och stora skogsområden.

Genom förbundet går E20, riksvägarna 53 och 55, Svealandsbanan och Västra stambanan. Eskilstunaån \
förbinder Hjälmaren med Mälaren, som är dricksvattentäkt för stora delar av Mälardalen. Det finns \
inga hamnar för allmän sjöfart av betydelse för räddningstjänsten; gästhamnar och småbåtshamnar \
finns i bland annat Strängnäs och Mariefred.""",
    "styrning": """\
Förbundsdirektionen, med ledamöter från de tre medlemskommunerna, är ansvarig nämnd för \
verksamheten enligt LSO och antar handlingsprogrammet. Förbundsdirektören ansvarar för att \
verksamhetsplanen bryter ned programmets mål i åtgärder med ansvarig och tidplan. \
Medlemskommunerna ansvarar för skydd mot olyckor i sina egna verksamheter och för det bredare \
säkerhetsarbetet, till exempel mot fallolyckor och för trafiksäkerhet.

Målen är ordnade i en kedja: de nationella målen i 1 kap. 1, 3 och 3 a §§ LSO, förbundets \
säkerhetsmål (den säkerhetsnivå som ska nås) och prestationsmål (vad förbundet ska göra), med \
åtgärder under varje prestationsmål. Varje mål har en ansvarig och, där det går, en indikator med \
utgångsvärde och målvärde.

Förbundet samverkar med grannorganisationerna om gränslös räddningstjänst, med SOS Alarm om \
larmbehandling, med Region Sörmland om IVPA och med Polismyndigheten, Trafikverket och \
Länsstyrelsen i Södermanlands län om förebyggande arbete och krisberedskap.""",
    "risker": """\
Riskbilden bygger på förbundets händelsestatistik 2016–2021 (MSB:s statistikdatabas), \
medlemskommunernas risk- och sårbarhetsanalyser och förbundets tillsynsregister. Varje risk \
bedöms på en femgradig skala för sannolikhet och en femgradig skala för konsekvens.

Flest räddningsinsatser gäller automatlarm utan brandtillbud, trafikolyckor och bränder i \
byggnad. Flest omkomna och svårt skadade följer av bränder i bostad, trafikolyckor och \
drunkning. En risk som bedöms som hög ska hanteras av minst ett säkerhetsmål; riskerna beskrivs \
var för sig i riskregistret.""",
    "forebyggande": """\
Det förebyggande arbetet utgår från riskbilden och prioriterar bostadsbränder, där flest \
omkommer. Förbundet gör tillsyn enligt 2 kap. 2 och 4 §§ LSO, ger råd om systematiskt \
brandskyddsarbete, utbildar allmänhet och kommunanställda och gör hembesök, riktade till \
områden och grupper med många bostadsbränder, i samverkan med medlemskommunernas hemtjänst.

Rengöring (sotning) och brandskyddskontroll utförs av entreprenörer på förbundets uppdrag; \
förbundet följer upp att fristerna hålls. Förbundet deltar i kommunernas plan- och byggprocess \
med yttranden om brandskydd och tillgänglighet för räddningstjänsten.""",
    "raddningstjanst": """\
Räddningstjänsten är organiserad med heltidsstyrkor i Eskilstuna och Strängnäs och deltidsstyrkor \
(räddningstjänstpersonal i beredskap, RIB) i Torshälla, Mariefred, Flen, Malmköping och \
Hälleforsnäs. Insatsförmågan beskrivs nedan per olyckstyp, för samtidiga och omfattande insatser, \
för ledning och under höjd beredskap, tillsammans med de resurser som bär förmågan.""",
    "rtj-olyckstyp": """\
Förbundet kan på egen hand genomföra räddningsinsatser vid de olyckstyper som riskbilden pekar ut: \
brand i byggnad med livräddning och rökdykning, trafikolyckor med losstagning, bränder i skog och \
mark, utsläpp av farligt ämne med kemdykning och första sanering samt drunkning med \
ytlivräddning. För räddningsdykning och större kemikalieolyckor förstärker grannorganisationerna \
enligt avtal.""",
    "rtj-samtidiga": """\
Förbundet kan hantera tre samtidiga insatser med egna styrkor och en fjärde med stöd av gränslös \
räddningstjänst. Vid hög belastning flyttar ledningscentralen resurser mellan stationerna så att \
beredskapen i tätorterna upprätthålls.""",
    "rtj-omfattande": """\
Vid omfattande insatser kan förbundet hålla en insats i gång i minst ett dygn genom avlösning med \
RIB-styrkor och förstärkning enligt avtal med grannorganisationerna. Statliga förstärkningsresurser, \
till exempel för skogsbrand, begärs via Myndigheten för civilt försvar (tidigare MSB).""",
    "rtj-ledning": """\
Ledningen bedrivs dygnet runt. Systemledningen utövas av räddningschef i beredskap (RCB) och \
inre befäl i den gemensamma ledningscentralen; insatsledare och styrkeledare leder på \
skadeplatsen. Ledningssystemet är samordnat med grannorganisationerna så att gemensamma insatser \
kan ledas utan glapp.""",
    "rtj-resurser": """\
Heltidsstyrkan i Eskilstuna har en styrkeledare och fem brandmän dygnet runt, höjdfordon och \
kemenhet. Strängnäs har en styrkeledare och fyra brandmän dygnet runt. RIB-styrkorna har en \
styrkeledare och tre eller fyra brandmän med sex minuters anspänningstid. Till detta kommer \
tankbilar, terrängfordon, skogsbrandsvagnar och räddningsbåtar.""",
    "rtj-hojd-beredskap": """\
Under höjd beredskap ska räddningstjänsten fortsätta sitt fredstida uppdrag och dessutom kunna \
utföra de uppgifter som 8 kap. LSO anger, bland annat indikering, sanering, röjning av farliga \
områden och befolkningsskydd. Förbundet har en krigsorganisation med krigsplacerad personal, en \
reservledningsplats och planer för samverkan med Försvarsmakten och länsstyrelsen.""",
    "larm-varning": """\
Den som behöver hjälp ringer 112. SOS Alarm tar emot samtalet och larmar ut förbundets styrkor \
enligt förbundets larmplan; förbundets ledningscentral följer insatsen och kan begära förstärkning. \
Larmplanen ses över varje år tillsammans med SOS Alarm, och stationerna kan larmas via reservväg \
om ordinarie förbindelse faller bort.

Vid allvarliga olyckor, till exempel en brand med giftig rök i Eskilstuna, Strängnäs eller Flen, \
begär räddningsledaren att ett viktigt meddelande till allmänheten (VMA) sänds i radio och TV och \
via mobilnätet. I tätorter med utomhusvarning ("Hesa Fredrik") kan signalen ljuda. Förbundet och \
medlemskommunerna informerar därefter på sina webbplatser och i sociala medier, och vid behov på \
informationsmöten på plats.""",
    "uppfoljning": """\
Målen följs upp varje år i förbundets årsredovisning: varje indikator jämförs med sitt \
utgångsvärde och målvärde, och avvikelser förklaras. Statistiken för föregående år är preliminär \
till dess att MCF:s statistikdatabas har låsts; värdena rättas då i efterhand.

Programmet utvärderas under 2026 inför nästa mandatperiod: har målen nåtts, varför eller varför \
inte, vilka sidoeffekter har arbetet haft, och vad vill invånarna? Lärdomarna blir \
förbättringsåtgärder med ansvarig och slutdatum.""",
}

# Edits made in version 2 (the draft after adoption), so that version history has something to show.
CHAPTER_EDITS_V2: dict[str, str] = {
    "uppfoljning": CHAPTERS["uppfoljning"]
    # Version 2's addition uses the chapter formatting (a sub-heading, a list, bold, a link).
    + """

### Ändringar i version 2

Uppföljningen för 2025 visar att:

- bostadsbränderna minskar, men **inte i den takt målet kräver**;
- målet om att halvera trafikolyckorna inte går att nå med förbundets egna åtgärder.

Version 2 tar också in batteribränder som en ny risk. Statistiken kommer från \
[MCF:s statistikdatabas](https://www.mcf.se/).""",
}
GOAL_EDITS_V2: dict[str, str] = {
    "S2": "Antalet omkomna i bränder ska minska med 30 % till 2026 jämfört med medelvärdet för 2016–2019.",
}
MEASURE_DONE_V2 = "Införa digitalt tillsynsstöd med mobila protokoll"

RISKS: tuple[RiskDef, ...] = (
    RiskDef(
        "bostad",
        "Brand i bostad",
        1,
        "",
        5,
        4,
        "Den vanligaste allvarliga olyckan i förbundet och den som orsakar flest dödsfall i brand. "
        "Bränderna börjar oftast i kök, av levande ljus eller i elektrisk utrustning.",
        (
            "Äldre ensamboende med nedsatt förmåga att upptäcka brand och ta sig ut.",
            "Flerbostadshus från 1960- och 1970-talen med brister i brandcellsgränser.",
            "Hushåll utan fungerande brandvarnare.",
        ),
    ),
    RiskDef(
        "trafik",
        "Trafikolycka på E20 och riksvägarna 53 och 55",
        2,
        "",
        5,
        3,
        "Trafikolyckor är den vanligaste olyckstypen med räddningsinsats. Allvarligast är olyckorna "
        "på E20 och på de mötesfria vägarna med höga hastigheter.",
        (
            "Långa insatstider på landsbygden i Flens kommun.",
            "Tung trafik och farligt gods på E20.",
        ),
    ),
    RiskDef(
        "skog",
        "Brand i skog och mark",
        3,
        "",
        4,
        3,
        "Stora skogsområden i Flen och södra Eskilstuna. Torra somrar, som 2018, ger fler och större "
        "bränder och hög belastning under lång tid.",
        (
            "Dålig framkomlighet och brist på vatten i skogsterräng.",
            "Samtidiga bränder kräver uthållighet som förbundet inte har på egen hand.",
        ),
    ),
    RiskDef(
        "farligt-gods",
        "Utsläpp av farligt ämne vid transport av farligt gods",
        4,
        "",
        3,
        4,
        "Farligt gods transporteras på E20, riksväg 55, Svealandsbanan och Västra stambanan, delvis "
        "genom centrala Eskilstuna och Strängnäs och nära Mälaren.",
        (
            "Utsläpp kan nå Mälaren, som är dricksvattentäkt.",
            "Många människor bor och arbetar nära transportlederna.",
        ),
    ),
    RiskDef(
        "drunkning",
        "Drunkning och drunkningstillbud",
        5,
        "",
        3,
        4,
        "Mälaren, Hjälmaren och de många sjöarna i Flens kommun används för bad, båtliv och "
        "skridskoåkning. Drunkning drabbar oftast män och sker ofta vid båtliv.",
        (
            "Badplatser utan livräddningsutrustning.",
            "Svag is på de större sjöarna under milda vintrar.",
        ),
    ),
    RiskDef(
        "oversvamning",
        "Översvämning av vattendrag",
        11,
        "",
        2,
        3,
        "Höga flöden i Eskilstunaån och höga vattennivåer i Mälaren kan översvämma bebyggelse och "
        "vägar i Eskilstuna och Strängnäs.",
        ("Bebyggelse och infrastruktur i låglänta områden längs Eskilstunaån.",),
    ),
    RiskDef(
        "fall",
        "Fallolyckor bland äldre",
        None,
        "Fallolyckor",
        5,
        3,
        "Fallolyckor är den olyckstyp som orsakar flest dödsfall och skador. Räddningstjänsten rycker "
        "sällan ut, men hjälper ambulansen att bära och lyfta.",
        ("Växande andel äldre som bor kvar hemma.",),
    ),
    RiskDef(
        "farlig-verksamhet",
        "Olycka vid farlig verksamhet",
        None,
        "Farlig verksamhet (2 kap. 4 § LSO)",
        2,
        5,
        "Några anläggningar i förbundet är klassade som farlig verksamhet och en omfattas av "
        "Sevesolagstiftningen. En olycka kan få följder långt utanför anläggningen.",
        (
            "Bostäder och skolor inom påverkansområdet.",
            "Beroende av verksamhetens egen räddningsberedskap de första minuterna.",
        ),
    ),
    RiskDef(
        "hojd-beredskap",
        "Väpnat angrepp – räddningstjänst under höjd beredskap",
        None,
        "Höjd beredskap",
        2,
        5,
        "Vid höjd beredskap kan räddningstjänsten behöva hantera många samtidiga bränder och "
        "raserade byggnader, med personal och fordon som också behövs i andra delar av totalförsvaret.",
        (
            "Personal som också är krigsplacerad i annan verksamhet.",
            "Beroende av el, drivmedel och kommunikationer.",
        ),
    ),
    RiskDef(
        "vardboende",
        "Brand i vårdboende och lokaler för många människor",
        1,
        "",
        3,
        4,
        "Brand i vårdboenden, skolor och samlingslokaler kan skada många. De boende på vårdboenden kan "
        "sällan sätta sig i säkerhet själva.",
        (
            "Nattbemanning med få anställda på vårdboenden.",
            "Brister i verksamheternas systematiska brandskyddsarbete.",
        ),
    ),
)

RISK_V2 = RiskDef(
    "batteri",
    "Brand i litiumjonbatterier",
    None,
    "Batteribrand",
    3,
    3,
    "Elfordon, elsparkcyklar och energilager blir vanligare. Batteribränder är svåra att släcka, "
    "avger giftiga gaser och kan återantändas.",
    ("Laddning av elsparkcyklar i trapphus och lägenheter.",),
)

CAPABILITIES: tuple[CapabilityDef, ...] = (
    CapabilityDef(
        "bostad",
        "olyckstyp",
        "fred",
        "Livräddning och rökdykning i bostäder. Första resurs på plats inom 10 minuter för de flesta "
        "invånarna i tätorterna; utvändig räddning med höjdfordon i byggnader över fyra våningar.",
        "Heltidsstyrkor i Eskilstuna (1+5) och Strängnäs (1+4); RIB-styrkor i Torshälla, Mariefred, "
        "Flen, Malmköping och Hälleforsnäs; höjdfordon i Eskilstuna och Strängnäs.",
    ),
    CapabilityDef(
        "trafik",
        "olyckstyp",
        "fred",
        "Losstagning och omhändertagande av skadade vid trafikolyckor; tung räddning vid olyckor med "
        "lastbil eller buss.",
        "Hydraulverktyg på alla räddningsbilar; tung räddning vid heltidsstationen i Eskilstuna.",
    ),
    CapabilityDef(
        "skog",
        "olyckstyp",
        "fred",
        "Släckning av bränder i skog och mark upp till cirka tio hektar med egna resurser.",
        "Två terrängfordon, tre skogsbrandsvagnar och två tankbilar (10 m³).",
    ),
    CapabilityDef(
        "farligt-gods",
        "olyckstyp",
        "fred",
        "Kemdykning, tätning och första sanering vid utsläpp av farligt ämne; indikering av vanliga gaser.",
        "Kemenhet vid heltidsstationen i Eskilstuna; förstärkning från regional kemresurs enligt avtal.",
    ),
    CapabilityDef(
        "drunkning",
        "olyckstyp",
        "fred",
        "Ytlivräddning från strand och båt, isräddning vintertid. Räddningsdykning via avtal.",
        "Räddningsbåtar i Eskilstuna, Strängnäs och Mariefred; isräddningsutrustning på alla stationer.",
    ),
    CapabilityDef(
        None,
        "samtidiga",
        "fred",
        "Tre samtidiga insatser med egna resurser och en fjärde med stöd av gränslös räddningstjänst.",
        "Sju styrkor; avtal om gränslös räddningstjänst med grannorganisationerna.",
    ),
    CapabilityDef(
        None,
        "omfattande",
        "fred",
        "Omfattande insatser under minst ett dygn med avlösning och förstärkning.",
        "Bemanningsplan för avlösning; förstärkningsavtal; statliga förstärkningsresurser via MCF.",
    ),
    CapabilityDef(
        None,
        "ledning",
        "fred",
        "Systemledning dygnet runt med räddningschef i beredskap (RCB) och inre befäl; insatsledare och "
        "styrkeledare på skadeplatsen.",
        "Gemensam ledningscentral; RCB, inre befäl och insatsledare i beredskap dygnet runt.",
    ),
    CapabilityDef(
        "hojd-beredskap",
        "olyckstyp",
        "hojd_beredskap",
        "Räddningstjänst vid bränder och ras efter angrepp samt uppgifterna i 8 kap. LSO: indikering, "
        "sanering, röjning av farliga områden och befolkningsskydd.",
        "Krigsorganisation med krigsplacerad personal; reservmateriel för indikering och sanering.",
    ),
    CapabilityDef(
        None,
        "samtidiga",
        "hojd_beredskap",
        "Många samtidiga skadeplatser prioriteras efter skyddsvärde enligt förbundets krigsplanläggning.",
        "Förstärkningspersonal ur kommunernas krigsorganisation; förhandslagrat drivmedel.",
    ),
    CapabilityDef(
        None,
        "ledning",
        "hojd_beredskap",
        "Ledning från skyddad reservledningsplats, samordnad med länsstyrelsen och Försvarsmakten.",
        "Reservledningsplats med reservkraft och Rakel; krigsplacerad stab.",
    ),
)
CAPABILITY_V2 = CapabilityDef(
    "batteri",
    "olyckstyp",
    "fred",
    "Släckning och bevakning av batteribränder i fordon; avspärrning mot giftiga brandgaser.",
    "Släckfilt för fordon och värmekamera på heltidsstationerna.",
)


# Stations of the demo förbund: illustrative (town centres, approximate), not the real stations.
# (name, bemanningsform, latitude, longitude in WGS 84, staffing)
STATIONS: tuple[tuple[str, str, float, float, str], ...] = (
    ("Eskilstuna", "heltid", 59.371, 16.510, "1 styrkeledare och 5 brandpersoner dygnet runt"),
    ("Torshälla", "deltid", 59.417, 16.474, "1+4 i beredskap, 6 minuters anspänning"),
    ("Strängnäs", "heltid", 59.377, 17.031, "1+4 dygnet runt"),
    ("Mariefred", "deltid", 59.259, 17.224, "1+4 i beredskap"),
    ("Flen", "deltid", 59.058, 16.588, "1+4 i beredskap"),
    ("Malmköping", "deltid", 59.134, 16.733, "1+2 i beredskap"),
    ("Hälleforsnäs", "varn", 59.160, 16.500, "räddningsvärn utan beredskap"),
)
