"""Names and texts for the demo data of ``seed_demo`` (Dutch, as in the app)."""

import random

PASSWORD = "algokader-demo"  # noqa: S105 - the demo users' password, printed on purpose

# (name, slug, share of the algorithms)
ORGANISATIONS = (
    ("Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", "demo-bzk", 30),
    ("Gemeente Utrecht", "demo-gemeente-utrecht", 15),
    ("Gemeente Zwolle", "demo-gemeente-zwolle", 15),
    ("Gemeente Tilburg", "demo-gemeente-tilburg", 15),
    ("Provincie Gelderland", "demo-provincie-gelderland", 15),
    ("Waterschap Rivierenland", "demo-waterschap-rivierenland", 10),
)
TEAM_SIZE = 12

# fmt: off
FIRST_NAMES = (
    "Anouk", "Bram", "Daan", "Emma", "Fatima", "Sven", "Lotte", "Mohammed", "Noor", "Pieter",
    "Sanne", "Thijs", "Yara", "Jeroen", "Esther", "Kees", "Marieke", "Youssef", "Ingrid", "Ruben",
    "Femke", "Joris", "Hanneke", "Willem", "Aylin", "Stijn", "Lieke", "Bart", "Nadia", "Gert",
)
LAST_NAMES = (
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
    "de Wit", "Dijkstra", "Smits", "el Amrani", "Yilmaz", "van Dijk", "Kok", "Jacobs",
)

KINDS = (
    "Risicoscan", "Beslisregels", "Chatbot", "Voorspelmodel", "Classificatie", "Routering",
    "Signalering", "Prioritering", "Beeldherkenning", "Matching", "Tekstanalyse", "Planning",
)
DOMAINS = (
    "bijstandsaanvragen", "parkeervergunningen", "WOZ-bezwaren", "subsidieaanvragen",
    "meldingen openbare ruimte", "jeugdzorgindicaties", "leerlingenvervoer",
    "omgevingsvergunningen", "dijkinspecties", "waterkwaliteit", "inburgering",
    "schuldhulpverlening", "afvalinzameling", "verkeersdrukte", "grondwaterstanden",
    "evenementenvergunningen", "belastingaanslagen", "huisvesting statushouders",
    "Wmo-aanvragen", "Woo-verzoeken", "personeelsplanning", "gladheidsbestrijding",
)
# fmt: on
PURPOSES = (
    "ondersteunt medewerkers bij het beoordelen van aanvragen.",
    "bepaalt de volgorde waarin meldingen worden opgepakt.",
    "signaleert dossiers die een extra controle door een medewerker nodig hebben.",
    "beantwoordt veelgestelde vragen en verwijst door naar een medewerker.",
    "voorspelt de benodigde capaciteit voor de komende weken.",
)

# (value, weight)
PHASES = (
    (("probleemanalyse", ""), 6),
    (("ontwerp", ""), 8),
    (("dataverkenning-en-datapreparatie", ""), 8),
    (("ontwikkelen", ""), 12),
    (("verificatie-en-validatie", ""), 8),
    (("implementatie", "pilot"), 18),
    (("implementatie", "production"), 20),
    (("monitoring-en-beheer", ""), 14),
    (("uitfaseren", ""), 3),
)
# Share of items done by phase and stage.
MATURITY = {
    ("probleemanalyse", ""): 0.15,
    ("ontwerp", ""): 0.25,
    ("dataverkenning-en-datapreparatie", ""): 0.35,
    ("ontwikkelen", ""): 0.4,
    ("verificatie-en-validatie", ""): 0.5,
    ("implementatie", ""): 0.5,
    ("implementatie", "pilot"): 0.55,
    ("implementatie", "production"): 0.8,
    ("monitoring-en-beheer", ""): 0.85,
    ("uitfaseren", ""): 0.7,
}


def _ai(group: str, role: str, transparency: bool, open_source: bool, impactful: bool) -> tuple:
    return (
        ("is_ai_system", True),
        ("soort_toepassing", "ai-systeem"),
        ("risicogroep", group),
        ("rol_ai_act", (role,)),
        (
            "transparantieverplichting",
            "transparantieverplichting" if transparency else "geen-transparantieverplichting",
        ),
        ("systeemrisico", "niet-van-toepassing"),  # only a general-purpose AI model has one
        ("open_source", "open-source" if open_source else "geen-open-source"),
        ("impactful", impactful),
    )


HIGH, NOT_HIGH = "hoog-risico-ai-systeem", "geen-hoog-risico-ai-systeem"
DEPLOYER, PROVIDER = "gebruiksverantwoordelijke", "aanbieder"
# (profile as (field, value) pairs, weight): typical algorithms of a public organisation.
PROFILES = (
    ((("is_ai_system", False), ("impactful", True)), 22),  # rule-based decisions
    ((("is_ai_system", False), ("impactful", False)), 18),
    (_ai(HIGH, DEPLOYER, False, False, True), 12),
    (_ai(HIGH, PROVIDER, False, False, True), 5),
    (_ai(NOT_HIGH, DEPLOYER, True, False, False), 12),  # chatbots
    (_ai(NOT_HIGH, DEPLOYER, False, False, False), 10),
    (_ai(NOT_HIGH, DEPLOYER, False, False, True), 8),
    (_ai(NOT_HIGH, PROVIDER, False, True, False), 6),  # own open-source model
    (_ai(NOT_HIGH, PROVIDER, True, False, False), 4),
    (_ai("uitzondering-van-toepassing", DEPLOYER, False, False, False), 3),
)
SCALE = ((1, 10), (2, 25), (3, 30), (4, 22), (5, 13))

JUSTIFICATIONS = (
    "Er worden geen persoonsgegevens verwerkt.",
    "Het algoritme neemt geen besluiten over personen; een medewerker beslist.",
    "Uitgesteld tot de volgende release; het restrisico is geaccepteerd.",
    "Valt onder het generieke beleid van de organisatie.",
)
EVIDENCE = (
    ("DPIA, vastgesteld", "url"),
    ("Verslag van de toets door de privacy officer", "note"),
    ("Werkinstructie voor behandelaars", "url"),
    ("Validatierapport testset", "url"),
    ("Besluit van de stuurgroep", "note"),
    ("Registratie in het Algoritmeregister", "url"),
)
EVIDENCE_NOTE = "Vastgelegd in het projectdossier; besproken in het teamoverleg."
RISKS = (
    "Medewerkers volgen de uitkomst zonder eigen afweging (automation bias).",
    "De trainingsdata zijn niet representatief voor alle wijken.",
    "Betrokkenen begrijpen niet hoe de uitkomst tot stand komt.",
    "Een storing leidt tot achterstanden in de behandeling.",
    "Bij een wetswijziging zijn de beslisregels niet tijdig aangepast.",
    "Persoonsgegevens worden langer bewaard dan nodig.",
)
MITIGATIONS = (
    "Steekproefsgewijze controle door een tweede medewerker.",
    "Periodieke herijking van het model op actuele gegevens.",
    "Uitleg in de brief aan betrokkenen en een vast aanspreekpunt.",
    "Terugvalprocedure: handmatige behandeling bij storing.",
)
UNITS = ("Team Inkomen", "Team Vergunningen", "Klantcontactcentrum", "Team Handhaving")
CRITERIA = (
    (
        "Terechte signalen",
        "Aandeel van de signalen dat bij controle terecht blijkt",
        "ten minste 60%",
    ),
    ("Behandeltijd", "Gemiddelde behandeltijd per zaak", "niet langer dan zonder algoritme"),
)
MEASURED = ("70%", "gelijk")
FINDINGS = "Gebruikers begrijpen de uitkomst en kunnen ermee werken."
LEGAL_BASIS = "AVG art. 6 lid 1 sub e; DPIA vastgesteld."
AGREEMENTS = "Elke uitkomst wordt door een medewerker beoordeeld; afwijkingen worden gemeld."
# The approver's reasons per outcome: they agree with the decision.
RATIONALES = {
    "implement": "De pilot laat zien dat het algoritme werkt zoals verwacht; het gaat naar "
    "productie.",
    "develop": "Nog onvoldoende zicht op de prestaties; eerst verder ontwikkelen.",
    "go": "De evaluatie is positief en de restrisico's zijn geaccepteerd.",
    "conditional": "De evaluatie is positief; de open punten zijn als voorwaarden belegd.",
    "no_go": "Nog te veel open vereisten en maatregelen; eerst de blokkades oplossen.",
}


def weighted(rng: random.Random, options):
    """A value from (value, weight) pairs."""
    values = [value for value, _ in options]
    return rng.choices(values, weights=[weight for _, weight in options])[0]
