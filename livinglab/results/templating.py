"""Template helpers of the results (where a level comes from, crosswalk readings), and the outcome block that the
results add to the commitment page. No template global here runs a query."""

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from livinglab.commitments.models import Commitment
from livinglab.i18n import localized
from livinglab.indicators.queries import framework_for_year
from livinglab.results.judging import judgements_of
from livinglab.results.models import Judgement
from livinglab.routing import RouteTable

routes = RouteTable()


@routes.app_template_global()
def provenance_label(provenance: str, source: str = "") -> str:
    """Where a level or an index comes from, in words: official results never include synthetic demo data."""
    if provenance == "synthetic_demo":
        return _("synthetic demo result")
    if provenance == "self_assessed":
        return _("self-assessed")
    return _("official result: %(source)s", source=source) if source else _("official result")


@routes.app_template_global()
def crosswalk_readings(judgement: Judgement) -> str:
    """"I05 → P14, I42 → P19 + P20" for the targets read through the crosswalk; empty when none was."""
    pairs = [f"{d['indicator']} → {' + '.join(d['read_from'])}" for d in judgement.details
             if d.get("read_from") and d["read_from"] != [d["indicator"]]]
    return ", ".join(pairs)


def commitment_outcome(commitment: Commitment, user: object) -> Mapping[str, Any]:
    """Panel of the commitment page: its judgements, oldest first, or what it waits for when not judged yet."""
    judged = commitment.promises_judgement and commitment.outcome is not None
    waiting = commitment.promises_judgement and not commitment.outcome
    return {"judgements": judgements_of(commitment) if judged else [],
            "promise": judgement_promise(commitment) if waiting else ""}


def judgement_promise(commitment: Commitment) -> str:
    """What the commitment waits for: the results of its due year, in the framework in force that year."""
    year = commitment.due_on.year
    framework = framework_for_year(year)
    if framework is None:
        return _("The outcome is judged when the results of %(year)d are imported.", year=year)
    text = _("The outcome is judged when the results of %(year)d are imported, on %(framework)s, the framework in "
             "force that year.", year=year, framework=localized(framework, "name"))
    if any(t.indicator.framework_id != framework.id for t in commitment.targets):
        text += " " + _("Indicators of another framework are read through the crosswalk; when an indicator has "
                        "several counterparts, the lowest of their levels counts.")
    return text
