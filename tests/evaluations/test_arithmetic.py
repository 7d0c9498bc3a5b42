"""The index is the weighted mean of the levels; the predicate is the highest band it reaches."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from livinglab.evaluations.arithmetic import predicate, weighted_index
from livinglab.indicators.queries import framework_by_code


def _indicator(number: int, weight: str):
    return SimpleNamespace(id=number, weight_percent=Decimal(weight))


def test_weighted_mean_by_hand():
    indicators = [_indicator(1, "2"), _indicator(2, "1"), _indicator(3, "1")]
    assert weighted_index({1: 5, 2: 2, 3: 3}, indicators) == Decimal("3.750")  # (10 + 2 + 3) / 4
    assert weighted_index({1: 5, 2: 2}, indicators) == Decimal("4.000")  # an unscored indicator does not count
    assert weighted_index({}, indicators) == Decimal("0")
    assert weighted_index({1: 1, 2: 2, 3: 2}, [_indicator(1, "1"), _indicator(2, "1"), _indicator(3, "1")]) \
        == Decimal("1.667")  # rounded half up to three decimals


def test_spbe_2020_index_from_the_real_weights(content):
    framework = framework_by_code("spbe-2020")
    assert sum(i.weight_percent for i in framework.indicators) == pytest.approx(Decimal(100), abs=Decimal("0.1"))
    assert weighted_index({i.id: 3 for i in framework.indicators}, framework.indicators) == Decimal("3.000")
    levels = {i.id: (5 if i.aspect.domain.number == 1 else 1) for i in framework.indicators}
    domain_1 = sum(i.weight_percent for i in framework.indicators if i.aspect.domain.number == 1)
    expected = (domain_1 * 5 + (sum(i.weight_percent for i in framework.indicators) - domain_1)) / sum(
        i.weight_percent for i in framework.indicators)
    assert weighted_index(levels, framework.indicators) == expected.quantize(Decimal("0.001"))


@pytest.mark.parametrize("index, name", [
    ("5.00", "Memuaskan"), ("4.20", "Memuaskan"), ("4.199", "Sangat Baik"), ("3.50", "Sangat Baik"),
    ("3.499", "Baik"), ("2.60", "Baik"), ("2.599", "Cukup"), ("1.80", "Cukup"), ("1.799", "Kurang"), ("0", "Kurang"),
])
def test_predicate_bands_on_both_sides_of_each_boundary(content, index, name):
    assert predicate(Decimal(index), framework_by_code("spbe-2020")).name_id == name
