"""Storing a completed walk for an algorithm and applying its profile."""

from django.db import transaction

from tracker.algorithms.models import Algorithm
from tracker.audit.trail import record
from tracker.checklist import profile as actions
from tracker.decision_aid.models import DecisionAidRun, DecisionTree
from tracker.decision_aid.profile import content_labels, profile_values, to_profile
from tracker.decision_aid.walk import Walk


def run_profile(algorithm: Algorithm, result: Walk) -> dict:
    """The algorithm's profile values after this walk (phase, stage, impactful kept)."""
    fields = profile_values(result.labels, impactful=algorithm.impactful)
    return {"phase": algorithm.phase, "stage": algorithm.stage, **fields}


def preview(algorithm: Algorithm, result: Walk):
    values = run_profile(algorithm, result)
    return values, actions.preview_profile(algorithm, values, to_profile(values))


@transaction.atomic
def store_and_apply(
    algorithm: Algorithm, tree: DecisionTree, result: Walk, *, actor, version: int
) -> DecisionAidRun:
    """Keep the run (tree version, every question and answer, labels, conclusion, who,
    when), audit it, and apply the resulting profile to the checklist."""
    values = run_profile(algorithm, result)
    change = actions.change_profile(
        algorithm, actor=actor, version=version, values=values, profile=to_profile(values)
    )
    run = DecisionAidRun.objects.create(
        algorithm=change.algorithm,
        tree=tree,
        steps=[
            {
                "question_id": step.question.id,
                "question": step.question.question,
                "answer": step.answer.answer,
                "labels": list(step.answer.labels),
            }
            for step in result.steps
        ],
        labels=[list(pair) for pair in result.labels],
        content_labels=content_labels(result.labels),
        profile={k: v for k, v in values.items() if k not in ("phase", "stage")},
        conclusion_id=result.conclusion.id,
        conclusion=result.conclusion.conclusion,
        obligation=result.conclusion.obligation,
        applied=True,
        created_by=actor,
    )
    record(
        actor=actor,
        obj=run,
        action="decision_aid_run",
        changes={
            "tree": [None, tree.label],
            "conclusion": [None, f"{run.conclusion_id}: {run.conclusion[:200]}"],
            "answers": [None, [f"{s['question_id']}: {s['answer']}" for s in run.steps]],
            "labels": [None, run.content_labels],
        },
        algorithm=change.algorithm,
    )
    return run
