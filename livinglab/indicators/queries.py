"""Reads of the indicator catalogue."""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload

from livinglab.extensions import db
from livinglab.indicators.models import Aspect, CrosswalkLink, Domain, Framework, Indicator


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


def framework_for_year(year: int) -> Framework | None:
    """The framework in force for an evaluation year: one governing the year and not replaced by a corrected
    version (of several, the newest)."""
    candidates = [f for f in db.session.scalars(select(Framework)) if f.governs(year) and not f.is_replaced]
    return max(candidates, key=lambda f: (f.first_year, f.version), default=None)


CROSSWALK_DEPTH = 3  # SPBE 2020 → Pemdi 2026 → a corrected Pemdi version, and one step to spare


@dataclass
class Crosswalk:
    """Every crosswalk link, read once: which indicators of another framework stand for an indicator."""

    links: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    framework_of: dict[int, int] = field(default_factory=dict)
    code_of: dict[int, str] = field(default_factory=dict)

    def counterparts(self, indicator_id: int, framework_id: int) -> set[int]:
        """The indicators of `framework_id` that stand for `indicator_id`: itself when it belongs there, else
        those reached through crosswalk links (in either direction, through other frameworks if needed)."""
        if self.framework_of.get(indicator_id) == framework_id:
            return {indicator_id}
        found, seen, frontier = set(), {indicator_id}, {indicator_id}
        for _step in range(CROSSWALK_DEPTH):
            frontier = {n for i in frontier for n in self.links.get(i, ()) if n not in seen}
            seen |= frontier
            found |= {n for n in frontier if self.framework_of.get(n) == framework_id}
            frontier = {n for n in frontier if self.framework_of.get(n) != framework_id}
            if found:
                return found
        return found


def load_crosswalk() -> Crosswalk:
    crosswalk = Crosswalk()
    for indicator_id, framework_id, code in db.session.execute(select(Indicator.id, Indicator.framework_id,
                                                                      Indicator.code)):
        crosswalk.framework_of[indicator_id], crosswalk.code_of[indicator_id] = framework_id, code
    for source, target in db.session.execute(select(CrosswalkLink.from_indicator_id, CrosswalkLink.to_indicator_id)):
        crosswalk.links[source].add(target)
        crosswalk.links[target].add(source)
    return crosswalk


def crosswalk_rows(from_framework: Framework, to_framework: Framework) -> list[CrosswalkLink]:
    """The links from one framework's indicators to another's, in catalogue order."""
    query = (
        select(CrosswalkLink)
        .join(CrosswalkLink.from_indicator)
        .where(
            Indicator.framework_id == from_framework.id,
            CrosswalkLink.to_indicator_id.in_(select(Indicator.id).where(Indicator.framework_id == to_framework.id)),
        )
        .options(joinedload(CrosswalkLink.from_indicator), joinedload(CrosswalkLink.to_indicator))
        .order_by(Indicator.number, CrosswalkLink.to_indicator_id)
    )
    return list(db.session.scalars(query))


def crosswalk_pairs() -> list[tuple[Framework, Framework]]:
    """Every (from, to) pair of frameworks that crosswalk links join, oldest first."""
    source, target = aliased(Indicator), aliased(Indicator)
    query = (select(source.framework_id, target.framework_id).select_from(CrosswalkLink)
             .join(source, source.id == CrosswalkLink.from_indicator_id)
             .join(target, target.id == CrosswalkLink.to_indicator_id).distinct())
    frameworks = {f.id: f for f in db.session.scalars(select(Framework))}
    pairs = [(frameworks[a], frameworks[b]) for a, b in db.session.execute(query)]
    return sorted(pairs, key=lambda pair: (pair[0].first_year, pair[1].first_year, pair[1].version))
