"""The nine lifecycle phases of the Algoritmekader, in lifecycle order."""

from django.db import models


class Phase(models.TextChoices):
    PROBLEEMANALYSE = "probleemanalyse", "Probleemanalyse"
    ONTWERP = "ontwerp", "Ontwerp"
    DATAVERKENNING = "dataverkenning-en-datapreparatie", "Dataverkenning en datapreparatie"
    ONTWIKKELEN = "ontwikkelen", "Ontwikkelen"
    VERIFICATIE = "verificatie-en-validatie", "Verificatie en validatie"
    IMPLEMENTATIE = "implementatie", "Implementatie"
    MONITORING = "monitoring-en-beheer", "Monitoring en beheer"
    UITFASEREN = "uitfaseren", "Uitfaseren"
    ORGANISATIE = "organisatieverantwoordelijkheden", "Organisatieverantwoordelijkheden"


PHASE_ORDER = [choice.value for choice in Phase]

# The phases an algorithm can be in: organisatieverantwoordelijkheden is the
# cross-cutting, organisation-wide part of the lifecycle, not a phase of an algorithm.
LIFECYCLE_CHOICES = [(p.value, p.label) for p in Phase if p != Phase.ORGANISATIE]
