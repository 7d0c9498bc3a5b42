"""One import of results: store the rows, record the import, judge the commitments due, and audit it."""

from dataclasses import dataclass

from livinglab.accounts.models import User
from livinglab.audit.services import record_event
from livinglab.commitments.models import Commitment
from livinglab.evaluations import services as evaluations
from livinglab.evaluations.checks import ScoreRow
from livinglab.evaluations.models import Evaluation, ResultImport
from livinglab.extensions import db
from livinglab.results.judging import judge


@dataclass
class ImportSummary:
    result_import: ResultImport
    stored: list[Evaluation]
    judged: list[Commitment]


def import_results(rows: list[ScoreRow], by: User | None, source: str, filename: str = "",
                   synthetic: bool = False, notify: bool = True) -> ImportSummary:
    """Store checked rows (all or nothing: the caller commits once), judge what they decide, and audit it."""
    result_import = ResultImport(source=source[:300], filename=filename[:200], actor=by, is_synthetic=synthetic)
    db.session.add(result_import)
    db.session.flush()
    stored = evaluations.apply_rows(rows, result_import)
    judged = judge(stored, notify=notify)
    if not synthetic:
        record_event("evaluations.imported", "result_import", result_import.id, actor=by, source=source[:300],
                     years=sorted({row.year for row in rows}), added=result_import.added,
                     changed=result_import.changed, judged=len(judged))
    return ImportSummary(result_import, stored, judged)
