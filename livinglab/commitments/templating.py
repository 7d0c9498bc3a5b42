"""Template helpers of the commitments blueprint: labels and counts over commitments already loaded. None runs a
query: the lists other pages show come from the panels in `commitments/panels.py`."""

from datetime import date

from livinglab.clock import lab_today
from livinglab.commitments import evidence, queries
from livinglab.commitments.forms import STATUS_LABELS
from livinglab.commitments.models import Commitment, CommitmentStatus
from livinglab.routing import RouteTable

routes = RouteTable()


@routes.app_template_global()
def commitment_status_label(status: CommitmentStatus) -> str:
    return str(STATUS_LABELS[status])


@routes.app_template_global()
def attention_reasons(commitment: Commitment) -> list[str]:
    return evidence.attention_reasons(commitment)


@routes.app_template_global()
def outcome_counts(commitments: list[Commitment]) -> dict[str, int]:
    """met/improved/unchanged/fell/none among the commitments that count: withdrawn ones and those recorded
    after the fact are left out."""
    counts = dict.fromkeys(queries.OUTCOME_CHOICES, 0)
    for commitment in commitments:
        if commitment.status is not CommitmentStatus.WITHDRAWN and not commitment.is_recorded_after:
            counts[commitment.outcome.value if commitment.outcome else "none"] += 1
    return counts


@routes.app_template_global()
def lab_date() -> date:
    return lab_today()
