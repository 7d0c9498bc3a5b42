"""The current moment in UTC and today's date in the lab's time zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

import config


def utcnow() -> datetime:
    """Timezone-aware current time in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def lab_timezone() -> ZoneInfo:
    """The lab's time zone (`BABEL_DEFAULT_TIMEZONE`, Jakarta unless configured otherwise)."""
    name = current_app.config["BABEL_DEFAULT_TIMEZONE"] if has_app_context() else config.BABEL_DEFAULT_TIMEZONE
    return ZoneInfo(name)


def lab_today() -> date:
    """Today in the lab's time zone: due dates are Indonesian office days."""
    return datetime.now(lab_timezone()).date()
