"""What the demo contains: the organisations, their people and the story of each algorithm.

Every story is a list of steps ``(days ago, hour, method of Story, arguments)``; the
methods call the app's own actions (tracker.demo.story). Between them the algorithms
show every state a manager's portfolio distinguishes: in development, in pilot, a pilot
waiting for its decision, ready for go-live, blocked, in production after a go or a
conditional go, back to development after a pilot decision, and in monitoring.
"""

from tracker.algorithms.models import Algorithm
from tracker.catalog.phases import Phase
from tracker.decisions.models import Decision

Outcome = Decision.Outcome
PILOT, PRODUCTION, NONE = Algorithm.Stage.PILOT, Algorithm.Stage.PRODUCTION, Algorithm.Stage.NONE

# --- AI profiles -------------------------------------------------------------------------


def _ai(group: str, role: str, *, transparency: bool, open_source: bool, impactful: bool):
    return {
        "is_ai_system": True,
        "soort_toepassing": "ai-systeem",
        "risicogroep": group,
        "rol_ai_act": [role],
        "transparantieverplichting": "transparantieverplichting"
        if transparency
        else "geen-transparantieverplichting",
        "systeemrisico": "niet-van-toepassing",
        "open_source": "open-source" if open_source else "geen-open-source",
        "impactful": impactful,
    }


HIGH_RISK = _ai(
    "hoog-risico-ai-systeem",
    "gebruiksverantwoordelijke",
    transparency=False,
    open_source=False,
    impactful=True,
)
CHATBOT = _ai(
    "geen-hoog-risico-ai-systeem",
    "gebruiksverantwoordelijke",
    transparency=True,
    open_source=True,
    impactful=False,
)
OWN_MODEL = _ai(
    "geen-hoog-risico-ai-systeem",
    "aanbieder",
    transparency=False,
    open_source=True,
    impactful=False,
)
RULES_IMPACTFUL = {"is_ai_system": False, "impactful": True}
RULES = {"is_ai_system": False, "impactful": False}

# --- pilots ----------------------------------------------------------------------------

CRITERIA = [
    (
        "Terechte signalen",
        "Aandeel van de gesignaleerde zaken dat bij controle terecht blijkt",
        "ten minste 60%",
    ),
    ("Behandeltijd", "Gemiddelde behandeltijd per zaak", "niet langer dan zonder algoritme"),
]
MET = [("72%", True), ("gelijk", True)]
NOT_MET = [("41%", False), ("gelijk", True)]
FINDINGS = (
    "Gebruikers begrijpen de uitkomst en kunnen ermee werken; de werkinstructie is bijgesteld."
)
DOUBTS = "Te veel onterechte signalen; gebruikers gaan de uitkomst wantrouwen."

RISK = (
    "Medewerkers volgen de uitkomst zonder eigen afweging (automation bias).",
    "Steekproefsgewijze controle door een tweede medewerker.",
)
OPEN_RISK = (
    "De trainingsdata zijn niet representatief voor alle wijken.",
    "Herijking van het model op actuele gegevens, elk kwartaal.",
)


def pilot_steps(start: int, days: int, units: str) -> list:
    """Into the pilot stage and the pilot started, on one day."""
    return [
        (start, 9, "move", {"phase": Phase.IMPLEMENTATIE, "stage": PILOT}),
        (start, 11, "start_pilot", {"days": days, "criteria": CRITERIA, "units": units}),
    ]


def to_production(registered: int, pilot: int, evaluated: int, decided: int, units: str) -> list:
    """Registered in development, worked on, a pilot, evaluated well, implemented."""
    return [
        (registered, 9, "register", {}),
        (registered - 10, 14, "work", {"done": 0.35}),
        *pilot_steps(pilot, pilot - evaluated - 5, units),
        (pilot - 10, 15, "work", {"done": 0.6}),
        (evaluated, 10, "evaluate", {"measured": MET, "findings": FINDINGS}),
        (decided, 14, "pilot_decision", {"outcome": Outcome.IMPLEMENT}),
    ]


def _story(name, description, profile, steps, phase=Phase.ONTWIKKELEN) -> dict:
    values = {"name": name, "description": description, "phase": phase, "stage": NONE, **profile}
    return {"values": values, "steps": steps}


# --- Gemeente Voorbeeldstad: the demo user's own algorithms ---------------------------

OWN = [
    _story(
        "Risicoscan bijstandsaanvragen",
        "Een AI-model dat aanvragen voor bijstand met een verhoogd risico op onjuiste "
        "gegevens markeert voor een extra controle door een medewerker.",
        HIGH_RISK,
        [
            (210, 9, "register", {}),
            (180, 14, "work", {"done": 0.3}),
            (120, 14, "work", {"done": 0.5}),
            (100, 11, "risk", {"description": RISK[0], "mitigation": RISK[1], "accept": True}),
            *pilot_steps(60, 50, "Team Inkomen"),
            (30, 15, "work", {"done": 0.7}),
            (5, 10, "evaluate", {"measured": MET, "findings": FINDINGS}),
        ],
    ),
    _story(
        "Beslisregels parkeervergunningen",
        "Regelgebaseerde toekenning van bewonersvergunningen op basis van adres, kenteken "
        "en wachtlijst.",
        RULES_IMPACTFUL,
        [
            *to_production(330, 240, 140, 135, "Team Vergunningen"),
            (110, 14, "work", {"done": 0.85}),
            (90, 15, "go_live", {"outcome": Outcome.CONDITIONAL, "condition_days": 120}),
        ],
    ),
    _story(
        "Chatbot Burgerzaken",
        "Een taalmodel dat veelgestelde vragen over paspoorten en verhuizingen beantwoordt "
        "en doorverwijst naar een medewerker.",
        CHATBOT,
        [
            (120, 9, "register", {}),
            (90, 14, "work", {"done": 0.3}),
            (40, 11, "risk", {"description": OPEN_RISK[0], "mitigation": OPEN_RISK[1]}),
            (30, 14, "work", {"done": 0.5}),
        ],
    ),
]

# --- the demo portfolio: three more organisations -------------------------------------

# (name, slug, manager, team members); the first member owns, the second approves, the
# third contributes and the fourth reads, in every algorithm of the organisation.
ORGANISATIONS = [
    (
        "Gemeente Utrecht",
        "demo-gemeente-utrecht",
        ("Marieke", "de Groot"),
        [("Sanne", "Jansen"), ("Youssef", "el Amrani"), ("Lotte", "Bakker"), ("Daan", "Smit")],
    ),
    (
        "Provincie Gelderland",
        "demo-provincie-gelderland",
        ("Willem", "Dijkstra"),
        [("Esther", "Visser"), ("Pieter", "Mulder"), ("Aylin", "Yilmaz"), ("Joris", "Kok")],
    ),
    (
        "Waterschap Rivierenland",
        "demo-waterschap-rivierenland",
        ("Ingrid", "Hendriks"),
        [("Bram", "de Vries"), ("Fatima", "Bos"), ("Stijn", "Brouwer"), ("Noor", "Peters")],
    ),
]

PORTFOLIO = {
    "demo-gemeente-utrecht": [
        _story(
            "Signalering schuldhulpverlening",
            "Signaleert huishoudens met betalingsachterstanden, zodat de gemeente vroeg "
            "hulp kan aanbieden.",
            RULES_IMPACTFUL,
            [
                *to_production(300, 210, 110, 105, "Team Inkomen"),
                (95, 14, "work", {"done": 0.9}),
                (80, 15, "go_live", {"outcome": Outcome.CONDITIONAL}),
            ],
        ),
        _story(
            "Chatbot afvalinzameling",
            "Beantwoordt vragen over ophaaldagen en grofvuil en verwijst door naar het "
            "klantcontactcentrum.",
            CHATBOT,
            [
                *to_production(250, 150, 70, 60, "Klantcontactcentrum"),
                (55, 11, "risk", {"description": RISK[0], "mitigation": RISK[1], "accept": True}),
                (30, 14, "finish", {}),
                (20, 15, "go_live", {"outcome": Outcome.GO}),
            ],
        ),
        _story(
            "Prioritering meldingen openbare ruimte",
            "Bepaalt de volgorde waarin meldingen over de openbare ruimte worden opgepakt.",
            RULES,
            [*to_production(200, 120, 40, 35, "Team Handhaving"), (10, 14, "finish", {})],
        ),
        _story(
            "Risicoscan WOZ-bezwaren",
            "Markeert bezwaren tegen de WOZ-waarde die een taxateur moet beoordelen.",
            HIGH_RISK,
            [
                (180, 9, "register", {}),
                (150, 14, "work", {"done": 0.4}),
                *pilot_steps(50, 90, "Team Belastingen"),
                (20, 14, "work", {"done": 0.55}),
            ],
        ),
    ],
    "demo-provincie-gelderland": [
        _story(
            "Voorspelmodel grondwaterstanden",
            "Voorspelt de grondwaterstand per gebied voor de komende weken.",
            OWN_MODEL,
            [
                (150, 9, "register", {}),
                (120, 14, "work", {"done": 0.4}),
                (40, 14, "work", {"done": 0.65}),
            ],
        ),
        _story(
            "Beslisregels subsidieaanvragen",
            "Toetst subsidieaanvragen aan de voorwaarden van de regeling.",
            RULES_IMPACTFUL,
            [
                (260, 9, "register", {}),
                (240, 14, "work", {"done": 0.4}),
                *pilot_steps(170, 70, "Team Subsidies"),
                (90, 10, "evaluate", {"measured": NOT_MET, "findings": DOUBTS}),
                (85, 14, "pilot_decision", {"outcome": Outcome.DEVELOP}),
                (30, 14, "work", {"done": 0.6}),
            ],
        ),
        _story(
            "Matching evenementenvergunningen",
            "Koppelt aanvragen voor evenementen aan de adviseurs die ze moeten beoordelen.",
            RULES,
            [
                *to_production(220, 140, 60, 55, "Team Vergunningen"),
                (40, 14, "work", {"done": 0.8}),
                (30, 15, "go_live", {"outcome": Outcome.NO_GO}),
            ],
        ),
        _story(
            "Routering Wmo-aanvragen",
            "Verdeelt Wmo-aanvragen over de consulenten naar soort hulpvraag.",
            RULES_IMPACTFUL,
            [
                *to_production(190, 110, 45, 40, "Team Zorg"),
                (35, 11, "risk", {"description": OPEN_RISK[0], "mitigation": OPEN_RISK[1]}),
                (25, 14, "work", {"done": 0.75}),
            ],
        ),
    ],
    "demo-waterschap-rivierenland": [
        _story(
            "Beeldherkenning dijkinspecties",
            "Herkent schade aan dijken op beelden van drones voor de inspecteurs.",
            OWN_MODEL,
            [
                (200, 9, "register", {}),
                (170, 14, "work", {"done": 0.5}),
                *pilot_steps(100, 80, "Team Inspectie"),
                (60, 14, "work", {"done": 0.7}),
                (8, 10, "evaluate", {"measured": MET, "findings": FINDINGS}),
            ],
        ),
        _story(
            "Voorspelmodel waterkwaliteit",
            "Voorspelt de kans op blauwalg in zwemwater, zodat metingen gericht worden ingezet.",
            OWN_MODEL,
            [
                *to_production(400, 300, 220, 215, "Team Waterkwaliteit"),
                (205, 11, "risk", {"description": RISK[0], "mitigation": RISK[1], "accept": True}),
                (200, 14, "finish", {}),
                (190, 15, "go_live", {"outcome": Outcome.GO}),
                (150, 9, "move", {"phase": Phase.MONITORING}),
            ],
        ),
        _story(
            "Classificatie Woo-verzoeken",
            "Deelt Woo-verzoeken in naar onderwerp en behandelend team.",
            RULES,
            [(25, 9, "register", {}), (15, 14, "work", {"done": 0.2})],
            phase=Phase.ONTWERP,
        ),
    ],
}
