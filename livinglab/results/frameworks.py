"""Framework versions: what still points at a framework that a corrected version replaced.

Nothing is moved when a version is replaced: results and judgements stay on the version they were made on.
What the coordinator must look at are open commitments that can no longer be judged in their due year, and
crosswalk links that end on the old version without a link on to the new one.
"""

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from livinglab.commitments.models import OPEN_STATUSES, Commitment, CommitmentTarget
from livinglab.evaluations.models import Evaluation
from livinglab.extensions import db
from livinglab.indicators.models import CrosswalkLink, Framework, Indicator
from livinglab.indicators.queries import framework_for_year, load_crosswalk


@dataclass
class Replaced:
    """A replaced framework version and what still points at it."""

    framework: Framework
    evaluations: int = 0
    commitments: list[Commitment] = field(default_factory=list)
    links_without_onward: list[CrosswalkLink] = field(default_factory=list)


def replaced_versions() -> list[Replaced]:
    crosswalk = load_crosswalk()
    found = []
    for framework in db.session.scalars(select(Framework).order_by(Framework.first_year, Framework.version)):
        if not framework.is_replaced:
            continue
        entry = Replaced(framework, db.session.scalar(
            select(func.count(Evaluation.id)).where(Evaluation.framework_id == framework.id)))
        mine = select(Indicator.id).where(Indicator.framework_id == framework.id)
        query = (select(Commitment).join(CommitmentTarget).where(CommitmentTarget.indicator_id.in_(mine),
                                                                 Commitment.status.in_(OPEN_STATUSES))
                 .options(selectinload(Commitment.targets)).distinct().order_by(Commitment.due_on))
        for commitment in db.session.scalars(query):
            in_force = framework_for_year(commitment.due_on.year)
            if in_force and any(not crosswalk.counterparts(t.indicator_id, in_force.id) for t in commitment.targets):
                entry.commitments.append(commitment)
        replacement = framework.replaced_by
        links = db.session.scalars(select(CrosswalkLink).where(CrosswalkLink.to_indicator_id.in_(mine)))
        entry.links_without_onward = [link for link in links
                                      if not crosswalk.counterparts(link.to_indicator_id, replacement.id)]
        found.append(entry)
    return found
