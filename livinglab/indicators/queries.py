"""Reads of the indicator catalogue."""

from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from livinglab.extensions import db
from livinglab.indicators.models import Aspect, Domain, Framework, Indicator

@dataclass
class DomainSummary:
    domain: Domain
    indicator_count: int

def default_framework() -> Framework | None:
    """The framework used when none is named: the one flagged default, else the newest."""
    query = select(Framework).order_by(Framework.is_default.desc(), Framework.first_year.desc())
    return db.session.scalars(query.limit(1)).first()

def all_frameworks() -> list[Framework]:
    """Every framework, the default first, then newest first."""
    query = select(Framework).order_by(Framework.is_default.desc(), Framework.first_year.desc())
    return list(db.session.scalars(query))

def framework_by_code(code: str | None) -> Framework | None:
    if not code:
        return default_framework()
    return db.session.scalars(select(Framework).filter_by(code=code)).first()

def domain_summaries(framework: Framework) -> list[DomainSummary]:
    """Each domain of the framework with its number of indicators."""
    counts = dict(
        db.session.execute(
            select(Aspect.domain_id, func.count(Indicator.id))
            .join(Indicator.aspect)
            .where(Indicator.framework_id == framework.id)
            .group_by(Aspect.domain_id)
        ).all()
    )
    domains = db.session.scalars(select(Domain).filter_by(framework_id=framework.id).order_by(Domain.number))
    return [DomainSummary(d, counts.get(d.id, 0)) for d in domains]

def catalogue_query(framework: Framework):
    """Indicators of a framework in catalogue order, with aspect and domain loaded."""
    return (
        select(Indicator)
        .join(Indicator.aspect)
        .where(Indicator.framework_id == framework.id)
        .options(joinedload(Indicator.aspect).joinedload(Aspect.domain))
        .order_by(Aspect.number, Indicator.number)
    )

@dataclass
class AspectGroup:
    aspect: Aspect
    indicators: list[Indicator]


@dataclass
class DomainGroup:
    domain: Domain | None
    aspects: list[AspectGroup]


def group_catalogue(indicators: list[Indicator]) -> list[DomainGroup]:
    """Indicators (already in catalogue order) grouped by domain, then aspect."""
    groups: list[DomainGroup] = []
    for domain, in_domain in groupby(indicators, key=lambda i: i.aspect.domain):
        aspects = [AspectGroup(aspect, list(items)) for aspect, items in groupby(in_domain, key=lambda i: i.aspect)]
        groups.append(DomainGroup(domain, aspects))
    return groups


def default_catalogue() -> list[Indicator]:
    """The default framework's indicators in catalogue order (for pickers and filters)."""
    framework = default_framework()
    return list(db.session.scalars(catalogue_query(framework))) if framework else []


def find_indicator(code: str, framework_code: str | None = None) -> Indicator | None:
    """An indicator by code, in the named framework or else the default one first."""
    query = (
        select(Indicator)
        .join(Indicator.framework)
        .where(func.upper(Indicator.code) == code.upper())
        .options(
            joinedload(Indicator.aspect).joinedload(Aspect.domain),
            joinedload(Indicator.framework).selectinload(Framework.levels),
        )
        .order_by(Framework.is_default.desc(), Framework.first_year.desc())
    )
    if framework_code:
        query = query.where(Framework.code == framework_code)
    return db.session.scalars(query.limit(1)).unique().first()

def neighbours(indicator: Indicator) -> list[Indicator]:
    """The other indicators of the same aspect."""
    query = (
        select(Indicator)
        .where(Indicator.aspect_id == indicator.aspect_id, Indicator.id != indicator.id)
        .order_by(Indicator.number)
    )
    return list(db.session.scalars(query))
