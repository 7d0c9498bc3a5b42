"""The numbers behind the rules users are told about, for the code that applies them and the messages that state them.

Settings an operator may change (how long before silence puts a commitment at risk, how early reminders go out,
upload and password limits) live in `config.py` and are read here from the app's config at call time. The
constants below are product rules that hold for every installation. This module imports no feature, so every
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
    """Every rule number a page states, for templates: read from config and the constants above, no query."""
    config = current_app.config
    return {
        "stale_after_days": config["STALE_AFTER_DAYS"],
        "reminder_days_ahead": config["REMINDER_DAYS_AHEAD"],
        "max_attachment_bytes": config["MAX_ATTACHMENT_BYTES"],
        "max_attachments": config["MAX_ATTACHMENTS"],
        "password_min_length": config["PASSWORD_MIN_LENGTH"],
        "weak_level": WEAK_LEVEL,
        "strong_level": STRONG_LEVEL,
    }
