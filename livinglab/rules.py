"""The numbers behind the rules users are told about, for the code that applies them and the messages that state them.

Settings an operator may change (STALE_AFTER_DAYS, REMINDER_DAYS_AHEAD, the upload and password limits) live in
`config.py` and are read from the app's config at call time, never copied. The constants below are product
rules that hold for every installation. This module imports no feature, so every
feature (and every template, through the `rule_values` global) can read it without breaking the import order.
"""

from datetime import timedelta

from flask import current_app

WEAK_LEVEL = 2  # an indicator at this level or below is weak: the regency profile looks for who can teach it
STRONG_LEVEL = 4  # a regency at this level or above on an indicator can teach it to the others


def stale_after() -> timedelta:
    """An active commitment with no progress update for longer than this is at risk."""
    return timedelta(days=current_app.config["STALE_AFTER_DAYS"])


def reminder_window() -> timedelta:
    """Milestones due between today and today plus this get a reminder."""
    return timedelta(days=current_app.config["REMINDER_DAYS_AHEAD"])


def rule_values() -> dict[str, int]:
    """The rule numbers templates state (form hints get theirs from their field): config and constants, no query."""
    return {"stale_after_days": current_app.config["STALE_AFTER_DAYS"], "weak_level": WEAK_LEVEL,
            "strong_level": STRONG_LEVEL}
