"""All models of the app, defined per concern in their own module."""

from tracker.algorithms.models import Algorithm, Membership
from tracker.audit.models import AuditChainHead, AuditEntry
from tracker.catalog.models import AuditNorm, CatalogItem, ContentRelease, Law, Taxon
from tracker.checklist.models import ChecklistItem, Comment, ItemDecision
from tracker.dashboards.models import AlgorithmFigures, AlgorithmTopicFigures, ReadinessSnapshot
from tracker.decision_aid.models import DecisionAidRun, DecisionTree
from tracker.decisions.models import Decision, DecisionCondition
from tracker.evidence.models import Evidence
from tracker.exports.models import DossierJob
from tracker.organisations.models import Organisation, OrganisationMembership
from tracker.pilots.models import CriterionResult, Pilot, PilotEvaluation, SuccessCriterion
from tracker.register.models import RegisterEntry, RegisterExport, RegisterStandard
from tracker.risks.models import ResidualRisk

__all__ = [
    "Algorithm",
    "AlgorithmFigures",
    "AlgorithmTopicFigures",
    "AuditChainHead",
    "AuditEntry",
    "AuditNorm",
    "CatalogItem",
    "ChecklistItem",
    "Comment",
    "ContentRelease",
    "CriterionResult",
    "Decision",
    "DecisionAidRun",
    "DecisionCondition",
    "DecisionTree",
    "DossierJob",
    "Evidence",
    "ItemDecision",
    "Law",
    "Membership",
    "Organisation",
    "OrganisationMembership",
    "Pilot",
    "PilotEvaluation",
    "ReadinessSnapshot",
    "RegisterEntry",
    "RegisterExport",
    "RegisterStandard",
    "ResidualRisk",
    "SuccessCriterion",
    "Taxon",
]
