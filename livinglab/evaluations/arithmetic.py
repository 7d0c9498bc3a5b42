"""The index and its predicate, computed from indicator levels and the framework's weights and bands.

SPBE 2020 (PermenPANRB 59/2020): the index is the weighted mean of the indicator levels (0–5), each
indicator weighing its percentage; the predicate is the band the index reaches (Memuaskan ≥ 4.2,
Sangat Baik ≥ 3.5, Baik ≥ 2.6, Cukup ≥ 1.8, else Kurang). Frameworks carry their own weights and bands.
"""

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from livinglab.indicators.models import Framework, Indicator, PredicateBand


def weighted_index(levels: Mapping[int, int], indicators: Iterable[Indicator], exact: bool = False) -> Decimal:
    """Weighted mean of the levels of the given indicators (ids → level), rounded to 3 decimals for storing
    and showing; `exact` gives the unrounded value, which decides the predicate."""
    total = weight = Decimal(0)
    for indicator in indicators:
        if indicator.id in levels:
            total += Decimal(indicator.weight_percent) * levels[indicator.id]
            weight += Decimal(indicator.weight_percent)
    if not weight:
        return Decimal(0)
    value = total / weight
    return value if exact else value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def predicate(index: Decimal | float, framework: Framework) -> PredicateBand | None:
    """The highest band whose minimum the index reaches (bands are read highest first)."""
    value = Decimal(str(index))
    for band in sorted(framework.bands, key=lambda b: b.min_index, reverse=True):
        if value >= band.min_index:
            return band
    return None
