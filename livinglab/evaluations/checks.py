"""Checking one row of a results sheet against the regencies, the frameworks and the current year."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _, ngettext

from livinglab.indicators.models import Framework
from livinglab.sheets import cell_text, parse_decimal, parse_regency_code

LEVELS = {"1", "2", "3", "4", "5"}


@dataclass
class Problem:
    line: int
    column: str
    message: str


@dataclass
class ScoreRow:
    """One checked row: what would be stored, and how it compares with what is stored now."""

    line: int
    regency_code: str
    regency_name: str
    framework_code: str
    year: int
    levels: dict[str, int]
    published_index: str | None
    computed_index: str = ""
    predicate: str = ""
    change: str = "new"  # new, changed or unchanged
    changed_levels: int = 0


class RowChecker:
    """Checks the rows of one sheet; a framework's indicators without a column are reported once, on its first row."""

    def __init__(self, frameworks: dict[str, Framework], regencies: dict[str, str], current_year: int,
                 base_columns: dict[str, int], indicator_columns: dict[str, int]) -> None:
        self.frameworks = frameworks
        self.regencies = regencies  # code → name
        self.current_year = current_year
        self.base_columns = base_columns  # "regency_code", "year", "framework" and maybe "index" → column number
        self.indicator_columns = indicator_columns  # indicator code → column number
        self.reported_missing: set[str] = set()

    def check(self, line: int, cells: list) -> ScoreRow | list[Problem]:
        """The row as it would be stored, or every problem found in it."""
        problems: list[Problem] = []
        code = self.regency(line, self.cell(cells, "regency_code"), problems)
        framework = self.framework(line, self.cell(cells, "framework"), problems)
        year = self.year(line, self.cell(cells, "year"), framework, problems)
        published = self.index(line, self.cell(cells, "index"), problems)
        levels = self.levels(line, cells, framework, problems) if framework else {}
        if problems:
            return problems
        return ScoreRow(line, code, self.regencies[code], framework.code, year, levels, published)

    def cell(self, cells: list, name: str) -> Any:
        """The value in a base column; empty when the sheet has no such column (the index is optional)."""
        return cells[self.base_columns[name]] if name in self.base_columns else ""

    def regency(self, line: int, raw: Any, problems: list[Problem]) -> str:
        code = parse_regency_code(raw)
        if code not in self.regencies:
            problems.append(Problem(line, "regency_code", _("Unknown regency code “%(code)s”; write it as 3211 or "
                                                            "32.11.", code=code[:20])))
        return code

    def framework(self, line: int, raw: Any, problems: list[Problem]) -> Framework | None:
        framework_code = cell_text(raw)
        framework = self.frameworks.get(framework_code)
        if framework is None:
            problems.append(Problem(line, "framework", _("Unknown framework “%(code)s”; use one of %(codes)s.",
                                                         code=framework_code[:40], codes=", ".join(self.frameworks))))
        return framework

    def year(self, line: int, raw: Any, framework: Framework | None, problems: list[Problem]) -> int | None:
        """A four-digit year within the framework's years, up to this one; a replaced framework is refused."""
        year_text = cell_text(raw)
        year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
        if year is None:
            problems.append(Problem(line, "year", _("Write the year with four digits, e.g. 2025.")))
        elif framework and framework.is_replaced:
            problems.append(Problem(line, "framework", _(
                "%(framework)s was replaced by a corrected version, %(new)s: name that one.",
                framework=framework.code, new=framework.replaced_by.code)))
        elif framework and not (framework.first_year <= year
                                <= min(framework.last_year or self.current_year, self.current_year)):
            problems.append(Problem(line, "year", _(
                "%(year)d is not a year of %(framework)s (%(years)s, up to this year).",
                year=year, framework=framework.code, years=framework.years_label)))
        return year

    def index(self, line: int, raw: Any, problems: list[Problem]) -> str | None:
        """The published index to three decimals, or None when the cell is empty."""
        if cell_text(raw) == "":
            return None
        published = parse_decimal(raw)
        if published is None or not 0 <= published <= 5:
            problems.append(Problem(line, "index", _("The index must be a number from 0 to 5, e.g. 3.45 or 3,45.")))
            return None
        return str(published.quantize(Decimal("0.001")))

    def levels(self, line: int, cells: list, framework: Framework, problems: list[Problem]) -> dict[str, int]:
        """The level (1–5) of each of the framework's indicators; other indicators' columns must stay empty."""
        codes = {i.code.upper() for i in framework.indicators}
        missing = sorted(codes - set(self.indicator_columns))
        if missing and framework.code not in self.reported_missing:
            self.reported_missing.add(framework.code)
            problems.append(Problem(line, ", ".join(missing), ngettext(
                "%(framework)s has %(num)d indicator without a column in this sheet.",
                "%(framework)s has %(num)d indicators without a column in this sheet.",
                len(missing), framework=framework.code)))
        levels = {}
        for column, number in self.indicator_columns.items():
            raw = cell_text(cells[number])
            if column not in codes:
                if raw:
                    problems.append(Problem(line, column, _("%(code)s is not an indicator of %(framework)s.",
                                                            code=column, framework=framework.code)))
                continue
            if raw not in LEVELS:
                problems.append(Problem(line, column, _("The level must be a whole number from 1 to 5.")))
                continue
            levels[column] = int(raw)
        return levels
